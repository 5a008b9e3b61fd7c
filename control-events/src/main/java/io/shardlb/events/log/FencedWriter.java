package io.shardlb.events.log;

import java.util.List;

/**
 * The planner's writer: each {@link #append} is one atomic batch (a Kafka transaction), possibly spanning
 * topics ({@code plan} and {@code snapshots}). Only one writer per transactional id is live: starting a new one
 * ({@link #init}) aborts the old one's open batch and makes its next append throw {@link FencedException}.
 */
public interface FencedWriter extends AutoCloseable {

    /**
     * Claims the transactional id: fences every older writer with the same id and aborts its open batch, so
     * read_committed readers stop waiting at once.
     */
    void init();

    /**
     * Appends {@code records} atomically: a read_committed reader sees all of them or none.
     *
     * @return where each record landed, in order
     * @throws FencedException if a newer writer with the same id exists (nothing of the batch is visible)
     */
    List<LogPosition> append(List<Outgoing> records);

    @Override
    void close();
}
