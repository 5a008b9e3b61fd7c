package io.shardlb.arbiter;

import io.shardlb.arbiter.ModelWorld.Kind;
import io.shardlb.arbiter.ModelWorld.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * What the environment may do to the lease model, one fault per step within the run's budget: cut an agent from
 * a broker (its beats to that partition are lost; from the plan broker, it also stops reading the plan), delay
 * an agent's beats (they arrive late, in a burst) or its acknowledgements (late acknowledgements), pause an agent
 * process (SIGSTOP, GC: its forwarder keeps answering until the deadline), kill it, restart it as a new
 * incarnation, let the third agent join, make the arbiter lag on a partition, or fail the arbiter over.
 */
final class ModelFaults {
    private ModelFaults() {
    }

    /** A fault lasting until it is... never healed. */
    static final int FOREVER = -1;
    /** 200 ms: shorter than a lease. */
    static final int SHORT = 4;
    /** 800 ms: longer than lease + margin. */
    static final int LONG = 16;

    enum Action {
        CUT_BROKER0(Kind.CUT_BROKER0), CUT_BROKER1(Kind.CUT_BROKER1), HOLD_BEATS(Kind.HOLD_BEATS),
        HOLD_ACKS(Kind.HOLD_ACKS), PAUSE(Kind.PAUSE), LAG_PARTITION(Kind.LAG_PARTITION),
        KILL(null), RESTART(null), JOIN(null), FAILOVER(null);

        private final Kind kind;

        Action(Kind kind) {
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }
    }

    /** One fault to inject: {@code target} is a node index, or a partition for LAG_PARTITION. */
    record Injection(Action action, int target, int duration) {
        @Override
        public String toString() {
            String d = duration == 0 ? "" : duration == FOREVER ? " forever" : " " + duration * ModelConfig.STEP_MS + "ms";
            return action + "(" + target + d + ")";
        }
    }

    /** The faults the environment may inject at the step after {@code w}. */
    static List<Injection> options(ModelWorld w, ModelConfig cfg) {
        List<Injection> out = new ArrayList<>();
        if (w.faultsUsed() >= cfg.faultBudget() || w.step() + 1 > cfg.faultWindow()) {
            return out;
        }
        for (int i = 0; i < w.nodes().size(); i++) {
            Node n = w.nodes().get(i);
            switch (n.status()) {
                case ABSENT -> out.add(new Injection(Action.JOIN, i, 0));
                case DEAD -> out.add(new Injection(Action.RESTART, i, 0));
                case RUNNING -> running(w, i, out);
            }
        }
        for (int p = 0; p < ModelWorld.PARTITIONS; p++) {
            if (!w.active(Kind.LAG_PARTITION, p)) {
                out.add(new Injection(Action.LAG_PARTITION, p, SHORT));
                out.add(new Injection(Action.LAG_PARTITION, p, LONG));
            }
        }
        out.add(new Injection(Action.FAILOVER, 0, 0));
        return out;
    }

    private static void running(ModelWorld w, int i, List<Injection> out) {
        for (Action cut : List.of(Action.CUT_BROKER0, Action.CUT_BROKER1)) {
            if (!w.active(cut.kind(), i)) {
                out.add(new Injection(cut, i, SHORT));
                out.add(new Injection(cut, i, LONG));
            }
        }
        for (Action a : List.of(Action.HOLD_BEATS, Action.HOLD_ACKS, Action.PAUSE)) {
            if (!w.active(a.kind(), i)) {
                out.add(new Injection(a, i, SHORT));
                out.add(new Injection(a, i, LONG));
            }
        }
        out.add(new Injection(Action.KILL, i, 0));
    }
}
