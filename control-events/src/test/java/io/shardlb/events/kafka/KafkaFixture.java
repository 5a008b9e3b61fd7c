package io.shardlb.events.kafka;

import io.shardlb.events.embedded.EmbeddedKafka;
import io.shardlb.events.log.LogOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Kafka broker per test JVM for every test that needs the log: a Testcontainers Kafka when a Docker daemon
 * answers, the in-process {@link EmbeddedKafka} otherwise (always on a machine without Docker). The same tests
 * run either way. Set {@code -Dshardlb.kafka.fixture=embedded} to skip the Docker probe.
 *
 * <p>Tests share the broker, so each uses its own topic prefix ({@link #options}, {@link #prefix}). Another
 * module gets this class from the control-events test-jar; for the Docker path it also needs
 * {@code org.testcontainers:kafka} (test scope), else it always uses the embedded broker.
 */
public final class KafkaFixture {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static String bootstrap;

    private KafkaFixture() {
    }

    /** The shared broker's bootstrap address, starting it on first use. */
    public static synchronized String bootstrap() {
        if (bootstrap == null) {
            bootstrap = dockerWanted() ? tryDocker() : null;
            if (bootstrap == null) {
                EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-fixture-stop"));
                bootstrap = kafka.bootstrap();
                LOG.info("KafkaFixture: embedded broker at {}", bootstrap);
            }
        }
        return bootstrap;
    }

    /** {@code kafka://} URI of the shared broker. */
    public static String logUri() {
        return "kafka://" + bootstrap();
    }

    /** A topic prefix no other test in this JVM (or an earlier run on a kept broker) uses. */
    public static String prefix(String name) {
        return "t-" + name + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".";
    }

    /** Default log options with a fresh prefix. */
    public static LogOptions options(String name) {
        return LogOptions.defaults().withTopicPrefix(prefix(name));
    }

    /** A log on the shared broker with a fresh prefix (topics created). */
    public static KafkaEventLog open(String name) {
        return new KafkaEventLog(bootstrap(), options(name));
    }

    /** Testcontainers is a test dependency of control-events only: a module without it falls back, too. */
    private static String tryDocker() {
        try {
            return DockerKafka.tryStart();
        } catch (LinkageError e) {
            LOG.warn("KafkaFixture: Testcontainers not on the class path ({}); using the embedded broker", e.toString());
            return null;
        }
    }

    /**
     * Whether to try Docker at all: {@code -Dshardlb.kafka.fixture=embedded|docker} decides if set, else a daemon in
     * sight ({@code DOCKER_HOST} or the default socket). Public for the e2e system's broker provider.
     */
    public static boolean dockerWanted() {
        String forced = System.getProperty("shardlb.kafka.fixture", "");
        if (forced.equals("embedded")) {
            return false;
        }
        // Probing Testcontainers without any daemon in sight only costs time and log noise.
        return forced.equals("docker") || System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"));
    }
}
