package io.shardlb.cli;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.replay.PlanVerifier;
import io.shardlb.planner.replay.ServiceHistory;
import io.shardlb.planner.replay.StateAt;
import io.shardlb.planner.replay.VerifyResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shardlb replay}: re-runs the planner code over the recorded {@code events}, on a live log or an offline
 * copy ({@code --log chronicle:DIR}). {@code --verify} compares with the recorded {@code plan} (exit 1 at the
 * first divergence); {@code --service} tells the life of one Service; {@code --at} shows the tables at a log time.
 */
@Command(name = "replay", description = "Re-run the planner over the recorded facts: verify the plan, tell a "
        + "Service's history, or show the state at a time.")
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    LogArgs log;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    /** Exactly one of the three questions. */
    static final class Mode {
        @Option(names = "--verify", required = true,
                description = "compare every recorded decision with what the code decides (exit 1 on divergence)")
        boolean verify;

        @Option(names = "--service", required = true, paramLabel = "NS/NAME",
                description = "the decisions about one Service, each with the fact that caused it")
        String service;

        @Option(names = "--at", required = true, paramLabel = "TIME",
                description = "the HA and Service tables at a log time (ISO-8601, e.g. 2026-11-24T10:42:00Z)")
        String at;
    }

    @Override
    public Integer call() {
        long atMs = mode.at == null ? 0 : parseTime(mode.at);
        if (mode.service != null && !mode.service.matches("[^/\\s]+/[^/\\s]+")) {
            throw new UserError("--service must be NAMESPACE/NAME: " + mode.service);
        }
        try (EventLog eventLog = log.open()) {
            if (mode.verify) {
                // The plan first, then the facts: on a live log every decision read then answers a fact that is
                // already in events by the time events is read (facts after the last decision count as unanswered).
                List<LogEntry> plan = TopicSlurp.readAll(eventLog, Topic.PLAN);
                VerifyResult result = PlanVerifier.verify(TopicSlurp.readAll(eventLog, Topic.EVENTS), plan);
                System.out.println(result.describe());
                return result instanceof VerifyResult.Verified ? 0 : 1;
            }
            List<LogEntry> events = TopicSlurp.readAll(eventLog, Topic.EVENTS);
            if (mode.service != null) {
                List<String> lines = ServiceHistory.of(events, mode.service);
                if (lines.isEmpty()) {
                    System.out.println("no decisions about " + mode.service + " in " + events.size() + " facts");
                }
                lines.forEach(System.out::println);
                return 0;
            }
            System.out.print(StateAt.at(events, atMs).format());
            return 0;
        }
    }

    static long parseTime(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new UserError("--at must be an ISO-8601 time such as 2026-11-24T10:42:00Z: " + text);
            }
        }
    }
}
