package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;

/** The current term of an instance as the agent knows it; {@code master} is null when the term names nobody. */
record PlanTerm(long term, AgentRef master) {
}
