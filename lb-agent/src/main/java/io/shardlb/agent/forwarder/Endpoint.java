package io.shardlb.agent.forwarder;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A backend of a rule: {@code ip}:{@code port}, with its MAC address when known (needed by {@code dsr}, optional
 * elsewhere: the packet engine then uses its neighbour table).
 */
public record Endpoint(InetAddress ip, int port, MacAddress mac) {
    public Endpoint {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port out of range: port=" + port);
        }
    }

    /** An endpoint whose MAC address is not known. */
    public static Endpoint of(String ip, int port) {
        return new Endpoint(Addresses.parse(ip), port, MacAddress.NONE);
    }

    /** The canonical key hashed by Maglev, identical on every agent: {@code ip:port}. */
    public String key() {
        return ip.getHostAddress() + ":" + port;
    }

    /** The IPv4 address as an int; throws for IPv6. */
    public int ipv4() {
        if (!(ip instanceof Inet4Address)) {
            throw new IllegalStateException("not an IPv4 endpoint: " + ip);
        }
        return Addresses.toInt(ip);
    }
}
