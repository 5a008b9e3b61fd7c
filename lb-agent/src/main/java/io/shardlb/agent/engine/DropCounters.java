package io.shardlb.agent.engine;

import io.shardlb.agent.forwarder.DropKind;
import java.util.EnumMap;
import java.util.Map;

/** The engine's drop counters by {@link DropKind}: counted on the engine's thread, read between frames. */
final class DropCounters {
    private final long[] counts = new long[DropKind.values().length];

    /** Counts one drop of {@code kind} and returns that kind's {@link Verdict}. */
    long count(DropKind kind) {
        counts[kind.ordinal()]++;
        return Verdict.of(kind);
    }

    /** Counts by kind since start (kinds never seen are absent). */
    Map<DropKind, Long> snapshot() {
        Map<DropKind, Long> m = new EnumMap<>(DropKind.class);
        for (DropKind k : DropKind.values()) {
            if (counts[k.ordinal()] != 0) {
                m.put(k, counts[k.ordinal()]);
            }
        }
        return m;
    }

    /** Count of one kind. */
    long of(DropKind kind) {
        return counts[kind.ordinal()];
    }
}
