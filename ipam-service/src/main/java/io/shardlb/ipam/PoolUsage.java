package io.shardlb.ipam;

import java.math.BigInteger;

/**
 * Read side: how full a pool is (backs {@code shardlb get svc} and {@code get ip}).
 *
 * @param family       the pool's family
 * @param pool         its name
 * @param range        as configured
 * @param size         the number of addresses it hands out
 * @param inUse        addresses of its range held by Services
 * @param quarantined  addresses of its range released and not yet free again
 * @param free         what can be handed out now
 */
public record PoolUsage(IpFamily family, String pool, String range, BigInteger size, long inUse, long quarantined,
                        BigInteger free) {
}
