package io.shardlb.agent.xdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failover continuity in {@code dsr} mode: a TCP connection established through agent 1 keeps working after the
 * VIP moves to agent 2 (release on 1, claim on 2 with its gratuitous ARPs); both agents pick the same backend for
 * the flow, and the backend (VIP on its loopback, ARP for it ignored) answers the client directly.
 */
class XdpDsrMoveTest {
    private static final int PORT = 18081;
    private static XdpTopology topo;
    private static ServerSocket server;

    @BeforeAll
    static void setUp() {
        topo = XdpTestBed.get();
        Netns be = topo.ns("be1");
        be.exec("ip", "addr", "add", XdpTopology.VIP.getHostAddress() + "/32", "dev", "lo");
        be.exec("sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1");
        be.exec("sysctl", "-qw", "net.ipv4.conf.all.arp_announce=2");
        server = be.call(() -> new ServerSocket(PORT, 50, XdpTopology.VIP));
        Thread.ofPlatform().daemon().start(XdpDsrMoveTest::serve);
    }

    /** A line echo server: each line comes back prefixed with "be1:". */
    private static void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().start(() -> {
                    try (s; BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII))) {
                        PrintStream w = new PrintStream(s.getOutputStream(), true, StandardCharsets.US_ASCII);
                        String line;
                        while ((line = r.readLine()) != null) {
                            w.println("be1:" + line);
                        }
                    } catch (IOException e) {
                        // client gone
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (server != null) {
            server.close();
        }
        XdpTestBed.destroy();
    }

    private static AgentJvm agent(String ns) {
        AgentJvm a = new AgentJvm(XdpTopology.PREFIX + ns, XdpTopology.ifname(ns));
        ServiceRule rule = new ServiceRule("dsr", XdpTopology.VIP, PORT, Protocol.TCP, Mode.DSR, Selection.HASH,
                Duration.ofSeconds(60), List.of(),
                List.of(new Endpoint(XdpTopology.address("be1"), PORT, topo.mac("be1"))));
        assertTrue(a.upsertRule(rule).applied());
        return a;
    }

    @Test
    void anEstablishedConnectionSurvivesTheVipMovingToTheOtherAgent() throws Exception {
        try (AgentJvm first = agent("agt1"); AgentJvm second = agent("agt2")) {
            assertTrue(first.claimVip(XdpTopology.VIP, System.nanoTime() + Duration.ofMinutes(2).toNanos())
                    .applied());
            Socket s = topo.ns("cli").call(() -> {
                Socket c = new Socket();
                c.setSoTimeout(30_000);
                return c;
            });
            try (s) {
                s.connect(new InetSocketAddress(XdpTopology.VIP, PORT), 30_000);
                PrintStream w = new PrintStream(s.getOutputStream(), true, StandardCharsets.US_ASCII);
                BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII));
                w.println("before");
                assertEquals("be1:before", r.readLine());
                assertTrue(first.releaseVip(XdpTopology.VIP).applied());
                assertTrue(second.claimVip(XdpTopology.VIP, System.nanoTime() + Duration.ofMinutes(2).toNanos())
                        .applied());
                w.println("after");
                assertEquals("be1:after", r.readLine(), "the same connection answers after the move");
                assertTrue(second.counters("dsr").orElseThrow().packets() > 0, "carried by the second agent");
            }
        }
    }
}
