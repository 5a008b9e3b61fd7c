package io.shardlb.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardlb.bridge.KubeClients;
import io.shardlb.events.EventLogs;
import io.shardlb.events.log.EventLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code shardlb controller}: the controller process (kube-bridge + planner + arbiter, one leader elected on a
 * Lease). Flags as kube-loxilb names them where it has them; every value is validated before anything starts.
 * Runs until SIGTERM (exit 0) or a fault (exit {@link ControllerProcess#EXIT_FAULT}).
 */
@Command(name = "controller", description = "Run the shardlb controller (bridge, planner, arbiter; leader-elected).")
final class ControllerCommand implements Callable<Integer> {
    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "kubeconfig file (default: in-cluster)")
    Path kubeconfig;
    @Option(names = "--log", paramLabel = "URI", required = true, description = "the log: kafka://HOST:PORT[,…]")
    String log;
    @Option(names = "--topicPrefix", description = "prefix of the log's topic names (default: shardlb.)")
    String topicPrefix;
    @Option(names = "--heartbeatPartitions", defaultValue = "2", description = "heartbeats partitions at creation")
    int heartbeatPartitions;
    @Option(names = "--logProperties", paramLabel = "FILE", description = "Kafka client properties (TLS, SASL)")
    Path logProperties;
    @Option(names = "--cidrPools", description = "IPv4 VIP pools: name=CIDR|start-end[,…]")
    String cidrPools;
    @Option(names = "--cidr6Pools", description = "IPv6 VIP pools, same syntax")
    String cidr6Pools;
    @Option(names = "--setUniqueIP", description = "one VIP per Service")
    boolean setUniqueIp;
    @Option(names = "--numZoneInstances", defaultValue = "1", description = "instances (shards)")
    int numZoneInstances;
    @Option(names = "--zone", defaultValue = "llb", description = "zone: instance names and hostnames")
    String zone;
    @Option(names = "--noZoneName", description = "publish ip + ipMode Proxy instead of hostname <zone>-<ip>")
    boolean noZoneName;
    @Option(names = "--setLBMode", defaultValue = "0", description = "default mode: 0|default, 1|onearm, "
            + "2|fullnat, dsr")
    String setLbMode;
    @Option(names = "--loadBalancerClass", description = "the class that is ours (default: loxilb.io/loxilb and "
            + "shardlb.io/shardlb)")
    String loadBalancerClass;
    @Option(names = "--acceptClassless", description = "also serve LoadBalancer Services with no class")
    boolean acceptClassless;
    @Option(names = "--setRoles", description = "kube-loxilb compatibility; roles are always on")
    String setRoles;
    @Option(names = "--namespace", description = "watch only this namespace (default: all)")
    String namespace;
    @Option(names = "--agentNamespace", defaultValue = "kube-system", description = "namespace of the agent pods")
    String agentNamespace;
    @Option(names = "--agentSelector", defaultValue = "app=shardlb-agent", description = "agent pods: k=v[,k=v…]")
    String agentSelector;
    @Option(names = "--leaseNamespace", defaultValue = "kube-system", description = "namespace of the Lease")
    String leaseNamespace;
    @Option(names = "--leaseName", defaultValue = "shardlb-controller", description = "name of the Lease")
    String leaseName;
    @Option(names = "--leaseDuration", defaultValue = "5s", description = "lease duration (e.g. 5s)")
    String leaseDuration;
    @Option(names = "--id", description = "this controller's identity (default: $HOSTNAME-pid)")
    String id;
    @Option(names = "--metricsHost", defaultValue = "0.0.0.0", description = "address of /metrics, /healthz, /readyz")
    String metricsHost;
    @Option(names = "--metricsPort", defaultValue = "11224", description = "port of /metrics, /healthz, /readyz")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        ControllerConfig config = ControllerConfig.validate(flags());
        try (EventLog eventLog = openLog(config); KubernetesClient client = connect(config);
             ControllerProcess process = new ControllerProcess(config, client, eventLog)) {
            Runtime.getRuntime().addShutdownHook(new Thread(process::close, "controller-shutdown"));
            process.start();
            return process.awaitExit();
        }
    }

    /** The flags as given; the identity defaults to the host name (the pod name in a pod) and the pid. */
    ControllerConfig.Flags flags() {
        String identity = id;
        if (identity == null || identity.isBlank()) {
            String host = System.getenv("HOSTNAME");
            identity = (host == null || host.isBlank() ? "controller" : host) + "-" + ProcessHandle.current().pid();
        }
        return new ControllerConfig.Flags(kubeconfig, log, topicPrefix, heartbeatPartitions, logProperties,
                cidrPools, cidr6Pools, setUniqueIp, numZoneInstances, zone, noZoneName, setLbMode,
                loadBalancerClass, acceptClassless, setRoles, namespace, agentNamespace, agentSelector,
                leaseNamespace, leaseName, leaseDuration, identity, metricsHost, metricsPort);
    }

    private static EventLog openLog(ControllerConfig config) {
        try {
            return EventLogs.open(config.logUri(), config.logOptions());
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid --log=" + config.logUri() + ": " + e.getMessage());
        }
    }

    private static KubernetesClient connect(ControllerConfig config) {
        try {
            return KubeClients.connect(config.kubeconfig());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
