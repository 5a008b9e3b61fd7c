package io.shardlb.events.schema;

import java.util.List;
import java.util.SortedMap;

/**
 * Facts: what the controller observed, written to the {@code events} topic by kube-bridge, the controller's
 * configuration and ha-arbiter. The planner is a pure function of these (DESIGN.md, determinism rule).
 */
public sealed interface Fact extends Payload {

    /**
     * The controller's configuration, written at start when it differs from the last one in the log.
     *
     * @param pools              IPv4 pools in flag order (the first, or {@code defaultPool}, is the default)
     * @param cidr6Pools         IPv6 pools in flag order
     * @param uniqueIp           kube-loxilb {@code --setUniqueIP}
     * @param numZoneInstances   number of instances
     * @param zone               zone name used in instance names ({@code llb})
     * @param noZoneName         publish {@code ip} instead of {@code hostname: llb-<ip>}
     * @param instanceZeroName   the name shown for instance 0 ({@code default})
     * @param defaultLbMode      the mode of a Service without {@code loxilb.io/lbmode} (kube-loxilb {@code --setLBMode})
     * @param defaultSelect      the endpoint selection without {@code loxilb.io/epselect}
     * @param quarantineMs       how long, in log time, a released address is not handed out again
     * @param handoverTimeoutMs  log time after which an unacknowledged handover waits on the arbiter's verdict
     * @param acceptClassless    whether LoadBalancer Services without a class are ours
     */
    record ConfigObserved(List<Pool> pools, List<Pool> cidr6Pools, boolean uniqueIp, int numZoneInstances,
                          String zone, boolean noZoneName, String instanceZeroName, String defaultLbMode,
                          String defaultSelect, long quarantineMs, long handoverTimeoutMs,
                          boolean acceptClassless) implements Fact {
        public ConfigObserved {
            pools = Values.list(pools);
            cidr6Pools = Values.list(cidr6Pools);
            zone = Values.str(zone);
            instanceZeroName = Values.str(instanceZeroName);
            defaultLbMode = Values.str(defaultLbMode);
            defaultSelect = Values.str(defaultSelect);
        }

        @Override
        public String subject() {
            return "config";
        }

        @Override
        public String summary() {
            return "pools=" + pools + " pools6=" + cidr6Pools + " uniqueIp=" + uniqueIp + " instances="
                    + numZoneInstances + " zone=" + zone + " noZoneName=" + noZoneName;
        }
    }

    /**
     * A LoadBalancer Service of ours, with the fields that matter. {@code annotations} holds only the input
     * keys ({@code loxilb.io/*}, {@code shardlb.io/*}); {@code ignoredAnnotations} names output keys
     * ({@code status.shardlb.io/*}) the user set, which are never read back but earn a warning.
     */
    record ServiceObserved(String service, String uid, String resourceVersion, String lbClass,
                           List<ServicePort> ports, List<String> ipFamilies, String ipFamilyPolicy,
                           String loadBalancerIP, List<String> sourceRanges, String externalTrafficPolicy,
                           SortedMap<String, String> annotations, List<String> ignoredAnnotations)
            implements Fact {
        public ServiceObserved {
            service = Values.str(service);
            uid = Values.str(uid);
            resourceVersion = Values.str(resourceVersion);
            lbClass = Values.str(lbClass);
            ports = Values.list(ports);
            ipFamilies = Values.list(ipFamilies);
            ipFamilyPolicy = Values.str(ipFamilyPolicy);
            loadBalancerIP = Values.str(loadBalancerIP);
            sourceRanges = Values.list(sourceRanges);
            externalTrafficPolicy = Values.str(externalTrafficPolicy);
            annotations = Values.sorted(annotations);
            ignoredAnnotations = Values.list(ignoredAnnotations);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "class=" + lbClass + " ports=" + ports.stream().map(p -> p.port() + "/" + p.protocol()).toList()
                    + " annotations=" + annotations;
        }
    }

    /** The Service is gone, or stopped being a LoadBalancer of ours. */
    record ServiceGone(String service, String uid) implements Fact {
        public ServiceGone {
            service = Values.str(service);
            uid = Values.str(uid);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return "gone uid=" + uid;
        }
    }

    /** The endpoints of a Service, aggregated over its EndpointSlices. */
    record EndpointsObserved(String service, List<Endpoint> endpoints) implements Fact {
        public EndpointsObserved {
            service = Values.str(service);
            endpoints = Values.list(endpoints);
        }

        @Override
        public String subject() {
            return service;
        }

        @Override
        public String summary() {
            return endpoints.stream().filter(Endpoint::ready).map(e -> e.ip() + ":" + e.port()).toList()
                    + " ready of " + endpoints.size();
        }
    }

    /** An agent pod as Kubernetes sees it. */
    record AgentObserved(String agent, String node, String podIp, boolean ready, boolean deleted)
            implements Fact {
        public AgentObserved {
            agent = Values.str(agent);
            node = Values.str(node);
            podIp = Values.str(podIp);
        }

        @Override
        public String subject() {
            return agent;
        }

        @Override
        public String summary() {
            return "pod node=" + node + " ip=" + podIp + (deleted ? " deleted" : ready ? " ready" : " not-ready");
        }
    }

    /** ha-arbiter: the first beat of a new incarnation arrived. */
    record AgentUp(String agent, long incarnation, String address) implements Fact {
        public AgentUp {
            agent = Values.str(agent);
            address = Values.str(address);
        }

        @Override
        public String subject() {
            return agent;
        }

        @Override
        public String summary() {
            return "up incarnation=" + incarnation + " address=" + address;
        }
    }

    /**
     * ha-arbiter: the incarnation's lease has surely lapsed.
     *
     * @param lastBeatAt log time (epoch ms) of the last beat read from that incarnation, 0 if none
     */
    record AgentDown(String agent, long incarnation, String reason, long lastBeatAt) implements Fact {
        public AgentDown {
            agent = Values.str(agent);
            reason = Values.str(reason);
        }

        @Override
        public String subject() {
            return agent;
        }

        @Override
        public String summary() {
            return "down incarnation=" + incarnation + " reason=" + reason + " lastBeatAt=" + lastBeatAt;
        }
    }

    /** ha-arbiter: once a second, so log time advances when nothing else happens. */
    record Tick() implements Fact {
        @Override
        public String subject() {
            return "";
        }

        @Override
        public String summary() {
            return "tick";
        }
    }

    /** ha-arbiter: the incarnation's beats say it is draining. */
    record AgentDraining(String agent, long incarnation) implements Fact {
        public AgentDraining {
            agent = Values.str(agent);
        }

        @Override
        public String subject() {
            return agent;
        }

        @Override
        public String summary() {
            return "draining incarnation=" + incarnation;
        }
    }

    /** ha-arbiter: the incarnation's beats now hold {@code instance@term}. */
    record VipBound(String agent, long incarnation, String instance, long term) implements Fact {
        public VipBound {
            agent = Values.str(agent);
            instance = Values.str(instance);
        }

        @Override
        public String subject() {
            return instance;
        }

        @Override
        public String summary() {
            return "bound by " + agent + "#" + incarnation + " term=" + term;
        }
    }

    /** ha-arbiter: the incarnation's beats no longer hold {@code instance@term}. */
    record VipUnbound(String agent, long incarnation, String instance, long term, String reason)
            implements Fact {
        public VipUnbound {
            agent = Values.str(agent);
            instance = Values.str(instance);
            reason = Values.str(reason);
        }

        @Override
        public String subject() {
            return instance;
        }

        @Override
        public String summary() {
            return "unbound by " + agent + "#" + incarnation + " term=" + term + " reason=" + reason;
        }
    }
}
