package io.shardlb.agent.xdp;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.ServiceRule;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the XDP program's {@code backends} map equal to the endpoints of the {@code default}-mode rules. In that
 * mode the backend sees the client's address and answers it through the agent (its route to clients points at
 * us); the reply is addressed to the client, not to us, so the program can only recognise it by its source, a
 * known backend (ip, port, protocol), and sends it to the socket for the reverse translation. An endpoint shared
 * by several rules stays in the map until the last of them lets it go.
 */
final class DefaultModeReturns {
    /** (ip, port, protocol) packed into a long. */
    private final Map<String, Set<Long>> byRule = new HashMap<>();
    private final Map<Long, Integer> refs = new HashMap<>();
    private final BpfMaps maps;

    DefaultModeReturns(BpfMaps maps) {
        this.maps = maps;
    }

    /** The rule was installed or replaced: its backends now are those of {@code rule} (none unless default). */
    synchronized void upsert(ServiceRule rule) {
        Set<Long> now = new HashSet<>();
        if (rule.mode() == Mode.DEFAULT) {
            for (Endpoint e : rule.endpoints()) {
                now.add(key(Addresses.toInt(e.ip()), e.port(), rule.protocol().number()));
            }
        }
        Set<Long> before = byRule.getOrDefault(rule.id(), Set.of());
        for (long k : now) {
            if (!before.contains(k)) {
                acquire(k);
            }
        }
        for (long k : before) {
            if (!now.contains(k)) {
                release(k);
            }
        }
        if (now.isEmpty()) {
            byRule.remove(rule.id());
        } else {
            byRule.put(rule.id(), now);
        }
    }

    /** The rule is gone. */
    synchronized void remove(String ruleId) {
        Set<Long> before = byRule.remove(ruleId);
        if (before != null) {
            before.forEach(this::release);
        }
    }

    private void acquire(long k) {
        if (refs.merge(k, 1, Integer::sum) == 1) {
            maps.putBackend((int) (k >>> 32), (int) (k >>> 8) & 0xFFFF, (int) k & 0xFF);
        }
    }

    private void release(long k) {
        Integer left = refs.merge(k, -1, Integer::sum);
        if (left != null && left <= 0) {
            refs.remove(k);
            maps.deleteBackend((int) (k >>> 32), (int) (k >>> 8) & 0xFFFF, (int) k & 0xFF);
        }
    }

    private static long key(int ip, int port, int protocol) {
        return ((ip & 0xFFFF_FFFFL) << 32) | ((long) port << 8) | protocol;
    }
}
