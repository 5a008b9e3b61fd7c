package io.shardlb.cli;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code shardlb log tail|dump}: read a log as a person or a script would. */
@Command(name = "log", description = "Read the log: dump what is there, or tail it.",
        subcommands = {LogCommand.Dump.class, LogCommand.Tail.class, ExportCommand.class})
final class LogCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "log needs dump or tail");
    }

    /** Options shared by dump and tail. */
    static final class ReadOptions {
        @Option(names = "--topic", defaultValue = "events",
                description = "events, plan, heartbeats or snapshots (default: ${DEFAULT-VALUE})")
        String topic;

        @Option(names = "--from", defaultValue = "0",
                description = "offset to start from, in every partition (default: ${DEFAULT-VALUE})")
        long from;

        @Option(names = "-o", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
        String output;

        Topic topic() {
            try {
                return Topic.parse(topic);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }

        RecordPrinter.Format format() {
            try {
                return RecordPrinter.Format.valueOf(output);
            } catch (IllegalArgumentException e) {
                throw new UserError("unknown output format -o " + output + " (expected table or json)");
            }
        }
    }

    /** {@code log dump}: every record from the position to the end offsets fetched at start, then exit. */
    @Command(name = "dump", description = "Print the records of a topic up to its current end, then exit.")
    static final class Dump implements Runnable {
        @Mixin
        LogArgs log;
        @Mixin
        ReadOptions read;

        @Override
        public void run() {
            Topic topic = read.topic();
            RecordPrinter printer = new RecordPrinter(System.out, read.format());
            if (read.from < 0) {
                throw new UserError("--from must be >= 0: " + read.from);
            }
            try (EventLog eventLog = log.open(); LogReader reader = eventLog.reader(topic)) {
                Map<Integer, Long> end = reader.endOffsets();
                end.keySet().forEach(p -> reader.seek(p, read.from));
                while (!reader.hasReached(end)) {
                    for (LogEntry e : reader.poll(Duration.ofMillis(500))) {
                        if (e.offset() < end.getOrDefault(e.partition(), 0L)) {
                            printer.print(e);
                        }
                    }
                }
            }
        }
    }

    /** {@code log tail}: follow a topic until interrupted. */
    @Command(name = "tail", description = "Print new records of a topic as they arrive (Ctrl-C to stop).")
    static final class Tail implements Runnable {
        @Mixin
        LogArgs log;
        @Mixin
        ReadOptions read;
        @Option(names = "--from-start", description = "start at --from instead of the current end")
        boolean fromStart;

        @Override
        public void run() {
            Topic topic = read.topic();
            RecordPrinter printer = new RecordPrinter(System.out, read.format());
            AtomicBoolean stop = new AtomicBoolean();
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.set(true);
                main.interrupt();
            }));
            try (EventLog eventLog = log.open(); LogReader reader = eventLog.reader(topic)) {
                if (fromStart) {
                    reader.endOffsets().keySet().forEach(p -> reader.seek(p, read.from));
                } else {
                    reader.seekToEnd();
                }
                while (!stop.get()) {
                    reader.poll(Duration.ofMillis(500)).forEach(printer::print);
                    System.out.flush();
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // Ctrl-C
            }
        }
    }

    static boolean reachedAll(Map<Integer, Long> positions, Map<Integer, Long> end) {
        for (Map.Entry<Integer, Long> e : end.entrySet()) {
            if (positions.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
