package io.shardlb.ipam;

import java.util.List;

/**
 * A granted address.
 *
 * @param ip     the address
 * @param pool   the pool it comes from; "" for a static address outside every pool
 * @param family its family
 * @param ports  the port/protocol pairs the Service holds on it
 */
public record Vip(String ip, String pool, IpFamily family, List<String> ports) {
}
