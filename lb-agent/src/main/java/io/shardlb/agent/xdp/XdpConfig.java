package io.shardlb.agent.xdp;

import io.shardlb.agent.engine.EngineConfig;
import io.shardlb.agent.forwarder.Addresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Objects;

/**
 * Settings of an {@link XdpForwarder}: the interface (in the calling thread's network namespace), its index,
 * IPv4 address and MAC, the UMEM ({@code frames} × {@code frameSize}, rings of {@code ringSize}) and whether the
 * loop busy-polls instead of sleeping in poll(2) (measured separately; it starves other threads on small hosts),
 * and whether ARP for claimed VIPs is answered at TC ingress ({@code arpInTc}: where the veth peer is not ours and
 * has no XDP program, an XDP_TX answer would be dropped; see the package documentation).
 */
public record XdpConfig(String ifname, int ifindex, int agentIp, long agentMac, int frames, int frameSize,
                        int ringSize, boolean busyPoll, boolean arpInTc, EngineConfig engine) {
    public XdpConfig {
        Objects.requireNonNull(ifname, "ifname");
        if (Integer.bitCount(frameSize) != 1 || frameSize < 2048 || frameSize > 4096) {
            throw new IllegalArgumentException("frame size must be 2048 or 4096: frameSize=" + frameSize);
        }
        if (Integer.bitCount(ringSize) != 1 || frames < 2 * ringSize) {
            throw new IllegalArgumentException("ring size must be a power of two and frames >= 2 × ring: frames="
                    + frames + " ringSize=" + ringSize);
        }
    }

    /** Reads {@code ifname}'s index, first IPv4 address and MAC; 4096 frames of 4096 bytes, rings of 2048. */
    public static XdpConfig of(String ifname) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(ifname);
            if (nif == null) {
                throw new IllegalArgumentException("no such interface in this network namespace: " + ifname);
            }
            InetAddress ip = nif.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("interface has no IPv4 address: " + ifname));
            byte[] hw = nif.getHardwareAddress();
            if (hw == null || hw.length != 6) {
                throw new IllegalArgumentException("interface has no Ethernet address (AF_XDP needs an Ethernet"
                        + " device, not loopback or a tunnel): " + ifname);
            }
            long mac = 0;
            for (byte b : hw) {
                mac = (mac << 8) | (b & 0xFF);
            }
            int agentIp = Addresses.toInt(ip);
            return new XdpConfig(ifname, nif.getIndex(), agentIp, mac, 4096, 4096, 2048, false, false,
                    EngineConfig.of(agentIp, mac));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy that busy-polls. */
    public XdpConfig withBusyPoll(boolean busy) {
        return new XdpConfig(ifname, ifindex, agentIp, agentMac, frames, frameSize, ringSize, busy, arpInTc, engine);
    }

    /** A copy that answers ARP at TC ingress (true) or with XDP_TX (false, the default). */
    public XdpConfig withArpInTc(boolean tc) {
        return new XdpConfig(ifname, ifindex, agentIp, agentMac, frames, frameSize, ringSize, busyPoll, tc, engine);
    }
}
