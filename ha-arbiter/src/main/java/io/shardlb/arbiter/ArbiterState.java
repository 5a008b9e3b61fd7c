package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Holding;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arbiter's state as an immutable value: the Up incarnations with their timers, the Down floors, the next
 * Tick. {@link Arbiter} holds one; the model check stores them in its states.
 *
 * @param up            incarnations Up and not Down
 * @param downFloor     per agent, the newest incarnation declared Down
 * @param nextTickNanos when the next Tick is due
 * @param lastNow       the latest arbiter time seen
 */
record ArbiterState(Map<AgentRef, Tracked> up, Map<String, Long> downFloor, long nextTickNanos, long lastNow) {

    /**
     * One Up incarnation.
     *
     * @param address         address from its beats
     * @param lastRecvNanos   the arbiter's time when it received the newest beat (or became active)
     * @param lastBeatLogTime log time of the newest beat read, 0 if none
     * @param lastSeq         highest seq read (holdings follow seq order, not read order)
     * @param holding         holdings of the beat with {@code lastSeq}
     * @param draining        whether a beat said it drains
     * @param pod             what Kubernetes last said of the agent's pod, for the reason only
     */
    record Tracked(String address, long lastRecvNanos, long lastBeatLogTime, long lastSeq, List<Holding> holding,
                   boolean draining, String pod) {
    }

    static ArbiterState resume(AgentBook book, long startNanos) {
        Map<AgentRef, Tracked> up = new HashMap<>();
        book.up().forEach((ref, e) -> up.put(ref,
                new Tracked(e.address(), startNanos, 0, 0, e.holding(), e.draining(), "")));
        return new ArbiterState(Map.copyOf(up), book.downFloor(), startNanos + Arbiter.TICK_NANOS, startNanos);
    }

    boolean ignores(AgentRef ref) {
        Long floor = downFloor.get(ref.agent());
        return floor != null && ref.incarnation() <= floor && !up.containsKey(ref);
    }

    ArbiterState withUp(AgentRef ref, Tracked tracked) {
        Map<AgentRef, Tracked> next = new HashMap<>(up);
        next.put(ref, tracked);
        return new ArbiterState(Map.copyOf(next), downFloor, nextTickNanos, lastNow);
    }

    ArbiterState withDown(AgentRef ref) {
        Map<AgentRef, Tracked> next = new HashMap<>(up);
        next.remove(ref);
        Map<String, Long> floors = new HashMap<>(downFloor);
        floors.merge(ref.agent(), ref.incarnation(), Math::max);
        return new ArbiterState(Map.copyOf(next), Map.copyOf(floors), nextTickNanos, lastNow);
    }

    ArbiterState at(long now) {
        return now - lastNow > 0 ? new ArbiterState(up, downFloor, nextTickNanos, now) : this;
    }

    ArbiterState withNextTick(long next) {
        return new ArbiterState(up, downFloor, next, lastNow);
    }
}
