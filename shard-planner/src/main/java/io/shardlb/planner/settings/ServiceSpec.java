package io.shardlb.planner.settings;

import io.shardlb.events.schema.ServicePort;

import java.util.List;

/**
 * A Service's validated, typed settings: everything the planner needs from a {@code ServiceObserved}.
 *
 * @param service        {@code namespace/name}
 * @param uid            Kubernetes uid
 * @param mode           LB mode (annotation or the configured default)
 * @param select         endpoint selection (annotation or the configured default)
 * @param timeoutSeconds idle timeout in seconds (kube-loxilb's default 1800)
 * @param family         family of the VIP
 * @param pool           requested pool name, "" for the default pool
 * @param requestedIp    canonical static address ({@code loxilb.io/staticIP} or {@code spec.loadBalancerIP}), ""
 *                       for an address from a pool
 * @param pin            canonical name of the pinned instance ({@code loxilb.io/zoneinstance}), "" when unpinned
 * @param pinIndex       index of the pinned instance, -1 when unpinned
 * @param ports          the ports, validated (1..65535, TCP/UDP/SCTP, no duplicate port/protocol)
 * @param sourceRanges   canonical CIDRs allowed to reach the VIP, empty for everyone
 * @param ipFamilies     {@code spec.ipFamilies} as validated ({@code IPv4}/{@code IPv6})
 * @param ipFamilyPolicy {@code spec.ipFamilyPolicy}, "" when unset
 * @param externalTrafficPolicy {@code spec.externalTrafficPolicy}, "" when unset
 */
public record ServiceSpec(String service, String uid, LbMode mode, EndpointSelect select, int timeoutSeconds,
                          AddressFamily family, String pool, String requestedIp, String pin, int pinIndex,
                          List<ServicePort> ports, List<String> sourceRanges, List<String> ipFamilies,
                          String ipFamilyPolicy, String externalTrafficPolicy) {
    /** Not pinned to an instance. */
    public static final int UNPINNED = -1;

    public ServiceSpec {
        ports = List.copyOf(ports);
        sourceRanges = List.copyOf(sourceRanges);
        ipFamilies = List.copyOf(ipFamilies);
    }

    /** Whether the Service asked for one instance. */
    public boolean pinned() {
        return pinIndex != UNPINNED;
    }
}
