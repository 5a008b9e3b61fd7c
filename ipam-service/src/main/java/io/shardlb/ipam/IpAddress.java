package io.shardlb.ipam;

import java.math.BigInteger;
import java.net.Inet6Address;

/**
 * An IPv4 or IPv6 address as a 128-bit unsigned number in two longs, so arithmetic and ordering cost no
 * allocation beyond the result and an IPv6 /64 is as cheap as an IPv4 /24. IPv4 addresses live in the IPv4-mapped
 * block {@code ::ffff:0:0/96}, which is why that block may not appear in an IPv6 pool.
 *
 * @param hi the upper 64 bits
 * @param lo the lower 64 bits
 */
public record IpAddress(long hi, long lo) implements Comparable<IpAddress> {

    private static final long V4_MAPPED = 0xffffL << 32;

    /**
     * The last address formatted and its text. The manager formats an address into a record and the delta parses
     * that very string back moments later; recognizing it by identity skips the parse. Immutable, so a racy read
     * sees either a whole pair or another; a miss only costs a parse.
     */
    private static Formatted lastFormatted;

    private record Formatted(IpAddress ip, String text) {
    }

    /** An IPv4 address from its 32-bit value. */
    public static IpAddress v4(long value) {
        return new IpAddress(0, V4_MAPPED | (value & 0xffff_ffffL));
    }

    /** The family this address belongs to. */
    public IpFamily family() {
        return hi == 0 && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED ? IpFamily.V4 : IpFamily.V6;
    }

    /**
     * Parses a literal: dotted-quad IPv4 (four decimal octets, nothing else) or any IPv6 literal. Never resolves
     * a name.
     *
     * @throws IllegalArgumentException naming the text when it is not an address
     */
    public static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("not an IP address: \"\"");
        }
        Formatted f = lastFormatted;
        if (f != null && f.text == text) {
            return f.ip;
        }
        if (text.indexOf(':') < 0) {
            return v4(parseV4(text));
        }
        IpAddress plain = Ip6Text.parse(text);
        if (plain != null) {
            return plain;
        }
        try {
            byte[] b = Inet6Address.ofLiteral(text).getAddress();
            if (b.length == 4) {
                // the JDK turns an IPv4-mapped literal (::ffff:a.b.c.d) into the IPv4 address it maps
                return v4(((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
            }
            return new IpAddress(bytesToLong(b, 0), bytesToLong(b, 8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    private static long parseV4(String text) {
        long value = 0;
        int octets = 0;
        int i = 0;
        int n = text.length();
        while (i <= n) {
            int start = i;
            int octet = 0;
            while (i < n && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    throw new IllegalArgumentException("not an IP address: " + text);
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            if (i == start || octet > 255) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
            value = (value << 8) | octet;
            octets++;
            i++;
        }
        if (octets != 4) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        return value;
    }

    private static long bytesToLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /** The next address (wraps at the top of the 128-bit space). */
    public IpAddress next() {
        long l = lo + 1;
        return new IpAddress(l == 0 ? hi + 1 : hi, l);
    }

    /** The previous address. */
    public IpAddress previous() {
        long l = lo - 1;
        return new IpAddress(lo == 0 ? hi - 1 : hi, l);
    }

    /** This address plus {@code n} (n >= 0). */
    public IpAddress plus(long n) {
        long l = lo + n;
        return new IpAddress(Long.compareUnsigned(l, lo) < 0 ? hi + 1 : hi, l);
    }

    /** The address as an unsigned 128-bit number. */
    public BigInteger toBigInteger() {
        return new BigInteger(1, new byte[] {
            (byte) (hi >>> 56), (byte) (hi >>> 48), (byte) (hi >>> 40), (byte) (hi >>> 32),
            (byte) (hi >>> 24), (byte) (hi >>> 16), (byte) (hi >>> 8), (byte) hi,
            (byte) (lo >>> 56), (byte) (lo >>> 48), (byte) (lo >>> 40), (byte) (lo >>> 32),
            (byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo});
    }

    /** The number of addresses in {@code [first, last]}. */
    public static BigInteger count(IpAddress first, IpAddress last) {
        return last.toBigInteger().subtract(first.toBigInteger()).add(BigInteger.ONE);
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    /** Whether this address lies in {@code [first, last]}. */
    public boolean within(IpAddress first, IpAddress last) {
        return compareTo(first) >= 0 && compareTo(last) <= 0;
    }

    /** Dotted quad for IPv4, RFC 5952 text (longest zero run compressed, lower case) for IPv6. */
    @Override
    public String toString() {
        Formatted f = lastFormatted;
        if (f != null && f.ip.hi == hi && f.ip.lo == lo) {
            return f.text;
        }
        String text = family() == IpFamily.V4
                ? ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff)
                : Ip6Text.format(hi, lo);
        lastFormatted = new Formatted(this, text);
        return text;
    }
}
