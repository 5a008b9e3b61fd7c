package io.shardlb.planner.settings;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Strict IP literal parsing that never resolves a name (unlike {@code InetAddress.getByName}) and never throws.
 * IPv4 is dotted-quad only, without leading zeros (as Go's {@code net.ParseIP}, which kube-loxilb uses); IPv6 is
 * any RFC 4291 text form without brackets or zone id. Addresses come back in one canonical text form (RFC 5952
 * for IPv6) so that equal addresses compare equal as strings.
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** A parsed address: its canonical text and family. */
    public record Ip(String text, boolean v6, byte[] bytes) {
        /** Bits in an address of this family. */
        public int bits() {
            return v6 ? 128 : 32;
        }
    }

    /** The address {@code text} stands for, or empty if it is not a literal. */
    public static Optional<Ip> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        if (text.indexOf(':') >= 0) {
            return parseV6(text);
        }
        byte[] v4 = parseV4(text);
        return v4 == null ? Optional.empty() : Optional.of(new Ip(formatV4(v4), false, v4));
    }

    /** A CIDR {@code ip/prefix}, canonical, or empty if malformed (prefix out of range, bad address). */
    public static Optional<String> parseCidr(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            return Optional.empty();
        }
        Optional<Ip> ip = parse(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        if (ip.isEmpty() || prefix.isEmpty() || prefix.length() > 3 || !allDigits(prefix)
                || (prefix.length() > 1 && prefix.charAt(0) == '0')) {
            return Optional.empty();
        }
        int bits = Integer.parseInt(prefix);
        return bits > ip.get().bits() ? Optional.empty() : Optional.of(ip.get().text() + "/" + bits);
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !allDigits(p) || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static Optional<Ip> parseV6(String text) {
        if (text.indexOf('[') >= 0 || text.indexOf('%') >= 0) {
            return Optional.empty();
        }
        try {
            InetAddress address = Inet6Address.ofLiteral(text);
            byte[] raw = address.getAddress();
            if (raw.length != 16) {
                // An IPv4-mapped literal (::ffff:a.b.c.d) comes back as IPv4; keep it as the IPv6 it was written as.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(raw, 0, mapped, 12, 4);
                raw = mapped;
            }
            return Optional.of(new Ip(formatV6(raw), true, raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String formatV4(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (of at least two) of zero groups as "::". */
    private static String formatV6(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
