package io.shardlb.agent.forwarder;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP literal parsing without DNS, and IPv4 int conversions. */
public final class Addresses {
    private Addresses() {
    }

    /** Parses an IP literal; never resolves a name. */
    public static InetAddress parse(String literal) {
        String v = literal == null ? "" : literal.trim();
        if (v.isEmpty() || !(v.indexOf(':') >= 0 || v.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an IP literal: value=" + literal);
        }
        try {
            return InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: value=" + literal, e);
        }
    }

    /** An IPv4 address as a big-endian int. */
    public static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 4) {
            throw new IllegalArgumentException("not IPv4: " + a.getHostAddress());
        }
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** The IPv4 address of a big-endian int. */
    public static Inet4Address fromInt(int v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Dotted form of a big-endian int. */
    public static String format(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }
}
