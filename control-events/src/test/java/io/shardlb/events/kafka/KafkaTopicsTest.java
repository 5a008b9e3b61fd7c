package io.shardlb.events.kafka;

import io.shardlb.events.log.LogOptions;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaTopicsTest {
    private static final LogOptions OPTIONS = LogOptions.defaults();

    @Test
    void heartbeatPartitionsAreLedByDifferentBrokers() {
        Map<Integer, List<Integer>> a = KafkaTopics.assignment(2, List.of(1, 2, 3), 3);
        assertEquals(List.of(1, 2, 3), a.get(0));
        assertEquals(List.of(2, 3, 1), a.get(1));
        assertEquals(Map.of(0, List.of(7), 1, List.of(7)), KafkaTopics.assignment(2, List.of(7), 1));
    }

    @Test
    void everyTopicUsesTheLogsTimeAndTheRightRetention() {
        for (Topic t : Topic.values()) {
            NewTopic n = KafkaTopics.newTopic(t, OPTIONS, List.of(1, 2, 3, 4));
            assertEquals("shardlb." + t.suffix(), n.name());
            assertEquals("LogAppendTime", n.configs().get("message.timestamp.type"));
            assertEquals("2", n.configs().get("min.insync.replicas"));
        }
        NewTopic events = KafkaTopics.newTopic(Topic.EVENTS, OPTIONS, List.of(1, 2, 3, 4));
        assertEquals(1, events.numPartitions());
        assertEquals(3, events.replicationFactor(), "replication factor min(3, brokers)");
        assertEquals("-1", events.configs().get("retention.ms"));
        assertEquals("-1", KafkaTopics.newTopic(Topic.PLAN, OPTIONS, List.of(1)).configs().get("retention.ms"));
        assertEquals("compact", KafkaTopics.newTopic(Topic.SNAPSHOTS, OPTIONS, List.of(1)).configs().get("cleanup.policy"));
        NewTopic beats = KafkaTopics.newTopic(Topic.HEARTBEATS, OPTIONS, List.of(1, 2));
        assertEquals("3600000", beats.configs().get("retention.ms"));
        assertEquals(2, beats.replicasAssignments().size());
        assertTrue(beats.replicasAssignments().values().stream().allMatch(r -> r.size() == 2));
        assertEquals(1, KafkaTopics.newTopic(Topic.EVENTS, OPTIONS, List.of(1)).replicationFactor());
    }
}
