package io.shardlb.events.schema;

/**
 * The body of a log record. One sealed hierarchy per topic: {@link Fact} on {@code events},
 * {@link Decision} on {@code plan}, {@link Heartbeat} on {@code heartbeats} and
 * {@link SnapshotChunk} on {@code snapshots}.
 */
public sealed interface Payload permits Fact, Decision, Heartbeat, SnapshotChunk {

    /** The subject a person looks for in a log dump: a service, an agent, an instance. */
    String subject();

    /** A one-line human summary of the record, used by {@code shardlb log dump}. */
    String summary();
}
