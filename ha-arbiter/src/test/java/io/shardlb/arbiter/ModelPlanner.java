package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Fact;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny deterministic stand-in for the shard planner, used ONLY by the model check: the real planner (placement,
 * mastership, handovers) is written in shard-planner and is not a dependency of this module. It keeps just what
 * the lease argument relies on: terms only grow; a term names one incarnation; an instance whose master is
 * declared Down gets a new term naming another Up incarnation (the one with fewest masters, then the oldest);
 * an instance with no master gets one when an agent comes Up. Planned handovers are not modelled: they move a
 * VIP only after the old master's beats say it released it (VipUnbound), a separate mechanism.
 */
final class ModelPlanner {
    private ModelPlanner() {
    }

    static ModelWorld.Plan initial() {
        Map<String, PlanTerm> terms = new HashMap<>();
        for (String i : ModelWorld.INSTANCES) {
            terms.put(i, new PlanTerm(0, null));
        }
        return new ModelWorld.Plan(Map.copyOf(terms), List.of());
    }

    static ModelWorld.Plan apply(ModelWorld.Plan plan, List<Fact> facts) {
        if (facts.isEmpty()) {
            return plan;
        }
        Map<String, PlanTerm> terms = new HashMap<>(plan.terms());
        List<AgentRef> up = new ArrayList<>(plan.up());
        for (Fact f : facts) {
            if (f instanceof Fact.AgentUp u) {
                up.add(new AgentRef(u.agent(), u.incarnation()));
            } else if (f instanceof Fact.AgentDown d) {
                AgentRef gone = new AgentRef(d.agent(), d.incarnation());
                up.remove(gone);
                for (String i : ModelWorld.INSTANCES) {
                    PlanTerm t = terms.get(i);
                    if (gone.equals(t.master())) {
                        terms.put(i, new PlanTerm(t.term() + 1, pick(terms, up)));
                    }
                }
            }
        }
        for (String i : ModelWorld.INSTANCES) {
            PlanTerm t = terms.get(i);
            if (t.master() == null && !up.isEmpty()) {
                terms.put(i, new PlanTerm(t.term() + 1, pick(terms, up)));
            }
        }
        return new ModelWorld.Plan(Map.copyOf(terms), List.copyOf(up));
    }

    private static AgentRef pick(Map<String, PlanTerm> terms, List<AgentRef> up) {
        AgentRef best = null;
        long bestCount = Long.MAX_VALUE;
        for (AgentRef a : up) {
            long count = terms.values().stream().filter(t -> a.equals(t.master())).count();
            if (count < bestCount) {
                best = a;
                bestCount = count;
            }
        }
        return best;
    }
}
