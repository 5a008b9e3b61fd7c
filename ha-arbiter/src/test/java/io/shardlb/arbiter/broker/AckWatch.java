package io.shardlb.arbiter.broker;

import io.shardlb.arbiter.LeasePhase;
import io.shardlb.arbiter.LeaseView;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Watches test agents from a thread of its own and remembers, per agent, the longest stretch between the send
 * starts of successive acknowledged beats, the slowest acknowledgement and when its lease was first seen lapsed: what a failing failover test
 * needs to say whether the broker's death or a stalled machine ended a lease.
 */
final class AckWatch implements AutoCloseable {
    private final List<TestAgent> agents;
    private final long[] lastSentAt;
    private final long[] maxGap;
    private final long[] maxGapEndedAt;
    private final long[] lapsedSeenAt;
    private final long[] maxAckDelay;
    private final long[] maxAckDelayAt;
    private final Thread thread;
    private volatile boolean running = true;

    AckWatch(List<TestAgent> agents) {
        this.agents = List.copyOf(agents);
        int n = agents.size();
        this.lastSentAt = new long[n];
        this.maxGap = new long[n];
        this.maxGapEndedAt = new long[n];
        this.lapsedSeenAt = new long[n];
        this.maxAckDelay = new long[n];
        this.maxAckDelayAt = new long[n];
        for (int i = 0; i < n; i++) {
            lastSentAt[i] = agents.get(i).lastAckedSentAtNanos();
        }
        this.thread = Thread.ofPlatform().daemon().name("ack-watch").start(this::run);
    }

    private void run() {
        while (running) {
            synchronized (this) {
                for (int i = 0; i < agents.size(); i++) {
                    TestAgent a = agents.get(i);
                    long sent = a.lastAckedSentAtNanos();
                    if (sent != lastSentAt[i] && sent != LeaseView.NO_DEADLINE) {
                        if (lastSentAt[i] != LeaseView.NO_DEADLINE && sent - lastSentAt[i] > maxGap[i]) {
                            maxGap[i] = sent - lastSentAt[i];
                            maxGapEndedAt[i] = sent;
                        }
                        lastSentAt[i] = sent;
                        // first seen acknowledged now (within a sampling step): how late its acknowledgement came
                        long now = System.nanoTime();
                        if (now - sent > maxAckDelay[i]) {
                            maxAckDelay[i] = now - sent;
                            maxAckDelayAt[i] = now;
                        }
                    }
                    if (lapsedSeenAt[i] == 0 && a.phase() == LeasePhase.LAPSED) {
                        lapsedSeenAt[i] = System.nanoTime();
                    }
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Per agent (ms from t0): longest gap between acknowledged send starts and when it ended, the newest acknowledged
     * send start, the slowest acknowledgement (first seen minus send start) and when, and when the lease lapsed.
     */
    synchronized String report(long t0Nanos) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            lines.add(agents.get(i).self() + ": longest gap between acknowledged beats " + ms(maxGap[i])
                    + " ms, ending at " + ms(maxGapEndedAt[i] - t0Nanos) + " ms; newest acknowledged beat sent at "
                    + ms(lastSentAt[i] - t0Nanos) + " ms; slowest acknowledgement " + ms(maxAckDelay[i])
                    + " ms after its send, seen at " + ms(maxAckDelayAt[i] - t0Nanos) + " ms; lapse seen at "
                    + (lapsedSeenAt[i] == 0 ? "never" : ms(lapsedSeenAt[i] - t0Nanos) + " ms"));
        }
        return String.join("; ", lines);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
