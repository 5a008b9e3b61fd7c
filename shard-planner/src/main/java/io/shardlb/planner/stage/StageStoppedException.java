package io.shardlb.planner.stage;

/**
 * The planner stage stopped deciding and will not resume: it was fenced by a newer planner, read a record it does
 * not understand, or could not fold its own decision. The cause says which; the process should exit loudly.
 */
public final class StageStoppedException extends RuntimeException {
    public StageStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
