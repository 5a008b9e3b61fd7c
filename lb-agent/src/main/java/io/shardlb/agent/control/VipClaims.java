package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.forwarder.Outcome;
import io.shardlb.arbiter.LeaseView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The VIPs the agent has claimed on its forwarder, and the deadline each was last given. {@link #reconcile}
 * moves the forwarder to a wanted set with deltas: releases first (a VIP the agent no longer holds stops being
 * answered before its beat reports the release), then claims, and re-claims every VIP whose deadline moved (each
 * lease renewal pushes the new deadline). Loop thread only; {@link #claimed()} may be read from any thread.
 */
final class VipClaims {
    private static final Logger LOG = LoggerFactory.getLogger(VipClaims.class);

    private final Forwarder forwarder;
    private final Map<InetAddress, Long> claimed = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();

    VipClaims(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    /** Claims exactly {@code wanted} until {@code deadline}; with no deadline ({@link LeaseView#NO_DEADLINE}) none. */
    void reconcile(Set<InetAddress> wanted, long deadline) {
        boolean valid = deadline != LeaseView.NO_DEADLINE;
        for (Iterator<Map.Entry<InetAddress, Long>> it = claimed.entrySet().iterator(); it.hasNext(); ) {
            InetAddress vip = it.next().getKey();
            if (!valid || !wanted.contains(vip)) {
                forwarder.releaseVip(vip);
                it.remove();
                LOG.info("released {}", vip.getHostAddress());
            }
        }
        if (!valid) {
            return;
        }
        for (InetAddress vip : wanted) {
            Long had = claimed.get(vip);
            if (had != null && had == deadline) {
                continue;
            }
            Outcome o = forwarder.claimVip(vip, deadline);
            if (o instanceof Outcome.Applied) {
                if (had == null) {
                    LOG.info("claimed {}", vip.getHostAddress());
                }
            } else {
                failures.incrementAndGet();
                LOG.warn("claim of {} not applied as asked: {}", vip.getHostAddress(), o);
            }
            claimed.put(vip, deadline);
        }
    }

    /** Stops answering for every VIP now (lease lapsed, or shutting down). */
    void releaseAll() {
        reconcile(Set.of(), LeaseView.NO_DEADLINE);
    }

    /** The VIPs claimed now. */
    Set<InetAddress> claimed() {
        return Collections.unmodifiableSet(claimed.keySet());
    }

    /** Claims the forwarder did not apply as asked (a failed bind, a refused VIP). */
    long failures() {
        return failures.get();
    }
}
