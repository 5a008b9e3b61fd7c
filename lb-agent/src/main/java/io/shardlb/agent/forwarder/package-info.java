/**
 * The forwarder contract: {@link io.shardlb.agent.forwarder.Forwarder} takes deltas (rules, VIP claims with a
 * deadline) and reports counters; {@link io.shardlb.agent.forwarder.RuleSetAdapter} maps planner RuleSets to
 * rules; {@link io.shardlb.agent.forwarder.EndpointChooser} is the endpoint selection every forwarder shares.
 */
package io.shardlb.agent.forwarder;
