package io.shardlb.events.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real Kafka node in this JVM: combined broker and KRaft controller on loopback, formatted with Kafka's
 * {@code StorageTool} and run by {@code KafkaRaftServer}, exactly as {@code kafka-server-start} would.
 * A single node is the default; {@link EmbeddedKafkaCluster} runs several as child JVMs sharing one quorum.
 *
 * <p>Run it as a process with {@link #main} (see {@link EmbeddedKafkaProcess}); the data directory is kept
 * between runs, and so are its ports when they are still free.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** The line {@link #main} prints when the broker is ready, followed by the bootstrap address. */
    public static final String READY = "KAFKA_READY";

    private final KafkaRaftServer server;
    private final NodeSpec self;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private boolean closed;
    private String superUserBootstrap;
    private Map<String, Integer> listenerPorts = Map.of();

    private EmbeddedKafka(KafkaRaftServer server, NodeSpec self, Path dataDir, boolean deleteOnClose) {
        this.server = server;
        this.self = self;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a single node on fresh free ports with its data in a temporary directory, deleted on close. */
    public static EmbeddedKafka startTemporary() {
        try {
            Path dir = Files.createTempDirectory("shardlb-kafka");
            return startNode(dir, NodeLayout.single(dir), Map.of(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a single temporary node whose client listener ({@link #bootstrap()}) takes only SASL_PLAINTEXT with
     * SCRAM-SHA-512 and authorizes every request with KRaft's {@code StandardAuthorizer} (no ACL: denied). A second
     * listener, PLAINTEXT on {@link #superUserBootstrap()}, serves the broker itself (inter-broker traffic) and
     * the super user {@code User:ANONYMOUS}: through it a test creates the SCRAM users and the ACLs, as an
     * operator would with an admin credential. No SCRAM user exists at start.
     */
    public static EmbeddedKafka startTemporaryWithScram() {
        try {
            Path dir = Files.createTempDirectory("shardlb-kafka-scram");
            NodeLayout layout = NodeLayout.single(dir);
            int internal = NodeLayout.freePort();
            EmbeddedKafka k = startNode(dir, layout, BrokerConfig.saslScram(layout.self(), internal), true);
            k.superUserBootstrap = "127.0.0.1:" + internal;
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a single temporary node with one extra PLAINTEXT listener per entry of {@code advertisedPorts} (name
     * to port): each listens on a free port of its own ({@link #listenerPort}) and advertises
     * {@code 127.0.0.1:advertisedPort}. A test puts a relay of its own at the advertised port, in front of the
     * listener: a client bootstrapping through it is sent back through it by the metadata, so cutting the relay
     * cuts that client (and only it) off the broker. {@link #bootstrap()} stays the ordinary listener.
     */
    public static EmbeddedKafka startTemporaryWithRelayedListeners(Map<String, Integer> advertisedPorts) {
        try {
            Path dir = Files.createTempDirectory("shardlb-kafka-relayed");
            NodeLayout layout = NodeLayout.single(dir);
            Map<String, Integer> ports = new LinkedHashMap<>();
            List<Integer> used = new ArrayList<>(List.of(layout.self().brokerPort(),
                    layout.self().controllerPort()));
            for (String name : advertisedPorts.keySet()) {
                int p;
                do {
                    p = NodeLayout.freePort();
                } while (used.contains(p) || advertisedPorts.containsValue(p));
                used.add(p);
                ports.put(name, p);
            }
            EmbeddedKafka k = startNode(dir, layout, BrokerConfig.relayedListeners(layout.self(), ports,
                    advertisedPorts), true);
            k.listenerPorts = Map.copyOf(ports);
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port the extra listener {@code name} of {@link #startTemporaryWithRelayedListeners} listens on. */
    public int listenerPort(String name) {
        Integer p = listenerPorts.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no extra listener " + name + " (have " + listenerPorts.keySet() + ")");
        }
        return p;
    }

    /** Starts a single node keeping its data (and, while free, its ports) in {@code dataDir}. */
    public static EmbeddedKafka start(Path dataDir) {
        return startNode(dataDir, NodeLayout.single(dataDir), Map.of(), false);
    }

    /**
     * Starts node {@code layout.self()} of the quorum {@code layout.quorum()} with its data in {@code dataDir},
     * formatting the directory first unless it already is. Returns when the broker serves clients; in a
     * cluster that needs a majority of the quorum running.
     */
    static EmbeddedKafka startNode(Path dataDir, NodeLayout layout, Map<String, String> overrides,
                                   boolean deleteOnClose) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            Properties props = BrokerConfig.of(dataDir, layout.self(), layout.quorum(), overrides);
            format(dataDir, props, layout.clusterId());
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            LOG.info("embedded Kafka node {} ready at {} in {} ms", layout.self().nodeId(), layout.self().bootstrap(),
                    (System.nanoTime() - t0) / 1_000_000);
            return new EmbeddedKafka(server, layout.self(), dataDir, deleteOnClose);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Formats the node's directories with Kafka's own storage tool; an already formatted one is kept. */
    private static void format(Path dataDir, Properties props, String clusterId) throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(out, "written by EmbeddedKafka on every start");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[]{"format", "--config", config.toString(), "--cluster-id", clusterId,
                    "--ignore-formatted"}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("kafka-storage format failed (rc=" + rc + "): "
                    + buffer.toString(StandardCharsets.UTF_8));
        }
    }

    /** The bootstrap address, {@code 127.0.0.1:PORT}. */
    public String bootstrap() {
        return self.bootstrap();
    }

    /**
     * The PLAINTEXT listener of the super user on a node started with {@link #startTemporaryWithScram()}; the
     * client bootstrap ({@link #bootstrap()}) otherwise.
     */
    public String superUserBootstrap() {
        return superUserBootstrap != null ? superUserBootstrap : bootstrap();
    }

    /** This node's id and ports. */
    public NodeSpec node() {
        return self;
    }

    /** Where this node keeps its data. */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            NodeLayout.deleteTree(dataDir);
        }
    }

    /**
     * Runs one node until the process is stopped, printing {@code KAFKA_READY 127.0.0.1:PORT} once it serves.
     * Arguments: {@code --data-dir DIR} (required), {@code --node-id N} and {@code --quorum id:bport:cport,…}
     * for a cluster member (the data directory is then the node's own), {@code --set key=value} (repeatable)
     * to override a server property, and {@code --exit-on-stdin-eof} to stop when the parent closes stdin.
     */
    public static void main(String[] args) throws Exception {
        EmbeddedKafkaArgs parsed;
        try {
            parsed = EmbeddedKafkaArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("EmbeddedKafka: " + e.getMessage());
            System.err.println(EmbeddedKafkaArgs.USAGE);
            System.exit(2);
            return;
        }
        EmbeddedKafka kafka = startNode(parsed.dataDir(), parsed.layout(), parsed.overrides(), false);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-stop"));
        System.out.println(READY + " " + kafka.bootstrap());
        System.out.flush();
        if (parsed.exitOnStdinEof()) {
            while (System.in.read() >= 0) {
                // the parent holds stdin open while it wants the broker; EOF means it has gone
            }
            kafka.close();
            System.exit(0);
        } else {
            Thread.currentThread().join();
        }
    }
}
