package io.shardlb.arbiter;

/**
 * Whether the arbiter reads to the end offsets before it decides. Production uses {@link #READ_TO_END};
 * {@link #DECIDE_ON_WHAT_WAS_READ} exists only so that the model check can show that safety fails without it.
 */
enum EndOffsetRule {
    /** Decide only once every partition is read to the end offsets fetched at decision time. */
    READ_TO_END,
    /** Deliberately broken: take unread beats for silence and decide on the arbiter's current clock. */
    DECIDE_ON_WHAT_WAS_READ
}
