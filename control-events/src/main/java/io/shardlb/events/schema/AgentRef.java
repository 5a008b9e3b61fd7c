package io.shardlb.events.schema;

/**
 * One incarnation of an agent: a term names exactly one of these (DESIGN.md invariant 4).
 *
 * @param agent       agent name
 * @param incarnation incarnation number, chosen by the agent at start, larger than any before it
 */
public record AgentRef(String agent, long incarnation) {
    public AgentRef {
        agent = Values.str(agent);
    }

    @Override
    public String toString() {
        return agent + "#" + incarnation;
    }
}
