package io.shardlb.bench;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;
import io.shardlb.events.schema.Topic;
import io.shardlb.planner.core.Planner;
import io.shardlb.planner.core.PlannerImage;
import io.shardlb.planner.core.Step;
import io.shardlb.planner.mastership.Handover;
import io.shardlb.planner.mastership.MastershipImage;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * {@code bench/run planner}: the time {@code Planner.step} takes to answer one fact on an image of 10,000 Services
 * on 64 instances mastered by 100 agents (a mix of endpoint changes, Service updates, creations and deletions,
 * ticks and agent facts), and the rate at which a restart replays 1,000,000 facts through the same code.
 */
final class PlannerBenchmark implements Benchmark {
    private static final int SERVICES = 10_000;
    private static final int INSTANCES = 64;
    private static final int AGENTS = 100;
    private static final int MEASURED = 100_000;
    private static final int REPLAYED = 1_000_000;
    /** Measured replays; the figures are their medians (a shared machine has its hiccups). */
    private static final int REPLAY_ROUNDS = 3;

    @Override
    public String name() {
        return "planner";
    }

    @Override
    public String description() {
        return "Planner.step per fact at 10,000 Services / 64 instances / 100 agents (p50, p99); replay of 1,000,000"
                + " facts";
    }

    @Override
    public List<Result> run(Path work) {
        String load = loadAverage();
        Gen gen = new Gen(1);
        List<LogEntry> setup = gen.setup();
        PlannerImage image = PlannerImage.EMPTY;
        for (LogEntry e : setup) {
            image = Planner.step(image, e).next();
        }
        image = settle(gen, image);
        // warm-up (JIT), then measure one fact at a time
        for (int i = 0; i < 50_000; i++) {
            image = Planner.step(image, gen.next(image)).next();
        }
        long[] nanos = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            LogEntry f = gen.next(image);
            long t0 = System.nanoTime();
            Step s = Planner.step(image, f);
            nanos[i] = System.nanoTime() - t0;
            image = s.next();
        }
        Arrays.sort(nanos);
        double p50 = nanos[MEASURED / 2] / 1000.0;
        double p99 = nanos[(int) (MEASURED * 0.99)] / 1000.0;

        Gen replayGen = new Gen(2);
        List<LogEntry> log = new ArrayList<>(REPLAYED);
        PlannerImage recorder = PlannerImage.EMPTY;
        for (LogEntry e : replayGen.setup()) {
            log.add(e);
            recorder = Planner.step(recorder, e).next();
        }
        while (log.size() < REPLAYED) {
            LogEntry e = replayGen.next(recorder);
            log.add(e);
            recorder = Planner.step(recorder, e).next();
        }
        replay(log.subList(0, 200_000)); // warm-up
        // CPU time of this thread beside wall time: on a shared machine the wall clock also counts time the
        // scheduler gave to others, the CPU time only the planner's own work (GC threads excluded)
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] rates = new double[REPLAY_ROUNDS];
        double[] cpuRates = new double[REPLAY_ROUNDS];
        for (int round = 0; round < REPLAY_ROUNDS; round++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            PlannerImage replayed = replay(log);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
            if (!replayed.equals(recorder)) {
                throw new IllegalStateException("replay did not reproduce the recorded image");
            }
            rates[round] = REPLAYED / seconds;
            cpuRates[round] = REPLAYED / cpuSeconds;
        }
        String rounds = String.format(java.util.Locale.ROOT, "median of %d replays (%s facts/s)", REPLAY_ROUNDS,
                java.util.Arrays.stream(rates).mapToObj(r -> String.format(java.util.Locale.ROOT, "%.0f", r))
                        .collect(java.util.stream.Collectors.joining(", ")));
        double rate = Medians.of(rates);
        String mix = "mix: 55% endpoints, 15% Service updates, 5% create/delete, 20% ticks, 5% agent facts";
        return List.of(
                new Result("decide_p50_us", p50, "us", mix + "; load average " + load),
                new Result("decide_p99_us", p99, "us", (p99 <= 1000 ? "target met" : "target MISSED")
                        + " (<= 1 ms); " + MEASURED + " facts measured one by one"),
                new Result("replay_facts_per_s", rate, "facts/s", (rate >= 200_000 ? "target met" : "target MISSED")
                        + " (>= 200,000/s); " + REPLAYED + " facts from empty, same mix after 20,000 setup facts; "
                        + rounds + "; load average " + loadAverage()),
                new Result("replay_facts_per_cpu_s", Medians.of(cpuRates), "facts/s",
                        "same replay per second of the replaying thread's CPU time (not the target's measure)"));
    }

    private static PlannerImage replay(List<LogEntry> log) {
        PlannerImage image = PlannerImage.EMPTY;
        for (LogEntry e : log) {
            image = Planner.step(image, e).next();
        }
        return image;
    }

    /** Acknowledges handovers until mastership is settled. */
    private static PlannerImage settle(Gen gen, PlannerImage image) {
        for (int guard = 0; guard < 10_000 && image.mastership().pendingHandovers() > 0; guard++) {
            image = Planner.step(image, gen.ack(image.mastership())).next();
        }
        return image;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Generates facts as the bridge and the arbiter would, numbering them as {@code events} does. */
    private static final class Gen {
        private final SplittableRandom rnd;
        private long offset;
        private long now = 1_795_000_000_000L;
        private final long[] incarnation = new long[AGENTS];

        Gen(long seed) {
            rnd = new SplittableRandom(seed);
        }

        LogEntry entry(Fact f) {
            now += 1;
            return new LogEntry(Topic.EVENTS, 0, offset++, new Envelope(Envelope.CURRENT_VERSION, null, "b", now,
                    "bench", Envelope.UNSET, f));
        }

        List<LogEntry> setup() {
            List<LogEntry> out = new ArrayList<>();
            out.add(entry(new Fact.ConfigObserved(List.of(new Pool("defaultPool", "198.18.0.10/15")), List.of(),
                    true, INSTANCES, "llb", false, "default", "", "", 30_000L, 5_000L, false)));
            for (int a = 0; a < AGENTS; a++) {
                incarnation[a] = 1;
                out.add(entry(new Fact.AgentUp(agent(a), 1, "198.19.0." + a)));
            }
            for (int s = 0; s < SERVICES; s++) {
                out.add(entry(service(s, 0)));
                out.add(entry(endpoints(s)));
            }
            return out;
        }

        LogEntry next(PlannerImage image) {
            int r = rnd.nextInt(100);
            int s = rnd.nextInt(SERVICES);
            if (r < 55) {
                return entry(endpoints(s));
            } else if (r < 70) {
                return entry(service(s, rnd.nextInt(3)));
            } else if (r < 75) {
                return entry(rnd.nextBoolean() ? new Fact.ServiceGone(name(s), "u" + s) : service(s, 0));
            } else if (r < 95) {
                return entry(new Fact.Tick());
            }
            MastershipImage m = image.mastership();
            if (m.pendingHandovers() > 0) {
                return ack(m);
            }
            int a = rnd.nextInt(AGENTS);
            if (rnd.nextBoolean()) {
                return entry(new Fact.AgentDown(agent(a), incarnation[a], "missed beats", now - 900));
            }
            incarnation[a]++;
            return entry(new Fact.AgentUp(agent(a), incarnation[a], "198.19.0." + a));
        }

        LogEntry ack(MastershipImage m) {
            for (int i = 0; i < m.names().count(); i++) {
                Handover h = m.instance(i).pending();
                if (h != null && !h.acknowledged()) {
                    return entry(new Fact.VipUnbound(h.from().agent(), h.from().incarnation(), m.names().name(i),
                            h.term(), "handover"));
                }
            }
            return entry(new Fact.Tick());
        }

        private Fact.ServiceObserved service(int s, int variant) {
            TreeMap<String, String> ann = new TreeMap<>();
            if (variant == 1) {
                ann.put("loxilb.io/lbmode", "onearm");
            } else if (variant == 2) {
                ann.put("loxilb.io/timeout", "600");
            }
            return new Fact.ServiceObserved(name(s), "u" + s, "1", "loxilb.io/loxilb",
                    List.of(new ServicePort("http", 80, "TCP", "8080", 0)), List.of(), "", "", List.of(), "", ann,
                    List.of());
        }

        private Fact.EndpointsObserved endpoints(int s) {
            int n = 1 + rnd.nextInt(4);
            List<Endpoint> eps = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                eps.add(new Endpoint("10.1." + (s % 250) + "." + (1 + rnd.nextInt(200)), 8080, "http", "TCP", true,
                        "node-" + i));
            }
            return new Fact.EndpointsObserved(name(s), eps);
        }

        private static String name(int s) {
            return "ns-" + (s % 50) + "/svc-" + s;
        }

        private static String agent(int a) {
            return "agent-" + a;
        }
    }
}
