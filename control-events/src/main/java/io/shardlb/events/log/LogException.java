package io.shardlb.events.log;

/** A log operation failed for a reason other than fencing (broker unreachable, timeout, closed log). */
public class LogException extends RuntimeException {
    public LogException(String message, Throwable cause) {
        super(message, cause);
    }

    public LogException(String message) {
        super(message);
    }
}
