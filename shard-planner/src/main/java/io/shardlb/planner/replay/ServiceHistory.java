package io.shardlb.planner.replay;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Payload;
import io.shardlb.planner.core.Planner;
import io.shardlb.planner.core.PlannerImage;
import io.shardlb.planner.core.Step;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code replay --service NS/NAME}: the life of one Service, re-derived by running the planner over
 * {@code events}. Each line is a decision about the Service, or about the instance it sat on at the time, with
 * the fact that caused it, at that fact's log time (UTC), e.g.
 * {@code 10:42:01.120 llb-inst1 master agent-c#3 term 7: agent-a#2 Down (missed beats), no beat since ...}.
 */
public final class ServiceHistory {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private ServiceHistory() {
    }

    /** The lines of {@code service}'s history over {@code events} (in offset order). */
    public static List<String> of(List<LogEntry> events, String service) {
        List<String> out = new ArrayList<>();
        PlannerImage image = PlannerImage.EMPTY;
        for (LogEntry f : events) {
            Step s = Planner.step(image, f);
            String instance = s.next().book().placedOf(service);
            String before = image.book().placedOf(service);
            Fact fact = (Fact) f.envelope().payload();
            for (Decision d : s.decisions()) {
                String line = line(d, fact, service, instance, before);
                if (line != null) {
                    out.add(TIME.format(Instant.ofEpochMilli(f.logTime())) + " " + line);
                }
            }
            image = s.next();
        }
        return out;
    }

    private static String line(Decision d, Fact fact, String service, String instance, String before) {
        return switch (d) {
            case Decision.InstanceMastered m when onInstance(m.instance(), instance, before) -> m.instance()
                    + " master " + (m.master() == null ? "none" : m.master().toString()) + " term " + m.term()
                    + (m.backups().isEmpty() ? "" : " backups " + String.join(",", m.backups())) + ": "
                    + (m.cause().isEmpty() ? cause(fact) : m.cause());
            case Decision.InstanceHandover h when onInstance(h.instance(), instance, before) -> h.instance()
                    + " handover " + h.from() + " -> " + h.to() + " after term " + h.term() + ": " + cause(fact);
            case Decision.InstanceMastered m -> null;
            case Decision.InstanceHandover h -> null;
            default -> d.subject().equals(service) ? service + " " + d.summary() + ": " + cause(fact) : null;
        };
    }

    private static boolean onInstance(String decided, String now, String before) {
        return decided.equals(now) || decided.equals(before);
    }

    private static String cause(Payload fact) {
        return fact.getClass().getSimpleName() + " " + (fact.subject().isEmpty() ? "" : fact.subject() + " ")
                + fact.summary();
    }
}
