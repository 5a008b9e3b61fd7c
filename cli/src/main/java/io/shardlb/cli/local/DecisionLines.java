package io.shardlb.cli.local;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Topic;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live view of {@code shardlb local}: one line per planner decision as it is committed, in the seed guide's
 * words ("tcp-lb2 → llb-inst2, master agent-3, term 1") with the cause the planner recorded. It reads the plan
 * from its start to know which Services sit on which instance, and prints only what comes after {@code from}.
 */
final class DecisionLines implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final EventLog log;
    private final PrintStream out;
    private final long from;
    private final Map<String, String> instanceOf = new TreeMap<>();
    private volatile boolean running = true;
    private Thread thread;

    /** Lines for decisions at plan offsets {@code >= from}. */
    DecisionLines(EventLog log, long from, PrintStream out) {
        this.log = log;
        this.from = from;
        this.out = out;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("decision-lines").start(() -> {
            try (LogReader r = log.reader(Topic.PLAN)) {
                r.seek(0, 0);
                while (running) {
                    for (LogEntry e : r.poll(Duration.ofMillis(200))) {
                        lines(e).forEach(out::println);
                    }
                }
            }
        });
    }

    /** The lines of one plan entry (none for entries before {@code from} or with nothing to say). */
    List<String> lines(LogEntry e) {
        if (!(e.envelope().payload() instanceof Decision d)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        String at = "      " + TIME.format(Instant.ofEpochMilli(e.logTime())) + "  ";
        switch (d) {
            case Decision.ServicePlaced p -> {
                instanceOf.put(p.service(), p.instance());
                lines.add(at + shortName(p.service()) + " → " + p.instance());
            }
            case Decision.InstanceMastered m -> {
                String who = m.master() == null ? "no master" : "master " + m.master().agent();
                String cause = m.cause().isEmpty() ? "" : "  (" + m.cause() + ")";
                List<String> services = instanceOf.entrySet().stream()
                        .filter(s -> s.getValue().equals(m.instance())).map(s -> shortName(s.getKey())).toList();
                if (services.isEmpty()) {
                    lines.add(at + m.instance() + ": " + who + ", term " + m.term() + cause);
                }
                services.forEach(s -> lines.add(at + s + " → " + m.instance() + ", " + who + ", term " + m.term()
                        + cause));
            }
            case Decision.InstanceHandover h -> lines.add(at + h.instance() + ": handover " + h.from().agent()
                    + " → " + h.to().agent() + " after term " + h.term());
            case Decision.RuleSet r -> {
                // the rule follows from the placement and the endpoints; its own line adds nothing to read
            }
            default -> lines.add(at + shortName(d.subject()) + ": " + d.summary());
        }
        return e.offset() >= from ? lines : List.of();
    }

    private static String shortName(String service) {
        return service.startsWith("default/") ? service.substring("default/".length()) : service;
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
