/**
 * The AF_XDP datapath: an XDP program of ours (kernel-side lease deadline, ARP answers, redirect to the socket),
 * libbpf and libxdp driven through Panama FFM, ring flyweights and the agent loop around the packet engine.
 *
 * <p>Where the ARP answer goes: the program answers with XDP_TX. On a physical NIC that simply transmits. On a
 * veth, the frame reaches the peer only if the peer runs a native XDP program (veth kicks the peer's NAPI only
 * then): the tests and the benchmark put a pass-through program ({@code shardlb_pass.c}) on the bridge-side peer.
 * Where the peer is not ours (a CNI-owned host-side veth), {@link io.shardlb.agent.xdp.XdpConfig#arpInTc()} moves
 * the answer to {@code shardlb_tc_arp}, a TC clsact-ingress program in the same object (same {@code vips} map,
 * same deadline) that returns {@code bpf_redirect(ifindex, 0)} (egress of the same device), which needs nothing on
 * the peer; the XDP program then passes ARP. The AF_XDP TX ring (forwarded frames, gratuitous ARPs) needs nothing
 * on the peer either way.
 *
 * <p>{@code default} mode: the program also redirects frames whose source is an endpoint (ip, port, protocol) of a
 * {@code default}-mode rule and whose destination is not the agent (map {@code backends}, kept by
 * {@link io.shardlb.agent.xdp.DefaultModeReturns}): the backends route their clients through the agent, and the
 * engine reverse-translates the replies.
 *
 * <p>Attach and load: libbpf's {@code bpf_object__open_mem}/{@code bpf_object__load}/{@code bpf_xdp_attach}
 * through FFM (netlink attach, native mode), so the program and its deadlines outlive a killed JVM, while the
 * socket's XSKMAP entry disappears with the process.
 */
package io.shardlb.agent.xdp;
