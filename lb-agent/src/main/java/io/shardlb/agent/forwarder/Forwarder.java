package io.shardlb.agent.forwarder;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A datapath programmed with deltas. Rules are upserted and removed one at a time; a VIP is answered only
 * while claimed and before its deadline ({@link System#nanoTime()} clock, CLOCK_MONOTONIC on Linux): past the
 * deadline the forwarder stops answering for the VIP by itself, with no release call. Rules for an unclaimed
 * VIP are kept and start working when it is claimed.
 *
 * <p>Each method returns once the delta is in effect. A forwarder states what it cannot honour
 * ({@link #support(Mode)}, {@link Outcome.Degraded}, {@link Outcome.Refused}) instead of pretending.
 */
public interface Forwarder extends AutoCloseable {

    /** Installs or replaces the rule with this id. Existing flows keep their endpoint unless it is gone. */
    Outcome upsertRule(ServiceRule rule);

    /**
     * Installs or replaces many rules at once (a restarted agent programs its whole journal): the same as calling
     * {@link #upsertRule} for each, in order; a forwarder whose control path crosses threads overrides it to do so
     * in one crossing.
     */
    default List<Outcome> upsertRules(List<ServiceRule> rules) {
        List<Outcome> out = new ArrayList<>(rules.size());
        for (ServiceRule r : rules) {
            out.add(upsertRule(r));
        }
        return out;
    }

    /** Removes the rule with this id (its flows end); removing an unknown id is a no-op. */
    Outcome removeRule(String ruleId);

    /** Claims {@code vip} until {@code deadlineNanos} on the {@link System#nanoTime()} clock; renewing moves it. */
    Outcome claimVip(InetAddress vip, long deadlineNanos);

    /** Stops answering for {@code vip} now. */
    Outcome releaseVip(InetAddress vip);

    /** What this forwarder does with a rule in {@code mode}. */
    Outcome support(Mode mode);

    /** Counters of one rule, if it exists. */
    Optional<RuleCounters> counters(String ruleId);

    /** Drops (and passes to the kernel) by kind since start. */
    Map<DropKind, Long> drops();

    /** Stops forwarding and frees resources. */
    @Override
    void close();
}
