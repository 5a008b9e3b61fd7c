package io.shardlb.events.schema;

import java.util.List;

/**
 * An agent's beat on the {@code heartbeats} topic: liveness, and what it holds.
 *
 * @param agent       agent name
 * @param incarnation incarnation number
 * @param seq         sequence number within the incarnation, from 1
 * @param sentAt      the agent's wall clock at sending (epoch ms), for people only: no decision uses it
 * @param leaseMs     lease length the agent applies to itself
 * @param holding     instances (and terms) whose VIPs the agent currently answers for
 * @param draining    the agent is shutting down and wants its instances moved
 * @param address     the agent's address (API and one-arm source address)
 */
public record Heartbeat(String agent, long incarnation, long seq, long sentAt, long leaseMs,
                        List<Holding> holding, boolean draining, String address) implements Payload {
    public Heartbeat {
        agent = Values.str(agent);
        holding = Values.list(holding);
        address = Values.str(address);
    }

    @Override
    public String subject() {
        return agent;
    }

    @Override
    public String summary() {
        return "beat #" + incarnation + "/" + seq + " holding " + holding + (draining ? " draining" : "");
    }
}
