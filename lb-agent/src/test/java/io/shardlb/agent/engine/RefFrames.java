package io.shardlb.agent.engine;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Test-side frame building and checking, written independently of the engine: plain byte arrays, ByteBuffer
 * (big-endian by default) and a textbook 16-bit one's-complement checksum loop.
 */
final class RefFrames {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;

    private RefFrames() {
    }

    /** Frames captured on lo (kernel 6.18) with TX checksum offload: their L4 checksums are partial. */
    static final String[] RECORDED_CLIENT_FRAMES = {
        // SYN 127.0.0.1:39950 -> 127.0.0.1:18999
        "00000000000000000000000008004500003cfcd6400040063fe37f0000017f0000019c0e4a376f8bdb5300000000a002ffd7fe30"
            + "00000204ffd70402080a5a256e79000000000103030a",
        // ACK
        "000000000000000000000000080045000034fcd7400040063fea7f0000017f0000019c0e4a376f8bdb547299553480100040fe28"
            + "00000101080a5a256e796b85ab8f",
        // PSH ACK "GET / HTTP/1.0"
        "00000000000000000000000008004500004ffcd8400040063fce7f0000017f0000019c0e4a376f8bdb547299553480180040fe43"
            + "00000101080a5a256e7e6b85ab8f474554202f20485454502f312e300d0a486f73743a20780d0a0d0a",
        // FIN ACK
        "000000000000000000000000080045000034fcda400040063fe77f0000017f0000019c0e4a376f8bdb6f7299554d80110040fe28"
            + "00000101080a5a256e7e6b85ab94",
    };
    /** UDP 127.0.0.1:55786 -> 127.0.0.1:18999 "udp-payload-1234", partial checksum. */
    static final String RECORDED_UDP = "00000000000000000000000008004500002c6f6740004011cd577f0000017f000001d9ea4a370018"
            + "fe2b7564702d7061796c6f61642d31323334";

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    /** Textbook RFC 1071 sum over {@code len} bytes, folded, not complemented. */
    static int onesSum(byte[] b, int off, int len, int initial) {
        long sum = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xFF;
            int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while (sum > 0xFFFF) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) sum;
    }

    static int ihl(byte[] f) {
        return (f[14] & 0x0F) * 4;
    }

    static boolean ipChecksumOk(byte[] f) {
        return onesSum(f, 14, ihl(f), 0) == 0xFFFF;
    }

    static int pseudo(byte[] f, int proto, int l4Len) {
        int s = onesSum(f, 26, 8, 0);
        return onesSum(new byte[] {0, (byte) proto, (byte) (l4Len >> 8), (byte) l4Len}, 0, 4, s);
    }

    static int l4Length(byte[] f) {
        int total = u16(f, 16);
        int proto = f[23] & 0xFF;
        return proto == UDP ? u16(f, 14 + ihl(f) + 4) : total - ihl(f);
    }

    /** True if the TCP/UDP checksum verifies over the pseudo-header (or the ICMP checksum over ICMP). */
    static boolean l4ChecksumOk(byte[] f) {
        int proto = f[23] & 0xFF;
        int l4 = 14 + ihl(f);
        int len = proto == ICMP ? u16(f, 16) - ihl(f) : l4Length(f);
        int init = proto == ICMP ? 0 : pseudo(f, proto, len);
        return onesSum(f, l4, len, init) == 0xFFFF;
    }

    static int u16(byte[] f, int off) {
        return ((f[off] & 0xFF) << 8) | (f[off + 1] & 0xFF);
    }

    static int u32(byte[] f, int off) {
        return ByteBuffer.wrap(f, off, 4).getInt();
    }

    static long mac(byte[] f, int off) {
        return ((long) u16(f, off) << 32) | (u32(f, off + 2) & 0xFFFF_FFFFL);
    }

    static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8)
                | Integer.parseInt(p[3]);
    }

    /** A TCP or UDP frame with a correct checksum, or with only the partial pseudo-header sum if asked. */
    static byte[] l4Frame(int proto, long srcMac, long dstMac, int src, int sport, int dst, int dport, int tcpFlags,
                          byte[] payload, boolean partialChecksum) {
        int l4Header = proto == TCP ? 20 : 8;
        int l4Len = l4Header + payload.length;
        int total = 20 + l4Len;
        ByteBuffer b = ByteBuffer.allocate(Math.max(60, 14 + total));
        putMac(b, dstMac);
        putMac(b, srcMac);
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 0x1234).putShort((short) 0x4000);
        b.put((byte) 64).put((byte) proto).putShort((short) 0).putInt(src).putInt(dst);
        b.putShort((short) sport).putShort((short) dport);
        if (proto == TCP) {
            b.putInt(0x01020304).putInt(tcpFlags == 2 ? 0 : 0x0a0b0c0d).put((byte) 0x50).put((byte) tcpFlags)
                    .putShort((short) 0xFFFF).putShort((short) 0).putShort((short) 0);
        } else {
            b.putShort((short) l4Len).putShort((short) 0);
        }
        b.put(payload);
        byte[] f = b.array();
        fixChecksums(f, partialChecksum);
        return f;
    }

    /** Recomputes (test-side) the IP checksum and the L4 checksum, full or partial. */
    static void fixChecksums(byte[] f, boolean partial) {
        f[24] = 0;
        f[25] = 0;
        put16(f, 24, ~onesSum(f, 14, ihl(f), 0) & 0xFFFF);
        int proto = f[23] & 0xFF;
        int l4 = 14 + ihl(f);
        int csumAt = l4 + (proto == TCP ? 16 : proto == UDP ? 6 : 2);
        f[csumAt] = 0;
        f[csumAt + 1] = 0;
        if (proto == ICMP) {
            put16(f, csumAt, ~onesSum(f, l4, u16(f, 16) - ihl(f), 0) & 0xFFFF);
            return;
        }
        int len = l4Length(f);
        int ps = pseudo(f, proto, len);
        put16(f, csumAt, partial ? ps : (~onesSum(f, l4, len, ps) & 0xFFFF));
    }

    static void put16(byte[] f, int off, int v) {
        f[off] = (byte) (v >> 8);
        f[off + 1] = (byte) v;
    }

    static void put32(byte[] f, int off, int v) {
        ByteBuffer.wrap(f, off, 4).putInt(v);
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
    }

    static MemorySegment segment(byte[] f) {
        return MemorySegment.ofArray(f.clone());
    }
}
