package io.shardlb.bridge.leader;

import io.shardlb.bridge.Await;
import io.shardlb.bridge.MockCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two controllers on one Lease in the mock: one leads; the other takes over when the leader stops. */
class LeaderElectionTest {
    @TempDir
    Path dir;

    @Test
    void twoControllersElectOneLeaderAndTheStandbyTakesOver() throws Exception {
        try (MockCluster cluster = new MockCluster(dir)) {
            Counter c1 = new Counter();
            Counter c2 = new Counter();
            LeaderElection e1 = new LeaderElection(cluster.client(),
                    LeaseConfig.of("kube-system", "shardlb-controller", "controller-1", Duration.ofSeconds(3)), c1);
            LeaderElection e2 = new LeaderElection(cluster.client(),
                    LeaseConfig.of("kube-system", "shardlb-controller", "controller-2", Duration.ofSeconds(3)), c2);
            e1.start();
            e2.start();
            Await.until("a leader", () -> e1.isLeading() || e2.isLeading());
            LeaderElection leader = e1.isLeading() ? e1 : e2;
            LeaderElection standby = leader == e1 ? e2 : e1;
            Counter leaderCalls = leader == e1 ? c1 : c2;
            Counter standbyCalls = leader == e1 ? c2 : c1;
            // several renew periods later there is still exactly one
            Await.until("renewals", () -> cluster.requests().stream()
                    .filter(r -> r.resource().equals("leases") && !r.verb().equals("get")).count() >= 3);
            assertTrue(leader.isLeading());
            assertTrue(!standby.isLeading());
            assertEquals(0, standbyCalls.started.get());

            leader.close();
            Await.until("the standby takes over", standby::isLeading);
            Await.until("the old leader is told", () -> leaderCalls.stopped.get() == 1);
            assertEquals(1, standbyCalls.started.get());
            standby.close();
            // everyone saw only the two of them lead (a released lease shows no holder)
            assertTrue(!c1.leaders.isEmpty() && c1.leaders.stream().filter(java.util.Objects::nonNull)
                    .allMatch(List.of("controller-1", "controller-2")::contains), c1.leaders::toString);
        }
    }

    @Test
    void inconsistentDurationsAreRefusedUpFront() {
        assertThrows(IllegalArgumentException.class, () -> new LeaseConfig("ns", "l", "me", Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> LeaseConfig.of("ns", "l", " ", Duration.ofSeconds(2)));
    }

    static final class Counter implements LeadershipListener {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger stopped = new AtomicInteger();
        final List<String> leaders = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onStartLeading() {
            started.incrementAndGet();
        }

        @Override
        public void onStopLeading() {
            stopped.incrementAndGet();
        }

        @Override
        public void onNewLeader(String identity) {
            leaders.add(identity);
        }
    }
}
