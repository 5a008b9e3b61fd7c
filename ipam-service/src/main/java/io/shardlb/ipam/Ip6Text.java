package io.shardlb.ipam;

/**
 * IPv6 text without {@code InetAddress}: the planner formats an address into every {@code VipAllocated} and
 * {@code VipReleased} record and parses it back when the record is replayed, so both directions sit on the IPAM
 * hot path. The parser takes the plain forms the formatter writes and people type (hex groups, at most one
 * {@code ::}); anything else (an embedded IPv4 part, a zone, brackets) is left to the JDK by returning null.
 */
final class Ip6Text {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ip6Text() {
    }

    /**
     * The address, or null when {@code s} is not in the plain form: the caller then asks the JDK, which also
     * words the error. Never accepts a text the JDK would refuse.
     */
    static IpAddress parse(String s) {
        int n = s.length();
        if (n < 2 || n > 39) {
            return null;
        }
        long headHi = 0;
        long headLo = 0;
        long tailHi = 0;
        long tailLo = 0;
        int head = 0;
        int tail = 0;
        boolean gap = false;
        int i = 0;
        if (s.charAt(0) == ':') {
            if (s.charAt(1) != ':') {
                return null;
            }
            gap = true;
            i = 2;
            if (i == n) {
                return new IpAddress(0, 0);
            }
        }
        while (true) {
            int g = 0;
            int start = i;
            while (i < n && i - start < 5) {
                int d = hexDigit(s.charAt(i));
                if (d < 0) {
                    break;
                }
                g = (g << 4) | d;
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return null;
            }
            if (gap) {
                tailHi = (tailHi << 16) | (tailLo >>> 48);
                tailLo = (tailLo << 16) | g;
                tail++;
            } else {
                headHi = (headHi << 16) | (headLo >>> 48);
                headLo = (headLo << 16) | g;
                head++;
            }
            if (head + tail > 8) {
                return null;
            }
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap) {
                    return null;
                }
                gap = true;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return null;
            }
        }
        if (!gap) {
            return head == 8 ? new IpAddress(headHi, headLo) : null;
        }
        if (head + tail > 7) {
            return null;
        }
        int shift = 16 * (8 - head);
        long hi;
        long lo;
        if (shift >= 128) {
            hi = 0;
            lo = 0;
        } else if (shift >= 64) {
            hi = headLo << (shift - 64);
            lo = 0;
        } else {
            hi = shift == 0 ? headHi : (headHi << shift) | (headLo >>> (64 - shift));
            lo = shift == 0 ? headLo : headLo << shift;
        }
        return new IpAddress(hi | tailHi, lo | tailLo);
    }

    /** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
    static String format(long hi, long lo) {
        int bestStart = -1;
        int bestLen = 1;
        int runStart = -1;
        for (int i = 0; i <= 8; i++) {
            boolean zero = i < 8 && group(hi, lo, i) == 0;
            if (zero && runStart < 0) {
                runStart = i;
            } else if (!zero && runStart >= 0) {
                if (i - runStart > bestLen) {
                    bestStart = runStart;
                    bestLen = i - runStart;
                }
                runStart = -1;
            }
        }
        char[] out = new char[39];
        int len = 0;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out[len++] = ':';
                out[len++] = ':';
                i += bestLen - 1;
                continue;
            }
            if (len > 0 && out[len - 1] != ':') {
                out[len++] = ':';
            }
            int g = group(hi, lo, i);
            boolean started = false;
            for (int shift = 12; shift >= 0; shift -= 4) {
                int d = (g >>> shift) & 0xf;
                if (d != 0 || started || shift == 0) {
                    out[len++] = HEX[d];
                    started = true;
                }
            }
        }
        return new String(out, 0, len);
    }

    /** ASCII hex only: {@code Character.digit} would also take other scripts' digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static int group(long hi, long lo, int i) {
        return (int) (((i < 4 ? hi : lo) >>> (48 - 16 * (i & 3))) & 0xffff);
    }
}
