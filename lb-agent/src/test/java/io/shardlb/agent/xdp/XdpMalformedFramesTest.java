package io.shardlb.agent.xdp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import io.shardlb.agent.forwarder.TestBackends;
import io.shardlb.agent.forwarder.TestBackends.Backend;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A barrage of malformed frames addressed to the VIP (sent raw from the client namespace, redirected by the XDP
 * program to the socket) is counted by kind and the forwarder keeps forwarding.
 */
class XdpMalformedFramesTest {
    private static final int PORT = 5354;
    private static final int FRAMES = 20_000;
    private static XdpTopology topo;
    private static Backend backend;

    @BeforeAll
    static void setUp() {
        topo = XdpTestBed.get();
        backend = TestBackends.udp("b0", topo.ns("be1").call(() -> new DatagramSocket(
                new InetSocketAddress(XdpTopology.address("be1"), 0))));
    }

    @AfterAll
    static void tearDown() {
        if (backend != null) {
            backend.close();
        }
        XdpTestBed.destroy();
    }

    @Test
    void aBarrageOfMalformedFramesIsCountedAndForwardingGoesOn() throws Exception {
        try (AgentJvm agent = new AgentJvm(XdpTopology.PREFIX + "agt1", XdpTopology.ifname("agt1"))) {
            assertTrue(agent.upsertRule(new ServiceRule("udp", XdpTopology.VIP, PORT, Protocol.UDP, Mode.ONEARM,
                    Selection.HASH, Duration.ofSeconds(30), List.of(),
                    List.of(new Endpoint(backend.address(), backend.port(), topo.mac("be1"))))).applied());
            assertTrue(agent.claimVip(XdpTopology.VIP, System.nanoTime() + Duration.ofMinutes(2).toNanos())
                    .applied());
            long agentMac = topo.mac("agt1").value();
            long clientMac = topo.mac("cli").value();
            int sent = topo.ns("cli").call(() -> barrage(agentMac, clientMac));
            assertTrue(sent > FRAMES / 2, "frames sent: " + sent);
            try (DatagramSocket c = topo.ns("cli").call(() -> new DatagramSocket(
                    new InetSocketAddress(XdpTopology.address("cli"), 0)))) {
                c.setSoTimeout(1000);
                assertTrue(udpEcho(c), "forwarding after the barrage");
            }
            Map<DropKind, Long> drops = agent.drops();
            long counted = drops.values().stream().mapToLong(Long::longValue).sum();
            assertTrue(counted > FRAMES / 4, "malformed frames counted: " + drops + " " + agent.stats());
            assertTrue(drops.containsKey(DropKind.TRUNCATED) && drops.containsKey(DropKind.BAD_HEADER), "" + drops);
        }
    }

    private static boolean udpEcho(DatagramSocket c) throws Exception {
        byte[] m = "after".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 10; i++) {
            c.send(new DatagramPacket(m, m.length, new InetSocketAddress(XdpTopology.VIP, PORT)));
            try {
                DatagramPacket p = new DatagramPacket(new byte[512], 512);
                c.receive(p);
                return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII).equals("b0:after");
            } catch (java.net.SocketTimeoutException e) {
                // again
            }
        }
        return false;
    }

    /** Sends FRAMES frames to the VIP: truncated, bad version/IHL, lengths past the frame, options, fragments. */
    static int barrage(long dstMac, long srcMac) throws Exception {
        try {
            return send(dstMac, srcMac);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int send(long dstMac, long srcMac) throws Throwable {
        Random rnd = new Random(11);
        int ifindex = NetworkInterface.getByName(XdpTopology.ifname("cli")).getIndex();
        int sent = 0;
        try (RawFrames raw = new RawFrames(ifindex)) {
            for (int i = 0; i < FRAMES; i++) {
                if (raw.send(malformed(rnd, i % 6, dstMac, srcMac))) {
                    sent++;
                }
            }
        }
        return sent;
    }

    private static byte[] malformed(Random rnd, int kind, long dstMac, long srcMac) {
        int len = kind == 0 ? 34 + rnd.nextInt(8) : 60 + rnd.nextInt(200);
        byte[] f = new byte[len];
        rnd.nextBytes(f);
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dstMac >>> (40 - 8 * i));
            f[6 + i] = (byte) (srcMac >>> (40 - 8 * i));
        }
        f[12] = 0x08;
        f[13] = 0x00;
        f[14] = 0x45;
        f[22] = 64;
        byte[] vip = XdpTopology.VIP.getAddress();
        System.arraycopy(vip, 0, f, 30, 4);
        int total = len - 14;
        f[16] = (byte) (total >> 8);
        f[17] = (byte) total;
        f[20] = 0;
        f[21] = 0;
        f[23] = 17;
        switch (kind) {
            case 0 -> f[23] = 6; // TCP header cut short
            case 1 -> f[14] = 0x65; // version 6 in an IPv4 frame
            case 2 -> f[14] = 0x43; // IHL 3
            case 3 -> {
                f[16] = (byte) 0xFF; // total length beyond the frame
                f[17] = (byte) 0xFF;
            }
            case 4 -> f[14] = 0x47; // options
            default -> f[20] = 0x20; // more fragments
        }
        return f;
    }
}
