/**
 * ha-arbiter: failure detection from heartbeats and the lease rules shared with the agent (DESIGN.md invariant 5).
 * The rules are pure state machines — {@link io.shardlb.arbiter.AgentLease} on the agent side,
 * {@link io.shardlb.arbiter.Arbiter} on the arbiter side — with time and delivery as inputs; the I/O shells
 * {@link io.shardlb.arbiter.BeatSender} and {@link io.shardlb.arbiter.ArbiterService} drive them over the
 * EventLog SPI. The module README gives the rules and the safety argument.
 */
package io.shardlb.arbiter;
