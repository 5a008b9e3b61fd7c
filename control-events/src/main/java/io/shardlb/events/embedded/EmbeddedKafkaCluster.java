package io.shardlb.events.embedded;

import org.apache.kafka.common.Uuid;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Several combined broker+controller nodes, each in its own child JVM, sharing one controller quorum, with a
 * short broker session timeout (about 1.5 s) so a killed broker is noticed quickly. For failover tests.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private static final int DEFAULT_START_TIMEOUT_S = 90;
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(DEFAULT_START_TIMEOUT_S);
    private final Path dir;
    private final List<NodeSpec> quorum;
    private final String clusterId;
    private final Map<String, String> overrides;
    private final Duration startTimeout;
    private final Map<Integer, EmbeddedKafkaProcess> running = new LinkedHashMap<>();

    private EmbeddedKafkaCluster(Path dir, List<NodeSpec> quorum, String clusterId, Map<String, String> overrides,
                                 Duration startTimeout) {
        this.startTimeout = startTimeout;
        this.dir = dir;
        this.quorum = quorum;
        this.clusterId = clusterId;
        this.overrides = Map.copyOf(overrides);
    }

    /** Starts {@code nodes} nodes with their data under {@code dir}/node-ID; returns when all serve clients. */
    public static EmbeddedKafkaCluster start(Path dir, int nodes) {
        return start(dir, nodes, Map.of());
    }

    /**
     * Starts {@code nodes} nodes as {@link #start(Path, int)} does, with broker properties {@code overrides}
     * (e.g. a shorter {@code broker.session.timeout.ms}) put over the defaults on every node.
     */
    public static EmbeddedKafkaCluster start(Path dir, int nodes, Map<String, String> overrides) {
        return start(dir, nodes, overrides, DEFAULT_START_TIMEOUT);
    }

    /**
     * As {@link #start(Path, int, Map)}, waiting up to {@code startTimeout} for each node (also on restarts): a
     * heavily loaded machine needs more than the default {@value #DEFAULT_START_TIMEOUT_S} s.
     */
    public static EmbeddedKafkaCluster start(Path dir, int nodes, Map<String, String> overrides,
                                             Duration startTimeout) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node: nodes=" + nodes);
        }
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(dir, NodeLayout.freshQuorum(nodes),
                Uuid.randomUuid().toString(), overrides, startTimeout);
        // All at once: a node's startup waits for a quorum majority, so one by one would never finish.
        List<CompletableFuture<EmbeddedKafkaProcess>> starting = new ArrayList<>();
        for (NodeSpec n : cluster.quorum) {
            starting.add(CompletableFuture.supplyAsync(() -> cluster.launch(n)));
        }
        try {
            for (int i = 0; i < starting.size(); i++) {
                cluster.running.put(cluster.quorum.get(i).nodeId(), starting.get(i).join());
            }
        } catch (RuntimeException e) {
            starting.forEach(f -> f.thenAccept(EmbeddedKafkaProcess::close));
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private EmbeddedKafkaProcess launch(NodeSpec n) {
        List<String> args = new ArrayList<>(List.of("--node-id", Integer.toString(n.nodeId()), "--quorum",
                NodeSpec.joinArgs(quorum), "--cluster-id", clusterId));
        overrides.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        return EmbeddedKafkaProcess.start(dir.resolve("node-" + n.nodeId()), args, List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--sun-misc-unsafe-memory-access=allow"),
                startTimeout);
    }

    /** Bootstrap addresses of every node, comma-separated. */
    public String bootstrap() {
        return String.join(",", quorum.stream().map(NodeSpec::bootstrap).toList());
    }

    /** The nodes, in id order. */
    public List<NodeSpec> nodes() {
        return quorum;
    }

    /** Kills node {@code nodeId} with SIGKILL. */
    public synchronized void kill(int nodeId) {
        EmbeddedKafkaProcess p = running.remove(nodeId);
        if (p != null) {
            p.kill();
        }
    }

    /** Stops node {@code nodeId} cleanly. */
    public synchronized void stop(int nodeId) {
        EmbeddedKafkaProcess p = running.remove(nodeId);
        if (p != null) {
            p.close();
        }
    }

    /** Starts a stopped or killed node again on its old ports and data; returns when it serves clients. */
    public synchronized void restart(int nodeId) {
        if (running.containsKey(nodeId)) {
            throw new IllegalStateException("node " + nodeId + " is running");
        }
        NodeSpec n = quorum.stream().filter(s -> s.nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such node: " + nodeId));
        running.put(nodeId, launch(n));
    }

    @Override
    public synchronized void close() {
        // all at once: a node shutting down alone waits for controllers that are also about to go
        running.values().forEach(EmbeddedKafkaProcess::requestStop);
        running.values().forEach(EmbeddedKafkaProcess::close);
        running.clear();
    }
}
