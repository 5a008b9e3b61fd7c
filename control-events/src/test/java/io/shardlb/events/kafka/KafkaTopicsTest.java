package io.shardlb.events.kafka;

import io.shardlb.events.log.LogOptions;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaTopicsTest {
    private static final LogOptions OPTIONS = LogOptions.defaults();

    @Test
    void heartbeatPartitionsAreLedByDifferentBrokers() {
        assertEquals(Map.of(0, List.of(1, 2), 1, List.of(2, 3), 2, List.of(3, 1)), layout(3, 3));
        assertEquals(Map.of(0, List.of(1), 1, List.of(2)), layout(2, 3));
        assertEquals(Map.of(0, List.of(1, 2), 1, List.of(3, 4)), layout(2, 4));
        assertEquals(Map.of(0, List.of(1, 2, 3), 1, List.of(4, 5, 6)), layout(2, 6));
        assertEquals(Map.of(0, List.of(7), 1, List.of(7)), KafkaTopics.assignment(2, List.of(7), 1));
        assertEquals(3, KafkaTopics.heartbeatReplication(1, 5), "one partition cannot avoid a broker: replicate it");
    }

    /**
     * The property the lease rests on: one broker's death leaves some partition with every replica alive, so
     * that partition acknowledges beats without waiting for the controller to fence the dead broker.
     */
    @Test
    void everyBrokerIsOutsideSomeHeartbeatsPartition() {
        for (int brokers = 2; brokers <= 9; brokers++) {
            for (int partitions = 2; partitions <= 7; partitions++) {
                Map<Integer, List<Integer>> a = layout(partitions, brokers);
                String where = partitions + " partitions on " + brokers + " brokers: " + a;
                assertEquals(partitions, a.size(), where);
                for (int b = 1; b <= brokers; b++) {
                    int dead = b;
                    assertTrue(a.values().stream().anyMatch(r -> !r.contains(dead)), "broker " + b + ", " + where);
                }
                for (List<Integer> r : a.values()) {
                    assertEquals(r.size(), Set.copyOf(r).size(), where);
                    assertTrue(r.size() >= 1 && r.size() <= 3, where);
                }
                if (partitions <= brokers) {
                    assertEquals(partitions, a.values().stream().map(r -> r.get(0)).distinct().count(),
                            "preferred leaders differ, " + where);
                }
                if (brokers >= 4 || partitions >= brokers && brokers >= 3) {
                    assertTrue(a.values().stream().allMatch(r -> r.size() >= 2), "replicated, " + where);
                }
            }
        }
    }

    private static Map<Integer, List<Integer>> layout(int partitions, int brokers) {
        List<Integer> ids = IntStream.rangeClosed(1, brokers).boxed().toList();
        return KafkaTopics.assignment(partitions, ids, KafkaTopics.heartbeatReplication(partitions, brokers));
    }

    @Test
    void everyTopicUsesTheLogsTimeAndTheRightRetention() {
        for (Topic t : Topic.values()) {
            NewTopic n = KafkaTopics.newTopic(t, OPTIONS, List.of(1, 2, 3, 4));
            assertEquals("shardlb." + t.suffix(), n.name());
            assertEquals("LogAppendTime", n.configs().get("message.timestamp.type"));
            // heartbeats: 2 replicas each on disjoint pairs (1,2 and 3,4), so 1 in sync suffices
            assertEquals(t == Topic.HEARTBEATS ? "1" : "2", n.configs().get("min.insync.replicas"), t.suffix());
        }
        NewTopic events = KafkaTopics.newTopic(Topic.EVENTS, OPTIONS, List.of(1, 2, 3, 4));
        assertEquals(1, events.numPartitions());
        assertEquals(3, events.replicationFactor(), "replication factor min(3, brokers)");
        assertEquals("-1", events.configs().get("retention.ms"));
        assertEquals("-1", KafkaTopics.newTopic(Topic.PLAN, OPTIONS, List.of(1)).configs().get("retention.ms"));
        assertEquals("compact", KafkaTopics.newTopic(Topic.SNAPSHOTS, OPTIONS, List.of(1)).configs().get("cleanup.policy"));
        NewTopic beats = KafkaTopics.newTopic(Topic.HEARTBEATS, OPTIONS, List.of(1, 2));
        assertEquals("3600000", beats.configs().get("retention.ms"));
        assertEquals(Map.of(0, List.of(1), 1, List.of(2)), beats.replicasAssignments(),
                "two brokers: one replica each, so neither broker's death stalls both partitions");
        assertEquals(1, KafkaTopics.newTopic(Topic.EVENTS, OPTIONS, List.of(1)).replicationFactor());
    }
}
