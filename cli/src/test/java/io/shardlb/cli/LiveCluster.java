package io.shardlb.cli;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.agent.control.Agent;
import io.shardlb.agent.control.AgentConfig;
import io.shardlb.agent.control.ForwarderKind;
import io.shardlb.agent.control.Forwarders;
import io.shardlb.arbiter.LeaseSettings;
import io.shardlb.bridge.KubeClients;
import io.shardlb.events.EventLogs;
import io.shardlb.events.log.EventLog;
import io.shardlb.events.log.LogOptions;
import picocli.CommandLine;

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
 * A whole system in this JVM for tests that judge it from outside: the controller process against the mock API
 * server, agents with the loopback proxy forwarder (VIPs from {@code 127.0.80.250/24}), all on one Kafka log. The
 * controller and the agents may log in as different principals ({@code --logProperties}).
 */
final class LiveCluster implements AutoCloseable {
    static final String NS = "default";
    static final String[] INSTANCES = {"default", "llb-inst1"};

    private final Path dir;
    private final String logUri;
    private final String prefix;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private MockKube kube;
    private ControllerProcess controller;

    LiveCluster(Path dir, String logUri, String prefix) {
        this.dir = dir;
        this.logUri = logUri;
        this.prefix = prefix;
    }

    /** Starts the mock API server and a controller, with {@code logProperties} (null: none); waits until it leads. */
    ControllerProcess startController(Path logProperties) throws Exception {
        kube = track(new MockKube(dir));
        List<String> args = new ArrayList<>(List.of("--kubeconfig=" + kube.kubeconfig(), "--log=" + logUri,
                "--topicPrefix=" + prefix, "--cidrPools", "defaultPool=127.0.80.250/24", "--setUniqueIP",
                "--numZoneInstances", Integer.toString(INSTANCES.length), "--leaseNamespace=default",
                "--leaseDuration=3s", "--id=controller-a", "--metricsHost=127.0.0.1", "--metricsPort=0"));
        if (logProperties != null) {
            args.add("--logProperties=" + logProperties);
        }
        ControllerCommand cmd = new ControllerCommand();
        new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
        ControllerConfig config = ControllerConfig.validate(cmd.flags());
        EventLog log = track(EventLogs.open(config.logUri(), config.logOptions()));
        KubernetesClient client = track(KubeClients.connect(config.kubeconfig()));
        controller = track(new ControllerProcess(config, client, log));
        controller.start();
        Await.until("controller leads", controller::isLeading);
        return controller;
    }

    /** Starts an agent named {@code name} whose log client uses {@code options} (its principal). */
    Agent startAgent(String name, LogOptions options) {
        AgentConfig config = new AgentConfig(name, logUri, prefix, "lo", ForwarderKind.PROXY, "127.0.0.1", 0,
                dir.resolve("journal-" + name), Duration.ofSeconds(10), LeaseSettings.DEFAULTS);
        Agent agent = Agent.start(config, Forwarders.open(ForwarderKind.PROXY, "lo"),
                () -> EventLogs.open(logUri, options.withTopicPrefix(prefix)));
        agents.put(name, agent);
        open.add(agent);
        return agent;
    }

    /** Creates one LoadBalancer Service pinned to {@code instance}, with one ready endpoint. */
    void createService(String name, String instance) {
        KubernetesClient user = kube.user();
        Service svc = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withAnnotations(Map.of("loxilb.io/zoneinstance", instance, "loxilb.io/lbmode", "onearm"))
                .endMetadata().withNewSpec().withType("LoadBalancer").withLoadBalancerClass("loxilb.io/loxilb")
                .withSelector(Map.of("app", name)).addNewPort().withName("tcp").withPort(18090).withProtocol("TCP")
                .withTargetPort(new IntOrString(18091)).endPort().withExternalTrafficPolicy("Cluster").endSpec()
                .build();
        user.services().inNamespace(NS).resource(svc).create();
        user.discovery().v1().endpointSlices().inNamespace(NS).resource(new EndpointSliceBuilder().withNewMetadata()
                .withName(name + "-abc").withNamespace(NS).addToLabels("kubernetes.io/service-name", name)
                .endMetadata().withAddressType("IPv4").addNewEndpoint().withAddresses("127.0.0.1")
                .withNodeName("node-1").withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewPort().withName("tcp").withPort(18091).withProtocol("TCP").endPort().build()).create();
    }

    /** The agent the Service's {@code status.shardlb.io/master} annotation names, "" while none. */
    String masterOf(String service) {
        Service s = kube.user().services().inNamespace(NS).withName(service).get();
        if (s == null || s.getMetadata().getAnnotations() == null) {
            return "";
        }
        String m = s.getMetadata().getAnnotations().getOrDefault("status.shardlb.io/master", "");
        return agents.keySet().stream().filter(m::startsWith).findFirst().orElse("");
    }

    /** Stops an agent at once: no drain, its beats simply stop (the arbiter must notice the silence). */
    void stopAgent(String name) {
        agents.get(name).close();
    }

    /** GETs {@code path} on 127.0.0.1:{@code port}. */
    static HttpResponse<String> get(int port, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // keep closing the rest: one failed close must not leak the others into later tests
            }
        }
    }
}
