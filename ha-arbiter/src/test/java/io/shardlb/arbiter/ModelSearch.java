package io.shardlb.arbiter;

import io.shardlb.arbiter.ModelWorld.Node;
import io.shardlb.arbiter.ModelWorld.Part;
import io.shardlb.arbiter.ModelWorld.Status;

import java.util.ArrayList;
import java.util.List;

/**
 * Explicit-state depth-first search of the lease model: every state reachable within the fault budget and the
 * horizon is visited once (states are remembered by 64-bit fingerprint; time is part of the state). Each state
 * is checked for two agents answering for one VIP; the search stops at the first violation and reports the
 * fault schedule that leads to it (the rest of a run is deterministic).
 */
final class ModelSearch {

    /**
     * The outcome of a search.
     *
     * @param states    distinct states visited
     * @param violation what went wrong, null if nothing did
     * @param schedule  how to get there: initial world and the faults injected, step by step
     * @param movedVips states in which a VIP has moved to a new master that answers for it (not vacuous)
     */
    record Outcome(long states, String violation, String schedule, long movedVips) {
    }

    private final ModelConfig cfg;
    private final ModelStep step;
    private long moved;

    ModelSearch(ModelConfig cfg) {
        this.cfg = cfg;
        this.step = new ModelStep(cfg);
    }

    Outcome run() {
        LongSet seen = new LongSet();
        for (boolean thirdPresent : new boolean[] {true, false}) {
            ModelWorld w0 = initial(cfg.slowClocks(), thirdPresent);
            seen.add(ModelFingerprint.of(w0));
            String label = (cfg.slowClocks() ? "agent clocks slow by the drift" : "true clocks")
                    + (thirdPresent ? ", 3 agents" : ", agent-2 absent");
            Outcome out = dfs(w0, label, seen);
            if (out != null) {
                return out;
            }
        }
        return new Outcome(seen.size(), null, null, moved);
    }

    /** Depth-first, with an explicit stack so deep horizons cannot overflow the thread's stack. */
    private Outcome dfs(ModelWorld root, String label, LongSet seen) {
        java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
        stack.push(new Object[] {root, label});
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            ModelWorld w = (ModelWorld) top[0];
            String schedule = (String) top[1];
            if (w.step() >= cfg.horizon()) {
                continue;
            }
            List<ModelFaults.Injection> choices = new ArrayList<>(ModelFaults.options(w, cfg));
            choices.add(null);
            for (ModelFaults.Injection in : choices) {
                ModelWorld succ = step.next(w, in);
                if (!seen.add(ModelFingerprint.of(succ))) {
                    continue;
                }
                String path = in == null ? schedule
                        : schedule + "; @" + succ.step() * ModelConfig.STEP_MS + "ms " + in;
                String bad = step.violation(succ);
                if (bad != null) {
                    return new Outcome(seen.size(), bad, path, moved);
                }
                if (moved(succ)) {
                    moved++;
                }
                stack.push(new Object[] {succ, path});
            }
        }
        return null;
    }

    private boolean moved(ModelWorld w) {
        for (String instance : ModelWorld.INSTANCES) {
            PlanTerm t = w.plan().terms().get(instance);
            if (t.term() >= 2 && t.master() != null) {
                for (Node n : w.nodes()) {
                    if (n.ref().equals(t.master()) && n.fwdHolding().contains(instance)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private ModelWorld initial(boolean slow, boolean thirdPresent) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Node n = step.fresh("agent-" + i, 1, slow, 0, List.of());
            if (i == 2 && !thirdPresent) {
                n = new Node(n.name(), Status.ABSENT, 0, slow, 0, n.lease(), List.of(), LeaseView.NO_DEADLINE,
                        List.of(), List.of());
            }
            nodes.add(n);
        }
        List<Part> parts = new ArrayList<>();
        for (int p = 0; p < ModelWorld.PARTITIONS; p++) {
            parts.add(new Part(0, 0, List.of()));
        }
        return new ModelWorld(0, List.copyOf(nodes), List.copyOf(parts),
                ArbiterState.resume(AgentBook.EMPTY, 0), AgentBook.EMPTY, ModelPlanner.initial(), List.of(), 0);
    }
}
