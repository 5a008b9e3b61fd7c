package io.shardlb.cli.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.cli.UserError;
import io.shardlb.events.EventLogs;
import io.shardlb.events.embedded.EmbeddedKafka;
import io.shardlb.events.embedded.EmbeddedKafkaProcess;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.schema.Topic;

import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The parts of a local system and their order: the embedded Kafka broker, the embedded Kubernetes API with its
 * kubelet stand-in, the controller and the agents, each component a child process. Start-up prints one line per
 * step; {@link #close} stops them in reverse order and waits for each, so none is left behind. A component that
 * exits unasked is reported on the terminal and left down: a crash is something to see, not to hide.
 */
final class LocalSystem implements AutoCloseable {
    static final List<String> AGENT_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    static final List<String> CONTROLLER_JVM = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    static final Duration START = Duration.ofSeconds(180);
    private static final String CONTROLLER_ID = "local-controller";
    /** The broker's fixed ports with {@code --datapath xdp}: agents in namespaces find it at 198.18.80.1. */
    static final int XDP_KAFKA_PORT = 19092;
    private static final int XDP_KAFKA_CONTROLLER_PORT = 19093;
    /** Fixed, so the kept data directory is reused run after run (any 22-character base64 id would do). */
    private static final String XDP_KAFKA_CLUSTER = "c2hhcmRsYi1sb2NhbC14ZA";

    private final LocalHome home;
    private final LocalSettings settings;
    private final PrintStream out;
    private final Map<String, Component> agents = new TreeMap<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<AutoCloseable> viewers = new ArrayList<>();
    private Component kafka;
    private Component controller;
    private LocalNetwork network;
    private String logUri;
    private KubernetesClient client;
    private EventLog log;
    private volatile boolean stopping;
    private int stepNo;
    private long firstDecision;

    LocalSystem(LocalHome home, LocalSettings settings, PrintStream out) {
        this.home = home;
        this.settings = settings;
        this.out = out;
    }

    /** Starts every part, one progress line per step; on a failure stops what started and rethrows. */
    void start() {
        try {
            if (settings.xdp()) {
                startNetwork();
            }
            startKafka();
            startKube();
            startController();
            startAgents();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startNetwork() {
        step("building the network: namespaces " + LocalNetwork.namespaces(3) + " on a bridge, "
                + LocalNetwork.PREFIX + "h0 " + LocalNetwork.HOST_IP + " here");
        network = LocalNetwork.create(3);
        detail("client namespace " + LocalNetwork.CLIENT_NS + " (" + LocalNetwork.NET + ".10), backends in "
                + LocalNetwork.BACKEND_NS + ", agents " + LocalNetwork.agentIp(0) + "–" + LocalNetwork.agentIp(2));
    }

    private void startKafka() {
        Path dir = settings.xdp() ? home.dir().resolve("kafka-xdp") : home.kafka();
        // Each run starts from an empty log, as the seed guide starts from an empty cluster (the embedded API starts
        // empty too: an old log would still hold the last run's Services and their addresses in quarantine). The
        // previous run's log is kept beside it, one generation.
        Path previous = dir.resolveSibling(dir.getFileName() + ".previous");
        if (Files.isDirectory(dir)) {
            deleteTree(previous);
            try {
                Files.move(dir, previous);
            } catch (IOException e) {
                throw new UserError("cannot move the previous run's log " + dir + " aside: " + e.getMessage());
            }
        }
        step("starting the embedded Kafka broker (child JVM, data kept in " + dir + "; the last run's in "
                + previous.getFileName() + ")");
        List<String> args = new ArrayList<>(List.of("--data-dir", dir.toAbsolutePath().toString(),
                "--exit-on-stdin-eof"));
        if (settings.xdp()) {
            // agents in their namespaces reach the broker on this namespace's veth end, not on 127.0.0.1
            String broker = LocalNetwork.HOST_IP + ":" + XDP_KAFKA_PORT;
            String controllerAddress = "127.0.0.1:" + XDP_KAFKA_CONTROLLER_PORT;
            args.addAll(List.of("--node-id", "1", "--quorum", "1:" + XDP_KAFKA_PORT + ":" + XDP_KAFKA_CONTROLLER_PORT,
                    "--cluster-id", XDP_KAFKA_CLUSTER,
                    "--set", "listeners=PLAINTEXT://" + broker + ",CONTROLLER://" + controllerAddress,
                    "--set", "advertised.listeners=PLAINTEXT://" + broker));
        }
        kafka = Component.start("kafka", EmbeddedKafka.class.getName(), args,
                EmbeddedKafkaProcess.QUICK_START_JVM, home.logs().resolve("kafka.out"),
                l -> l.startsWith(EmbeddedKafka.READY + " "), START, this::crashed);
        logUri = "kafka://" + (settings.xdp() ? LocalNetwork.HOST_IP + ":" + XDP_KAFKA_PORT
                : kafka.readyLine().substring(EmbeddedKafka.READY.length()).trim());
        home.write(home.logUri(), logUri);
        log = EventLogs.open(logUri);
        closing.add(log);
        firstDecision = log.endOffsets(Topic.PLAN).getOrDefault(0, 0L);
        detail("log " + logUri + " (pid " + kafka.pid() + ")");
    }

    private void startKube() {
        int port = settings.ports().kubeApi();
        step("starting the embedded Kubernetes API (fabric8 mock server, CRUD mode) on 127.0.0.1:" + port);
        closing.add(LocalKube.start(port, home));
        client = LocalKube.client(home.kubeconfig());
        closing.add(client);
        detail("kubeconfig " + home.kubeconfig() + "; local mode plays kubelet, endpoints controller and "
                + "ClusterIP/nodePort allocation");
        LocalKubelet kubelet = new LocalKubelet(client, settings.podNet(), settings.firstPod(),
                settings.xdp() ? network::startPod : PodBackend::start, out);
        kubelet.start();
        closing.add(kubelet);
    }

    private void startController() {
        int metrics = settings.ports().controllerMetrics();
        step("starting the controller (kube-bridge + planner + arbiter; leader elected on a Lease)");
        controller = Component.start("controller", ChildMain.class.getName(), List.of("controller",
                        "--kubeconfig", home.kubeconfig().toAbsolutePath().toString(), "--log", logUri,
                        "--cidrPools", "defaultPool=" + settings.pool(), "--setUniqueIP", "--numZoneInstances", "3",
                        "--leaseNamespace", "kube-system", "--id", CONTROLLER_ID, "--metricsHost", "127.0.0.1",
                        "--metricsPort", String.valueOf(metrics)),
                CONTROLLER_JVM, home.logs().resolve("controller.out"), null, START, this::crashed);
        Probe.await("the controller to lead", START, () -> {
            if (!controller.isAlive()) {
                throw new IllegalStateException("the controller exited (code " + controller.exitCode()
                        + "; its output: " + controller.log() + ")");
            }
            String m = Probe.get("http://127.0.0.1:" + metrics + "/metrics");
            return m != null && m.contains("shardlb_controller_leader 1");
        });
        detail("leading (pid " + controller.pid() + ", metrics http://127.0.0.1:" + metrics + "/metrics)");
    }

    private void startAgents() {
        step("starting three agents (" + settings.datapath() + " forwarder)");
        for (int i = 0; i < 3; i++) {
            Component a = startAgent(agentName(i));
            detail(a.name() + ": API " + agentApi(i) + " (pid " + a.pid() + ")");
        }
    }

    private Component startAgent(String name) {
        int index = Integer.parseInt(name.substring("agent-".length())) - 1;
        List<String> wrapper = settings.xdp() ? List.of("ip", "netns", "exec", LocalNetwork.agentNs(index))
                : List.of();
        Component a = Component.start(name, wrapper, ChildMain.class.getName(), List.of("agent", "--name", name,
                        "--log", logUri, "--interface", settings.xdp() ? LocalNetwork.agentIf(index) : "lo",
                        "--forwarder", settings.datapath(), "--apiHost", settings.agentHost(index),
                        "--apiPort", String.valueOf(settings.ports().agentApi(index)),
                        "--journal", home.journal(name).toAbsolutePath().toString(), "--drainTimeout", "3s"),
                AGENT_JVM, home.logs().resolve(name + ".out"), l -> l.startsWith("agent " + name + " API on"),
                START, this::crashed);
        synchronized (agents) {
            agents.put(name, a);
        }
        return a;
    }

    static String agentName(int index) {
        return "agent-" + (index + 1);
    }

    String agentApi(int index) {
        return "http://" + settings.agentHost(index) + ":" + settings.ports().agentApi(index);
    }

    KubernetesClient client() {
        return client;
    }

    EventLog log() {
        return log;
    }

    /** Closes {@code c} first on {@link #close}: a view stops before the parts it shows stop. */
    synchronized void onClose(AutoCloseable c) {
        viewers.add(c);
    }

    /** The plan offset where this run's decisions begin (the log is kept between runs). */
    long firstDecision() {
        return firstDecision;
    }

    /** {@code kill-agent NAME}: SIGKILL, as a crash would. */
    String kill(String name) {
        synchronized (agents) {
            Component a = agent(name);
            if (!a.isAlive()) {
                throw new UserError(name + " is not running (bin/shardlb restart-agent " + name + " starts it)");
            }
            a.kill();
            String msg = name + " (pid " + a.pid() + ") killed with SIGKILL";
            out.println("      [kill-agent] " + msg);
            return msg;
        }
    }

    /** {@code restart-agent NAME}: stops it if it runs (SIGTERM-like: it drains), then starts it again. */
    String restart(String name) {
        synchronized (agents) {
            Component old = agent(name);
            if (old.isAlive()) {
                old.stop(Duration.ofSeconds(30));
            }
            Component a = startAgent(name);
            String msg = name + " started again (pid " + a.pid() + ")";
            out.println("      [restart-agent] " + msg);
            return msg;
        }
    }

    private Component agent(String name) {
        Component a = agents.get(name);
        if (a == null) {
            throw new UserError("no agent named " + name + "; the agents are " + agents.keySet());
        }
        return a;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LoggerFactory.getLogger(LocalSystem.class).warn("could not close {}", c, e);
        }
    }

    private void crashed(Component c) {
        if (stopping) {
            return;
        }
        out.println("      [!] " + c.name() + " (pid " + c.pid() + ") exited with code " + c.exitCode()
                + "; not restarted (its output: " + c.log() + ")"
                + (c.name().startsWith("agent-") ? "; bin/shardlb restart-agent " + c.name() + " starts it" : ""));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UserError("cannot delete " + root + ": " + e.getMessage());
        }
    }

    /** Prints the next numbered progress line, for a step under way. */
    void step(String what) {
        step(what, true);
    }

    /** Prints the next numbered progress line; "…" when the step is still under way. */
    void step(String what, boolean underWay) {
        out.println("[" + ++stepNo + "] " + what + (underWay ? " …" : ""));
    }

    private void detail(String what) {
        out.println("      " + what);
    }

    /** Stops everything started, newest first, and waits for each process to be gone. */
    @Override
    public synchronized void close() {
        stopping = true;
        viewers.forEach(LocalSystem::closeQuietly);
        viewers.clear();
        List<Component> running;
        synchronized (agents) {
            running = new ArrayList<>(agents.values());
        }
        running.parallelStream().forEach(a -> a.stop(Duration.ofSeconds(20)));
        if (controller != null) {
            controller.stop(Duration.ofSeconds(20));
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closeQuietly(closing.get(i));
        }
        closing.clear();
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(40));
        }
        home.delete(home.logUri());
        if (network != null) {
            network.close();
            network = null;
        }
    }
}
