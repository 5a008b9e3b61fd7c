// SPDX-License-Identifier: GPL-2.0
/*
 * shardlb XDP front of the AF_XDP forwarder. The lease deadline lives here: a VIP is answered (ARP, by XDP_TX)
 * and its traffic redirected to the AF_XDP socket only while bpf_ktime_get_ns() (CLOCK_MONOTONIC, the clock of
 * Java's System.nanoTime()) is before the deadline user space wrote into `vips`. A frozen or killed agent thus
 * stops answering by the deadline with no user-space help. Everything else goes to the kernel untouched.
 * The struct layouts are mirrored in io.shardlb.agent.xdp.BpfMaps (checked against this object's BTF by a test).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* <linux/if_arp.h> drags glibc headers into BPF builds: define what we need. */
#define ARPHRD_ETHER 1
#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2

struct vip_value {
    __u64 deadline_ns;
    __u8 mac[6];
    __u8 pad[2];
};

struct cfg_value {
    __u32 agent_ip;    /* network order */
    __u16 nat_lo;      /* host order */
    __u16 nat_hi;      /* host order */
    __u32 flags;       /* CFG_ARP_IN_TC */
};

/* ARP is answered by shardlb_tc_arp at TC ingress instead of XDP_TX here: for an interface whose veth peer is
 * not ours (a CNI's host side), where XDP_TX frames are dropped unless the peer runs a native XDP program. */
#define CFG_ARP_IN_TC 1

enum stat_index {
    ST_ARP_REPLIED = 0,
    ST_ARP_EXPIRED = 1,
    ST_VIP_REDIRECT = 2,
    ST_VIP_EXPIRED = 3,
    ST_NAT_REDIRECT = 4,
    ST_REDIRECT_FALLBACK = 5,
    ST_REPLY_REDIRECT = 6,
    ST_MAX = 8,
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, struct vip_value);
} vips SEC(".maps");

/* A backend of a `default`-mode rule: its replies are addressed to the client, not to us, so only their source
 * tells them apart. Ports in network order, as in the frame. */
struct backend_key {
    __u32 ip;
    __u16 port;
    __u8 proto;
    __u8 pad;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, struct backend_key);
    __type(value, __u32);
} backends SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_XSKMAP);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u32);
} xsks SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct cfg_value);
} cfg SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, ST_MAX);
    __type(key, __u32);
    __type(value, __u64);
} stats SEC(".maps");

struct arp_eth {
    __be16 htype;
    __be16 ptype;
    __u8 hlen;
    __u8 plen;
    __be16 oper;
    __u8 sha[6];
    __be32 spa;
    __u8 tha[6];
    __be32 tpa;
} __attribute__((packed));

static __always_inline void count(__u32 idx)
{
    __u64 *v = bpf_map_lookup_elem(&stats, &idx);
    if (v)
        *v += 1;
}

static __always_inline int to_socket(struct xdp_md *ctx)
{
    int r = bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
    if (r == XDP_PASS)
        count(ST_REDIRECT_FALLBACK);
    return r;
}

/* Rewrites an ARP request for a claimed VIP, before its deadline, into the reply in place; returns 1 if it did. */
static __always_inline int arp_answer(struct ethhdr *eth, void *end)
{
    struct arp_eth *a = (void *)(eth + 1);
    if ((void *)(a + 1) > end)
        return 0;
    if (a->htype != bpf_htons(ARPHRD_ETHER) || a->ptype != bpf_htons(ETH_P_IP) || a->hlen != 6 || a->plen != 4
        || a->oper != bpf_htons(ARPOP_REQUEST))
        return 0;
    __u32 key = a->tpa;
    struct vip_value *v = bpf_map_lookup_elem(&vips, &key);
    if (!v)
        return 0;
    if ((__s64)(bpf_ktime_get_ns() - v->deadline_ns) >= 0) {
        count(ST_ARP_EXPIRED);
        return 0;
    }
    __u8 req_mac[6];
    __builtin_memcpy(req_mac, a->sha, 6);
    __be32 req_ip = a->spa;
    __builtin_memcpy(eth->h_dest, req_mac, 6);
    __builtin_memcpy(eth->h_source, v->mac, 6);
    a->oper = bpf_htons(ARPOP_REPLY);
    __builtin_memcpy(a->sha, v->mac, 6);
    a->spa = key;
    __builtin_memcpy(a->tha, req_mac, 6);
    a->tpa = req_ip;
    count(ST_ARP_REPLIED);
    return 1;
}

static __always_inline int arp(struct xdp_md *ctx, struct ethhdr *eth, void *end)
{
    __u32 zero = 0;
    struct cfg_value *c = bpf_map_lookup_elem(&cfg, &zero);
    if (c && (c->flags & CFG_ARP_IN_TC))
        return XDP_PASS;
    return arp_answer(eth, end) ? XDP_TX : XDP_PASS;
}

SEC("xdp")
int shardlb_xdp(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end)
        return XDP_PASS;
    if (eth->h_proto == bpf_htons(ETH_P_ARP))
        return arp(ctx, eth, end);
    if (eth->h_proto != bpf_htons(ETH_P_IP))
        return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end)
        return XDP_PASS;
    __u32 key = ip->daddr;
    struct vip_value *v = bpf_map_lookup_elem(&vips, &key);
    if (v) {
        if ((__s64)(bpf_ktime_get_ns() - v->deadline_ns) >= 0) {
            count(ST_VIP_EXPIRED);
            return XDP_PASS;
        }
        count(ST_VIP_REDIRECT);
        return to_socket(ctx);
    }
    if (ip->ihl != 5 || (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP))
        return XDP_PASS;
    __be16 *ports = (void *)(ip + 1);
    if ((void *)(ports + 2) > end)
        return XDP_PASS;
    __u32 zero = 0;
    struct cfg_value *c = bpf_map_lookup_elem(&cfg, &zero);
    if (!c)
        return XDP_PASS;
    if (c->agent_ip != ip->daddr) {
        /* `default` mode: a reply from a known backend to its client comes back through us (the backend routes
         * the client via the agent) and is reverse-translated in user space */
        struct backend_key bk = {.ip = ip->saddr, .port = ports[0], .proto = ip->protocol, .pad = 0};
        if (!bpf_map_lookup_elem(&backends, &bk))
            return XDP_PASS;
        count(ST_REPLY_REDIRECT);
        return to_socket(ctx);
    }
    __u16 dport = bpf_ntohs(ports[1]);
    if (dport < c->nat_lo || dport > c->nat_hi)
        return XDP_PASS;
    count(ST_NAT_REDIRECT);
    return to_socket(ctx);
}

/* The ARP answer at TC ingress, sent back out of the same device (bpf_redirect to its egress): it goes through
 * the device's normal transmit path, so the peer needs nothing. Same map, same deadline as the XDP answer. */
SEC("tc")
int shardlb_tc_arp(struct __sk_buff *skb)
{
    void *data = (void *)(long)skb->data;
    void *end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_ARP))
        return TC_ACT_OK;
    if (!arp_answer(eth, end))
        return TC_ACT_OK;
    return bpf_redirect(skb->ifindex, 0);
}

char _license[] SEC("license") = "GPL";
