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

class EmbeddedKafkaClusterTest {

    @Test
    void threeNodesLeadTheHeartbeatPartitionsApartAndSurviveALostBroker(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(dir, 3);
             KafkaEventLog log = new KafkaEventLog(cluster.bootstrap(), LogOptions.defaults().withTopicPrefix("c."));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            TopicDescription beats = admin.describeTopics(List.of(log.topicName(Topic.HEARTBEATS))).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(log.topicName(Topic.HEARTBEATS));
            assertEquals(2, beats.partitions().size());
            assertEquals(3, beats.partitions().get(0).replicas().size(), "replication factor min(3, brokers)");
            int leader0 = beats.partitions().get(0).leader().id();
            assertNotEquals(leader0, beats.partitions().get(1).leader().id(), "beats partitions led by different brokers");

            try (PlainWriter w = log.plainWriter("agent-a")) {
                BeatFanout.send(w, 2, SampleRecords.beat("agent-a", 1)).forEach(CompletableFuture::join);
                cluster.kill(leader0);
                // Beats still land: partition 1 is led elsewhere, and partition 0 gets a new leader.
                List<CompletableFuture<LogPosition>> acks = BeatFanout.send(w, 2, SampleRecords.beat("agent-a", 2));
                BeatFanout.firstAck(acks).get(60, TimeUnit.SECONDS);
            }
        }
    }
}
