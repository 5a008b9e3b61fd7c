package io.shardlb.events.log;

import io.shardlb.events.schema.Topic;

import java.util.concurrent.CompletableFuture;

/**
 * Idempotent, non-transactional appends: facts (kube-bridge, ha-arbiter) and heartbeats. A writer killed at any
 * point never stalls any reader. Records of one writer to one partition keep their order.
 */
public interface PlainWriter extends AutoCloseable {

    /** Appends one record; the future completes when the log has acknowledged it. */
    CompletableFuture<LogPosition> append(Outgoing record);

    /**
     * Prepares the writer for prompt appends to {@code topic} (for a log over the network: fetches its metadata and
     * connects), so the first append is not slower than later ones. Blocks until ready or it gave up; failures are
     * not reported here (the next append reports them). Default: nothing to prepare.
     */
    default void warmUp(Topic topic) {
    }

    /** Waits until every append so far is acknowledged or failed. */
    void flush();

    @Override
    void close();
}
