package io.shardlb.agent.engine;

import static io.shardlb.agent.engine.EngineFixture.AGENT;
import static io.shardlb.agent.engine.EngineFixture.AGENT_MAC;
import static io.shardlb.agent.engine.EngineFixture.CLIENT_MAC;
import static io.shardlb.agent.engine.EngineFixture.E1;
import static io.shardlb.agent.engine.EngineFixture.E2;
import static io.shardlb.agent.engine.EngineFixture.E3;
import static io.shardlb.agent.engine.EngineFixture.EP1_MAC;
import static io.shardlb.agent.engine.EngineFixture.EP2_MAC;
import static io.shardlb.agent.engine.EngineFixture.T0;
import static io.shardlb.agent.engine.EngineFixture.VIP;
import static io.shardlb.agent.engine.EngineFixture.fromClient;
import static io.shardlb.agent.engine.EngineFixture.rule;
import static io.shardlb.agent.engine.EngineFixture.run;
import static io.shardlb.agent.engine.RefFrames.mac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Cidr;
import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacketEngineFlowTest {
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;
    private static final int RST = 0x04;

    private static long send(PacketEngine e, int clientPort, int flags, long now) {
        byte[] f = fromClient(RefFrames.TCP, clientPort, flags, "");
        long v = run(e, f, now);
        return Verdict.action(v) == Verdict.TX ? mac(f, 0) : -Verdict.action(v);
    }

    @Test
    void existingFlowsKeepTheirEndpointUnlessItIsGone() {
        try (PacketEngine e = EngineFixture.engine(Mode.ONEARM, Protocol.TCP)) {
            Map<Integer, Long> chosen = new HashMap<>();
            for (int p = 42000; p < 42200; p++) {
                chosen.put(p, send(e, p, SYN, T0));
            }
            assertTrue(chosen.containsValue(EP1_MAC) && chosen.containsValue(EP2_MAC), "both endpoints used");
            e.upsertRule(rule(Mode.ONEARM, Protocol.TCP, List.of(E1, E2, E3), List.of()));
            for (int p = 42000; p < 42200; p++) {
                assertEquals(chosen.get(p), send(e, p, ACK, T0 + 1), "endpoint added: flow " + p + " stays");
            }
            e.upsertRule(rule(Mode.ONEARM, Protocol.TCP, List.of(E2, E3), List.of()));
            for (int p = 42000; p < 42200; p++) {
                long now = send(e, p, ACK, T0 + 2);
                if (chosen.get(p) == EP2_MAC) {
                    assertEquals(EP2_MAC, now, "flow " + p + " on a surviving endpoint stays");
                } else {
                    assertNotEquals(EP1_MAC, now, "flow " + p + " leaves the removed endpoint");
                }
            }
            assertEquals(200, e.counters("svc/80/TCP").orElseThrow().activeFlows());
            assertEquals(200, e.flowCount());
        }
    }

    @Test
    void sourceRangesAreEnforced() {
        try (PacketEngine e = EngineFixture.engine(Mode.DEFAULT, Protocol.TCP)) {
            e.upsertRule(rule(Mode.DEFAULT, Protocol.TCP, List.of(E1), List.of(Cidr.parse("198.18.0.0/28"))));
            assertEquals(EP1_MAC, send(e, 43000, SYN, T0));
            byte[] f = RefFrames.l4Frame(RefFrames.TCP, CLIENT_MAC, AGENT_MAC, RefFrames.ip("198.18.0.99"), 43001,
                    VIP, 80, SYN, new byte[0], true);
            long v = run(e, f, T0);
            assertEquals(Verdict.DROP, Verdict.action(v));
            assertEquals(DropKind.SOURCE_NOT_ALLOWED, Verdict.kind(v));
            assertEquals(1, e.dropCount(DropKind.SOURCE_NOT_ALLOWED));
        }
    }

    private static byte[] arpRequest(int targetIp) {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.putShort((short) 0xFFFF).putInt(-1).putShort((short) (CLIENT_MAC >>> 32)).putInt((int) CLIENT_MAC);
        b.putShort((short) 0x0806).putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4);
        b.putShort((short) 1).putShort((short) (CLIENT_MAC >>> 32)).putInt((int) CLIENT_MAC)
                .putInt(EngineFixture.CLIENT).putShort((short) 0).putInt(0).putInt(targetIp);
        return b.array();
    }

    @Test
    void aClaimStopsAnsweringAtItsDeadlineWithoutRelease() {
        try (PacketEngine e = EngineFixture.engine(Mode.ONEARM, Protocol.TCP)) {
            long deadline = T0 + Duration.ofSeconds(1).toNanos();
            e.claimVip(Addresses.fromInt(VIP), deadline);
            assertEquals(EP1_MAC == send(e, 44000, SYN, T0) ? EP1_MAC : EP2_MAC, send(e, 44000, ACK, T0));
            byte[] arp = arpRequest(VIP);
            long v = run(e, arp, deadline - 1);
            assertEquals(Verdict.TX, Verdict.action(v));
            ByteBuffer want = ByteBuffer.allocate(60);
            want.putShort((short) (CLIENT_MAC >>> 32)).putInt((int) CLIENT_MAC);
            want.putShort((short) (AGENT_MAC >>> 32)).putInt((int) AGENT_MAC);
            want.putShort((short) 0x0806).putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4);
            want.putShort((short) 2).putShort((short) (AGENT_MAC >>> 32)).putInt((int) AGENT_MAC).putInt(VIP);
            want.putShort((short) (CLIENT_MAC >>> 32)).putInt((int) CLIENT_MAC).putInt(EngineFixture.CLIENT);
            assertArrayEquals(want.array(), arp, "ARP reply bytes");
            assertEquals(Verdict.PASS, Verdict.action(run(e, arpRequest(VIP), deadline)), "no ARP at the deadline");
            assertEquals(-Verdict.PASS, send(e, 44000, ACK, deadline), "no forwarding at the deadline");
            assertEquals(-Verdict.PASS, send(e, 44001, SYN, deadline + 1));
            assertEquals(2, e.dropCount(DropKind.NOT_CLAIMED));
            assertEquals(Verdict.PASS, Verdict.action(run(e, arpRequest(EngineFixture.EP1), T0)), "not a VIP");
        }
    }

    @Test
    void gratuitousArpAnnouncesTheVip() {
        byte[] buf = new byte[64];
        int n = ArpDecisions.writeGratuitous(MemorySegment.ofArray(buf), 2, AGENT_MAC, VIP);
        assertEquals(60, n);
        ByteBuffer b = ByteBuffer.wrap(buf, 2, 60);
        assertEquals(0xFFFF_FFFF_FFFFL, ((long) (b.getShort() & 0xFFFF) << 32) | (b.getInt() & 0xFFFF_FFFFL));
        assertEquals(AGENT_MAC, ((long) (b.getShort() & 0xFFFF) << 32) | (b.getInt() & 0xFFFF_FFFFL));
        assertEquals(0x0806, b.getShort() & 0xFFFF);
        assertEquals(1, b.getShort());
        assertEquals(0x0800, b.getShort());
        assertEquals(6, b.get());
        assertEquals(4, b.get());
        assertEquals(1, b.getShort(), "announcement: a request");
        b.position(b.position() + 6);
        assertEquals(VIP, b.getInt(), "sender IP is the VIP");
        b.position(b.position() + 6);
        assertEquals(VIP, b.getInt(), "target IP is the VIP");
    }

    @Test
    void icmpEchoToAClaimedVipIsAnswered() {
        try (PacketEngine e = EngineFixture.engine(Mode.ONEARM, Protocol.TCP)) {
            ByteBuffer b = ByteBuffer.allocate(14 + 20 + 16);
            b.putShort((short) (AGENT_MAC >>> 32)).putInt((int) AGENT_MAC);
            b.putShort((short) (CLIENT_MAC >>> 32)).putInt((int) CLIENT_MAC).putShort((short) 0x0800);
            b.put((byte) 0x45).put((byte) 0).putShort((short) 36).putInt(0).put((byte) 9).put((byte) 1)
                    .putShort((short) 0).putInt(EngineFixture.CLIENT).putInt(VIP);
            b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 7).putShort((short) 1)
                    .putLong(0x0102030405060708L);
            byte[] f = b.array();
            RefFrames.fixChecksums(f, false);
            assertEquals(Verdict.TX, Verdict.action(run(e, f, T0)));
            assertEquals(CLIENT_MAC, mac(f, 0));
            assertEquals(VIP, RefFrames.u32(f, 26));
            assertEquals(EngineFixture.CLIENT, RefFrames.u32(f, 30));
            assertEquals(0, f[34]);
            assertTrue(RefFrames.ipChecksumOk(f) && RefFrames.l4ChecksumOk(f));
        }
    }

    @Test
    void aFullTableDropsNewFlowsAndReclaimsExpiredOnes() {
        EngineConfig small = EngineConfig.of(AGENT, AGENT_MAC).withFlowCapacity(16);
        try (PacketEngine e = EngineFixture.engine(Mode.ONEARM, Protocol.TCP, small)) {
            for (int p = 0; p < 16; p++) {
                assertTrue(send(e, 45000 + p, SYN, T0) > 0);
            }
            assertEquals(-Verdict.DROP, send(e, 45100, SYN, T0));
            assertEquals(1, e.dropCount(DropKind.FLOW_TABLE_FULL));
            assertTrue(send(e, 45000, ACK, T0 + 1) > 0, "existing flows unaffected");
            long later = T0 + EngineFixture.TIMEOUT.toNanos() + 10;
            assertTrue(send(e, 45100, SYN, later) > 0, "an expired flow is reclaimed");
            assertEquals(16, e.flowCount());
        }
    }

    @Test
    void natPortsRunOutCleanly() {
        EngineConfig tiny = new EngineConfig(AGENT, AGENT_MAC, new NatPortRange(61000, 61003), 64,
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        try (PacketEngine e = new PacketEngine(tiny)) {
            e.upsertRule(rule(Mode.FULLNAT, Protocol.TCP, List.of(E1), List.of()));
            e.claimVip(Addresses.fromInt(VIP), T0 + 1_000_000_000L);
            for (int p = 0; p < 4; p++) {
                assertEquals(EP1_MAC, send(e, 46000 + p, SYN, T0));
            }
            assertEquals(-Verdict.DROP, send(e, 46100, SYN, T0));
            assertEquals(1, e.dropCount(DropKind.NAT_PORTS_EXHAUSTED));
        }
    }

    @Test
    void closedFlowsGiveTheirNatPortsToNewConnections() {
        EngineConfig tiny = new EngineConfig(AGENT, AGENT_MAC, new NatPortRange(61000, 61003), 64,
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        try (PacketEngine e = new PacketEngine(tiny)) {
            e.upsertRule(rule(Mode.ONEARM, Protocol.TCP, List.of(E1), List.of()));
            e.claimVip(Addresses.fromInt(VIP), T0 + Duration.ofHours(1).toNanos());
            for (int p = 0; p < 4; p++) {
                assertEquals(EP1_MAC, send(e, 46000 + p, SYN, T0));
            }
            // connection 46000 closes both ways (client FIN, backend FIN); 46001 only half-closes
            assertEquals(EP1_MAC, send(e, 46000, FIN | ACK, T0 + 1));
            byte[] backendFin = EngineFixture.fromBackend(RefFrames.TCP, EP1_MAC, EngineFixture.EP1, AGENT,
                    natPortOf(e, 46000), FIN | ACK, "");
            assertEquals(Verdict.TX, Verdict.action(run(e, backendFin, T0 + 2)));
            assertEquals(EP1_MAC, send(e, 46001, FIN | ACK, T0 + 3));
            assertEquals(EP1_MAC, send(e, 46100, SYN, T0 + 4), "the closed flow's port is taken over");
            assertEquals(-Verdict.DROP, send(e, 46101, SYN, T0 + 5), "a half-closed flow keeps its port");
            assertEquals(1, e.dropCount(DropKind.NAT_PORTS_EXHAUSTED));
            assertEquals(4, e.flowCount());
        }
    }

    @Test
    void aSynOnAClosedTupleIsANewFlow() {
        try (PacketEngine e = EngineFixture.engine(Mode.ONEARM, Protocol.TCP)) {
            assertTrue(send(e, 47100, SYN, T0) > 0);
            assertTrue(send(e, 47100, RST, T0 + 1) > 0);
            assertEquals(1, e.counters("svc/80/TCP").orElseThrow().activeFlows());
            assertTrue(send(e, 47100, SYN, T0 + 2) > 0);
            assertEquals(1, e.flowCount(), "the closed flow was replaced, not duplicated");
            long later = T0 + 2 + Duration.ofSeconds(5).toNanos();
            assertEquals(0, e.sweep(later, 4096), "the new flow lives by the rule's timeout, not the RST one");
            assertEquals(1, e.counters("svc/80/TCP").orElseThrow().activeFlows());
        }
    }

    /** The NAT port the engine gave the client port {@code clientPort} (from a forwarded ACK). */
    private static int natPortOf(PacketEngine e, int clientPort) {
        byte[] f = fromClient(RefFrames.TCP, clientPort, ACK, "");
        run(e, f, T0);
        return RefFrames.u16(f, 14 + RefFrames.ihl(f));
    }

    @Test
    void removedRuleStopsForwardingAndItsFlowsAreSwept() {
        try (PacketEngine e = EngineFixture.engine(Mode.ONEARM, Protocol.TCP)) {
            assertTrue(send(e, 47000, SYN, T0) > 0);
            e.removeRule("svc/80/TCP");
            assertEquals(-Verdict.DROP, send(e, 47000, ACK, T0));
            assertEquals(1, e.dropCount(DropKind.NO_RULE));
            assertEquals(1, e.sweep(T0, 4096));
            assertEquals(0, e.flowCount());
        }
    }

    @Test
    void natRangeMustAvoidTheKernelEphemeralRange() {
        NatPortRange.DEFAULT.checkOutside("32768\t60999\n");
        IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> NatPortRange.DEFAULT.checkOutside("32768 65000"));
        assertTrue(ex.getMessage().contains("61000-65535") && ex.getMessage().contains("32768-65000"));
        NatPortRange.DEFAULT.checkAgainstKernel();
    }
}
