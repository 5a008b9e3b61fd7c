package io.shardlb.agent.control;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Topic;
import io.shardlb.events.snapshot.Snapshots;
import io.shardlb.events.snapshot.StoredSnapshot;
import io.shardlb.planner.core.PlannerImage;
import io.shardlb.planner.core.PlannerSnapshot;
import io.shardlb.planner.mastership.InstanceState;
import io.shardlb.planner.mastership.MastershipImage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starting from the planner's newest snapshot instead of the whole {@code plan}: the snapshot's image is turned into
 * the plan records that state it (rules, placements, current terms, pending handovers, and removals of what the
 * agent knows but the image no longer holds), and {@code plan} is continued at its first record answering a fact
 * after the snapshot ({@code basedOn} greater than the snapshot's {@code events} offset, found by bisection: plan
 * records are stamped in {@code events} order). Used when that is shorter than the plan between the journal's end
 * and that record; the synthesized records are journalled like read ones, at the offsets just below it, so a
 * restart replays them.
 */
final class SnapshotStart {
    /** The stage name the planner writes its snapshots under. */
    static final String STAGE = "planner";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_EMPTY_POLLS = 50;

    /**
     * Where to continue and what to fold first.
     *
     * @param records   the synthesized plan records, at offsets just below {@code planOffset}
     * @param planOffset the first {@code plan} offset the snapshot does not cover
     * @param eventsOffset the snapshot's {@code events} offset
     */
    record Start(List<LogEntry> records, long planOffset, long eventsOffset) {
    }

    private SnapshotStart() {
    }

    /**
     * The start from the newest planner snapshot, if there is one that reaches beyond {@code journalEnd} by more
     * records than it takes to state it; empty otherwise (continue the plan at {@code journalEnd}).
     */
    static Optional<Start> find(EventLog log, LogReader plan, long journalEnd, PlanTracker known) {
        Optional<StoredSnapshot> stored = Snapshots.latest(log, STAGE);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        StoredSnapshot s = stored.get();
        long planOffset = firstAfter(plan, s.position(), plan.endOffsets().getOrDefault(0, 0L));
        List<Decision> decisions = decisions(PlannerSnapshot.fromBytes(s.image()), known);
        long first = planOffset - decisions.size();
        if (first < journalEnd) {
            return Optional.empty();
        }
        List<LogEntry> records = new ArrayList<>(decisions.size());
        for (int i = 0; i < decisions.size(); i++) {
            Envelope e = Envelope.decision(decisions.get(i), "snapshot", s.position())
                    .withLogTime(s.lastChunk().logTime());
            records.add(new LogEntry(Topic.PLAN, 0, first + i, e));
        }
        return Optional.of(new Start(records, planOffset, s.position()));
    }

    /**
     * The plan records stating {@code image}, given what the agent already folded: removals of Services the image
     * no longer has, then every rule, placement, current term and pending handover.
     */
    static List<Decision> decisions(PlannerImage image, PlanTracker known) {
        List<Decision> out = new ArrayList<>();
        for (String service : known.rules().keySet()) {
            if (!image.book().rules().containsKey(service)) {
                out.add(new Decision.RuleRemoved(service));
            }
        }
        out.addAll(image.book().rules().values());
        for (Map.Entry<String, String> p : image.book().placed().entrySet()) {
            out.add(new Decision.ServicePlaced(p.getKey(), p.getValue()));
        }
        MastershipImage m = image.mastership();
        for (int i = 0; i < m.instanceStates(); i++) {
            InstanceState st = m.instance(i);
            if (st.term() == 0) {
                continue;
            }
            String instance = m.names().name(i);
            out.add(new Decision.InstanceMastered(instance, st.master(), st.term(), st.backups(), "snapshot"));
            if (st.pending() != null && st.pending().term() == st.term()) {
                out.add(new Decision.InstanceHandover(instance, st.pending().from(), st.pending().to(), st.term()));
            }
        }
        return out;
    }

    /**
     * The first {@code plan} offset whose record answers a fact after {@code eventsOffset} ({@code end} if none):
     * bisection over offsets, reading the first committed record at or after each probe.
     */
    static long firstAfter(LogReader plan, long eventsOffset, long end) {
        long lo = 0;
        long hi = end;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            LogEntry at = firstAtOrAfter(plan, mid, end);
            if (at == null) {
                hi = mid;
            } else if (at.envelope().basedOn() > eventsOffset) {
                hi = Math.min(mid, at.offset());
            } else {
                lo = at.offset() + 1;
            }
        }
        return lo;
    }

    private static LogEntry firstAtOrAfter(LogReader plan, long offset, long end) {
        plan.seek(0, offset);
        for (int i = 0; i < MAX_EMPTY_POLLS && !plan.hasReached(Map.of(0, end)); i++) {
            List<LogEntry> batch = plan.poll(POLL);
            if (!batch.isEmpty()) {
                return batch.getFirst();
            }
        }
        return null;
    }
}
