package io.shardlb.events.image;

import io.shardlb.events.log.LogEntry;

import java.util.function.Function;

/** Folding records into images: {@code image' = apply(image, records)}. */
public final class Replay {
    private Replay() {
    }

    /** Replays {@code entries} on {@code base} through one delta and returns the applied image. */
    public static <I> I fold(I base, Function<I, ? extends Delta<I>> deltaOn, Iterable<LogEntry> entries) {
        Delta<I> delta = deltaOn.apply(base);
        for (LogEntry entry : entries) {
            delta.replay(entry);
        }
        return delta.apply();
    }
}
