package io.shardlb.cli;

import io.shardlb.bridge.BridgeConfig;
import io.shardlb.bridge.Keys;
import io.shardlb.bridge.leader.LeaseConfig;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.schema.Fact;
import io.shardlb.ipam.IpFamily;
import io.shardlb.ipam.PoolConfig;
import io.shardlb.ipam.PoolConfigException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Everything {@code shardlb controller} was told, validated once before anything starts. A bad value is a
 * {@link UserError} naming the flag and the value (exit 2). The planner's part is {@link #configFact}, recorded
 * in the log as {@code ConfigObserved}.
 *
 * @param kubeconfig        the kubeconfig file; null for in-cluster (or {@code ~/.kube/config})
 * @param logUri            the log
 * @param logOptions        topic prefix, heartbeat partitions, Kafka client properties
 * @param configFact        the configuration the planner reads
 * @param bridge            what the bridge watches and how it publishes
 * @param lease             the leader election Lease
 * @param loadBalancerClass the class named by {@code --loadBalancerClass} ("" for both of ours)
 * @param roles             {@code --setRoles}, accepted for compatibility (roles are always on)
 * @param metricsHost       the address {@code /metrics}, {@code /healthz} and {@code /readyz} bind to
 * @param metricsPort       their port (0: any free port)
 */
public record ControllerConfig(Path kubeconfig, String logUri, LogOptions logOptions, Fact.ConfigObserved configFact,
                               BridgeConfig bridge, LeaseConfig lease, String loadBalancerClass, String roles,
                               String metricsHost, int metricsPort) {
    /** The quarantine of a released VIP before reuse, as the seed records it. */
    static final long QUARANTINE_MS = 30_000;
    /** How long a handover may stay unacknowledged. */
    static final long HANDOVER_TIMEOUT_MS = 2_000;

    /** The flags as given (strings and booleans, unvalidated). */
    record Flags(Path kubeconfig, String log, String topicPrefix, int heartbeatPartitions, Path logProperties,
                 String cidrPools, String cidr6Pools, boolean setUniqueIp, int numZoneInstances, String zone,
                 boolean noZoneName, String setLbMode, String loadBalancerClass, boolean acceptClassless,
                 String setRoles, String namespace, String agentNamespace, String agentSelector,
                 String leaseNamespace, String leaseName, String leaseDuration, String id, String metricsHost,
                 int metricsPort) {
    }

    /** Validates {@code f} into a config; {@link UserError} names the first bad flag and its value. */
    static ControllerConfig validate(Flags f) {
        if (f.kubeconfig() != null && !Files.isReadable(f.kubeconfig())) {
            throw bad("--kubeconfig", f.kubeconfig(), "not a readable file");
        }
        if (f.log() == null || f.log().isBlank()) {
            throw new UserError("--log is required (kafka://HOST:PORT[,HOST:PORT…])");
        }
        LogOptions log = logOptions(f);
        PoolConfig pools;
        try {
            pools = PoolConfig.parse(f.cidrPools(), f.cidr6Pools());
        } catch (PoolConfigException e) {
            throw new UserError("invalid " + e.getMessage());
        }
        if (pools.pools(IpFamily.V4).isEmpty() && pools.pools(IpFamily.V6).isEmpty()) {
            throw new UserError("at least one of --cidrPools or --cidr6Pools is required (e.g. "
                    + "--cidrPools=defaultPool=192.168.80.250/24)");
        }
        if (f.numZoneInstances() < 1 || f.numZoneInstances() > 4096) {
            throw bad("--numZoneInstances", f.numZoneInstances(), "must be 1..4096");
        }
        String zone = f.zone() == null ? "llb" : f.zone();
        if (!zone.matches("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?")) {
            throw bad("--zone", zone, "must be a DNS label of at most 32 characters");
        }
        String mode = lbMode(f.setLbMode());
        String lbClass = f.loadBalancerClass() == null ? "" : f.loadBalancerClass();
        if (!lbClass.isEmpty() && !lbClass.equals(Keys.CLASS_LOXILB) && !lbClass.equals(Keys.CLASS_SHARDLB)) {
            throw bad("--loadBalancerClass", lbClass, "must be " + Keys.CLASS_LOXILB + " or " + Keys.CLASS_SHARDLB);
        }
        Map<String, String> selector = selector(f.agentSelector());
        Duration leaseDuration = duration(f.leaseDuration());
        if (f.id() == null || f.id().isBlank()) {
            throw bad("--id", f.id(), "must name this controller (the pod name)");
        }
        String id = f.id();
        LeaseConfig lease;
        try {
            lease = LeaseConfig.of(orDefault(f.leaseNamespace(), "kube-system"),
                    orDefault(f.leaseName(), "shardlb-controller"), id, leaseDuration);
        } catch (IllegalArgumentException e) {
            throw bad("--leaseDuration", f.leaseDuration(), e.getMessage());
        }
        if (f.metricsPort() < 0 || f.metricsPort() > 65535) {
            throw bad("--metricsPort", f.metricsPort(), "must be 0..65535");
        }
        Fact.ConfigObserved fact = new Fact.ConfigObserved(pools.toPools(IpFamily.V4), pools.toPools(IpFamily.V6),
                f.setUniqueIp(), f.numZoneInstances(), zone, f.noZoneName(), "default", mode, "hash",
                QUARANTINE_MS, HANDOVER_TIMEOUT_MS, f.acceptClassless());
        BridgeConfig bridge = new BridgeConfig(orDefault(f.namespace(), ""), f.acceptClassless(),
                orDefault(f.agentNamespace(), "kube-system"), selector, f.noZoneName(), zone, "kube-bridge")
                .withClass(lbClass);
        return new ControllerConfig(f.kubeconfig(), f.log(), log, fact, bridge, lease, lbClass,
                orDefault(f.setRoles(), ""), orDefault(f.metricsHost(), "0.0.0.0"), f.metricsPort());
    }

    private static LogOptions logOptions(Flags f) {
        return logOptions(f.topicPrefix(), f.heartbeatPartitions(), f.logProperties());
    }

    /**
     * The log flags every long-running command shares ({@code --topicPrefix}, {@code --heartbeatPartitions},
     * {@code --logProperties}) as validated {@link LogOptions}; a bad value is a {@link UserError} naming the flag.
     */
    static LogOptions logOptions(String topicPrefix, int heartbeatPartitions, Path logProperties) {
        LogOptions o = LogOptions.defaults();
        if (topicPrefix != null) {
            if (!topicPrefix.matches("[A-Za-z0-9._-]*")) {
                throw bad("--topicPrefix", topicPrefix, "only letters, digits, '.', '_' and '-'");
            }
            o = o.withTopicPrefix(topicPrefix);
        }
        if (heartbeatPartitions < 1) {
            throw bad("--heartbeatPartitions", heartbeatPartitions, "must be >= 1");
        }
        o = o.withHeartbeatPartitions(heartbeatPartitions);
        if (logProperties != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(logProperties)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw bad("--logProperties", logProperties, "cannot read: " + e.getMessage());
            }
            Map<String, String> props = new TreeMap<>();
            p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
            o = o.withClientProperties(props);
        }
        return o;
    }

    /** kube-loxilb's {@code --setLBMode}: 0/default, 1/onearm, 2/fullnat, or dsr. */
    static String lbMode(String flag) {
        String v = flag == null ? "0" : flag.strip();
        return switch (v) {
            case "0", "default" -> "default";
            case "1", "onearm" -> "onearm";
            case "2", "fullnat" -> "fullnat";
            case "dsr" -> "dsr";
            default -> throw bad("--setLBMode", v, "must be 0|default, 1|onearm, 2|fullnat or dsr");
        };
    }

    /** {@code k=v,k=v} into labels. */
    static Map<String, String> selector(String flag) {
        String v = flag == null ? "app=shardlb-agent" : flag;
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : v.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1 || part.indexOf('=', eq + 1) >= 0) {
                throw bad("--agentSelector", v, "must be k=v[,k=v…]");
            }
            out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return out;
    }

    /** {@code 5s}, {@code 1500ms}, {@code 1m}, or an ISO-8601 duration. */
    static Duration duration(String flag) {
        String v = flag == null ? "5s" : flag.strip();
        Duration d;
        try {
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            } else {
                d = Duration.parse(v);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw bad("--leaseDuration", v, "not a duration (e.g. 5s, 1500ms)");
        }
        if (d.toMillis() < 1000) {
            throw bad("--leaseDuration", v, "must be at least 1s");
        }
        return d;
    }

    private static String orDefault(String v, String dflt) {
        return v == null ? dflt : v;
    }

    private static UserError bad(String flag, Object value, String why) {
        return new UserError("invalid " + flag + "=" + value + ": " + why);
    }
}
