/**
 * The packet engine: {@link io.shardlb.agent.engine.PacketEngine} rewrites Ethernet frames in a
 * {@link java.lang.foreign.MemorySegment} in place (NAT per mode, conntrack, ARP, ICMP echo) and returns a
 * {@link io.shardlb.agent.engine.Verdict}; flyweights over the headers; no I/O, no allocation per frame.
 */
package io.shardlb.agent.engine;
