package io.shardlb.planner.mastership;

import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;

import java.util.List;

/** Test fact builders. */
final class Facts {
    private Facts() {
    }

    static Fact.ConfigObserved config(int instances) {
        return new Fact.ConfigObserved(List.of(new Pool("defaultPool", "198.18.80.250/24")), List.of(), true,
                instances, "llb", false, "default", "", "", 0L, 5_000L, false);
    }

    static Fact.AgentUp up(String agent, long incarnation) {
        return new Fact.AgentUp(agent, incarnation, "198.18.0." + (agent.length() + incarnation));
    }

    static Fact.AgentDown down(String agent, long incarnation) {
        return new Fact.AgentDown(agent, incarnation, "missed beats", 1_000L);
    }
}
