package io.shardlb.arbiter;

/**
 * Whether a lapse is final. Production uses {@link #FINAL}; {@link #REVIVE_ON_LATE_ACK} exists only so that the
 * model check can show that the safety property fails without the rule (DESIGN.md invariant 5).
 */
enum LapseRule {
    /** Once lapsed, the incarnation is over: no acknowledgement revives it. */
    FINAL,
    /** Deliberately broken: an acknowledgement that arrives after the lapse makes the lease valid again. */
    REVIVE_ON_LATE_ACK
}
