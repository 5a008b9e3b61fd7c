package io.shardlb.events.embedded;

import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Which node this is, which nodes form the controller quorum, and the cluster id. A single node remembers its
 * ports and cluster id in {@code embedded.properties} in its data directory, so a restarted local broker keeps
 * its address while the ports are free.
 */
record NodeLayout(NodeSpec self, List<NodeSpec> quorum, String clusterId) {
    private static final String STATE_FILE = "embedded.properties";

    NodeLayout {
        quorum = List.copyOf(quorum);
    }

    /** The layout of a single node in {@code dataDir}: remembered ports if still free, else new ones. */
    static NodeLayout single(Path dataDir) {
        Path state = dataDir.resolve(STATE_FILE);
        Properties p = new Properties();
        if (Files.exists(state)) {
            try (Reader r = Files.newBufferedReader(state, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String clusterId = p.getProperty("cluster.id", Uuid.randomUuid().toString());
        int broker = reuseOrFree(p.getProperty("broker.port"));
        int controller = reuseOrFree(p.getProperty("controller.port"));
        while (controller == broker) {
            controller = freePort();
        }
        NodeSpec self = new NodeSpec(1, broker, controller);
        p.setProperty("cluster.id", clusterId);
        p.setProperty("broker.port", Integer.toString(broker));
        p.setProperty("controller.port", Integer.toString(controller));
        try {
            Files.createDirectories(dataDir);
            try (Writer w = Files.newBufferedWriter(state, StandardCharsets.UTF_8)) {
                p.store(w, "embedded Kafka: ports and cluster id, reused on the next start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new NodeLayout(self, List.of(self), clusterId);
    }

    /** A new quorum of {@code n} nodes on free ports. */
    static List<NodeSpec> freshQuorum(int n) {
        List<NodeSpec> nodes = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            int b = distinctFreePort(used);
            int c = distinctFreePort(used);
            nodes.add(new NodeSpec(id, b, c));
        }
        return List.copyOf(nodes);
    }

    private static int distinctFreePort(List<Integer> used) {
        int p;
        do {
            p = freePort();
        } while (used.contains(p));
        used.add(p);
        return p;
    }

    private static int reuseOrFree(String remembered) {
        if (remembered != null) {
            int port = Integer.parseInt(remembered.trim());
            if (isFree(port)) {
                return port;
            }
        }
        return freePort();
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
