package io.shardlb.ipam;

import io.shardlb.events.schema.Pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The validated pools of both families, in flag order. Built once at start-up from kube-loxilb's flags
 * ({@link #parse}) or, on replay, from a {@code ConfigObserved} fact ({@link #of}); either way a bad value is a
 * {@link PoolConfigException} naming the flag and the value.
 *
 * <p>The default pool of a family is the one named {@code defaultPool}, else the first.
 */
public final class PoolConfig {
    /** The name kube-loxilb gives the default pool. */
    public static final String DEFAULT_POOL = "defaultPool";
    /** No pools at all. */
    public static final PoolConfig EMPTY = new PoolConfig(List.of(), List.of());

    private final List<IpPool> v4;
    private final List<IpPool> v6;
    /** The default pools, found once: every allocation from the default pool asks. */
    private final Optional<IpPool> defaultV4;
    private final Optional<IpPool> defaultV6;

    private PoolConfig(List<IpPool> v4, List<IpPool> v6) {
        this.v4 = List.copyOf(v4);
        this.v6 = List.copyOf(v6);
        this.defaultV4 = findDefault(this.v4);
        this.defaultV6 = findDefault(this.v6);
    }

    private static Optional<IpPool> findDefault(List<IpPool> pools) {
        for (IpPool p : pools) {
            if (p.name().equals(DEFAULT_POOL)) {
                return Optional.of(p);
            }
        }
        return pools.stream().findFirst();
    }

    /**
     * Parses {@code --cidrPools} and {@code --cidr6Pools} ({@code name=CIDR|start-end,...}; null or blank: none).
     *
     * @throws PoolConfigException naming the flag and the bad value
     */
    public static PoolConfig parse(String cidrPoolsFlag, String cidr6PoolsFlag) {
        return of(entries(IpFamily.V4, cidrPoolsFlag), entries(IpFamily.V6, cidr6PoolsFlag));
    }

    private static List<Pool> entries(IpFamily family, String flag) {
        List<Pool> out = new ArrayList<>();
        if (flag == null || flag.isBlank()) {
            return out;
        }
        for (String e : flag.split(",")) {
            if (e.isBlank()) {
                throw new PoolConfigException(family.flag(), "empty entry in \"" + flag + "\"");
            }
            out.add(PoolParser.split(family, e));
        }
        return out;
    }

    /**
     * Validates pools as recorded in {@code ConfigObserved}.
     *
     * @throws PoolConfigException naming the flag and the bad value
     */
    public static PoolConfig of(List<Pool> v4Pools, List<Pool> v6Pools) {
        return new PoolConfig(validate(IpFamily.V4, v4Pools), validate(IpFamily.V6, v6Pools));
    }

    private static List<IpPool> validate(IpFamily family, List<Pool> pools) {
        List<IpPool> out = new ArrayList<>();
        for (Pool p : pools) {
            IpPool parsed = PoolParser.parse(family, p);
            for (IpPool other : out) {
                if (other.name().equals(parsed.name())) {
                    throw new PoolConfigException(family.flag(), "pool name used twice: " + other + " and " + parsed);
                }
            }
            out.add(parsed);
        }
        List<IpPool> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(IpPool::first));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).first().compareTo(sorted.get(i - 1).last()) <= 0) {
                throw new PoolConfigException(family.flag(), "overlapping pools " + sorted.get(i - 1) + " and "
                        + sorted.get(i));
            }
        }
        return out;
    }

    /** The pools of {@code family}, in flag order. */
    public List<IpPool> pools(IpFamily family) {
        return family == IpFamily.V4 ? v4 : v6;
    }

    /** The pool of {@code family} named {@code name}. */
    public Optional<IpPool> pool(IpFamily family, String name) {
        for (IpPool p : pools(family)) {
            if (p.name().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code defaultPool} of the family, else its first pool; empty when the family has no pools. */
    public Optional<IpPool> defaultPool(IpFamily family) {
        return family == IpFamily.V4 ? defaultV4 : defaultV6;
    }

    /** The pool that hands out {@code ip} (pools never overlap, so at most one). */
    public Optional<IpPool> containing(IpAddress ip) {
        for (IpPool p : pools(ip.family())) {
            if (p.contains(ip)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The pool names of a family, for messages: {@code defaultPool, pool2}. */
    public String names(IpFamily family) {
        List<IpPool> ps = pools(family);
        return ps.isEmpty() ? "none" : ps.stream().map(IpPool::name).collect(Collectors.joining(", "));
    }

    /** The pools of {@code family} as written in {@code ConfigObserved}. */
    public List<Pool> toPools(IpFamily family) {
        return pools(family).stream().map(IpPool::toPool).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolConfig c && c.v4.equals(v4) && c.v6.equals(v6);
    }

    @Override
    public int hashCode() {
        return v4.hashCode() * 31 + v6.hashCode();
    }

    @Override
    public String toString() {
        return "cidrPools=" + v4 + " cidr6Pools=" + v6;
    }
}
