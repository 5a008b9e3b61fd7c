package io.shardlb.agent.engine;

import static io.shardlb.agent.engine.EngineFixture.AGENT;
import static io.shardlb.agent.engine.EngineFixture.AGENT_MAC;
import static io.shardlb.agent.engine.EngineFixture.CLIENT;
import static io.shardlb.agent.engine.EngineFixture.CLIENT_MAC;
import static io.shardlb.agent.engine.EngineFixture.EP1;
import static io.shardlb.agent.engine.EngineFixture.EP1_MAC;
import static io.shardlb.agent.engine.EngineFixture.EP2_MAC;
import static io.shardlb.agent.engine.EngineFixture.EP_PORT;
import static io.shardlb.agent.engine.EngineFixture.T0;
import static io.shardlb.agent.engine.EngineFixture.VIP;
import static io.shardlb.agent.engine.EngineFixture.VPORT;
import static io.shardlb.agent.engine.EngineFixture.fromBackend;
import static io.shardlb.agent.engine.EngineFixture.fromClient;
import static io.shardlb.agent.engine.EngineFixture.run;
import static io.shardlb.agent.engine.RefFrames.l4ChecksumOk;
import static io.shardlb.agent.engine.RefFrames.mac;
import static io.shardlb.agent.engine.RefFrames.u16;
import static io.shardlb.agent.engine.RefFrames.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.RuleCounters;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Request, reply, FIN, RST and timeouts through every mode, each output checked byte by byte against a frame
 * the test builds itself, with checksums computed by the test's own routine. Inputs carry partial (offload)
 * L4 checksums, as frames from a veth peer do.
 */
class PacketEngineModesTest {
    private static final int TCP = RefFrames.TCP;
    private static final int UDP = RefFrames.UDP;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;

    /** The expected request after the engine: every byte, checksums by the test. Returns the NAT port used. */
    private static int assertForwarded(Mode mode, byte[] before, byte[] after, long verdict) {
        assertEquals(Verdict.TX, Verdict.action(verdict), Verdict.describe(verdict));
        assertEquals(before.length, Verdict.length(verdict));
        long epMac = mac(after, 0);
        assertTrue(epMac == EP1_MAC || epMac == EP2_MAC, "dst MAC is an endpoint's");
        int epIp = epMac == EP1_MAC ? EP1 : EngineFixture.EP2;
        byte[] want = before.clone();
        RefFrames.put16(want, 0, (int) (epMac >>> 32));
        RefFrames.put32(want, 2, (int) epMac);
        RefFrames.put16(want, 6, (int) (AGENT_MAC >>> 32));
        RefFrames.put32(want, 8, (int) AGENT_MAC);
        int natPort = u16(after, 34);
        switch (mode) {
            case DEFAULT -> assertEquals(u16(before, 34), natPort);
            case ONEARM, FULLNAT -> assertTrue(natPort >= 61000 && natPort <= 65535, "NAT port " + natPort);
            case DSR -> assertEquals(u16(before, 34), natPort);
        }
        if (mode != Mode.DSR) {
            RefFrames.put32(want, 26, mode == Mode.ONEARM ? AGENT : mode == Mode.FULLNAT ? VIP : CLIENT);
            RefFrames.put32(want, 30, epIp);
            RefFrames.put16(want, 34, natPort);
            RefFrames.put16(want, 36, EP_PORT);
        }
        RefFrames.fixChecksums(want, false);
        assertArrayEquals(want, after, "forwarded frame, mode " + mode);
        assertTrue(RefFrames.ipChecksumOk(after) && l4ChecksumOk(after));
        return natPort;
    }

    private static void assertReplied(byte[] before, byte[] after, long verdict, int clientPort) {
        assertEquals(Verdict.TX, Verdict.action(verdict), Verdict.describe(verdict));
        byte[] want = before.clone();
        RefFrames.put16(want, 0, (int) (CLIENT_MAC >>> 32));
        RefFrames.put32(want, 2, (int) CLIENT_MAC);
        RefFrames.put16(want, 6, (int) (AGENT_MAC >>> 32));
        RefFrames.put32(want, 8, (int) AGENT_MAC);
        RefFrames.put32(want, 26, VIP);
        RefFrames.put32(want, 30, CLIENT);
        RefFrames.put16(want, 34, VPORT);
        RefFrames.put16(want, 36, clientPort);
        RefFrames.fixChecksums(want, false);
        assertArrayEquals(want, after, "reply frame");
    }

    private static int natIp(Mode mode) {
        return switch (mode) {
            case DEFAULT, DSR -> CLIENT;
            case ONEARM -> AGENT;
            case FULLNAT -> VIP;
        };
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void tcpConnectionThroughEveryModeAndBack(Mode mode) {
        try (PacketEngine e = EngineFixture.engine(mode, Protocol.TCP)) {
            long now = T0;
            byte[] syn = fromClient(TCP, 40001, SYN, "");
            assertFalse(l4ChecksumOk(syn), "input carries a partial checksum");
            byte[] out = syn.clone();
            int natPort = assertForwarded(mode, syn, out, run(e, out, now));
            long epMac = mac(out, 0);
            int epIp = u32(out, 30) == VIP ? (epMac == EP1_MAC ? EP1 : EngineFixture.EP2) : u32(out, 30);
            if (mode != Mode.DSR) {
                byte[] synAck = fromBackend(TCP, epMac, epIp, natIp(mode), natPort, SYN | ACK, "");
                byte[] r = synAck.clone();
                assertReplied(synAck, r, run(e, r, now), 40001);
            }
            byte[] data = fromClient(TCP, 40001, PSH | ACK, "GET / HTTP/1.1\r\nHost: vip\r\n\r\n");
            out = data.clone();
            assertEquals(natPort, assertForwarded(mode, data, out, run(e, out, now + 1000)));
            assertEquals(epMac, mac(out, 0), "same flow, same endpoint");
            byte[] fin = fromClient(TCP, 40001, FIN | ACK, "");
            out = fin.clone();
            assertForwarded(mode, fin, out, run(e, out, now + 2000));
            if (mode != Mode.DSR) {
                byte[] finBack = fromBackend(TCP, epMac, epIp, natIp(mode), natPort, FIN | ACK, "bye");
                byte[] r = finBack.clone();
                assertReplied(finBack, r, run(e, r, now + 3000), 40001);
            }
            RuleCounters c = e.counters("svc/80/TCP").orElseThrow();
            assertEquals(1, c.activeFlows());
            assertEquals(mode == Mode.DSR ? 3 : 5, c.packets());
            long fin10 = e.config().finTimeout().toNanos();
            long last = mode == Mode.DSR ? now + 2000 : now + 3000;
            e.sweep(last + fin10 - 1, 4096);
            assertEquals(1, e.flowCount(), "a closing flow lives finTimeout");
            e.sweep(last + fin10 + 1, 4096);
            assertEquals(0, e.flowCount(), "and no longer");
            assertEquals(0, e.counters("svc/80/TCP").orElseThrow().activeFlows());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void rstEndsAFlowQuickly(Mode mode) {
        try (PacketEngine e = EngineFixture.engine(mode, Protocol.TCP)) {
            byte[] syn = fromClient(TCP, 40002, SYN, "");
            byte[] out = syn.clone();
            int natPort = assertForwarded(mode, syn, out, run(e, out, T0));
            long epMac = mac(out, 0);
            int epIp = epMac == EP1_MAC ? EP1 : EngineFixture.EP2;
            byte[] rst = mode == Mode.DSR ? fromClient(TCP, 40002, RST, "")
                    : fromBackend(TCP, epMac, epIp, natIp(mode), natPort, RST | ACK, "");
            byte[] r = rst.clone();
            long v = run(e, r, T0 + 1);
            if (mode == Mode.DSR) {
                assertForwarded(mode, rst, r, v);
            } else {
                assertReplied(rst, r, v, 40002);
            }
            long rstNanos = e.config().rstTimeout().toNanos();
            e.sweep(T0 + rstNanos, 4096);
            assertEquals(1, e.flowCount());
            e.sweep(T0 + rstNanos + 2, 4096);
            assertEquals(0, e.flowCount());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void udpRequestReplyAndIdleTimeout(Mode mode) {
        try (PacketEngine e = EngineFixture.engine(mode, Protocol.UDP)) {
            byte[] q = fromClient(UDP, 50001, 0, "query-1");
            byte[] out = q.clone();
            int natPort = assertForwarded(mode, q, out, run(e, out, T0));
            long epMac = mac(out, 0);
            int epIp = epMac == EP1_MAC ? EP1 : EngineFixture.EP2;
            if (mode != Mode.DSR) {
                byte[] a = fromBackend(UDP, epMac, epIp, natIp(mode), natPort, 0, "answer-1-longer");
                byte[] r = a.clone();
                assertReplied(a, r, run(e, r, T0 + 5), 50001);
            }
            long idle = EngineFixture.TIMEOUT.toNanos();
            long last = mode == Mode.DSR ? T0 : T0 + 5;
            e.sweep(last + idle - 1, 4096);
            assertEquals(1, e.flowCount(), "alive until the rule's inactivity timeout");
            e.sweep(last + idle + 1, 4096);
            assertEquals(0, e.flowCount(), "gone after it");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void recordedFramesWithPartialChecksumsComeOutValid(Mode mode) {
        try (PacketEngine e = new PacketEngine(EngineConfig.of(AGENT, AGENT_MAC).withFlowCapacity(64))) {
            var vip = io.shardlb.agent.forwarder.Addresses.fromInt(RefFrames.ip("127.0.0.1"));
            for (Protocol p : Protocol.values()) {
                e.upsertRule(new io.shardlb.agent.forwarder.ServiceRule("rec/" + p, vip, 18999, p, mode,
                        io.shardlb.agent.forwarder.Selection.HASH, Duration.ofSeconds(60), java.util.List.of(),
                        java.util.List.of(EngineFixture.E1)));
            }
            e.claimVip(vip, T0 + Duration.ofMinutes(1).toNanos());
            java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(RefFrames.RECORDED_CLIENT_FRAMES));
            all.add(RefFrames.RECORDED_UDP);
            for (String hex : all) {
                byte[] f = RefFrames.hex(hex);
                assertFalse(l4ChecksumOk(f), "recorded with a partial checksum");
                byte[] before = f.clone();
                long v = run(e, f, T0);
                assertEquals(Verdict.TX, Verdict.action(v), Verdict.describe(v));
                assertEquals(EP1_MAC, mac(f, 0));
                assertEquals(mode == Mode.DSR ? u32(before, 30) : EP1, u32(f, 30));
                assertTrue(RefFrames.ipChecksumOk(f) && l4ChecksumOk(f), "valid checksums after, mode " + mode);
                int l4 = 14 + RefFrames.ihl(f);
                int hdr = f[23] == 6 ? (f[l4 + 12] >> 4 & 0xF) * 4 : 8;
                assertArrayEquals(java.util.Arrays.copyOfRange(before, l4 + hdr, before.length),
                        java.util.Arrays.copyOfRange(f, l4 + hdr, f.length), "payload untouched");
            }
        }
    }
}
