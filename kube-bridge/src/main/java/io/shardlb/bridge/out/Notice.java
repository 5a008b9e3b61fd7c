package io.shardlb.bridge.out;

/**
 * Something the user should be told on the Service as a Kubernetes Event.
 *
 * @param seq     where it came from in the plan (the decision's offset): Events record the highest one they
 *                counted, so a replay after a restart counts nothing twice
 * @param warning a Warning Event rather than a Normal one
 * @param reason  the Event reason ({@code VIPAllocated}, {@code Placed}, {@code MasterChanged},
 *                {@code InvalidAnnotation}, {@code PoolExhausted}, {@code Rejected})
 * @param message what happened and why
 */
public record Notice(long seq, boolean warning, String reason, String message) {

    /** The Event type: {@code Normal} or {@code Warning}. */
    public String type() {
        return warning ? "Warning" : "Normal";
    }
}
