package io.shardlb.ipam;

import java.util.List;

/**
 * Read side: one Service's hold on one address.
 *
 * @param service    the Service ({@code namespace/name})
 * @param ip         the address
 * @param pool       the pool it came from; "" for a static address outside every pool
 * @param family     the address family
 * @param ports      the port/protocol pairs it holds ({@code "80/TCP"}); empty: the whole address
 * @param keptReason why it was kept although it no longer fits the pools; "" when it fits
 */
public record Holding(String service, String ip, String pool, IpFamily family, List<String> ports,
                      String keptReason) {
}
