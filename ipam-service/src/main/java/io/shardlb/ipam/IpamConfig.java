package io.shardlb.ipam;

import io.shardlb.events.schema.Fact;

/**
 * What IPAM takes from the controller's configuration ({@code ConfigObserved}).
 *
 * @param pools        the validated pools
 * @param uniqueIp     kube-loxilb {@code --setUniqueIP}: every Service its own VIP; else Services share by port
 * @param quarantineMs log time a released address waits before it is handed out again
 */
public record IpamConfig(PoolConfig pools, boolean uniqueIp, long quarantineMs) {
    /** The quarantine the controller writes unless told otherwise: 30 s, longer than common ARP cache reuse. */
    public static final long DEFAULT_QUARANTINE_MS = 30_000;
    /** No pools (before the first {@code ConfigObserved}): shared mode, default quarantine. */
    public static final IpamConfig EMPTY = new IpamConfig(PoolConfig.EMPTY, false, DEFAULT_QUARANTINE_MS);

    public IpamConfig {
        if (quarantineMs < 0) {
            throw new IllegalArgumentException("quarantineMs must be >= 0: quarantineMs=" + quarantineMs);
        }
    }

    /**
     * The IPAM part of a {@code ConfigObserved} fact.
     *
     * @throws PoolConfigException if its pools are invalid
     */
    public static IpamConfig of(Fact.ConfigObserved config) {
        return new IpamConfig(PoolConfig.of(config.pools(), config.cidr6Pools()), config.uniqueIp(),
                config.quarantineMs());
    }
}
