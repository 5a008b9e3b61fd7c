package io.shardlb.e2e.system;

import io.shardlb.events.embedded.EmbeddedKafkaCluster;
import io.shardlb.events.embedded.NodeSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A KRaft cluster of combined broker+controller nodes, each a child JVM, on fixed ports (a restarted node keeps
 * its address). Broker session and replica lag are those the 3-broker arbiter test settled on for this machine:
 * at 1.5 s a loaded 2-core machine fences live brokers, which is not the failure under test.
 */
final class EmbeddedCluster implements Brokers {
    /** Broker session timeout: how long a dead broker keeps its partitions before it is fenced. */
    static final int SESSION_MS = 10_000;
    /** How long an in-sync replica may lag before it leaves the ISR. */
    static final int REPLICA_LAG_MS = 10_000;
    private static final int BROKER_HEARTBEAT_MS = 250;

    private final EmbeddedKafkaCluster cluster;

    EmbeddedCluster(Path dir, int nodes) {
        this.cluster = EmbeddedKafkaCluster.start(dir, nodes, Map.of(
                "broker.session.timeout.ms", Integer.toString(SESSION_MS),
                "broker.heartbeat.interval.ms", Integer.toString(BROKER_HEARTBEAT_MS),
                "replica.lag.time.max.ms", Integer.toString(REPLICA_LAG_MS)), Children.START_TIMEOUT);
    }

    @Override
    public String bootstrap() {
        return cluster.bootstrap();
    }

    @Override
    public String describe() {
        return "embedded KRaft cluster of " + cluster.nodes().size() + " child JVMs at " + bootstrap()
                + " (broker session " + SESSION_MS + " ms, replica lag " + REPLICA_LAG_MS + " ms)";
    }

    @Override
    public List<Integer> nodes() {
        return cluster.nodes().stream().map(NodeSpec::nodeId).toList();
    }

    @Override
    public void kill(int node) {
        cluster.kill(node);
    }

    @Override
    public void restart(int node) {
        cluster.restart(node); // same ports and data by construction
    }

    @Override
    public void close() {
        cluster.close();
    }
}
