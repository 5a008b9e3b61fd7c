/**
 * The whole system on real packets, as root: the L2 segment of network namespaces ({@link
 * io.shardlb.e2e.xdp.XdpSegment}) and the datapath that places the agents (XdpForwarder), the probe, the ARP monitor,
 * the backend and the broker on it ({@link io.shardlb.e2e.xdp.XdpDatapath}).
 */
package io.shardlb.e2e.xdp;
