package io.shardlb.agent.xdp;

import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.MacAddress;
import io.shardlb.agent.forwarder.ServiceRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MACs of endpoints a rule gives without one (an EndpointSlice carries none), read from the kernel's
 * neighbour table of this namespace: the packet engine rewrites frames itself, so it needs the next hop's MAC
 * (without it a new flow is dropped as NO_NEIGHBOUR). An address not in the table yet is made to be resolved by
 * sending one empty datagram to its discard port, which makes the kernel ARP for it; then the table is read
 * again for a short while. An endpoint that stays unresolved keeps its unknown MAC.
 */
final class Neighbours {
    private static final Logger LOG = LoggerFactory.getLogger(Neighbours.class);
    private static final Path ARP = Path.of("/proc/net/arp");
    private static final long WAIT_NANOS = 1_000_000_000L;

    private Neighbours() {
    }

    /** {@code rule} with the MAC of each IPv4 endpoint that had none filled in where the kernel knows it. */
    static ServiceRule resolve(ServiceRule rule) {
        if (rule.endpoints().stream().allMatch(e -> e.mac().known() || !(e.ip() instanceof Inet4Address))) {
            return rule;
        }
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : rule.endpoints()) {
            out.add(e.mac().known() || !(e.ip() instanceof Inet4Address) ? e
                    : new Endpoint(e.ip(), e.port(), lookup(e.ip())));
        }
        return rule.withEndpoints(out);
    }

    private static MacAddress lookup(InetAddress ip) {
        MacAddress mac = fromTable(ip);
        if (mac.known()) {
            return mac;
        }
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(new byte[0], 0, new InetSocketAddress(ip, 9)));
        } catch (IOException e) {
            LOG.debug("cannot prompt ARP for {}: {}", ip.getHostAddress(), e.getMessage());
        }
        long end = System.nanoTime() + WAIT_NANOS;
        while (!mac.known() && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
            mac = fromTable(ip);
        }
        if (!mac.known()) {
            LOG.warn("no neighbour entry for endpoint {}: its flows are dropped until a rule update resolves it",
                    ip.getHostAddress());
        }
        return mac;
    }

    /** The complete entry of {@code ip} in /proc/net/arp (flags 0x2), or {@link MacAddress#NONE}. */
    private static MacAddress fromTable(InetAddress ip) {
        try {
            for (String line : Files.readAllLines(ARP)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].equals(ip.getHostAddress()) && f[2].equals("0x2")) {
                    return MacAddress.parse(f[3]);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("cannot read the neighbour table: {}", e.getMessage());
        }
        return MacAddress.NONE;
    }
}
