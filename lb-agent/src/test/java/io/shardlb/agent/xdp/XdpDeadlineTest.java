package io.shardlb.agent.xdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import io.shardlb.agent.forwarder.TestBackends;
import io.shardlb.agent.forwarder.TestBackends.Backend;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lease deadline is enforced by the kernel: ARP answers (seen by a monitor arping every 10 ms) and forwarding
 * stop by the deadline with no user-space action, whether the forwarder JVM is alive, frozen (SIGSTOP) or killed
 * (SIGKILL); a second agent claiming after the deadline is never answered at the same time as the first.
 */
class XdpDeadlineTest {
    private static final int PORT = 5353;
    /** Scheduling slack between the kernel's decision and our timestamp of arping's output line. */
    private static final long SLACK = Duration.ofMillis(300).toNanos();
    private static final long TTL = Duration.ofSeconds(3).toNanos();
    private static XdpTopology topo;
    private static Backend backend;
    private AgentJvm agent;
    private ArpMonitor monitor;
    private DatagramSocket client;

    @BeforeAll
    static void topology() {
        topo = XdpTestBed.get();
        backend = TestBackends.udp("b0", topo.ns("be1").call(() -> new DatagramSocket(
                new InetSocketAddress(XdpTopology.address("be1"), 0))));
    }

    @AfterAll
    static void teardown() {
        if (backend != null) {
            backend.close();
        }
        XdpTestBed.destroy();
    }

    @BeforeEach
    void start() {
        agent = startAgent("agt1");
        monitor = new ArpMonitor(XdpTopology.VIP);
        client = topo.ns("cli").call(() -> {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(XdpTopology.address("cli"), 0));
            s.setSoTimeout(200);
            return s;
        });
    }

    @AfterEach
    void stop() {
        client.close();
        monitor.close();
        agent.close();
    }

    private AgentJvm startAgent(String ns) {
        AgentJvm a = new AgentJvm(XdpTopology.PREFIX + ns, XdpTopology.ifname(ns));
        ServiceRule rule = new ServiceRule("dns", XdpTopology.VIP, PORT, Protocol.UDP, Mode.ONEARM, Selection.HASH,
                Duration.ofSeconds(30), List.of(),
                List.of(new Endpoint(backend.address(), backend.port(), topo.mac("be1"))));
        assertTrue(a.upsertRule(rule).applied());
        return a;
    }

    private boolean udpAnswered() throws IOException {
        byte[] m = "ping".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 3; i++) {
            client.send(new DatagramPacket(m, m.length, new InetSocketAddress(XdpTopology.VIP, PORT)));
            try {
                DatagramPacket p = new DatagramPacket(new byte[512], 512);
                client.receive(p);
                return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII).equals("b0:ping");
            } catch (SocketTimeoutException e) {
                // ask again
            }
        }
        return false;
    }

    private long claimAndCheckAnswered(AgentJvm a, String mac) throws Exception {
        long deadline = System.nanoTime() + TTL;
        assertTrue(a.claimVip(XdpTopology.VIP, deadline).applied());
        assertTrue(udpAnswered(), "forwarded before the deadline");
        awaitUntil(() -> monitor.count(mac, deadline - TTL, deadline) >= 5, deadline);
        return deadline;
    }

    private void assertSilentAfter(long deadline, String mac) throws Exception {
        while (System.nanoTime() - (deadline + Duration.ofMillis(1500).toNanos()) < 0) {
            Thread.sleep(20);
        }
        long last = monitor.last(mac);
        assertTrue(last - (deadline + SLACK) < 0, "last ARP answer " + (last - deadline) / 1_000_000
                + " ms after the deadline");
        assertEquals(0, monitor.count(mac, deadline + SLACK, System.nanoTime()), "answers after the deadline");
        assertFalse(udpAnswered(), "still forwarding after the deadline");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier c, long limit) throws InterruptedException {
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() - limit < 0, "condition not met before the deadline");
            Thread.sleep(10);
        }
    }

    @Test
    void arpAndForwardingStopAtTheDeadlineWithNoUserSpaceAction() throws Exception {
        String mac = topo.mac("agt1").toString();
        long deadline = claimAndCheckAnswered(agent, mac);
        assertSilentAfter(deadline, mac);
        assertTrue(agent.stats().contains("arp_expired="), agent.stats());
    }

    @Test
    void aFrozenForwarderStopsByTheDeadline() throws Exception {
        String mac = topo.mac("agt1").toString();
        long deadline = claimAndCheckAnswered(agent, mac);
        agent.freeze();
        assertSilentAfter(deadline, mac);
    }

    @Test
    void aKilledForwarderStopsByTheDeadline() throws Exception {
        String mac = topo.mac("agt1").toString();
        long deadline = claimAndCheckAnswered(agent, mac);
        agent.kill9();
        assertSilentAfter(deadline, mac);
    }

    @Test
    void aSecondAgentClaimingAfterTheDeadlineIsNeverAnsweredWithTheFirst() throws Exception {
        try (AgentJvm second = startAgent("agt2")) {
            String mac1 = topo.mac("agt1").toString();
            String mac2 = topo.mac("agt2").toString();
            long deadline = claimAndCheckAnswered(agent, mac1);
            agent.freeze();
            while (System.nanoTime() - deadline <= 0) {
                Thread.sleep(5);
            }
            assertTrue(second.claimVip(XdpTopology.VIP, System.nanoTime() + Duration.ofSeconds(20).toNanos())
                    .applied());
            long claimed = System.nanoTime();
            awaitUntil(() -> monitor.count(mac2, claimed, System.nanoTime()) >= 20,
                    claimed + Duration.ofSeconds(15).toNanos());
            long firstOfSecond = monitor.answers().stream().filter(a -> a.mac().equals(mac2))
                    .mapToLong(ArpMonitor.Answer::atNanos).min().orElseThrow();
            assertTrue(monitor.last(mac1) - firstOfSecond < 0, "the first agent answered after the second began");
            assertTrue(udpAnswered(), "the second agent forwards");
        }
    }
}
