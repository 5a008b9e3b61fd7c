package io.shardlb.planner.settings;

import java.util.Optional;

/**
 * The family of a Service's VIP; {@code loxilb.io/ipam}. Spellings as kube-loxilb accepts them
 * (loadbalancer.go): {@code ipv4|ip|ip4}, {@code ipv6|ip6|nat66}, {@code ipv6to4|nat64} (an IPv6 VIP in front
 * of IPv4 endpoints).
 */
public enum AddressFamily {
    /** IPv4 VIP, IPv4 endpoints. */
    IPV4("ipv4"),
    /** IPv6 VIP, IPv6 endpoints. */
    IPV6("ipv6"),
    /** IPv6 VIP, IPv4 endpoints (NAT64). */
    IPV6TO4("ipv6to4");

    private final String wire;

    AddressFamily(String wire) {
        this.wire = wire;
    }

    /** The canonical annotation value. */
    public String wire() {
        return wire;
    }

    /** Whether the VIP is an IPv6 address (pools come from {@code cidr6Pools}). */
    public boolean v6Vip() {
        return this != IPV4;
    }

    /** The family written as {@code text}, or empty. */
    public static Optional<AddressFamily> parse(String text) {
        return switch (text) {
            case "ipv4", "ip", "ip4" -> Optional.of(IPV4);
            case "ipv6", "ip6", "nat66" -> Optional.of(IPV6);
            case "ipv6to4", "nat64" -> Optional.of(IPV6TO4);
            case null, default -> Optional.empty();
        };
    }

    /** The accepted values, for error messages. */
    public static String accepted() {
        return "ipv4 (ip, ip4), ipv6 (ip6, nat66), ipv6to4 (nat64)";
    }
}
