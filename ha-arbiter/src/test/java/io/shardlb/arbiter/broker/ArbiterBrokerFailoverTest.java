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
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three KRaft nodes in child JVMs; the broker that leads heartbeats partition 0 is killed while agents beat.
 *
 * <p>Broker session timeout, tuned down: {@value #SESSION_MS} ms, heartbeat {@value #BROKER_HEARTBEAT_MS} ms
 * (Kafka's defaults are 9 s and 2 s; the embedded cluster's 1.5 s and 250 ms). Why it matters: heartbeats has
 * replication factor 3 and beats are written with acks=all, so the killed broker is a follower of the partition
 * led elsewhere too, and that partition acknowledges nothing until the controller fences the dead broker (after
 * the session timeout) and drops it from the in-sync replicas. Every beat of that window is acknowledged only
 * then, so the session timeout plus that ISR change must stay below leaseMs minus the beat interval (400 - 100 ms
 * with the defaults) or every agent's lease lapses at once. Production clusters need the same bound.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ArbiterBrokerFailoverTest {
    static final int SESSION_MS = 250;
    static final int BROKER_HEARTBEAT_MS = 50;
    private static final LeaseSettings SETTINGS = LeaseSettings.DEFAULTS;

    /**
     * An agent Up in events and holding its lease. On a fresh cluster a new producer's first beat may be
     * acknowledged later than a lease (metadata, producer id); that incarnation is over, and the agent rejoins
     * with the next one, as a real agent does. The failover, not the start, is under test.
     */
    private static TestAgent held(KafkaEventLog log, FactLog facts, String name) throws Exception {
        for (long incarnation = 1; incarnation <= 5; incarnation++) {
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
     * Waits until the two heartbeats partitions are led by different brokers (a broker briefly fenced on a loaded
     * machine can leave both with one leader; a preferred election puts them back); returns partition 0's leader.
     */
    private static int leadersApart(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            var p0 = d.partitions().get(0).leader();
            var p1 = d.partitions().get(1).leader();
            if (p0 != null && p1 != null && p0.id() != p1.id()) {
                return p0.id();
            }
            assertTrue(System.nanoTime() < deadline, "heartbeats partitions never led apart: " + d);
            try {
                admin.electLeaders(ElectionType.PREFERRED, Set.of(new TopicPartition(topic, 0),
                        new TopicPartition(topic, 1))).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // already preferred, or an election in progress: look again
            }
            Thread.sleep(200);
        }
    }

    @Test
    @Disabled("fails today: agent-a's lease lapsed during the failover (session 250 ms, load ~8 on 2 cores);"
            + " with replication factor 3 and acks=all the surviving partition waits for the dead follower to leave"
            + " its ISR, which took longer than lease - beat interval; see README, Broker tests")
    void killingTheLeaderOfOneHeartbeatsPartitionLapsesNoLeaseAndDownsNoAgent(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(dir, 3, Map.of(
                "broker.session.timeout.ms", Integer.toString(SESSION_MS),
                "broker.heartbeat.interval.ms", Integer.toString(BROKER_HEARTBEAT_MS)));
             KafkaEventLog log = new KafkaEventLog(cluster.bootstrap(), LogOptions.defaults().withTopicPrefix("f."));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()));
             FactLog facts = new FactLog(log);
             ArbiterService arbiter = new ArbiterService(log, SETTINGS, System::nanoTime, "arbiter-failover",
                     (f, p, t) -> { })) {
            arbiter.setActive(true);
            arbiter.start("arbiter-failover");
            TestAgent.warmUp(cluster.bootstrap());
            try (TestAgent a = held(log, facts, "agent-a");
                 TestAgent b = held(log, facts, "agent-b")) {
                int leader0 = leadersApart(admin, log.topicName(Topic.HEARTBEATS));
                long killedAt = System.currentTimeMillis();
                cluster.kill(leader0);

                // Well past fencing, election and recovery: wait for a Tick written 6 s after the kill, so every
                // fact the arbiter wrote before it has been read too (one writer, one partition, in order).
                facts.awaitSeen(s -> s.fact() instanceof Fact.Tick && s.logTime() > killedAt + 6_000,
                        Duration.ofSeconds(60), "a Tick written 6 s after the kill");

                // Lapse is final, so VALID now means the lease never lapsed during the failover.
                assertEquals(LeasePhase.VALID, a.phase(), "agent-a's lease lapsed during the broker failover");
                assertEquals(LeasePhase.VALID, b.phase(), "agent-b's lease lapsed during the broker failover");
                assertTrue(facts.all(ArbiterBrokerTest.down(a.self())).isEmpty()
                                && facts.all(ArbiterBrokerTest.down(b.self())).isEmpty(),
                        "AgentDown during a broker failover: " + facts.all(f -> f instanceof Fact.AgentDown));
            }
        }
    }
}
