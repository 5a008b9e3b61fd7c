package io.shardlb.events.kafka;

import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Testcontainers side of {@link KafkaFixture}, kept apart so nothing touches Docker unless asked. Public for the
 * e2e system's broker provider, which runs the same container (it needs to kill and restart it).
 */
public final class DockerKafka {
    private static final Logger LOG = LoggerFactory.getLogger(DockerKafka.class);

    private DockerKafka() {
    }

    /**
     * A Kafka container (not started) of our client's version, configured as every test's broker: a killed
     * transactional writer stalls plan readers for a second at most, and consumer groups start at once.
     */
    public static KafkaContainer container() {
        return new KafkaContainer("apache/kafka:" + AppInfoParser.getVersion())
                .withEnv("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS", "1000")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    }

    /** Starts a Kafka container matching our client version; {@code null} if Docker does not answer. */
    static String tryStart() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
            KafkaContainer kafka = container();
            kafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "kafka-container-stop"));
            LOG.info("KafkaFixture: Testcontainers broker at {}", kafka.getBootstrapServers());
            return kafka.getBootstrapServers();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("KafkaFixture: Docker unusable ({}); using the embedded broker", e.toString());
            return null;
        }
    }
}
