package io.shardlb.agent.engine;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.agent.forwarder.ServiceRule;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.agrona.collections.Long2LongHashMap;

/**
 * The rules and VIP claims the engine reads per packet: rule by (VIP, port, protocol) and claim deadline by VIP
 * in primitive hash maps (no allocation on lookup). Changed only between frames, on the engine's thread.
 */
final class RuleBook {
    /** Deadline value of a VIP that is not claimed. */
    static final long NOT_CLAIMED = Long.MIN_VALUE;

    private final Long2LongHashMap slotByKey = new Long2LongHashMap(64, 0.5f, -1L);
    private final Long2LongHashMap deadlineByVip = new Long2LongHashMap(64, 0.5f, NOT_CLAIMED);
    private final Long2LongHashMap rulesPerVip = new Long2LongHashMap(64, 0.5f, 0L);
    private final Map<String, Integer> slotById = new HashMap<>();
    private final Map<Integer, RuleState.VipClaim> claims = new HashMap<>();
    private RuleState[] slots = new RuleState[16];
    private int nextIdentity = 1;
    private int nextVersion = 1;

    static long key(int vip, int port, int protocol) {
        return ((vip & 0xFFFF_FFFFL) << 24) | ((long) port << 8) | protocol;
    }

    /** Slot of the rule for this destination, or -1. */
    int lookup(int vip, int port, int protocol) {
        return (int) slotByKey.get(key(vip, port, protocol));
    }

    RuleState slot(int slot) {
        return slots[slot];
    }

    /** Deadline of a VIP, or {@link #NOT_CLAIMED}. */
    long deadline(int vip) {
        return deadlineByVip.get(vip & 0xFFFF_FFFFL);
    }

    /** True if some rule or claim names this address (packets to it are ours to count). */
    boolean knownVip(int vip) {
        long k = vip & 0xFFFF_FFFFL;
        return rulesPerVip.get(k) > 0 || deadlineByVip.containsKey(k);
    }

    Outcome upsert(ServiceRule rule) {
        if (!(rule.vip() instanceof Inet4Address)) {
            return new Outcome.Refused("the packet engine forwards IPv4 only so far: vip=" + rule.vip());
        }
        Integer existing = slotById.get(rule.id());
        long newKey = key(Addresses.toInt(rule.vip()), rule.port(), rule.protocol().number());
        int clash = (int) slotByKey.get(newKey);
        if (clash >= 0 && (existing == null || clash != existing)) {
            return new Outcome.Refused("rule " + rule.id() + " has the same VIP, port and protocol as rule "
                    + slots[clash].rule.id());
        }
        int slot;
        RuleState next;
        if (existing != null) {
            slot = existing;
            RuleState old = slots[slot];
            next = new RuleState(rule, old.identity, nextVersion++, claimOf(Addresses.toInt(rule.vip())));
            next.inherit(old);
            unkey(old);
        } else {
            slot = freeSlot();
            next = new RuleState(rule, nextIdentity++, nextVersion++, claimOf(Addresses.toInt(rule.vip())));
            slotById.put(rule.id(), slot);
        }
        slots[slot] = next;
        slotByKey.put(newKey, slot);
        rulesPerVip.put(next.vip & 0xFFFF_FFFFL, rulesPerVip.get(next.vip & 0xFFFF_FFFFL) + 1);
        return Outcome.APPLIED;
    }

    void remove(String id) {
        Integer slot = slotById.remove(id);
        if (slot != null) {
            unkey(slots[slot]);
            slots[slot] = null;
        }
    }

    private void unkey(RuleState r) {
        slotByKey.remove(key(r.vip, r.port, r.protocol));
        long v = r.vip & 0xFFFF_FFFFL;
        long n = rulesPerVip.get(v) - 1;
        if (n <= 0) {
            rulesPerVip.remove(v);
        } else {
            rulesPerVip.put(v, n);
        }
    }

    private int freeSlot() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null) {
                return i;
            }
        }
        int n = slots.length;
        slots = Arrays.copyOf(slots, n * 2);
        return n;
    }

    Outcome claim(InetAddress vip, long deadlineNanos) {
        if (!(vip instanceof Inet4Address)) {
            return new Outcome.Refused("the packet engine answers for IPv4 VIPs only so far: vip=" + vip);
        }
        if (deadlineNanos == NOT_CLAIMED) {
            return new Outcome.Refused("deadline value is reserved: " + deadlineNanos);
        }
        deadlineByVip.put(Addresses.toInt(vip) & 0xFFFF_FFFFL, deadlineNanos);
        claimOf(Addresses.toInt(vip)).deadline = deadlineNanos;
        return Outcome.APPLIED;
    }

    Outcome release(InetAddress vip) {
        if (vip instanceof Inet4Address) {
            deadlineByVip.remove(Addresses.toInt(vip) & 0xFFFF_FFFFL);
            claimOf(Addresses.toInt(vip)).deadline = NOT_CLAIMED;
        }
        return Outcome.APPLIED;
    }

    private RuleState.VipClaim claimOf(int vip) {
        return claims.computeIfAbsent(vip, v -> new RuleState.VipClaim());
    }

    /** Rule by id, or null. */
    RuleState byId(String id) {
        Integer slot = slotById.get(id);
        return slot == null ? null : slots[slot];
    }
}
