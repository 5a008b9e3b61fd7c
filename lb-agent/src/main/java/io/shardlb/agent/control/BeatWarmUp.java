package io.shardlb.agent.control;

import io.shardlb.arbiter.AgentLease;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Holding;
import io.shardlb.events.schema.RecordCodec;

import java.util.List;

/**
 * Runs the CPU side of a beat once before the first incarnation's first beat, without any I/O: a throwaway lease
 * starts and acknowledges a beat, and beats with and without holdings are encoded as the writer encodes them. The
 * lease counts from the send start, which comes before the encoding; in a fresh JVM the first encoding builds
 * the codec's serializers for the heartbeat's types, which took 0.5 to 2.4 s on a loaded 2-core machine (measured
 * in the cut-off test's agents) and lapsed the first incarnation before its first beat had even left.
 */
final class BeatWarmUp {
    private BeatWarmUp() {
    }

    /** Warms the beat path for agent {@code name}; returns the milliseconds it took. */
    static long run(String name, String address, LeaseSettings settings, long nowNanos, long wallMillis) {
        long t0 = System.nanoTime();
        AgentLease lease = new AgentLease(new AgentRef(name, 1), address, settings);
        lease.beatDue(nowNanos);
        Heartbeat first = lease.startBeat(nowNanos, wallMillis);
        lease.onBeatAcked(first.seq(), nowNanos);
        lease.view(nowNanos);
        Heartbeat holding = new Heartbeat(name, 1, first.seq() + 1, wallMillis, settings.leaseMs(),
                List.of(new Holding("warm-up", 1)), true, address);
        for (Heartbeat beat : List.of(first, holding)) {
            RecordCodec.encode(Envelope.of(beat, lease.self().toString()));
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
