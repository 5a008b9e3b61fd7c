package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Holding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent-side lease as an immutable value; every transition returns a new value. {@link AgentLease} holds one
 * for production code, and the model check stores these values in its states (value equality is the state hash).
 * Times are monotonic nanoseconds of the agent's clock, always inputs.
 *
 * @param self        the incarnation this lease belongs to
 * @param address     the agent's address, carried in beats
 * @param settings    beat interval and lease length
 * @param rule        whether a lapse is final (always in production)
 * @param nextSeq     the sequence number of the next beat
 * @param sentAny     whether a beat was ever sent
 * @param windowEnd   first send + lease: an incarnation with no acknowledged beat by then has lapsed
 * @param acked       whether any beat was acknowledged in time
 * @param validUntil  send start of the newest acknowledged beat + lease
 * @param lapsed      the incarnation is over for good (sticky)
 * @param lastNow     the latest time seen, so late-arriving callers cannot move time backwards
 * @param unacked     seq to send start of beats sent and not yet acknowledged whose lease could still matter
 * @param plan        current term per instance, as the agent has read the plan
 * @param draining    the agent wants its instances moved
 * @param nextBeatAt  when the next periodic beat is due
 * @param beatHolding the holdings carried by the last beat sent
 * @param beatDraining the draining flag carried by the last beat sent
 * @param owed        handed-over holdings no beat has carried yet: the next beat carries them once, so that the
 *                    beat after it drops them and the arbiter reports the release ({@code VipUnbound}) the planner
 *                    waits for; never answered for
 */
record LeaseState(AgentRef self, String address, LeaseSettings settings, LapseRule rule, long nextSeq,
                  boolean sentAny, long windowEnd, boolean acked, long validUntil, boolean lapsed, long lastNow,
                  Map<Long, Long> unacked, Map<String, PlanTerm> plan, boolean draining, long nextBeatAt,
                  List<Holding> beatHolding, boolean beatDraining, List<Holding> owed) {

    private static final Comparator<Holding> BY_INSTANCE = Comparator.comparing(Holding::instance);

    static LeaseState initial(AgentRef self, String address, LeaseSettings settings, LapseRule rule) {
        return new LeaseState(self, address, settings, rule, 1, false, 0, false, 0, false, Long.MIN_VALUE,
                Map.of(), Map.of(), false, 0, List.of(), false, List.of());
    }

    /** Time moves to {@code now}: notes a lapse and forgets unacknowledged beats whose lease is already over. */
    LeaseState observe(long nowIn) {
        long now = Math.max(nowIn, lastNow);
        boolean nowLapsed = lapsed || (rule == LapseRule.FINAL && sentAny && now - horizon() >= 0);
        long lease = settings.leaseNanos();
        boolean stale = false;
        for (long sent : unacked.values()) {
            stale |= now - (sent + lease) >= 0;
        }
        if (now == lastNow && nowLapsed == lapsed && !stale) {
            return this;
        }
        Map<Long, Long> live = unacked;
        if (nowLapsed) {
            live = Map.of();
        } else if (stale) {
            Map<Long, Long> kept = new HashMap<>();
            unacked.forEach((seq, sent) -> {
                if (now - (sent + lease) < 0) {
                    kept.put(seq, sent);
                }
            });
            live = Map.copyOf(kept);
        }
        return new LeaseState(self, address, settings, rule, nextSeq, sentAny, windowEnd, acked, validUntil,
                nowLapsed, now, live, plan, draining, nextBeatAt, beatHolding, beatDraining, owed);
    }

    /**
     * The last instant an acknowledgement may still arrive and count: the window after the first send, extended
     * by every acknowledged beat. Past it, the incarnation is over.
     */
    private long horizon() {
        return acked && validUntil - windowEnd > 0 ? validUntil : windowEnd;
    }

    LeasePhase phase() {
        if (lapsed) {
            return LeasePhase.LAPSED;
        }
        return acked && lastNow - validUntil < 0 ? LeasePhase.VALID : LeasePhase.PENDING;
    }

    /** The instances whose current term names this incarnation, if the lease is valid; sorted by instance. */
    List<Holding> holding() {
        if (phase() != LeasePhase.VALID) {
            return List.of();
        }
        List<Holding> out = new ArrayList<>(plan.size());
        for (Map.Entry<String, PlanTerm> e : plan.entrySet()) {
            if (self.equals(e.getValue().master())) {
                out.add(new Holding(e.getKey(), e.getValue().term()));
            }
        }
        if (out.size() > 1) {
            out.sort(BY_INSTANCE);
        }
        return List.copyOf(out);
    }

    /**
     * What the next beat carries: {@link #holding} and, once, the {@link #owed} releases (a handover read before
     * any beat named the instance: the arbiter can only report a release it saw held). Sorted by instance.
     */
    List<Holding> announced() {
        List<Holding> held = holding();
        if (owed.isEmpty()) {
            return held;
        }
        // disjoint: a released term no longer names this incarnation in the plan, so holding() never has it
        List<Holding> out = new ArrayList<>(held);
        out.addAll(owed);
        out.sort(BY_INSTANCE.thenComparingLong(Holding::term));
        return List.copyOf(out);
    }

    boolean beatDue() {
        return !lapsed && (!sentAny || lastNow - nextBeatAt >= 0 || !announced().equals(beatHolding)
                || draining != beatDraining);
    }

    /** The beat with {@link #nextSeq} starts being sent now, carrying {@code holding} (the owed releases with it). */
    LeaseState sent(List<Holding> holding) {
        Map<Long, Long> pending = new HashMap<>(unacked);
        pending.put(nextSeq, lastNow);
        long window = sentAny ? windowEnd : lastNow + settings.leaseNanos();
        return new LeaseState(self, address, settings, rule, nextSeq + 1, true, window, acked, validUntil, lapsed,
                lastNow, Map.copyOf(pending), plan, draining, lastNow + settings.beatIntervalNanos(), holding,
                draining, List.of());
    }

    /** The first acknowledgement of {@code seq} arrived (after {@link #observe}). */
    LeaseState acked(long seq) {
        Long sentAt = unacked.get(seq);
        if (lapsed || sentAt == null) {
            return this;
        }
        Map<Long, Long> pending = new HashMap<>(unacked);
        pending.remove(seq);
        long until = sentAt + settings.leaseNanos();
        boolean extends_ = lastNow - until < 0;
        long newUntil = extends_ && (!acked || until - validUntil > 0) ? until : validUntil;
        return new LeaseState(self, address, settings, rule, nextSeq, sentAny, windowEnd, acked || extends_,
                newUntil, lapsed, lastNow, Map.copyOf(pending), plan, draining, nextBeatAt, beatHolding,
                beatDraining, owed);
    }

    LeaseState withPlan(String instance, long term, AgentRef master) {
        PlanTerm known = plan.get(instance);
        if (known != null && known.term() >= term) {
            return this; // terms only grow (invariant 4): an older or repeated term changes nothing
        }
        Map<String, PlanTerm> next = new HashMap<>(plan);
        next.put(instance, new PlanTerm(term, master));
        return new LeaseState(self, address, settings, rule, nextSeq, sentAny, windowEnd, acked, validUntil, lapsed,
                lastNow, unacked, Map.copyOf(next), draining, nextBeatAt, beatHolding, beatDraining, owed);
    }

    /** {@code instance@term} is being handed over: this term no longer names anyone for this agent. */
    LeaseState withRelease(String instance, long term) {
        PlanTerm known = plan.get(instance);
        if (known == null || known.term() != term || known.master() == null) {
            return this;
        }
        Map<String, PlanTerm> next = new HashMap<>(plan);
        next.put(instance, new PlanTerm(term, null));
        Holding released = new Holding(instance, term);
        List<Holding> nextOwed = owed;
        if (!lapsed && !beatHolding.contains(released)) { // released once: the plan entry no longer names us
            List<Holding> o = new ArrayList<>(owed);
            o.add(released);
            nextOwed = List.copyOf(o);
        }
        return new LeaseState(self, address, settings, rule, nextSeq, sentAny, windowEnd, acked, validUntil, lapsed,
                lastNow, unacked, Map.copyOf(next), draining, nextBeatAt, beatHolding, beatDraining, nextOwed);
    }

    LeaseState withDraining(boolean value) {
        return new LeaseState(self, address, settings, rule, nextSeq, sentAny, windowEnd, acked, validUntil, lapsed,
                lastNow, unacked, plan, value, nextBeatAt, beatHolding, beatDraining, owed);
    }
}
