package io.shardlb.cli;

import io.shardlb.events.EventLogs;
import io.shardlb.events.chronicle.ChronicleEventLog;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.LogUri;
import io.shardlb.events.schema.SchemaException;
import io.shardlb.events.schema.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code shardlb log export}: a faithful offline copy of a log (positions, log times, writers) in a Chronicle
 * journal, which every {@code log} and {@code replay} command reads with {@code --log chronicle:DIR}.
 */
@Command(name = "export", description = "Copy a log to a Chronicle journal for offline audit and replay.")
final class ExportCommand implements Runnable {
    private static final int PROGRESS_EVERY = 10_000;

    @Mixin
    LogArgs log;

    @Option(names = "--to", required = true, paramLabel = "chronicle:DIR", description = "the journal to write")
    String to;

    @Option(names = "--topics", split = ",", paramLabel = "TOPIC",
            description = "topics to copy (default: events,plan,heartbeats,snapshots)")
    List<String> topics;

    @Option(names = "--from", paramLabel = "TIME",
            description = "copy only records with log time at or after TIME (ISO-8601, e.g. 2026-11-24T10:42:00Z)")
    String from;

    @Override
    public void run() {
        long fromMs = parseFrom();
        List<Topic> chosen = chosenTopics();
        if (!(parseTarget() instanceof LogUri.Chronicle)) {
            throw new UserError("--to must be chronicle:DIR: " + to);
        }
        PrintStream err = System.err;
        try (EventLog source = log.open()) {
            LogOptions targetOptions = LogOptions.defaults()
                    .withHeartbeatPartitions(source.partitions(Topic.HEARTBEATS));
            try (ChronicleEventLog target = (ChronicleEventLog) EventLogs.open(to, targetOptions)) {
                for (Topic topic : chosen) {
                    long n = copy(source, target, topic, fromMs, err);
                    System.out.println("exported " + n + " records of " + topic.suffix() + " to " + to);
                }
            }
        }
    }

    private static long copy(EventLog source, ChronicleEventLog target, Topic topic, long fromMs, PrintStream err) {
        long copied = 0;
        try (LogReader r = source.reader(topic)) {
            Map<Integer, Long> end = r.endOffsets();
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            while (!r.hasReached(end)) {
                List<LogEntry> batch;
                try {
                    batch = r.poll(Duration.ofMillis(500));
                } catch (SchemaException e) {
                    throw new UserError("cannot export " + e.position() + ": " + e.getMessage()
                            + " (a newer shardlb wrote it; export with that version)");
                }
                for (LogEntry e : batch) {
                    if (e.offset() >= end.getOrDefault(e.partition(), 0L) || e.logTime() < fromMs) {
                        continue;
                    }
                    target.appendCopy(e);
                    copied++;
                    if (copied % PROGRESS_EVERY == 0) {
                        err.printf("  %s: %d of at most %d records%n", topic.suffix(), copied, total);
                    }
                }
            }
        }
        return copied;
    }

    private LogUri parseTarget() {
        try {
            return LogUri.parse(to);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private long parseFrom() {
        if (from == null) {
            return Long.MIN_VALUE;
        }
        try {
            return Instant.parse(from).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new UserError("--from must be an ISO-8601 time such as 2026-11-24T10:42:00Z: " + from);
        }
    }

    private List<Topic> chosenTopics() {
        if (topics == null || topics.isEmpty()) {
            return List.of(Topic.values());
        }
        List<Topic> out = new ArrayList<>();
        for (String t : topics) {
            try {
                out.add(Topic.parse(t.strip()));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        return out;
    }
}
