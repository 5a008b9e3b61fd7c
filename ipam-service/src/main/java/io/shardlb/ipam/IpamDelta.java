package io.shardlb.ipam;

import io.shardlb.events.image.Delta;
import io.shardlb.events.image.Provenance;
import io.shardlb.events.image.ReplayException;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import io.shardlb.events.collect.HashTrie;
import io.shardlb.ipam.collect.PersistentSortedMap;

import java.util.Map;

/**
 * Folds the records that concern IPAM into an {@link IpamImage} (KRaft's {@code XDelta}). It is the only place
 * IPAM state changes, and it refuses any record that would break an invariant (a double allocation in unique mode,
 * overlapping ports on a shared VIP, the release of a free address, an address outside its pool) with a
 * {@link ReplayException} naming the record and its position: for a decision-maker, that is fatal.
 *
 * <p>Records replayed: {@code ConfigObserved} (pools, mode, quarantine), {@code ServiceGone} and
 * {@code ServiceRejected} (leave the pending queue), {@code VipAllocated}, {@code VipReleased},
 * {@code AllocationKept}, {@code AllocationRejected} (join the pending queue). Every fact's log time moves the IPAM
 * clock forward and ends the quarantines it has passed.
 *
 * <p><b>Time of decisions.</b> A decision takes effect at the clock of the facts folded before it, never at the
 * plan topic's own append time: the planner generates a decision while its clock is the log time of the fact it
 * answers, so replaying {@code events} and {@code plan} interleaved (by {@code basedOn}) reproduces exactly the
 * image the planner had. The planner folds its own decisions with {@link #replay(Decision)} as it makes them.
 */
public final class IpamDelta implements Delta<IpamImage> {
    private final IpamImage base;
    private final Rules rules = new Rules();
    IpamConfig config;
    long now;
    Provenance provenance;
    PersistentSortedMap<IpAddress, InUse> inUse;
    PersistentSortedMap<IpAddress, Quarantine> quarantine;
    QuarantineQueue quarantineOrder;
    PersistentSortedMap<IpAddress, IpAddress> runs;
    /** Service name to {@link ServiceAddresses#stored()}. */
    HashTrie<String, Object> services;
    PersistentSortedMap<Long, String> pendingBySeq;
    HashTrie<String, Long> pendingSeq;
    long nextPendingSeq;

    /** A delta on {@code base}. */
    public IpamDelta(IpamImage base) {
        this.base = base;
        this.config = base.config;
        this.now = base.now;
        this.provenance = base.provenance;
        this.inUse = base.inUse;
        this.quarantine = base.quarantine;
        this.quarantineOrder = base.quarantineOrder;
        this.runs = base.runs;
        this.services = base.services;
        this.pendingBySeq = base.pendingBySeq;
        this.pendingSeq = base.pendingSeq;
        this.nextPendingSeq = base.nextPendingSeq;
    }

    /**
     * Folds a record read from {@code events} or {@code plan}. A fact moves the clock to its log time (and, from
     * {@code events}, the provenance to its offset); a decision applies at the current clock. Records of other
     * kinds are ignored.
     *
     * @throws ReplayException if the record would break an invariant
     */
    @Override
    public void replay(LogEntry entry) {
        try {
            switch (entry.envelope().payload()) {
                case Fact f -> {
                    fact(f, entry.logTime());
                    if (entry.topic() == Topic.EVENTS) {
                        provenance = new Provenance(entry.offset(), entry.logTime());
                    }
                }
                case Decision d -> rules.decision(this, d);
                default -> {
                    // heartbeats and snapshot chunks are not IPAM's
                }
            }
        } catch (RuleViolation e) {
            throw new ReplayException(entry, e.getMessage());
        }
    }

    /**
     * Folds a fact observed at {@code logTime} that has no log position (yet).
     *
     * @throws ReplayException if the fact cannot be applied (invalid pools)
     */
    public void replay(Fact fact, long logTime) {
        try {
            fact(fact, logTime);
        } catch (RuleViolation e) {
            throw new ReplayException(unpositioned(Topic.EVENTS, fact, logTime), e.getMessage());
        }
    }

    /**
     * Folds a decision the caller generated itself, at the current clock. Its position in the error is
     * {@code plan/0@-1}: not yet appended.
     *
     * @throws ReplayException if the decision would break an invariant
     */
    public void replay(Decision decision) {
        try {
            rules.decision(this, decision);
        } catch (RuleViolation e) {
            throw new ReplayException(unpositioned(Topic.PLAN, decision, now), e.getMessage());
        }
    }

    /** Moves the clock to {@code logTime} (if later), then folds {@code decision}. */
    public void replay(Decision decision, long logTime) {
        advanceTo(logTime);
        replay(decision);
    }

    /**
     * Moves the IPAM clock forward to {@code logTime} and ends every quarantine it has passed. The clock never
     * goes back: an earlier time changes nothing.
     */
    public void advanceTo(long logTime) {
        if (logTime <= now) {
            return;
        }
        now = logTime;
        if (!quarantineOrder.anyEndsBy(now)) {
            return;
        }
        for (Map.Entry<Long, QuarantineQueue.Cell> e = quarantineOrder.first();
             e != null && e.getKey() <= now; e = quarantineOrder.first()) {
            for (QuarantineQueue.Cell c = e.getValue(); c != null; c = c.next()) {
                quarantine = quarantine.remove(c.ip());
                runs = Occupancy.vacate(runs, c.ip());
            }
            quarantineOrder = quarantineOrder.withoutFirst();
        }
    }

    private void fact(Fact fact, long logTime) {
        advanceTo(logTime);
        switch (fact) {
            case Fact.ConfigObserved c -> {
                try {
                    config = IpamConfig.of(c);
                } catch (IllegalArgumentException e) {
                    throw new RuleViolation("invalid configuration: " + e.getMessage());
                }
            }
            case Fact.ServiceGone g -> dropPending(g.service());
            default -> {
                // only its log time matters to IPAM
            }
        }
    }

    void addPending(String service) {
        if (!pendingSeq.containsKey(service)) {
            pendingBySeq = pendingBySeq.put(nextPendingSeq, service);
            pendingSeq = pendingSeq.put(service, nextPendingSeq);
            nextPendingSeq++;
        }
    }

    void dropPending(String service) {
        Long seq = pendingSeq.get(service);
        if (seq != null) {
            pendingBySeq = pendingBySeq.remove(seq);
            pendingSeq = pendingSeq.remove(service);
        }
    }

    private static LogEntry unpositioned(Topic topic, io.shardlb.events.schema.Payload payload, long logTime) {
        return new LogEntry(topic, 0, -1, Envelope.of(payload, "").withLogTime(logTime));
    }

    /** The image with every replayed record applied; the base itself when nothing changed. */
    @Override
    public IpamImage apply() {
        if (config == base.config && now == base.now && provenance.equals(base.provenance) && inUse == base.inUse
                && quarantine == base.quarantine && quarantineOrder == base.quarantineOrder
                && services == base.services && pendingBySeq == base.pendingBySeq && pendingSeq == base.pendingSeq
                && nextPendingSeq == base.nextPendingSeq && runs == base.runs) {
            // every field, the sequence too: a Service queued and served in one batch leaves the maps as they
            // were but has used a sequence number, and the image must say so to equal a replay in other batches
            return base;
        }
        return new IpamImage(config, now, provenance, inUse, quarantine, quarantineOrder, runs, services,
                pendingBySeq, pendingSeq, nextPendingSeq);
    }

    /** A record that would break an invariant; turned into a {@link ReplayException} with its position. */
    static final class RuleViolation extends RuntimeException {
        RuleViolation(String problem) {
            super(problem, null, false, false);
        }
    }
}
