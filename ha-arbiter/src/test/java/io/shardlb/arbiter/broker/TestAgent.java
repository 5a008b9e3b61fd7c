package io.shardlb.arbiter.broker;

import io.shardlb.arbiter.AgentLease;
import io.shardlb.arbiter.BeatSender;
import io.shardlb.arbiter.LeasePhase;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.kafka.KafkaFixture;
import io.shardlb.events.log.BeatFanout;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Topic;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A beat producer the test controls: the real {@link AgentLease} and {@link BeatSender}, driven by a loop thread
 * the test can stop (the agent falls silent) at a moment of its choosing.
 */
final class TestAgent implements AutoCloseable {
    private final AgentLease lease;
    private final BeatSender sender;
    private final PlainWriter writer;
    private final Thread loop;
    private volatile boolean running = true;

    private static final java.util.Set<String> WARM = new java.util.HashSet<>();

    /**
     * Pays this JVM's first-producer costs (class loading, compression, the sender thread's start) on a log of
     * its own, so that no test's first beat is acknowledged later than a lease after its send start (which would
     * end that incarnation at once, as the rules say). The README asks real agents to warm up the same way.
     */
    static synchronized void warmUp(String bootstrap) {
        if (!WARM.add(bootstrap)) {
            return;
        }
        // 3 heartbeats partitions: on a 3-broker cluster, 2 would get one replica each (and a warning)
        try (KafkaEventLog log = new KafkaEventLog(bootstrap, KafkaFixture.options("warm").withHeartbeatPartitions(3));
             PlainWriter w = log.plainWriter("warm-up")) {
            for (int i = 0; i < 20; i++) {
                var beat = new Heartbeat("warm-up", 1, i, System.currentTimeMillis(),
                        400, List.of(), false, "127.0.0.1:1");
                BeatFanout.send(w, log.partitions(Topic.HEARTBEATS),
                        Envelope.of(beat, "warm-up")).forEach(CompletableFuture::join);
            }
        }
    }

    TestAgent(EventLog log, String agent, long incarnation, LeaseSettings settings) {
        AgentRef self = new AgentRef(agent, incarnation);
        this.lease = new AgentLease(self, "127.0.0.1:" + incarnation % 1000, settings);
        this.writer = log.plainWriter(self.toString());
        this.sender = new BeatSender(writer, log.partitions(Topic.HEARTBEATS), lease, System::nanoTime,
                System::currentTimeMillis);
        this.loop = Thread.ofPlatform().daemon().name("test-agent-" + agent + "-" + incarnation).start(this::run);
    }

    private void run() {
        while (running) {
            try {
                sender.sendIfDue();
            } catch (IllegalStateException lapsed) {
                return; // the incarnation is over; the test sees it in phase()
            }
            long wait = Math.clamp(lease.nextWakeNanos() - System.nanoTime(), 100_000L,
                    TimeUnit.MILLISECONDS.toNanos(20));
            LockSupport.parkNanos(wait);
        }
    }

    AgentLease lease() {
        return lease;
    }

    AgentRef self() {
        return lease.self();
    }

    LeasePhase phase() {
        return lease.view(System.nanoTime()).phase();
    }

    /** Send start (monotonic) of the newest acknowledged beat. */
    long lastAckedSentAtNanos() {
        return sender.lastAckedSentAtNanos();
    }

    /** Falls silent: no further beat is started; beats in flight still complete. */
    void stop() throws InterruptedException {
        running = false;
        loop.join(10_000);
        writer.flush();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        writer.close();
    }
}
