package io.shardlb.events.embedded;

import io.shardlb.events.EventLogs;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.log.LogReader;
import io.shardlb.events.log.LogReads;
import io.shardlb.events.log.PlainWriter;
import io.shardlb.events.log.SampleRecords;
import io.shardlb.events.schema.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class EmbeddedKafkaProcessTest {

    @Test
    void aChildBrokerKeepsItsDataAndAddressBetweenRuns(@TempDir Path dir) {
        String first;
        try (EmbeddedKafkaProcess kafka = EmbeddedKafkaProcess.start(dir)) {
            first = kafka.bootstrap();
            try (EventLog log = EventLogs.open("kafka://" + first); PlainWriter w = log.plainWriter("t")) {
                w.append(SampleRecords.fact("kept", 0)).join();
            }
        }
        try (EmbeddedKafkaProcess kafka = EmbeddedKafkaProcess.start(dir)) {
            assertEquals(first, kafka.bootstrap(), "the remembered port was free, so it is reused");
            try (EventLog log = EventLogs.open("kafka://" + kafka.bootstrap()); LogReader r = log.reader(Topic.EVENTS)) {
                List<LogEntry> read = LogReads.readToEnd(r, Duration.ofSeconds(60));
                assertEquals(List.of("kept-0"), read.stream().map(e -> e.envelope().id()).toList());
            }
            kafka.kill();
            assertFalse(kafka.isAlive());
        }
    }
}
