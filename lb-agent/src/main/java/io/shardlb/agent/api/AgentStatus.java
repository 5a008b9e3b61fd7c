package io.shardlb.agent.api;

import io.shardlb.agent.control.PlanTracker;
import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.RuleCounters;
import io.shardlb.arbiter.LeaseView;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the read-only agent API shows: a live, weakly consistent view of a running agent. */
public interface AgentStatus {

    /** The agent's name. */
    String name();

    /** The interface the forwarder serves. */
    String iface();

    /** The current incarnation, null before the agent reached the log. */
    AgentRef self();

    /** The lease as of the loop's last cycle. */
    LeaseView lease();

    /** The VIPs claimed on the forwarder now. */
    Set<InetAddress> claimed();

    /** The rule of every Service, as the plan says. */
    Map<String, Decision.RuleSet> rules();

    /** The current term of every instance. */
    Map<String, PlanTracker.Term> terms();

    /** Counters of one forwarder rule. */
    Optional<RuleCounters> counters(String ruleId);

    /** The forwarder's drops by kind. */
    Map<DropKind, Long> drops();

    /** Plan records that could not be applied (unknown type, newer version, bad values). */
    long unreadable();

    /** The position of the first of them, "" if none. */
    String firstUnreadable();

    /** Claims the forwarder did not apply as asked. */
    long claimFailures();

    /** Whether the agent has read the plan up to where it stood when the agent connected. */
    boolean caughtUp();

    /** Whether the agent is draining. */
    boolean draining();

    /** Failed log client operations by operation ({@code open}, {@code append}, {@code read}, {@code offsets}). */
    default Map<String, Long> logClientErrors() {
        return Map.of();
    }
}
