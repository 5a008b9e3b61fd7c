package io.shardlb.events.log;

import java.util.concurrent.CompletableFuture;

/**
 * Idempotent, non-transactional appends: facts (kube-bridge, ha-arbiter) and heartbeats. A writer killed at any
 * point never stalls any reader. Records of one writer to one partition keep their order.
 */
public interface PlainWriter extends AutoCloseable {

    /** Appends one record; the future completes when the log has acknowledged it. */
    CompletableFuture<LogPosition> append(Outgoing record);

    /** Waits until every append so far is acknowledged or failed. */
    void flush();

    @Override
    void close();
}
