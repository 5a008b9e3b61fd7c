package io.shardlb.events.image;

import io.shardlb.events.log.LogEntry;

/**
 * A record the replayer cannot apply: double allocation, release of a free address, a term going backwards.
 * A decision-maker stops on it, loudly; it never logs and continues.
 */
public final class ReplayException extends RuntimeException {
    public ReplayException(LogEntry entry, String problem) {
        super("cannot replay " + entry.envelope().type() + " at " + entry.position() + ": " + problem
                + " (record: " + entry.envelope().payload() + ")");
    }
}
