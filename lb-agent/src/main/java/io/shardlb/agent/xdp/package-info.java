/**
 * The AF_XDP datapath: an XDP program of ours (kernel-side lease deadline, ARP answers, redirect to the socket),
 * libbpf and libxdp driven through Panama FFM, ring flyweights and the agent loop around the packet engine.
 */
package io.shardlb.agent.xdp;
