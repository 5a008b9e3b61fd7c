package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Holding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The arbiter side of the lease rules (DESIGN.md invariant 5), pure: beats, the arbiter's own monotonic time and
 * what it has read are inputs; facts are the output. It does no I/O ({@link ArbiterService} does).
 *
 * <ul>
 *   <li>{@code AgentUp} on the first beat of a new incarnation; a beat of an incarnation already Down changes
 *       nothing.</li>
 *   <li>{@code VipBound} / {@code VipUnbound} when an incarnation's {@code holding} changes (in seq order), and
 *       {@code AgentDraining} when its beats start saying so.</li>
 *   <li>{@code AgentDown} only when (1) every partition of {@code heartbeats} has been read up to the end
 *       offsets fetched at decision time — a partition that cannot be read means wait — and (2) at the time those
 *       offsets were fetched, leaseMs + margin had passed on the arbiter's clock since it <em>received</em> the
 *       last beat of that incarnation. A newly active arbiter starts every timer from its own start. Each
 *       incarnation goes Down at most once.</li>
 *   <li>Pod facts never shorten the wait: they only colour the reason.</li>
 *   <li>{@code Tick} every second.</li>
 * </ul>
 *
 * Not thread-safe: one arbiter thread drives it.
 */
public final class Arbiter {

    /** One Tick per second of the arbiter's clock. */
    static final long TICK_NANOS = 1_000_000_000L;

    private final LeaseSettings settings;
    private final EndOffsetRule rule;
    private ArbiterState state;

    /** An arbiter over an empty log, active from {@code startNanos}. */
    public Arbiter(LeaseSettings settings, long startNanos) {
        this(settings, EndOffsetRule.READ_TO_END, ArbiterState.resume(AgentBook.EMPTY, startNanos));
    }

    Arbiter(LeaseSettings settings, EndOffsetRule rule, ArbiterState state) {
        this.settings = settings;
        this.rule = rule;
        this.state = state;
    }

    /**
     * A newly active arbiter that knows {@code book} from the {@code events} log: every Up incarnation's timer
     * starts at {@code startNanos}, which is after any beat an earlier arbiter received.
     */
    public static Arbiter resume(LeaseSettings settings, AgentBook book, long startNanos) {
        return new Arbiter(settings, EndOffsetRule.READ_TO_END, ArbiterState.resume(book, startNanos));
    }

    ArbiterState state() {
        return state;
    }

    /** The settings this arbiter decides with. */
    public LeaseSettings settings() {
        return settings;
    }

    /** The incarnations currently Up. */
    public Set<AgentRef> up() {
        return state.up().keySet();
    }

    /**
     * A beat read from {@code partition} (at log time {@code logTime}, epoch ms), received at {@code nowNanos}.
     *
     * @return the facts it causes: {@code AgentUp}, {@code VipBound}, {@code VipUnbound}, {@code AgentDraining}
     */
    public List<Fact> onBeat(int partition, long logTime, Heartbeat beat, long nowNanos) {
        state = state.at(nowNanos);
        long now = state.lastNow();
        AgentRef ref = new AgentRef(beat.agent(), beat.incarnation());
        if (state.ignores(ref)) {
            return List.of();
        }
        List<Fact> facts = new ArrayList<>();
        ArbiterState.Tracked known = state.up().get(ref);
        if (known == null) {
            facts.add(new Fact.AgentUp(ref.agent(), ref.incarnation(), beat.address()));
            known = new ArbiterState.Tracked(beat.address(), now, logTime, 0, List.of(), false, "");
        }
        long recv = Math.max(known.lastRecvNanos(), now);
        long logAt = Math.max(known.lastBeatLogTime(), logTime);
        if (beat.seq() <= known.lastSeq()) {
            // an older beat read late (the other partition): it proves liveness, not the newest holdings
            state = state.withUp(ref, new ArbiterState.Tracked(known.address(), recv, logAt, known.lastSeq(),
                    known.holding(), known.draining(), known.pod()));
            return facts;
        }
        diffHoldings(ref, known.holding(), beat.holding(), facts);
        if (beat.draining() && !known.draining()) {
            facts.add(new Fact.AgentDraining(ref.agent(), ref.incarnation()));
        }
        state = state.withUp(ref, new ArbiterState.Tracked(beat.address(), recv, logAt, beat.seq(), beat.holding(),
                known.draining() || beat.draining(), known.pod()));
        return facts;
    }

    private static void diffHoldings(AgentRef ref, List<Holding> before, List<Holding> after, List<Fact> out) {
        for (Holding h : before) {
            if (!after.contains(h)) {
                out.add(new Fact.VipUnbound(ref.agent(), ref.incarnation(), h.instance(), h.term(), "released"));
            }
        }
        for (Holding h : after) {
            if (!before.contains(h)) {
                out.add(new Fact.VipBound(ref.agent(), ref.incarnation(), h.instance(), h.term()));
            }
        }
    }

    /**
     * Kubernetes says something of an agent's pod. It marks the agent draining-or-gone in the reason of a later
     * {@code AgentDown}, and never shortens the wait: a deleted pod's process may still be running and answering.
     */
    public void onPodObserved(Fact.AgentObserved pod) {
        String note = pod.deleted() ? "pod deleted" : pod.ready() ? "" : "pod not ready";
        for (var e : state.up().entrySet()) {
            ArbiterState.Tracked t = e.getValue();
            if (e.getKey().agent().equals(pod.agent()) && !t.pod().equals(note)) {
                state = state.withUp(e.getKey(), new ArbiterState.Tracked(t.address(), t.lastRecvNanos(),
                        t.lastBeatLogTime(), t.lastSeq(), t.holding(), t.draining(), note));
            }
        }
    }

    /**
     * Whether some Up incarnation has been silent for leaseMs + margin: then fetch the end offsets now, read up to
     * them and call {@link #decide}.
     */
    public boolean wantsEndOffsets(long nowNanos) {
        state = state.at(nowNanos);
        long now = state.lastNow();
        for (ArbiterState.Tracked t : state.up().values()) {
            if (now - t.lastRecvNanos() >= settings.silenceNanos()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Declares Down every incarnation that was silent for leaseMs + margin when the end offsets in
     * {@code progress} were fetched, provided every partition has been read up to them. Each {@code AgentDown} is
     * followed by a {@code VipUnbound} (reason {@code lease lapsed}) for each holding its beats last carried.
     *
     * @return the facts, in order; empty while the read has not reached the end offsets
     */
    public List<Fact> decide(ReadProgress progress, long nowNanos) {
        state = state.at(nowNanos);
        long asOf;
        if (rule == EndOffsetRule.READ_TO_END) {
            if (!progress.reachedEnd()) {
                return List.of();
            }
            asOf = progress.fetchedAtNanos();
        } else {
            asOf = state.lastNow();
        }
        List<AgentRef> silent = state.up().entrySet().stream()
                .filter(e -> asOf - e.getValue().lastRecvNanos() >= settings.silenceNanos())
                .map(java.util.Map.Entry::getKey)
                .sorted(Comparator.comparing(AgentRef::agent).thenComparingLong(AgentRef::incarnation))
                .toList();
        List<Fact> facts = new ArrayList<>();
        for (AgentRef ref : silent) {
            ArbiterState.Tracked t = state.up().get(ref);
            facts.add(new Fact.AgentDown(ref.agent(), ref.incarnation(), reason(ref, t), t.lastBeatLogTime()));
            for (Holding h : t.holding()) {
                facts.add(new Fact.VipUnbound(ref.agent(), ref.incarnation(), h.instance(), h.term(),
                        "lease lapsed"));
            }
            state = state.withDown(ref);
        }
        return facts;
    }

    private String reason(AgentRef ref, ArbiterState.Tracked t) {
        long silentMs = (state.lastNow() - t.lastRecvNanos()) / 1_000_000L;
        StringBuilder why = new StringBuilder("no beat for ").append(silentMs).append(" ms");
        state.up().keySet().stream()
                .filter(o -> o.agent().equals(ref.agent()) && o.incarnation() > ref.incarnation())
                .mapToLong(AgentRef::incarnation).max()
                .ifPresent(newer -> why.append(", superseded by incarnation ").append(newer));
        if (!t.pod().isEmpty()) {
            why.append(", ").append(t.pod());
        }
        return why.toString();
    }

    /** A {@code Tick} when a second has passed since the last one (one Tick, however late the call). */
    public List<Fact> tick(long nowNanos) {
        state = state.at(nowNanos);
        long now = state.lastNow();
        if (now - state.nextTickNanos() < 0) {
            return List.of();
        }
        long next = state.nextTickNanos() + TICK_NANOS;
        state = state.withNextTick(now - next >= 0 ? now + TICK_NANOS : next);
        return List.of(new Fact.Tick());
    }

    /** The earliest arbiter time at which {@link #wantsEndOffsets} or {@link #tick} may change on its own. */
    public long nextWakeNanos() {
        long wake = state.nextTickNanos();
        for (ArbiterState.Tracked t : state.up().values()) {
            long due = t.lastRecvNanos() + settings.silenceNanos();
            if (due - wake < 0) {
                wake = due;
            }
        }
        return wake;
    }
}
