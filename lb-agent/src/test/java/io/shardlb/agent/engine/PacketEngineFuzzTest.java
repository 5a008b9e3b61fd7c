package io.shardlb.agent.engine;

import static io.shardlb.agent.engine.EngineFixture.AGENT_MAC;
import static io.shardlb.agent.engine.EngineFixture.CLIENT;
import static io.shardlb.agent.engine.EngineFixture.CLIENT_MAC;
import static io.shardlb.agent.engine.EngineFixture.T0;
import static io.shardlb.agent.engine.EngineFixture.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardlb.agent.forwarder.DropKind;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One million random and mutated frames: nothing throws, and every verdict and the final count of each kind
 * equal what the test expects from how it built each frame (not from any parsing of its own output).
 */
class PacketEngineFuzzTest {
    private static final int FRAMES = 1_000_000;

    private enum Mutation { RANDOM, TRUNCATE, VERSION, SHORT_IHL, OPTIONS, FRAGMENT, PROTOCOL, TOTAL_BIG,
        TOTAL_SMALL, TCP_DOFF_SMALL, TCP_DOFF_BIG, UDP_LEN, NO_RULE, PAYLOAD }

    private final Random rnd = new Random(20261125L);

    private byte[] base(int proto, int dport) {
        int client = rnd.nextInt(64);
        byte[] payload = new byte[40 + rnd.nextInt(60)];
        rnd.nextBytes(payload);
        return RefFrames.l4Frame(proto, CLIENT_MAC, AGENT_MAC, CLIENT + (client & 7), 30000 + client, VIP, dport,
                0x10, payload, rnd.nextBoolean());
    }

    /** Builds one frame by {@code m}; returns the kind the engine must report (null: TX or uncounted PASS). */
    private DropKind build(Mutation m, byte[][] out) {
        int proto = rnd.nextBoolean() ? RefFrames.TCP : RefFrames.UDP;
        byte[] f = base(proto, 80);
        int l4 = 34;
        DropKind expect = switch (m) {
            case RANDOM -> {
                f = new byte[rnd.nextInt(200)];
                rnd.nextBytes(f);
                if (f.length >= 14) {
                    int type;
                    do {
                        type = rnd.nextInt(0x10000);
                    } while (type == 0x0800 || type == 0x0806);
                    RefFrames.put16(f, 12, type);
                }
                yield f.length < 14 ? DropKind.TRUNCATED : null;
            }
            case TRUNCATE -> {
                f = Arrays.copyOf(f, rnd.nextInt(f.length));
                yield DropKind.TRUNCATED;
            }
            case VERSION -> {
                int v;
                do {
                    v = rnd.nextInt(16);
                } while (v == 4);
                f[14] = (byte) ((v << 4) | 5);
                yield DropKind.BAD_HEADER;
            }
            case SHORT_IHL -> {
                f[14] = (byte) (0x40 | rnd.nextInt(5));
                yield DropKind.BAD_HEADER;
            }
            case OPTIONS -> {
                f[14] = (byte) (0x40 | (6 + rnd.nextInt(10)));
                yield DropKind.IP_OPTIONS;
            }
            case FRAGMENT -> {
                int ff = rnd.nextBoolean() ? 0x2000 | rnd.nextInt(0x2000) : 1 + rnd.nextInt(0x1FFF);
                RefFrames.put16(f, 20, ff | (rnd.nextBoolean() ? 0x4000 : 0));
                yield DropKind.FRAGMENT;
            }
            case PROTOCOL -> {
                int p;
                do {
                    p = rnd.nextInt(256);
                } while (p == 1 || p == 6 || p == 17);
                f[23] = (byte) p;
                yield DropKind.UNKNOWN_PROTOCOL;
            }
            case TOTAL_BIG -> {
                RefFrames.put16(f, 16, f.length - 14 + 1 + rnd.nextInt(0x10000 - (f.length - 14)));
                yield DropKind.TRUNCATED;
            }
            case TOTAL_SMALL -> {
                RefFrames.put16(f, 16, rnd.nextInt(20));
                yield DropKind.TRUNCATED;
            }
            case TCP_DOFF_SMALL -> {
                f = base(RefFrames.TCP, 80);
                f[l4 + 12] = (byte) (rnd.nextInt(5) << 4);
                yield DropKind.BAD_HEADER;
            }
            case TCP_DOFF_BIG -> {
                f = base(RefFrames.TCP, 80);
                int l4Len = RefFrames.u16(f, 16) - 20;
                int minWords = (l4Len + 4) / 4;
                if (minWords > 15) {
                    f[l4 + 12] = (byte) (15 << 4);
                    yield null;
                }
                f[l4 + 12] = (byte) ((minWords + rnd.nextInt(16 - minWords)) << 4);
                yield DropKind.TRUNCATED;
            }
            case UDP_LEN -> {
                f = base(RefFrames.UDP, 80);
                int l4Len = RefFrames.u16(f, 16) - 20;
                RefFrames.put16(f, l4 + 4, rnd.nextBoolean() ? rnd.nextInt(8) : l4Len + 1 + rnd.nextInt(1000));
                yield DropKind.TRUNCATED;
            }
            case NO_RULE -> {
                f = base(proto, 81 + rnd.nextInt(1000));
                yield DropKind.NO_RULE;
            }
            case PAYLOAD -> {
                int hdr = proto == RefFrames.TCP ? 20 : 8;
                for (int i = rnd.nextInt(8); i >= 0; i--) {
                    f[l4 + hdr + rnd.nextInt(f.length - l4 - hdr)] ^= (byte) (1 + rnd.nextInt(255));
                }
                int csum = l4 + (proto == RefFrames.TCP ? 16 : 6);
                RefFrames.put16(f, csum, rnd.nextInt(0x10000));
                yield null;
            }
        };
        out[0] = f;
        return expect;
    }

    @Test
    void aMillionRandomAndMutatedFrames() {
        EngineConfig config = EngineConfig.of(EngineFixture.AGENT, AGENT_MAC).withFlowCapacity(4096);
        try (PacketEngine e = EngineFixture.engine(Mode.ONEARM, Protocol.TCP, config)) {
            e.upsertRule(EngineFixture.rule(Mode.ONEARM, Protocol.UDP,
                    java.util.List.of(EngineFixture.E1, EngineFixture.E2), java.util.List.of()));
            Map<DropKind, Long> expected = new EnumMap<>(DropKind.class);
            Mutation[] all = Mutation.values();
            byte[][] holder = new byte[1][];
            long tx = 0;
            // frames live in a larger buffer at a random offset, as in a UMEM
            MemorySegment umem = MemorySegment.ofArray(new byte[4096]);
            for (int i = 0; i < FRAMES; i++) {
                Mutation m = all[rnd.nextInt(all.length)];
                DropKind want = build(m, holder);
                byte[] f = holder[0];
                long off = rnd.nextInt(4096 - 256);
                MemorySegment.copy(f, 0, umem, java.lang.foreign.ValueLayout.JAVA_BYTE, off, f.length);
                long v = e.process(umem, off, f.length, T0 + i);
                assertEquals(want, Verdict.kind(v), () -> m + " gave " + Verdict.describe(v));
                if (want != null) {
                    expected.merge(want, 1L, Long::sum);
                    assertEquals(want.passedToKernel() ? Verdict.PASS : Verdict.DROP, Verdict.action(v));
                } else if (m == Mutation.PAYLOAD) {
                    assertEquals(Verdict.TX, Verdict.action(v), m::name);
                    tx++;
                    if ((i & 63) == 0) {
                        byte[] back = new byte[f.length];
                        MemorySegment.copy(umem, java.lang.foreign.ValueLayout.JAVA_BYTE, off, back, 0, f.length);
                        assertTrue(RefFrames.ipChecksumOk(back) && RefFrames.l4ChecksumOk(back), "checksums");
                    }
                }
            }
            assertEquals(expected, e.drops());
            assertTrue(tx > FRAMES / all.length / 2, "valid frames were forwarded: " + tx);
            assertTrue(e.flowCount() <= 128, "fuzz flows come from 64 clients × 2 protocols");
        }
    }
}
