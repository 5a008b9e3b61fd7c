package io.shardlb.events.log;

import io.shardlb.events.EventLogs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogUriTest {

    @Test
    void kafkaUrisNameTheirBootstrapServers() {
        LogUri.Kafka k = (LogUri.Kafka) LogUri.parse("kafka://127.0.0.1:9092,broker-2:9093");
        assertEquals(List.of("127.0.0.1:9092", "broker-2:9093"), k.bootstrapServers());
        assertEquals("127.0.0.1:9092,broker-2:9093", k.bootstrap());
    }

    @Test
    void badUrisSayWhatIsWrong() {
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> EventLogs.open("zookeeper://127.0.0.1:2181"));
        assertTrue(scheme.getMessage().startsWith("unsupported log scheme: zookeeper://"), scheme.getMessage());
        for (String bad : List.of("", "kafka://", "kafka:127.0.0.1:9092", "kafka://host", "kafka://host:0",
                "kafka://host:port")) {
            assertThrows(IllegalArgumentException.class, () -> LogUri.parse(bad), bad);
        }
    }

    @Test
    void chronicleUrisNameADirectory() {
        assertEquals(java.nio.file.Path.of("/var/lib/shardlb/journal"),
                ((LogUri.Chronicle) LogUri.parse("chronicle:/var/lib/shardlb/journal")).dir());
        assertEquals(java.nio.file.Path.of("copy"), ((LogUri.Chronicle) LogUri.parse("chronicle://copy")).dir());
        assertThrows(IllegalArgumentException.class, () -> LogUri.parse("chronicle:"));
    }

    @Test
    void optionsAreValidatedUpFront() {
        assertThrows(IllegalArgumentException.class, () -> LogOptions.defaults().withHeartbeatPartitions(0));
        assertThrows(IllegalArgumentException.class,
                () -> LogOptions.defaults().withTransactionTimeout(java.time.Duration.ofMillis(10)));
    }
}
