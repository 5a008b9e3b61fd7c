package io.shardlb.bridge.out;

import java.util.List;

/**
 * What one reconcile of a Service did.
 *
 * @param service {@code namespace/name}
 * @param outcome the summary
 * @param actions what was written, in order ({@code finalizer+}, {@code annotations}, {@code status},
 *                {@code event:Placed}, …), or the error for {@link Outcome#FAILED}
 */
public record ReconcileResult(String service, Outcome outcome, List<String> actions) {
    public ReconcileResult {
        actions = List.copyOf(actions);
    }

    /** The summary of a reconcile. */
    public enum Outcome {
        /** Live already matched the plan: nothing written. */
        NOOP,
        /** Something was written (see the actions). */
        PATCHED,
        /** The Service does not exist (any more): nothing to write. */
        GONE,
        /** The API server refused or failed; nothing is lost (the plan is the source), call again later. */
        FAILED
    }
}
