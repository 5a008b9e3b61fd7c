// SPDX-License-Identifier: GPL-2.0
/*
 * Pass-through XDP program for the bridge-side peer of a veth whose other end answers with XDP_TX: veth delivers
 * XDP_TX frames to its peer only if the peer runs a native XDP program (it kicks the peer's NAPI only then).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int shardlb_pass(struct xdp_md *ctx)
{
    return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
