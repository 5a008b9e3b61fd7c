package io.shardlb.cli;

import io.shardlb.agent.control.PlanTracker;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.SchemaException;
import io.shardlb.events.schema.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code get shards} and {@code get svc}: the cluster-wide view, folded from the {@code plan} topic (the same fold the
 * agents use): every instance with its master, backups, term and VIP count; every Service with its VIP, instance
 * and master.
 */
final class PlanViews {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_LIMIT = Duration.ofSeconds(60);

    private PlanViews() {
    }

    /** The plan folded up to its end as of now; unreadable records are skipped and counted on stderr. */
    static PlanTracker fold(EventLog log, PrintWriter err) {
        PlanTracker plan = new PlanTracker();
        int skipped = 0;
        try (LogReader r = log.reader(Topic.PLAN)) {
            Map<Integer, Long> end = r.endOffsets();
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (!r.hasReached(end)) {
                if (System.nanoTime() > deadline) {
                    throw new UserError("plan not read to its end " + end + " within " + READ_LIMIT);
                }
                try {
                    for (LogEntry e : r.poll(POLL)) {
                        if (e.envelope().payload() instanceof Decision d) {
                            try {
                                plan.apply(d);
                            } catch (IllegalArgumentException ex) {
                                skipped++;
                            }
                        }
                    }
                } catch (SchemaException ex) {
                    skipped++;
                    r.seek(0, r.positions().getOrDefault(0, 0L) + 1);
                }
            }
        }
        if (skipped > 0) {
            err.println("shardlb: skipped " + skipped + " plan record(s) this version cannot read");
        }
        return plan;
    }

    /** {@code get shards}. */
    @Command(name = "shards", mixinStandardHelpOptions = true,
            description = "every instance: master, backups, term, VIP count (from the plan)")
    static final class Shards implements Runnable {
        @Mixin
        LogArgs log;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (EventLog l = log.open()) {
                PlanTracker plan = fold(l, spec.commandLine().getErr());
                Table t = new Table("INSTANCE", "MASTER", "BACKUPS", "TERM", "VIPS");
                new TreeMap<>(plan.terms()).forEach((instance, term) -> t.row(instance,
                        term.master() == null ? "-" : term.master().toString(),
                        term.backups().isEmpty() ? "-" : String.join(",", term.backups()), term.term(),
                        vipCount(plan, instance)));
                t.print(spec.commandLine().getOut());
            }
        }

        private static int vipCount(PlanTracker plan, String instance) {
            TreeSet<String> vips = new TreeSet<>();
            plan.rules().values().forEach(r -> {
                if (instance.equals(plan.instanceOf(r.service()))) {
                    vips.add(r.vip());
                }
            });
            return vips.size();
        }
    }

    /** {@code get svc}. */
    @Command(name = "svc", mixinStandardHelpOptions = true,
            description = "every Service: VIP, instance, master (from the plan)")
    static final class Svc implements Runnable {
        @Mixin
        LogArgs log;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (EventLog l = log.open()) {
                PlanTracker plan = fold(l, spec.commandLine().getErr());
                Table t = new Table("SERVICE", "VIP", "INSTANCE", "MASTER");
                new TreeMap<>(plan.rules()).forEach((service, rule) -> {
                    String instance = plan.instanceOf(service);
                    PlanTracker.Term term = instance == null ? null : plan.terms().get(instance);
                    t.row(service, rule.vip(), instance == null ? "-" : instance,
                            term == null || term.master() == null ? "-" : term.master().toString());
                });
                t.print(spec.commandLine().getOut());
            }
        }
    }
}
