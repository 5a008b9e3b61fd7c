package io.shardlb.agent.xdp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where the agent's veth peer is not ours (a CNI's host side: no XDP program there), an XDP_TX ARP answer is
 * dropped by veth; with {@code tcarp} the answer is built at TC ingress and sent out of the same device, under the
 * same kernel-held deadline. The bridge-side peer of agt2 has its pass-through program removed for this class.
 */
class XdpTcArpTest {
    private static XdpTopology topo;

    @BeforeAll
    static void setUp() {
        topo = XdpTestBed.get();
        Netns.run("ip", "-n", XdpTopology.PREFIX + "sw", "link", "set", "dev", peerOfAgt2(), "xdpdrv", "off");
    }

    @AfterAll
    static void tearDown() {
        XdpTestBed.destroy();
    }

    private static String peerOfAgt2() {
        String inner = XdpTopology.ifname("agt2");
        return inner.substring(0, inner.length() - 1) + "1";
    }

    /** True if an arping for the VIP from the client gets an answer from agt2's MAC. */
    private static boolean agt2Answers(int count) {
        try {
            String out = topo.ns("cli").exec("arping", "-c", Integer.toString(count), "-W", "0.2", "-i",
                    XdpTopology.ifname("cli"), XdpTopology.VIP.getHostAddress());
            return out.contains(topo.mac("agt2").toString());
        } catch (IllegalStateException e) {
            return false; // arping exits non-zero when nothing answered
        }
    }

    @Test
    void arpIsAnsweredAtTcIngressUntilTheDeadlineWhenThePeerHasNoXdpProgram() throws Exception {
        try (AgentJvm agent = new AgentJvm(XdpTopology.PREFIX + "agt2", XdpTopology.ifname("agt2"), "tcarp")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            assertTrue(agent.claimVip(XdpTopology.VIP, deadline).applied());
            assertTrue(agt2Answers(3), "answered at TC ingress: " + agent.stats());
            while (System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            assertFalse(agt2Answers(3), "no answer after the deadline: " + agent.stats());
        }
    }

    @Test
    void withoutTheTcPathTheXdpTxAnswerIsLostOnSuchAPeer() {
        try (AgentJvm agent = new AgentJvm(XdpTopology.PREFIX + "agt2", XdpTopology.ifname("agt2"))) {
            assertTrue(agent.claimVip(XdpTopology.VIP, System.nanoTime() + Duration.ofMinutes(1).toNanos())
                    .applied());
            assertFalse(agt2Answers(3), "veth drops XDP_TX frames when the peer has no XDP program");
        }
    }
}
