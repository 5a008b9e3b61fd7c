package io.shardlb.events.image;

import io.shardlb.events.log.LogEntry;

/**
 * A mutable change set built lazily on a base image (KRaft's {@code XDelta}): {@link #replay} folds records in,
 * {@link #apply} produces the next immutable image. Replay is the only way state changes.
 *
 * @param <I> the image type
 */
public interface Delta<I> {

    /**
     * Folds one record in.
     *
     * @throws ReplayException if the record cannot be applied (it would break an invariant); for a
     *                         decision-maker this is fatal
     */
    void replay(LogEntry entry);

    /** The image with every replayed record applied; untouched parts of the base are reused by reference. */
    I apply();
}
