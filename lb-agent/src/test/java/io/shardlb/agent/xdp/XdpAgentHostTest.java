package io.shardlb.agent.xdp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.Addresses;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With the forwarder attached and a VIP claimed, the agent's own address still answers ARP and ping (XDP_PASS). */
class XdpAgentHostTest {
    private static XdpTopology topo;

    @BeforeAll
    static void setUp() {
        topo = XdpTestBed.get();
    }

    @AfterAll
    static void tearDown() {
        XdpTestBed.destroy();
    }

    @Test
    void arpAndPingToTheAgentItselfStillWork() {
        try (AgentJvm agent = new AgentJvm(XdpTopology.PREFIX + "agt1", XdpTopology.ifname("agt1"))) {
            assertTrue(agent.claimVip(Addresses.parse("198.18.0.100"), System.nanoTime()
                    + Duration.ofMinutes(1).toNanos()).applied());
            String agentIp = XdpTopology.address("agt1").getHostAddress();
            String arp = topo.ns("cli").exec("arping", "-c", "3", "-W", "0.2", "-i", XdpTopology.ifname("cli"),
                    agentIp);
            assertTrue(arp.contains(topo.mac("agt1").toString()), arp);
            String ping = topo.ns("cli").exec("ping", "-c", "3", "-i", "0.2", "-W", "2", agentIp);
            assertTrue(ping.contains("3 received"), ping);
        }
    }
}
