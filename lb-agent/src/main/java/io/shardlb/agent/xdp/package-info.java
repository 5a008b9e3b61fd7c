/**
 * The AF_XDP datapath: an XDP program of ours (kernel-side lease deadline, ARP answers, redirect to the socket),
 * libbpf and libxdp driven through Panama FFM, ring flyweights and the agent loop around the packet engine.
 *
 * <p>Where the ARP answer goes: the program answers with XDP_TX. On a physical NIC that simply transmits. On a
 * veth, the frame reaches the peer only if the peer runs a native XDP program (veth kicks the peer's NAPI only
 * then): the tests and the benchmark put a pass-through program ({@code shardlb_pass.c}) on the bridge-side peer.
 * Where the peer is not ours (a CNI-owned host-side veth), the same answer can be built by a TC clsact-ingress
 * program that returns {@code bpf_redirect(ifindex, 0)} (egress of the same device), which needs nothing on the
 * peer; that variant is not written yet. The AF_XDP TX ring needs nothing on the peer either way.
 *
 * <p>Attach and load: libbpf's {@code bpf_object__open_mem}/{@code bpf_object__load}/{@code bpf_xdp_attach}
 * through FFM (netlink attach, native mode), so the program and its deadlines outlive a killed JVM, while the
 * socket's XSKMAP entry disappears with the process.
 */
package io.shardlb.agent.xdp;
