package io.shardlb.e2e.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * Chooses the Kafka a system runs on, and says so in the log: a single broker is a Testcontainers Kafka container
 * where a Docker daemon answers, the embedded broker (a child JVM) otherwise, so the same tests run either way. A
 * cluster is always embedded child JVMs: the scenario kills one node with -9 and starts it again on its data.
 */
public final class BrokerProvider {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerProvider.class);

    private BrokerProvider() {
    }

    /** Starts {@code nodes} Kafka nodes with any data under {@code dir}; returns once they serve clients. */
    public static Brokers start(Path dir, int nodes) {
        return start(dir, nodes, List.of());
    }

    /**
     * As {@link #start(Path, int)}; {@code brokerArgs} (listeners on a namespace segment's address) ask for the
     * embedded broker, which takes them: a container listens where Docker puts it.
     */
    public static Brokers start(Path dir, int nodes, List<String> brokerArgs) {
        if (nodes < 1) {
            throw new IllegalArgumentException("at least one broker: nodes=" + nodes);
        }
        if (nodes == 1 && brokerArgs.isEmpty()) {
            Brokers container = tryContainer();
            if (container != null) {
                LOG.info("e2e Kafka: {}", container.describe());
                return container;
            }
        }
        if (nodes > 1 && !brokerArgs.isEmpty()) {
            throw new IllegalArgumentException("broker arguments are for a single broker: " + brokerArgs);
        }
        Brokers embedded = nodes == 1 ? new EmbeddedBroker(dir, brokerArgs) : new EmbeddedCluster(dir, nodes);
        LOG.info("e2e Kafka: {}{}", embedded.describe(), nodes == 1 ? " (no Docker daemon answers)" : "");
        return embedded;
    }

    /**
     * A container broker, or null without Docker. Testcontainers and the control-events test-jar may be missing
     * from a class path (a module that declares them test-only): then the embedded broker it is, too.
     */
    private static Brokers tryContainer() {
        try {
            return ContainerBroker.dockerAvailable() ? new ContainerBroker() : null;
        } catch (LinkageError e) {
            LOG.warn("e2e Kafka: Testcontainers not on the class path ({}); using the embedded broker", e.toString());
            return null;
        } catch (RuntimeException e) {
            LOG.warn("e2e Kafka: Docker unusable ({}); using the embedded broker", e.toString());
            return null;
        }
    }
}
