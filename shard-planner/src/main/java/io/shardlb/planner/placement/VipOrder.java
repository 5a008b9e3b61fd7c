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
}
