package io.shardlb.agent.forwarder;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One load-balancing rule: traffic for {@code vip}:{@code port}/{@code protocol} goes to one of {@code endpoints},
 * chosen by {@code selection}, rewritten as {@code mode} says, from sources in {@code sourceRanges} only (empty:
 * any source). A flow idle for {@code inactivityTimeout} is forgotten. {@code id} names the rule in deltas and
 * counters.
 */
public record ServiceRule(String id, InetAddress vip, int port, Protocol protocol, Mode mode, Selection selection,
                          Duration inactivityTimeout, List<Cidr> sourceRanges, List<Endpoint> endpoints) {

    /** Used when the rule says 0 ({@code loxilb.io/timeout} absent). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    public ServiceRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(selection, "selection");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("rule port out of range: port=" + port);
        }
        inactivityTimeout = inactivityTimeout == null || inactivityTimeout.isZero() ? DEFAULT_TIMEOUT
                : inactivityTimeout;
        if (inactivityTimeout.isNegative()) {
            throw new IllegalArgumentException("negative inactivity timeout: " + inactivityTimeout);
        }
        sourceRanges = List.copyOf(sourceRanges == null ? List.of() : sourceRanges);
        endpoints = List.copyOf(endpoints == null ? List.of() : endpoints);
        for (Endpoint e : endpoints) {
            if (e.ip().getAddress().length != vip.getAddress().length) {
                throw new IllegalArgumentException("endpoint family differs from the VIP's: " + e + " vs " + vip);
            }
        }
    }

    /** True if the source may use this rule. */
    public boolean allows(InetAddress source) {
        return sourceRanges.isEmpty() || sourceRanges.stream().anyMatch(c -> c.contains(source));
    }

    /** A copy with other endpoints. */
    public ServiceRule withEndpoints(List<Endpoint> newEndpoints) {
        return new ServiceRule(id, vip, port, protocol, mode, selection, inactivityTimeout, sourceRanges,
                newEndpoints);
    }
}
