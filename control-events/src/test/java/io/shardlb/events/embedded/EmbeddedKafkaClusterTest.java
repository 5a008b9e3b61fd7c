package io.shardlb.events.embedded;

import io.shardlb.events.kafka.KafkaEventLog;
import io.shardlb.events.log.BeatFanout;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.LogPosition;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.log.SampleRecords;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedKafkaClusterTest {

    @Test
    void threeNodesLeadTheHeartbeatPartitionsApartAndSurviveALostBroker(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(dir, 3);
             KafkaEventLog log = new KafkaEventLog(cluster.bootstrap(), LogOptions.defaults().withTopicPrefix("c.")
                     .withHeartbeatPartitions(3));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            TopicDescription beats = admin.describeTopics(List.of(log.topicName(Topic.HEARTBEATS))).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(log.topicName(Topic.HEARTBEATS));
            assertEquals(3, beats.partitions().size());
            assertTrue(beats.partitions().stream().allMatch(p -> p.replicas().size() == 2),
                    "3 partitions on 3 brokers: 2 replicas each, " + beats);
            int leader0 = beats.partitions().get(0).leader().id();
            assertNotEquals(leader0, beats.partitions().get(1).leader().id(), "beats partitions led by different brokers");
            assertTrue(beats.partitions().stream().anyMatch(p -> p.replicas().stream().noneMatch(n -> n.id() == leader0)),
                    "some partition does not have broker " + leader0 + " among its replicas: " + beats);

            try (PlainWriter w = log.plainWriter("agent-a")) {
                BeatFanout.send(w, 3, SampleRecords.beat("agent-a", 1)).forEach(CompletableFuture::join);
                cluster.kill(leader0);
                // Beats still land: a partition without the dead broker at once, partition 0 on its new leader.
                List<CompletableFuture<LogPosition>> acks = BeatFanout.send(w, 3, SampleRecords.beat("agent-a", 2));
                BeatFanout.firstAck(acks).get(60, TimeUnit.SECONDS);
                for (CompletableFuture<LogPosition> a : acks) {
                    a.get(60, TimeUnit.SECONDS);
                }
            }
        }
    }
}
