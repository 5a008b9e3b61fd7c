package io.shardlb.e2e.system;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.shardlb.e2e.probe.LineBackend;
import io.shardlb.events.embedded.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system on one host, unprivileged: Kafka ({@link BrokerProvider}: a container where Docker answers, else
 * the embedded broker as a child JVM, or a KRaft cluster of child JVMs), the mock Kubernetes API with a
 * kubeconfig, the controller ({@code shardlb controller}, child JVM), agents ({@code shardlb agent --forwarder
 * proxy} on loopback, child JVMs), a backend, and the EndpointSlices a real cluster would write for each Service.
 * Every process can be killed (-9), stopped (SIGTERM) and started again; judges live elsewhere (the probe).
 */
public final class ShardlbSystem implements AutoCloseable {
    /** The Services' port, as in the seed. */
    public static final int PORT = 57002;
    /** Where the Services live. */
    public static final String NS = "default";
    /** How often waits that cost another process a request poll it. */
    public static final Duration API_POLL = Duration.ofMillis(100);

    /**
     * What to run.
     *
     * @param pools     the controller's {@code --cidrPools}
     * @param instances {@code --numZoneInstances}
     * @param agents    the agents' names
     */
    public record Settings(String pools, int instances, List<String> agents) {
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final Path work;
    private final Settings settings;
    private final Datapath datapath;
    private final String prefix;
    private final MockApi api;
    private final LineBackend backend;
    private final Map<String, ChildJvm> agents = new LinkedHashMap<>();
    private final List<ChildJvm> controllers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread supervisor;
    private volatile boolean closing;
    private volatile int controllerRestarts;
    private int replays;
    private final Brokers brokers;
    private volatile int controllerPort;
    private int controllerCount;

    private ShardlbSystem(Path work, Settings settings, Datapath datapath, int brokerCount) {
        this.work = work;
        this.settings = settings;
        this.datapath = datapath;
        // each system has a broker of its own, so the default prefix: what a user's replay reads without flags
        this.prefix = io.shardlb.events.log.LogOptions.DEFAULT_PREFIX;
        this.brokers = BrokerProvider.start(work.resolve("kafka"), brokerCount, datapath.brokerArgs());
        this.api = new MockApi(work.resolve("api"));
        this.backend = datapath.startBackend();
        this.supervisor = Thread.ofPlatform().daemon().name("controller-deployment").unstarted(this::supervise);
    }

    /**
     * What the controller's Deployment does: a controller process that exits (a fault, or kill -9) is started
     * again, after a short back-off. The controller is built to stop loudly rather than limp on, so without this a
     * transient fault (an API timeout on a loaded machine) would end the run.
     */
    private void supervise() {
        while (!closing) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            if (!closing && !controllers.isEmpty() && controllers.stream().noneMatch(ChildJvm::isAlive)) {
                synchronized (this) {
                    if (!closing && controllers.stream().noneMatch(ChildJvm::isAlive)) {
                        controllers.clear();
                        controllerRestarts++;
                        startController();
                    }
                }
            }
        }
    }

    /** How many times the supervisor started a controller again. */
    public int controllerRestarts() {
        return controllerRestarts;
    }

    /** Starts one broker, API, backend, the controller (leading) and every agent, on loopback. */
    public static ShardlbSystem start(Path work, Settings settings) {
        return start(work, settings, new Loopback(), 1);
    }

    /**
     * As {@link #start(Path, Settings)} on {@code brokers} Kafka nodes (the log's topics then get the replication
     * the product gives them on that many brokers).
     */
    public static ShardlbSystem start(Path work, Settings settings, int brokers) {
        return start(work, settings, new Loopback(), brokers);
    }

    /** As {@link #start(Path, Settings, Datapath, int)} on one broker. */
    public static ShardlbSystem start(Path work, Settings settings, Datapath datapath) {
        return start(work, settings, datapath, 1);
    }

    /**
     * Starts {@code brokers} Kafka nodes, API, backend, the controller (leading) and every agent on
     * {@code datapath}; the system owns the datapath from here on (closes it last, or at once if the start fails).
     */
    public static ShardlbSystem start(Path work, Settings settings, Datapath datapath, int brokers) {
        ShardlbSystem s;
        try {
            s = new ShardlbSystem(work, settings, datapath, brokers);
        } catch (RuntimeException e) {
            datapath.close();
            throw e;
        }
        try {
            s.startController();
            s.supervisor.start();
            s.awaitLeader(Children.START_TIMEOUT);
            for (String a : settings.agents()) {
                s.startAgent(a);
            }
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public MockApi api() {
        return api;
    }

    public Settings settings() {
        return settings;
    }

    /** Where the packets flow (loopback proxy or XDP in namespaces). */
    public Datapath datapath() {
        return datapath;
    }

    /** Cuts agent {@code name} off from the broker (its traffic to it dropped), or lets it through again. */
    public void cutOff(String name, boolean cut) {
        datapath.cutOff(settings.agents().indexOf(name), cut);
    }

    /** The log's URI (the brokers keep their ports across restarts while they are free). */
    public String logUri() {
        return "kafka://" + datapath.bootstrap(brokers.bootstrap());
    }

    /** The Kafka nodes, to kill and restart one of them. */
    public Brokers brokers() {
        return brokers;
    }

    public String topicPrefix() {
        return prefix;
    }

    /** Starts a controller (another one if one runs: it stands by on the Lease). */
    public synchronized void startController() {
        controllerPort = freePort();
        String id = "controller-" + (++controllerCount);
        controllers.add(Children.shardlb(List.of("controller", "--kubeconfig=" + api.kubeconfig(),
                "--log=" + logUri(), "--topicPrefix=" + prefix, "--cidrPools", settings.pools(), "--setUniqueIP",
                "--numZoneInstances", Integer.toString(settings.instances()), "--leaseNamespace=" + NS,
                "--leaseDuration=3s", "--id=" + id, "--metricsHost=127.0.0.1", "--metricsPort=" + controllerPort),
                work.resolve("out").resolve(id + ".out")));
    }

    /** Waits until the newest controller leads. */
    public void awaitLeader(Duration timeout) {
        Await.until("controller leads", timeout, API_POLL, () -> metrics().contains("shardlb_controller_leader 1"));
    }

    private String metrics() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controllerPort + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Whether a controller process runs. */
    public boolean controllerRunning() {
        return controllers.stream().anyMatch(ChildJvm::isAlive);
    }

    /** kill -9 of every running controller (the supervisor starts a new one, as its Deployment would). */
    public void killController() {
        controllers.stream().filter(ChildJvm::isAlive).forEach(ChildJvm::kill);
    }

    /** Starts agent {@code name} (a new incarnation if it ran before; its journal stays). */
    public void startAgent(String name) {
        ChildJvm old = agents.get(name);
        if (old != null && old.isAlive()) {
            throw new IllegalStateException("agent already runs: " + name);
        }
        int index = settings.agents().indexOf(name);
        List<String> args = new ArrayList<>(List.of("agent", "--name", name, "--log", logUri(), "--topicPrefix",
                prefix));
        args.addAll(datapath.agentArgs(index));
        args.addAll(List.of("--apiHost", "127.0.0.1", "--apiPort", "0",
                "--journal", work.resolve("journal-" + name).toAbsolutePath().toString(), "--drainTimeout", "30s"));
        agents.put(name, Children.shardlb(datapath.agentWrapper(index), args,
                work.resolve("out").resolve(name + ".out")));
    }

    /** kill -9 of agent {@code name}; returns once it is gone. */
    public void killAgent(String name) {
        agents.get(name).kill();
    }

    /** SIGTERM of agent {@code name} (it drains); true if it exited within {@code timeout}. */
    public boolean terminateAgent(String name, Duration timeout) {
        ChildJvm c = agents.get(name);
        Children.terminate(c);
        return c.waitFor(timeout);
    }

    /** Stops every broker (kill -9: what the log sees of crashed nodes). */
    public void stopBroker() {
        brokers.nodes().forEach(brokers::kill);
    }

    /**
     * Starts every broker again on the same data and addresses, all at once (a KRaft node's start waits for a
     * quorum majority, so one by one would never finish).
     */
    public void restartBroker() {
        List<java.util.concurrent.CompletableFuture<Void>> starting = new ArrayList<>();
        for (int node : brokers.nodes()) {
            starting.add(java.util.concurrent.CompletableFuture.runAsync(() -> brokers.restart(node),
                    r -> Thread.ofPlatform().daemon().name("restart-broker-" + node).start(r)));
        }
        starting.forEach(java.util.concurrent.CompletableFuture::join);
    }

    /** Creates a LoadBalancer Service and the EndpointSlice pointing at the backend, as a cluster would. */
    public void createService(String name, Map<String, String> annotations) {
        Service svc = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withAnnotations(annotations).endMetadata().withNewSpec().withType("LoadBalancer")
                .withLoadBalancerClass("loxilb.io/loxilb").withSelector(Map.of("app", name)).addNewPort()
                .withName("tcp").withPort(PORT).withProtocol("TCP").withTargetPort(new IntOrString(backend.port()))
                .endPort().withExternalTrafficPolicy("Cluster").endSpec().build();
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName(name + "-abc").withNamespace(NS)
                .addToLabels("kubernetes.io/service-name", name).endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses(backend.address().getHostAddress()).withNodeName("node-1")
                .withNewConditions().withReady(true).endConditions().endEndpoint().addNewPort().withName("tcp")
                .withPort(backend.port()).withProtocol("TCP").endPort().build();
        api.user().services().inNamespace(NS).resource(svc).create();
        api.user().discovery().v1().endpointSlices().inNamespace(NS).resource(slice).create();
    }

    /** Deletes a Service as a user would (the controller's finalizer holds it until its VIP is released). */
    public void deleteService(String name) {
        api.user().services().inNamespace(NS).withName(name).delete();
    }

    /** The VIP the Service's status shows ({@code llb-IP}), or null before there is one. */
    public String vip(String name) {
        Service s = api.user().services().inNamespace(NS).withName(name).get();
        if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null
                || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            return null;
        }
        String host = s.getStatus().getLoadBalancer().getIngress().getFirst().getHostname();
        return host == null ? null : host.substring(host.indexOf('-') + 1);
    }

    /** An output annotation {@code status.shardlb.io/KEY} of a Service, or null. */
    public String status(String name, String key) {
        Service s = api.user().services().inNamespace(NS).withName(name).get();
        return s == null || s.getMetadata().getAnnotations() == null ? null
                : s.getMetadata().getAnnotations().get("status.shardlb.io/" + key);
    }

    /**
     * Runs {@code shardlb log export} (plan, then events) and {@code shardlb replay --verify} on the copy, in a fresh
     * JVM, as a user would check a live log.
     */
    public Replay verifyReplay() {
        int n = ++replays;
        return Replay.verify(logUri(), work.resolve("copy-" + n),
                work.resolve("out").resolve("replay-" + n + ".out"));
    }

    /** Every record of {@code topic} ({@code events}, {@code heartbeats}, …) up to its end now, via log dump. */
    public List<LogRecords.Entry> dump(String topic) {
        int n = ++replays;
        return LogRecords.dump(logUri(), topic, work.resolve("out").resolve("dump-" + topic + "-" + n + ".json"));
    }

    /**
     * Writes what a post-mortem needs into out/: each running agent's /v1/ha and /v1/lb, the controller's metrics,
     * and {@code shardlb log dump} of the events and plan topics. Best effort: a failing step is noted and skipped.
     */
    public void diagnose() {
        Path out = work.resolve("out");
        StringBuilder b = new StringBuilder();
        for (var e : agents.entrySet()) {
            if (!e.getValue().isAlive()) {
                continue;
            }
            try {
                String api = java.nio.file.Files.readAllLines(out.resolve(e.getKey() + ".out")).stream()
                        .filter(l -> l.contains(" API on ")).reduce((x, y) -> y).orElse("")
                        .replaceAll(".* API on (\\S+).*", "$1");
                for (String path : List.of("/v1/ha", "/v1/lb", "/readyz")) {
                    b.append("== ").append(e.getKey()).append(' ').append(path).append('\n').append(http.send(
                            HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString()).body()).append('\n');
                }
            } catch (Exception ex) {
                b.append("== ").append(e.getKey()).append(": ").append(ex).append('\n');
            }
        }
        b.append("== controller metrics\n").append(metrics()).append('\n');
        try {
            java.nio.file.Files.writeString(out.resolve("diagnose.txt"), b.toString());
            for (String topic : List.of("events", "plan")) {
                Replay.run(List.of("log", "dump", "--log", logUri(), "--topic", topic), out.resolve(topic + ".txt"));
            }
        } catch (Exception ex) {
            LoggerHolder.LOG.warn("diagnose failed", ex);
        }
    }

    /** The logger, initialised only when a post-mortem needs it. */
    private static final class LoggerHolder {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShardlbSystem.class);
    }

    /** The names of the agents that run now. */
    public List<String> runningAgents() {
        return agents.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closing = true;
        supervisor.interrupt();
        synchronized (this) {
            controllers.stream().filter(ChildJvm::isAlive).forEach(ChildJvm::kill);
        }
        agents.values().stream().filter(ChildJvm::isAlive).forEach(ChildJvm::kill);
        controllers.stream().filter(ChildJvm::isAlive).forEach(ChildJvm::kill);
        backend.close();
        http.close();
        api.close();
        brokers.close();
        datapath.close();
    }
}
