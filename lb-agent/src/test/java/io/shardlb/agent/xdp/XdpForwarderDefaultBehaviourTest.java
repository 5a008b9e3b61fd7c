package io.shardlb.agent.xdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The behaviour suite through the XDP datapath in {@code default} mode (destination NAT only, like loxilb's
 * default): the backends see the client's own address and reach the client through the agent (a host route in
 * each backend namespace, as a cluster's routing would do), so their replies come back to the agent addressed to
 * the client and are reverse-translated there. Plus, in this mode: a malformed-frame barrage, the agent's own ARP
 * and ICMP, and the backends' own traffic to the agent left to the kernel.
 */
class XdpForwarderDefaultBehaviourTest extends XdpForwarderOnearmBehaviourTest {
    @BeforeAll
    static void backendsRouteClientsThroughTheAgent() {
        String client = XdpTopology.address("cli").getHostAddress() + "/32";
        String agent = XdpTopology.address("agt1").getHostAddress();
        for (String be : new String[] {"be1", "be2"}) {
            Netns.run("ip", "-n", XdpTopology.PREFIX + be, "route", "replace", client, "via", agent);
        }
    }

    @Override
    protected Mode mode() {
        return Mode.DEFAULT;
    }

    @Test
    void backendsSeeTheClientsOwnAddressAndRepliesComeFromTheVip() throws Exception {
        try (DatagramSocket be = topo.ns("be1").call(() -> new DatagramSocket(new InetSocketAddress(
                XdpTopology.address("be1"), 0)))) {
            Thread echo = Thread.ofPlatform().daemon().start(() -> echoSender(be));
            ServiceRule rule = new ServiceRule("default/who", vip(), vipPort(), Protocol.UDP, Mode.DEFAULT,
                    Selection.HASH, Duration.ofSeconds(60), List.of(), List.of(new Endpoint(XdpTopology.address(
                    "be1"), be.getLocalPort(), topo.mac("be1"))));
            assertTrue(forwarder.upsertRule(rule).applied());
            assertTrue(forwarder.claimVip(vip(), System.nanoTime() + Duration.ofMinutes(5).toNanos()).applied());
            try (DatagramSocket client = newUdpClient()) {
                client.setSoTimeout(1000);
                assertEquals(XdpTopology.address("cli").getHostAddress(), udpRoundTrip(client, "who"),
                        "the backend saw the client's address (udpRoundTrip checks the reply came from the VIP)");
            }
            be.close();
            echo.join(WAIT.toMillis());
        }
        String stats = ((AgentJvm) forwarder).stats();
        assertTrue(stats.matches(".*reply_redirect=[1-9].*"), "replies redirected by the program: " + stats);
    }

    /** Answers each datagram with the address it came from, until the socket closes. */
    private static void echoSender(DatagramSocket s) {
        try {
            while (true) {
                DatagramPacket p = new DatagramPacket(new byte[512], 512);
                s.receive(p);
                byte[] who = p.getAddress().getHostAddress().getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(who, who.length, p.getSocketAddress()));
            }
        } catch (java.io.IOException e) {
            // closed: done
        }
    }

    @Test
    void aMalformedFrameBarrageIsCountedAndForwardingGoesOn() throws Exception {
        start(Protocol.UDP);
        long agentMac = topo.mac("agt1").value();
        long clientMac = topo.mac("cli").value();
        int sent = topo.ns("cli").call(() -> XdpMalformedFramesTest.barrage(agentMac, clientMac));
        assertTrue(sent > 1000, "frames sent: " + sent);
        try (DatagramSocket client = newUdpClient()) {
            client.setSoTimeout(1000);
            String reply = udpRoundTrip(client, "after");
            assertTrue(reply.endsWith(":after"), reply);
        }
        Map<DropKind, Long> drops = forwarder.drops();
        assertTrue(drops.containsKey(DropKind.TRUNCATED) && drops.containsKey(DropKind.BAD_HEADER), "" + drops);
        assertTrue(drops.values().stream().mapToLong(Long::longValue).sum() > sent / 4L, "counted: " + drops);
    }

    @Test
    void arpAndPingToTheAgentAndTheBackendsOwnTrafficStillWork() throws Exception {
        start(Protocol.TCP);
        String agentIp = XdpTopology.address("agt1").getHostAddress();
        String arp = topo.ns("cli").exec("arping", "-c", "3", "-W", "0.2", "-i", XdpTopology.ifname("cli"), agentIp);
        assertTrue(arp.contains(topo.mac("agt1").toString()), arp);
        assertTrue(topo.ns("cli").exec("ping", "-c", "3", "-i", "0.2", "-W", "2", agentIp).contains("3 received"));
        // a backend of a default-mode rule talking to the agent itself is not a reply to translate
        String fromBackend = topo.ns("be1").exec("ping", "-c", "3", "-i", "0.2", "-W", "2", agentIp);
        assertTrue(fromBackend.contains("3 received"), fromBackend);
        try (DatagramSocket s = topo.ns("be1").call(() -> new DatagramSocket(new InetSocketAddress(
                XdpTopology.address("be1"), 0)))) {
            // UDP from a backend's other port to the agent goes to the agent's kernel (port unreachable: no error)
            byte[] m = "x".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(m, m.length, new InetSocketAddress(InetAddress.getByName(agentIp), 9)));
            s.setSoTimeout(200);
            try {
                s.receive(new DatagramPacket(new byte[16], 16));
            } catch (SocketTimeoutException | java.net.PortUnreachableException e) {
                // nothing listens there; what matters is that the agent kept answering
            }
        }
        assertTrue(topo.ns("be1").exec("ping", "-c", "1", "-W", "2", agentIp).contains("1 received"));
    }
}
