package io.shardlb.arbiter.broker;

import io.shardlb.arbiter.ArbiterService;
import io.shardlb.arbiter.LeasePhase;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.events.embedded.EmbeddedKafkaCluster;
import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three KRaft nodes in child JVMs; the broker that leads heartbeats partition 0 is killed while agents beat.
 *
 * <p>Heartbeats has 3 partitions here, 2 replicas each, every broker missing from one of them (KafkaTopics: on 3
 * brokers partition 0 is on 1,2, partition 1 on 2,3, partition 2 on 3,1). Whichever broker dies, one partition
 * has all its replicas alive and keeps acknowledging beats with acks=all at once: the agents' leases never wait for
 * the controller to fence the dead broker. The partitions it did hold stall until then, and one of them has lost
 * its leader, so the arbiter cannot read it to its end and decides nothing meanwhile (it waits, never decides).
 *
 * <p>Broker session timeout {@value #SESSION_MS} ms, heartbeat {@value #BROKER_HEARTBEAT_MS} ms (Kafka's
 * defaults are 9 s and 2 s); long on purpose, see the lease below. It bounds how long the arbiter cannot decide after a broker dies (fencing,
 * then a new leader for the partitions it led), not the leases: those never depend on it with this layout.
 * Lower values risk fencing live brokers on a loaded machine.
 *
 * <p>The lease is {@value #LEASE_MS} ms here, not the default 400 ms: on a 2-core machine at load 15 to 45 a
 * 400 ms lease lapsed with no broker killed at all; a 1 s lease lapsed once because no beat sent in the 0.7 s
 * before the kill was acknowledged in time; a 1.5 s lease lapsed once when, 0.2 to 1.85 s after the kill, no
 * partition acknowledged for about 1.6 s (the surviving brokers, one of them likely the new active controller,
 * not scheduled). It stays well below the session timeout and replica.lag.time.max.ms ({@value #REPLICA_LAG_MS}
 * ms) on purpose: a layout whose every partition had the dead broker as a replica would acknowledge nothing until
 * that broker leaves the in-sync replicas, and this test would fail.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ArbiterBrokerFailoverTest {
    static final int SESSION_MS = 10_000;
    static final int REPLICA_LAG_MS = 10_000;
    static final int BROKER_HEARTBEAT_MS = 250;
    private static final int PARTITIONS = 3;
    static final int LEASE_MS = Integer.getInteger("shardlb.test.failoverLeaseMs", 3000);
    private static final LeaseSettings SETTINGS = new LeaseSettings(100, LEASE_MS, 200);

    /**
     * An agent Up in events and holding its lease. On a fresh cluster a new producer's first beat may be
     * acknowledged later than a lease (metadata, producer id); that incarnation is over, and the agent rejoins
     * with the next one, as a real agent does. The failover, not the start, is under test.
     */
    private static TestAgent held(KafkaEventLog log, FactLog facts, String name, long after) throws Exception {
        for (long incarnation = after + 1; incarnation <= after + 5; incarnation++) {
            TestAgent a = new TestAgent(log, name, incarnation, SETTINGS);
            facts.await(ArbiterBrokerTest.up(a.self()), Duration.ofSeconds(30), "AgentUp of " + a.self());
            if (a.phase() == LeasePhase.VALID) {
                return a;
            }
            a.close();
        }
        throw new AssertionError(name + " never held a lease in 5 incarnations");
    }

    /**
     * The leader of heartbeats partition 0, once every partition has a leader and a full in-sync set (a broker
     * briefly fenced on a loaded machine leaves a partition short for a moment); checks that some partition does
     * not have that broker among its replicas, the layout the test relies on.
     */
    private static int leaderOfPartition0(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            assertEquals(PARTITIONS, d.partitions().size(), d.toString());
            boolean settled = d.partitions().stream()
                    .allMatch(p -> p.leader() != null && p.isr().size() == p.replicas().size());
            if (settled) {
                int leader = d.partitions().get(0).leader().id();
                assertTrue(d.partitions().stream().anyMatch(p -> p.replicas().stream().noneMatch(n -> n.id() == leader)),
                        "every heartbeats partition has broker " + leader + " as a replica: " + d);
                return leader;
            }
            assertTrue(System.nanoTime() < deadline, "heartbeats partitions never settled: " + d);
            Thread.sleep(200);
        }
    }

    @Test
    void killingTheLeaderOfOneHeartbeatsPartitionLapsesNoLeaseAndDownsNoAgent(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(dir, 3, Map.of(
                "broker.session.timeout.ms", Integer.toString(SESSION_MS),
                "broker.heartbeat.interval.ms", Integer.toString(BROKER_HEARTBEAT_MS),
                "replica.lag.time.max.ms", Integer.toString(REPLICA_LAG_MS)));
             KafkaEventLog log = new KafkaEventLog(cluster.bootstrap(), LogOptions.defaults().withTopicPrefix("f.")
                     .withHeartbeatPartitions(PARTITIONS));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()));
             FactLog facts = new FactLog(log);
             ArbiterService arbiter = new ArbiterService(log, SETTINGS, System::nanoTime, "arbiter-failover",
                     (f, p, t) -> { })) {
            arbiter.setActive(true);
            arbiter.start("arbiter-failover");
            TestAgent.warmUp(cluster.bootstrap());
            TestAgent[] agents = {held(log, facts, "agent-a", 0), held(log, facts, "agent-b", 0)};
            int leader0 = leaderOfPartition0(admin, log.topicName(Topic.HEARTBEATS));
            // A lease that lapsed while the cluster settled (a stalled machine, no broker killed yet) is not what
            // is under test: that agent rejoins with its next incarnation, as a real one would.
            for (int i = 0; i < agents.length; i++) {
                if (agents[i].phase() != LeasePhase.VALID) {
                    agents[i].close();
                    agents[i] = held(log, facts, agents[i].self().agent(), agents[i].self().incarnation());
                }
            }
            try (TestAgent a = agents[0];
                 TestAgent b = agents[1];
                 AckWatch watch = new AckWatch(List.of(a, b))) {
                long settledAt = System.nanoTime();
                assertTrue(a.phase() == LeasePhase.VALID && b.phase() == LeasePhase.VALID,
                        "a lease lapsed before the kill (times from the settled layout): " + watch.report(settledAt));
                long killedAt = System.currentTimeMillis();
                long killedAtNanos = System.nanoTime();
                cluster.kill(leader0);

                // Well past fencing, election and recovery: wait for a Tick written 6 s after the kill, so every
                // fact the arbiter wrote before it has been read too (one writer, one partition, in order).
                facts.awaitSeen(s -> s.fact() instanceof Fact.Tick && s.logTime() > killedAt + 6_000,
                        Duration.ofSeconds(90), "a Tick written 6 s after the kill");

                // Lapse is final, so VALID now means the lease never lapsed during the failover.
                String acks = watch.report(killedAtNanos);
                assertEquals(LeasePhase.VALID, a.phase(), "agent-a's lease lapsed during the broker failover: " + acks);
                assertEquals(LeasePhase.VALID, b.phase(), "agent-b's lease lapsed during the broker failover: " + acks);
                assertTrue(facts.all(ArbiterBrokerTest.down(a.self())).isEmpty()
                                && facts.all(ArbiterBrokerTest.down(b.self())).isEmpty(),
                        "AgentDown during a broker failover: " + facts.all(f -> f instanceof Fact.AgentDown));
            }
        }
    }
}
