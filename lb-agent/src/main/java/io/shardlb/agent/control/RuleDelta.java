package io.shardlb.agent.control;

import io.shardlb.agent.forwarder.ServiceRule;

/** One change to the forwarder's rules, as a plan record implies it. */
public sealed interface RuleDelta {

    /** Install or replace a rule. */
    record Upsert(ServiceRule rule) implements RuleDelta {
    }

    /** Remove a rule by id. */
    record Remove(String ruleId) implements RuleDelta {
    }
}
