package io.shardlb.events.kafka;

import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.FencedWriter;
import io.shardlb.events.log.LogReads;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.SampleRecords;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two installs sharing one Kafka (different topic prefixes) each run a planner with the same role name: neither
 * may fence the other, so the transactional id carries the topic prefix.
 */
class KafkaInstallIsolationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void plannersOfTwoInstallsOnOneBrokerDoNotFenceEachOther() {
        try (EventLog blue = KafkaFixture.open("install-blue"); EventLog green = KafkaFixture.open("install-green");
             FencedWriter b = blue.fencedWriter("planner", "planner-blue")) {
            b.init();
            LogReads.awaitCommitted(blue, b.append(SampleRecords.rules("blue", 0, 2)), WAIT);
            try (FencedWriter g = green.fencedWriter("planner", "planner-green")) {
                g.init();
                LogReads.awaitCommitted(green, g.append(SampleRecords.rules("green", 0, 2)), WAIT);
                // The blue planner is still live after the green one claimed its (same-named) role.
                LogReads.awaitCommitted(blue, b.append(SampleRecords.rules("blue", 2, 1)), WAIT);
            }
            try (LogReader r = blue.reader(Topic.PLAN)) {
                List<String> ids = LogReads.readToEnd(r, WAIT).stream().map(e -> e.envelope().id()).toList();
                assertEquals(List.of("blue-0", "blue-1", "blue-2"), ids);
            }
        }
    }
}
