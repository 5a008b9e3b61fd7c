package io.shardlb.arbiter;

/** Where an agent incarnation's lease stands. */
public enum LeasePhase {
    /** No valid lease yet (or, only in a deliberately broken variant, no longer): an acknowledgement may still make it valid. */
    PENDING,
    /** Valid until the deadline: the agent may answer for the VIPs whose current term names it. */
    VALID,
    /** Over for good: the agent drops every VIP and rejoins as a new incarnation. */
    LAPSED
}
