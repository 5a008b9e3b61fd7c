package io.shardlb.e2e.probe;

/**
 * One probe exchange as the client saw it.
 *
 * @param vip      the VIP probed
 * @param kind     a fresh connection per request, or a message on the long-lived connection
 * @param atNanos  when the exchange started ({@link System#nanoTime()})
 * @param ok       whether an answer came back in time
 * @param answer   the backend id that answered, or why it failed
 */
public record Attempt(String vip, Kind kind, long atNanos, boolean ok, String answer) {

    /** The two ways the probe talks to a VIP. */
    public enum Kind {
        /** A new TCP connection per request, 2 s timeout, no retry. */
        NEW_CONNECTION,
        /** One message on the long-lived connection (re-opened after a failure, counting the failure once). */
        LONG_LIVED
    }
}
