package io.shardlb.planner.placement;

import io.shardlb.planner.settings.IpLiterals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * Numeric address order ("lowest VIP"): IPv4 before IPv6, each by value; text that is no address (it cannot
 * come from IPAM, but replay must not throw on it) sorts last, by text. String order would put .10 before .9.
 */
public final class VipOrder implements Comparator<String> {
    /** The order. */
    public static final VipOrder INSTANCE = new VipOrder();

    private VipOrder() {
    }

    @Override
    public int compare(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        long x4 = v4(a);
        long y4 = v4(b);
        if (x4 >= 0 && y4 >= 0) {
            // the common case, without allocation: both dotted quads
            return x4 != y4 ? Long.compare(x4, y4) : a.compareTo(b);
        }
        Optional<IpLiterals.Ip> x = IpLiterals.parse(a);
        Optional<IpLiterals.Ip> y = IpLiterals.parse(b);
        if (x.isEmpty() || y.isEmpty()) {
            return x.isPresent() ? -1 : y.isPresent() ? 1 : a.compareTo(b);
        }
        if (x.get().v6() != y.get().v6()) {
            return x.get().v6() ? 1 : -1;
        }
        int byValue = Arrays.compareUnsigned(x.get().bytes(), y.get().bytes());
        return byValue != 0 ? byValue : a.compareTo(b);
    }

    /** The value of a canonical dotted quad ({@code 198.18.80.250}), or -1 when {@code s} is not one. */
    private static long v4(String s) {
        long value = 0;
        int octet = -1;
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (octet == 0) {
                    return -1; // a leading zero is not canonical: let IpLiterals judge it
                }
                octet = octet < 0 ? c - '0' : octet * 10 + (c - '0');
                if (octet > 255) {
                    return -1;
                }
            } else if (c == '.' && octet >= 0 && dots < 3) {
                value = value << 8 | octet;
                octet = -1;
                dots++;
            } else {
                return -1;
            }
        }
        return dots == 3 && octet >= 0 ? value << 8 | octet : -1;
    }
}
