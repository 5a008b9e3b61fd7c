package io.shardlb.arbiter;

import io.shardlb.arbiter.ModelWorld.Ack;
import io.shardlb.arbiter.ModelWorld.Fault;
import io.shardlb.arbiter.ModelWorld.Kind;
import io.shardlb.arbiter.ModelWorld.Node;
import io.shardlb.arbiter.ModelWorld.Part;
import io.shardlb.arbiter.ModelWorld.Status;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Holding;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of the lease model: {@link ModelConfig#STEP_MS} of real time passes, then everything that happens at
 * the new instant happens, in an order chosen to favour a violation:
 * <ol>
 *   <li>the injected fault, if any, takes effect;</li>
 *   <li>the arbiter fetches end offsets and decides — before this instant's beats are appended, so a beat can
 *       land just after the fetch; the planner applies the facts at once;</li>
 *   <li>delayed beats are released by the network;</li>
 *   <li>each running, unpaused agent process reads acknowledgements and the plan, beats (acknowledged at once
 *       unless delayed) and programs its forwarder — so a new master answers the instant it is named;</li>
 *   <li>the arbiter reads what was appended, receiving beats the instant they were sent.</li>
 * </ol>
 * Calls the real {@link AgentLease} and {@link Arbiter}, restored from the states the world stores.
 */
final class ModelStep {

    private static final java.util.Comparator<Fault> FAULT_ORDER = java.util.Comparator.comparing(Fault::kind)
            .thenComparingInt(Fault::target).thenComparingInt(Fault::until);

    private final ModelConfig cfg;

    ModelStep(ModelConfig cfg) {
        this.cfg = cfg;
    }

    /** Mutable copy of a world during one step. */
    private final class Scratch {
        final int step;
        final long nowMs;
        final List<Node> nodes;
        final List<Part> parts;
        final List<Fault> faults;
        Arbiter arbiter;
        AgentBook book;
        ModelWorld.Plan plan;
        int faultsUsed;

        Scratch(ModelWorld w) {
            step = w.step() + 1;
            nowMs = step * ModelConfig.STEP_MS;
            nodes = new ArrayList<>(w.nodes());
            parts = new ArrayList<>(w.parts());
            faults = new ArrayList<>(w.faults().size());
            for (Fault f : w.faults()) {
                if (f.until() > step) {
                    faults.add(f);
                }
            }
            arbiter = new Arbiter(cfg.arbiterSettings(), cfg.endOffsetRule(), w.arbiter());
            book = w.book();
            plan = w.plan();
            faultsUsed = w.faultsUsed();
        }

        boolean active(Kind kind, int target) {
            for (Fault f : faults) {
                if (f.kind() == kind && f.target() == target) {
                    return true;
                }
            }
            return false;
        }

        long arbNanos() {
            return nowMs * 1_000_000L;
        }

        long clock(Node n) {
            return cfg.agentNanos(n.slow(), nowMs - n.startMs());
        }

        void facts(List<Fact> facts) {
            for (Fact f : facts) {
                book = book.with(f);
            }
            plan = ModelPlanner.apply(plan, facts);
        }

        ModelWorld freeze() {
            List<Fault> sorted = faults;
            if (sorted.size() > 1) {
                sorted.sort(FAULT_ORDER);
            }
            return new ModelWorld(step, List.copyOf(nodes), List.copyOf(parts), arbiter.state(), book, plan,
                    List.copyOf(sorted), faultsUsed);
        }
    }

    /** The world one step later, with {@code injection} (may be null) taking effect first. */
    ModelWorld next(ModelWorld w, ModelFaults.Injection injection) {
        Scratch s = new Scratch(w);
        if (injection != null) {
            inject(s, injection);
        }
        decide(s);
        release(s);
        for (int i = 0; i < s.nodes.size(); i++) {
            Node n = s.nodes.get(i);
            if (n.status() == Status.RUNNING && !s.active(Kind.PAUSE, i)) {
                s.nodes.set(i, runAgent(s, i, n));
            }
        }
        read(s);
        return s.freeze();
    }

    /** The instances (if any) for which two or more nodes answer at the world's instant. */
    String violation(ModelWorld w) {
        long nowMs = w.step() * ModelConfig.STEP_MS;
        for (String instance : ModelWorld.INSTANCES) {
            List<String> answering = new ArrayList<>();
            for (Node n : w.nodes()) {
                if (n.answers(instance, cfg.agentNanos(n.slow(), nowMs - n.startMs()))) {
                    answering.add(n.name() + "#" + n.incarnation());
                }
            }
            if (answering.size() > 1) {
                return "at " + nowMs + " ms " + answering + " all answer for " + instance;
            }
        }
        return null;
    }

    private void decide(Scratch s) {
        if (s.arbiter.wantsEndOffsets(s.arbNanos())) {
            java.util.Map<Integer, Long> ends = new java.util.HashMap<>();
            java.util.Map<Integer, Long> positions = new java.util.HashMap<>();
            for (int p = 0; p < s.parts.size(); p++) {
                ends.put(p, s.parts.get(p).end());
                positions.put(p, s.parts.get(p).read());
            }
            ReadProgress progress = new ReadProgress(s.arbNanos(), s.parts.size(), ends, positions);
            s.facts(s.arbiter.decide(progress, s.arbNanos()));
        }
        s.arbiter.tick(s.arbNanos());
    }

    private void release(Scratch s) {
        for (int i = 0; i < s.nodes.size(); i++) {
            Node n = s.nodes.get(i);
            if (n.held().isEmpty() || s.active(Kind.HOLD_BEATS, i)) {
                continue;
            }
            List<Ack> acks = new ArrayList<>(n.pendingAcks());
            for (Heartbeat hb : n.held()) {
                if (append(s, i, hb) && hb.incarnation() == n.incarnation()) {
                    acks.add(new Ack(hb.incarnation(), hb.seq()));
                }
            }
            s.nodes.set(i, new Node(n.name(), n.status(), n.incarnation(), n.slow(), n.startMs(), n.lease(),
                    n.fwdHolding(), n.fwdDeadline(), List.copyOf(acks), List.of()));
        }
    }

    /** Appends {@code hb} to every partition node {@code i} is not cut from; whether any partition took it. */
    private boolean append(Scratch s, int i, Heartbeat hb) {
        boolean any = false;
        for (int p = 0; p < s.parts.size(); p++) {
            if (s.active(p == 0 ? Kind.CUT_BROKER0 : Kind.CUT_BROKER1, i)) {
                continue;
            }
            Part part = s.parts.get(p);
            List<Heartbeat> unread = new ArrayList<>(part.unread());
            unread.add(hb);
            s.parts.set(p, new Part(part.end() + 1, part.read(), List.copyOf(unread)));
            any = true;
        }
        return any;
    }

    private Node runAgent(Scratch s, int i, Node n) {
        AgentLease lease = new AgentLease(n.lease());
        long now = s.clock(n);
        List<Ack> waiting = n.pendingAcks();
        if (!s.active(Kind.HOLD_ACKS, i)) {
            for (Ack a : waiting) {
                if (a.incarnation() == n.incarnation()) {
                    lease.onBeatAcked(a.seq(), now);
                }
            }
            waiting = List.of();
        }
        if (!s.active(Kind.CUT_BROKER1, i)) {
            s.plan.terms().forEach((instance, term) -> lease.onPlan(instance, term.term(), term.master()));
        }
        if (lease.view(now).lapsed()) {
            return rejoin(s, n, n.incarnation() + 1);
        }
        List<Heartbeat> held = new ArrayList<>(n.held());
        List<Ack> acks = new ArrayList<>(waiting);
        for (int beats = 0; beats < 2 && lease.beatDue(now); beats++) {
            Heartbeat hb = lease.startBeat(now, s.nowMs);
            if (s.active(Kind.HOLD_BEATS, i)) {
                held.add(hb);
            } else if (append(s, i, hb)) {
                if (s.active(Kind.HOLD_ACKS, i)) {
                    acks.add(new Ack(hb.incarnation(), hb.seq()));
                } else {
                    lease.onBeatAcked(hb.seq(), now);
                }
            }
        }
        LeaseView view = lease.view(now);
        return new Node(n.name(), n.status(), n.incarnation(), n.slow(), n.startMs(), lease.state(),
                view.holding().stream().map(Holding::instance).toList(), view.deadlineNanos(), List.copyOf(acks),
                List.copyOf(held));
    }

    /** The lease lapsed: the process drops every VIP and rejoins as the next incarnation. */
    private Node rejoin(Scratch s, Node n, long incarnation) {
        return fresh(n.name(), incarnation, n.slow(), n.startMs(), n.held());
    }

    Node fresh(String name, long incarnation, boolean slow, long startMs, List<Heartbeat> held) {
        LeaseState lease = new AgentLease(new AgentRef(name, incarnation), name, cfg.agentSettings(),
                cfg.lapseRule()).state();
        return new Node(name, Status.RUNNING, incarnation, slow, startMs, lease, List.of(), LeaseView.NO_DEADLINE,
                List.of(), held);
    }

    private void read(Scratch s) {
        for (int p = 0; p < s.parts.size(); p++) {
            Part part = s.parts.get(p);
            if (part.unread().isEmpty() || s.active(Kind.LAG_PARTITION, p)) {
                continue;
            }
            for (Heartbeat hb : part.unread()) {
                s.facts(s.arbiter.onBeat(p, s.nowMs, hb, s.arbNanos()));
            }
            s.parts.set(p, new Part(part.end(), part.end(), List.of()));
        }
    }

    private void inject(Scratch s, ModelFaults.Injection in) {
        s.faultsUsed++;
        int i = in.target();
        switch (in.action()) {
            case KILL -> {
                Node n = s.nodes.get(i);
                s.nodes.set(i, new Node(n.name(), Status.DEAD, n.incarnation(), n.slow(), n.startMs(), n.lease(),
                        n.fwdHolding(), n.fwdDeadline(), List.of(), n.held()));
            }
            case RESTART -> {
                Node n = s.nodes.get(i);
                s.nodes.set(i, fresh(n.name(), n.incarnation() + 1, n.slow(), n.startMs(), n.held()));
            }
            case JOIN -> {
                Node n = s.nodes.get(i);
                s.nodes.set(i, fresh(n.name(), 1, n.slow(), s.nowMs, List.of()));
            }
            case FAILOVER -> {
                // a newly active arbiter: knows the events log, seeks to the end of heartbeats, timers from now
                s.arbiter = new Arbiter(cfg.arbiterSettings(), cfg.endOffsetRule(),
                        ArbiterState.resume(s.book, s.arbNanos()));
                for (int p = 0; p < s.parts.size(); p++) {
                    Part part = s.parts.get(p);
                    s.parts.set(p, new Part(part.end(), part.end(), List.of()));
                }
            }
            default -> s.faults.add(new Fault(in.action().kind(), i,
                    in.duration() == ModelFaults.FOREVER ? Integer.MAX_VALUE : s.step + in.duration()));
        }
    }
}
