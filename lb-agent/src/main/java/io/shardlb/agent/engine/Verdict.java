package io.shardlb.agent.engine;

import io.shardlb.agent.forwarder.DropKind;

/**
 * What to do with a frame, packed in a long so that no object is made per frame: the action in bits 32–39, a
 * drop kind's ordinal + 1 in bits 40–47 (0: none), and for {@link #TX} the new frame length in the low 32 bits.
 */
public final class Verdict {
    /** Transmit the rewritten frame (same buffer) out of the interface it came from. */
    public static final int TX = 1;
    /** Hand the frame, untouched, to the kernel. */
    public static final int PASS = 2;
    /** Drop the frame. */
    public static final int DROP = 3;

    private static final DropKind[] KINDS = DropKind.values();

    private Verdict() {
    }

    /** Transmit {@code length} bytes. */
    public static long tx(int length) {
        return ((long) TX << 32) | (length & 0xFFFF_FFFFL);
    }

    /** Pass without a counted reason (not ours). */
    public static long pass() {
        return (long) PASS << 32;
    }

    /** Pass or drop as {@code kind} dictates. */
    public static long of(DropKind kind) {
        int action = kind.passedToKernel() ? PASS : DROP;
        return ((long) (kind.ordinal() + 1) << 40) | ((long) action << 32);
    }

    /** The action: {@link #TX}, {@link #PASS} or {@link #DROP}. */
    public static int action(long verdict) {
        return (int) (verdict >>> 32) & 0xFF;
    }

    /** Frame length to transmit (TX only). */
    public static int length(long verdict) {
        return (int) verdict;
    }

    /** The counted kind, or null when there is none (TX, or a frame that is not ours). */
    public static DropKind kind(long verdict) {
        int k = (int) (verdict >>> 40) & 0xFF;
        return k == 0 ? null : KINDS[k - 1];
    }

    /** Readable form, for logs and test messages. */
    public static String describe(long verdict) {
        return switch (action(verdict)) {
            case TX -> "TX(" + length(verdict) + ")";
            case PASS -> "PASS" + (kind(verdict) == null ? "" : "(" + kind(verdict) + ")");
            case DROP -> "DROP(" + kind(verdict) + ")";
            default -> "INVALID(" + Long.toHexString(verdict) + ")";
        };
    }
}
