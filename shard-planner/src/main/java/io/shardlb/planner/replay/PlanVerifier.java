package io.shardlb.planner.replay;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Payload;
import io.shardlb.planner.core.Planner;
import io.shardlb.planner.core.PlannerImage;
import io.shardlb.planner.core.Step;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * {@code replay --verify}: re-runs the planner over the recorded {@code events} and compares, record by record,
 * with the recorded {@code plan}. A plan record stamped {@code basedOn = B} must be the next decision the code
 * makes for a fact at or before {@code B} and after the previous batch's {@code basedOn}; payloads are compared,
 * ids and log times are not. Pure: the caller reads the logs.
 */
public final class PlanVerifier {
    private PlanVerifier() {
    }

    /**
     * Verifies {@code plan} against {@code events}, both in offset order, from the start of the log.
     *
     * @throws io.shardlb.events.image.ReplayException if the code cannot fold its own decision (a bug)
     */
    public static VerifyResult verify(List<LogEntry> events, List<LogEntry> plan) {
        Iterator<LogEntry> facts = events.iterator();
        ArrayDeque<Expected> expected = new ArrayDeque<>();
        PlannerImage image = PlannerImage.EMPTY;
        long stepped = 0;
        long lastFact = -1;
        long previousBasedOn = -1;
        long checked = 0;
        for (LogEntry rec : plan) {
            Payload p = rec.envelope().payload();
            if (!(p instanceof Decision recorded)) {
                continue;
            }
            long basedOn = rec.envelope().basedOn();
            if (basedOn < previousBasedOn) {
                return new VerifyResult.Divergence(rec.offset(), -1, null, recorded,
                        "basedOn goes back from " + previousBasedOn + " to " + basedOn);
            }
            if (basedOn > previousBasedOn && !expected.isEmpty()) {
                Expected e = expected.peek();
                return new VerifyResult.Divergence(rec.offset(), e.fact, e.decision, recorded,
                        "a decision for fact " + e.fact + " is missing from the batch based on " + previousBasedOn);
            }
            previousBasedOn = basedOn;
            while (lastFact < basedOn && facts.hasNext()) {
                LogEntry f = facts.next();
                Step s = Planner.step(image, f);
                image = s.next();
                lastFact = f.offset();
                stepped++;
                for (Decision d : s.decisions()) {
                    expected.add(new Expected(f.offset(), d));
                }
            }
            Expected e = expected.poll();
            if (e == null || !e.decision.equals(recorded)) {
                return new VerifyResult.Divergence(rec.offset(), e == null ? -1 : e.fact,
                        e == null ? null : e.decision, recorded, e == null ? "the code decides nothing more up to "
                        + "fact " + basedOn : "the recorded decision differs");
            }
            checked++;
        }
        if (!expected.isEmpty()) {
            Expected e = expected.peek();
            return new VerifyResult.Divergence(-1, e.fact, e.decision, null,
                    "the last batch (based on " + previousBasedOn + ") lacks a decision for fact " + e.fact);
        }
        long unanswered = 0;
        while (facts.hasNext()) {
            facts.next();
            unanswered++;
        }
        return new VerifyResult.Verified(checked, stepped, unanswered);
    }

    private record Expected(long fact, Decision decision) {
    }
}
