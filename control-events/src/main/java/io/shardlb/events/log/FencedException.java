package io.shardlb.events.log;

/**
 * A newer writer with the same transactional id exists: this writer is a zombie and must stop deciding.
 * Nothing of the failed append is visible to read_committed readers.
 */
public final class FencedException extends RuntimeException {
    public FencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
