package io.shardlb.events.log;

import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Topic;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one beat to every partition of the heartbeats topic. Every broker is missing from some partition's
 * replicas (the Kafka backend lays them out so), so one broker's failure never lapses a lease: a beat is
 * acknowledged when any one partition has it.
 */
public final class BeatFanout {
    private BeatFanout() {
    }

    /**
     * Appends {@code beat} (a {@link Heartbeat} envelope) once to each of the {@code partitions} partitions of
     * {@link Topic#HEARTBEATS}, keyed by agent.
     *
     * @return one future per partition, in partition order
     */
    public static List<CompletableFuture<LogPosition>> send(PlainWriter writer, int partitions, Envelope beat) {
        Heartbeat hb = beat.payload(Heartbeat.class);
        List<CompletableFuture<LogPosition>> acks = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            acks.add(writer.append(new Outgoing(Topic.HEARTBEATS, p, hb.agent(), beat)));
        }
        return acks;
    }

    /** Completes with the first partition's acknowledgement, or fails when every partition failed. */
    public static CompletableFuture<LogPosition> firstAck(List<CompletableFuture<LogPosition>> acks) {
        CompletableFuture<LogPosition> first = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        for (CompletableFuture<LogPosition> a : acks) {
            a.whenComplete((pos, err) -> {
                if (err == null) {
                    first.complete(pos);
                } else if (failures.incrementAndGet() == acks.size()) {
                    first.completeExceptionally(err);
                }
            });
        }
        return first;
    }
}
