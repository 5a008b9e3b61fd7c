package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Holding;

import java.util.List;

/**
 * The agent side of the lease rules (DESIGN.md invariant 5), pure: time and delivery are inputs, nothing here
 * reads a clock or does I/O.
 *
 * <ul>
 *   <li>The agent beats every beat interval, and at once when what it holds or its draining flag changes
 *       ({@link #beatDue}, {@link #startBeat}).</li>
 *   <li>Its lease is valid until (the monotonic time at which it <em>started sending</em> a beat that any
 *       partition acknowledged) + leaseMs ({@link #onBeatAcked}).</li>
 *   <li>Once the lease lapses the incarnation is over for good: a late acknowledgement revives nothing, and the
 *       agent must drop every VIP and rejoin with a new incarnation. An incarnation whose first beat is not
 *       acknowledged within leaseMs of its sending has lapsed too (it may have been announced Up, named master,
 *       and declared Down meanwhile).</li>
 *   <li>It may answer for an instance's VIPs only while the current term of that instance names this agent
 *       <em>and</em> incarnation, and the lease is valid ({@link #view}, {@link #mayAnswer}); the deadline goes to
 *       the forwarder, which enforces it on the same clock by itself.</li>
 * </ul>
 *
 * Thread-safe: the agent's loop and the producer's acknowledgement callbacks may call it concurrently. Times
 * passed by different threads may arrive slightly out of order; the lease never lets time run backwards.
 */
public final class AgentLease {

    private LeaseState state;

    /** A new lease for incarnation {@code self}, which has sent nothing yet. */
    public AgentLease(AgentRef self, String address, LeaseSettings settings) {
        this(self, address, settings, LapseRule.FINAL);
    }

    /** A lease with the given lapse rule: {@link LapseRule#REVIVE_ON_LATE_ACK} only for the model check. */
    AgentLease(AgentRef self, String address, LeaseSettings settings, LapseRule rule) {
        this(LeaseState.initial(self, address, settings, rule));
    }

    AgentLease(LeaseState state) {
        this.state = state;
    }

    /** A fresh incarnation number: larger than {@code previous}, and than any earlier start's (wall ms). */
    public static long nextIncarnation(long previous, long wallMillis) {
        return Math.max(previous + 1, wallMillis);
    }

    synchronized LeaseState state() {
        return state;
    }

    /** The incarnation this lease belongs to. */
    public AgentRef self() {
        return state().self();
    }

    /** Whether a beat should be sent now: the interval has passed, or holdings or draining changed. */
    public synchronized boolean beatDue(long nowNanos) {
        state = state.observe(nowNanos);
        return state.beatDue();
    }

    /**
     * The agent starts sending its next beat now ({@code onBeatSent}): the lease assigns the sequence number and
     * records {@code nowNanos} as the send start, so take {@code nowNanos} before the send begins.
     *
     * @param wallMillis the wall clock, carried in the beat for people only
     * @throws IllegalStateException once the incarnation has lapsed (rejoin with a new incarnation)
     */
    public synchronized Heartbeat startBeat(long nowNanos, long wallMillis) {
        state = state.observe(nowNanos);
        if (state.lapsed()) {
            throw new IllegalStateException("lease lapsed, rejoin with a new incarnation: " + state.self());
        }
        List<Holding> holding = state.announced();
        long seq = state.nextSeq();
        state = state.sent(holding);
        return new Heartbeat(state.self().agent(), state.self().incarnation(), seq, wallMillis,
                state.settings().leaseMs(), holding, state.draining(), state.address());
    }

    /** A partition acknowledged beat {@code seq} at {@code nowNanos}; only its first acknowledgement counts. */
    public synchronized LeasePhase onBeatAcked(long seq, long nowNanos) {
        state = state.observe(nowNanos).acked(seq);
        return state.phase();
    }

    /** The plan says the current term of {@code instance} is {@code term}, naming {@code master} (null: nobody). */
    public synchronized void onPlan(String instance, long term, AgentRef master) {
        state = state.withPlan(instance, term, master);
    }

    /**
     * The plan hands {@code instance@term} over to another agent ({@code InstanceHandover} from this incarnation):
     * the agent stops holding it at once, so its next beat (sent at once) carries the release. If no beat carried
     * {@code instance@term} yet (the handover was read with the term, or before the first acknowledgement), the
     * next beat carries it once more and the one after drops it: the arbiter reports releases as holdings that
     * disappear, and the planner waits for that report. The next term, when it comes, is taken as usual by
     * {@link #onPlan}.
     */
    public synchronized void onHandover(String instance, long term) {
        state = state.withRelease(instance, term);
    }

    /** The agent is (or stops) draining; the next beat, sent at once, says so. */
    public synchronized void setDraining(boolean draining) {
        state = state.withDraining(draining);
    }

    /** What the agent may hold now, the deadline to hand to the forwarder, and whether the incarnation lapsed. */
    public synchronized LeaseView view(long nowNanos) {
        state = state.observe(nowNanos);
        LeasePhase phase = state.phase();
        long deadline = phase == LeasePhase.VALID ? state.validUntil() : LeaseView.NO_DEADLINE;
        return new LeaseView(phase, deadline, state.holding());
    }

    /** Whether any beat of this incarnation was acknowledged in time (it reached the broker at least once). */
    public synchronized boolean everAcknowledged() {
        return state.acked();
    }

    /** Whether the agent may answer for {@code instance}'s VIPs now. */
    public boolean mayAnswer(String instance, long nowNanos) {
        return view(nowNanos).holding().stream().anyMatch(h -> h.instance().equals(instance));
    }

    /** The next time at which {@link #beatDue} or the phase may change without any other input. */
    public synchronized long nextWakeNanos() {
        long wake = state.sentAny() ? state.nextBeatAt() : state.lastNow();
        LeasePhase phase = state.phase();
        if (phase == LeasePhase.VALID && state.validUntil() - wake < 0) {
            wake = state.validUntil();
        } else if (phase == LeasePhase.PENDING && state.sentAny() && !state.acked()
                && state.windowEnd() - wake < 0) {
            wake = state.windowEnd();
        }
        return wake;
    }

    @Override
    public synchronized String toString() {
        return "AgentLease[" + state.self() + " " + state.phase() + "]";
    }
}
