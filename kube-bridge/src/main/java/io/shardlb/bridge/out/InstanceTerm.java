package io.shardlb.bridge.out;

import io.shardlb.events.schema.AgentRef;

/**
 * The current term of an instance as the plan says.
 *
 * @param instance the instance
 * @param master   its master, or null when no agent is Up
 * @param term     the term
 * @param cause    why this term began (from {@code InstanceMastered.cause})
 */
public record InstanceTerm(String instance, AgentRef master, long term, String cause) {

    /** The master's agent name, or "" when none. */
    public String masterName() {
        return master == null ? "" : master.agent();
    }
}
