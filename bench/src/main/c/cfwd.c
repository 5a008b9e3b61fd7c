// SPDX-License-Identifier: GPL-2.0
/*
 * The C peer of XdpForwarder for `bench/run datapath` (xdp_vs_c_mpps): the same XDP program (shardlb_xdp.o, VIP
 * claimed in its `vips` map), one AF_XDP socket on libxdp (copy mode, need-wakeup, poll(2) when idle, as the Java
 * loop), and the same onearm rewrite: a flow table keyed by the client tuple, SNAT to the agent address and a NAT
 * port, DNAT to the backend, Ethernet addresses rewritten, the IPv4 checksum updated and the L4 checksum
 * recomputed in full. Replies to a NAT port are translated back. Benchmark tool only; not part of the product.
 *
 * usage: cfwd IFNAME OBJ AGENT_IP VIP VIP_PORT BACKEND_IP BACKEND_PORT BACKEND_MAC SECONDS
 * Runs SECONDS or until SIGTERM, then detaches the program and prints "frames RX TX".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>

#define FRAMES 4096
#define FRAME 4096
#define RING 2048
#define BATCH 64
#define FLOWS 65536
#define NAT_LO 61000
#define NAT_SPAN 4536

struct vip_value { uint64_t deadline_ns; uint8_t mac[6]; uint8_t pad[2]; };
struct cfg_value { uint32_t agent_ip; uint16_t nat_lo; uint16_t nat_hi; uint32_t flags; };

struct flow {
    uint32_t cip; uint16_t cport; uint8_t proto; uint8_t used;
    uint8_t cmac[6]; uint16_t nport;
};

static struct flow flows[FLOWS];
static int by_nat[NAT_SPAN];
static uint64_t free_frames[FRAMES];
static int nfree;
static uint8_t agent_mac[6], be_mac[6];
static uint32_t agent_ip, vip, be_ip;
static uint16_t vport, be_port;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + t.tv_nsec;
}

static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

static uint32_t sum16(const uint8_t *p, int len, uint32_t s)
{
    for (int i = 0; i + 1 < len; i += 2)
        s += (p[i] << 8) | p[i + 1];
    if (len & 1)
        s += p[len - 1] << 8;
    return s;
}

/* Full L4 checksum: input frames may carry only a partial (offload) sum. */
static void l4sum(struct iphdr *ip, uint8_t *l4, int len)
{
    int off = ip->protocol == IPPROTO_TCP ? 16 : 6;
    l4[off] = l4[off + 1] = 0;
    uint32_t s = sum16((uint8_t *)&ip->saddr, 8, 0) + ip->protocol + len;
    uint16_t c = ~fold(sum16(l4, len, s));
    if (c == 0 && ip->protocol == IPPROTO_UDP)
        c = 0xffff;
    l4[off] = c >> 8;
    l4[off + 1] = c & 0xff;
}

static void ipsum(struct iphdr *ip)
{
    ip->check = 0;
    ip->check = htons(~fold(sum16((uint8_t *)ip, 20, 0)));
}

static uint32_t hash(uint32_t a, uint16_t p, uint8_t proto)
{
    uint32_t h = a * 0x9e3779b1u ^ (p * 0x85ebca6bu) ^ proto;
    return h ^ (h >> 16);
}

/* Returns the frame length to transmit, or 0 to drop. */
static int rewrite(uint8_t *f, int len)
{
    if (len < 42)
        return 0;
    struct ethhdr *eth = (void *)f;
    if (eth->h_proto != htons(ETH_P_IP))
        return 0;
    struct iphdr *ip = (void *)(eth + 1);
    if (ip->ihl != 5 || (ip->protocol != IPPROTO_UDP && ip->protocol != IPPROTO_TCP))
        return 0;
    int total = ntohs(ip->tot_len);
    if (total < 28 || 14 + total > len)
        return 0;
    uint8_t *l4 = (uint8_t *)(ip + 1);
    uint16_t *ports = (uint16_t *)l4;
    int l4len = total - 20;
    if (ip->daddr == vip && ports[1] == vport) {
        uint32_t i = hash(ip->saddr, ports[0], ip->protocol) & (FLOWS - 1);
        for (int n = 0; n < FLOWS; n++, i = (i + 1) & (FLOWS - 1)) {
            struct flow *fl = &flows[i];
            if (fl->used && fl->cip == ip->saddr && fl->cport == ports[0] && fl->proto == ip->protocol)
                break;
            if (!fl->used) {
                int k = (int)(i % NAT_SPAN);
                for (int m = 0; m < NAT_SPAN && by_nat[k]; m++)
                    k = (k + 1) % NAT_SPAN;
                if (by_nat[k])
                    return 0;
                fl->used = 1;
                fl->cip = ip->saddr;
                fl->cport = ports[0];
                fl->proto = ip->protocol;
                memcpy(fl->cmac, eth->h_source, 6);
                fl->nport = htons(NAT_LO + k);
                by_nat[k] = (int)i + 1;
                break;
            }
        }
        struct flow *fl = &flows[i];
        memcpy(eth->h_dest, be_mac, 6);
        memcpy(eth->h_source, agent_mac, 6);
        ip->saddr = agent_ip;
        ip->daddr = be_ip;
        ports[0] = fl->nport;
        ports[1] = be_port;
    } else if (ip->daddr == agent_ip && ip->saddr == be_ip && ports[0] == be_port) {
        int k = ntohs(ports[1]) - NAT_LO;
        if (k < 0 || k >= NAT_SPAN || !by_nat[k])
            return 0;
        struct flow *fl = &flows[by_nat[k] - 1];
        memcpy(eth->h_dest, fl->cmac, 6);
        memcpy(eth->h_source, agent_mac, 6);
        ip->saddr = vip;
        ip->daddr = fl->cip;
        ports[0] = vport;
        ports[1] = fl->cport;
    } else {
        return 0;
    }
    ipsum(ip);
    l4sum(ip, l4, l4len);
    return len;
}

static void die(const char *what, int err)
{
    fprintf(stderr, "cfwd: %s: %s\n", what, strerror(err < 0 ? -err : err));
    exit(1);
}

static void parse_mac(const char *s, uint8_t *m)
{
    if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
        die("bad mac", EINVAL);
}

int main(int argc, char **argv)
{
    if (argc != 10) {
        fprintf(stderr, "usage: cfwd IFNAME OBJ AGENT_IP VIP VIP_PORT BACKEND_IP BACKEND_PORT BACKEND_MAC SECONDS\n");
        return 2;
    }
    const char *ifname = argv[1];
    int ifindex = if_nametoindex(ifname);
    inet_pton(AF_INET, argv[3], &agent_ip);
    inet_pton(AF_INET, argv[4], &vip);
    vport = htons(atoi(argv[5]));
    inet_pton(AF_INET, argv[6], &be_ip);
    be_port = htons(atoi(argv[7]));
    parse_mac(argv[8], be_mac);
    int seconds = atoi(argv[9]);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr = {0};
    strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
    if (ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
        die("SIOCGIFHWADDR", errno);
    memcpy(agent_mac, ifr.ifr_hwaddr.sa_data, 6);
    close(s);

    struct bpf_object *obj = bpf_object__open_file(argv[2], NULL);
    int err = libbpf_get_error(obj);
    if (err)
        die("open object", err);
    if ((err = bpf_object__load(obj)))
        die("load object", err);
    struct bpf_program *prog = bpf_object__find_program_by_name(obj, "shardlb_xdp");
    int vips = bpf_object__find_map_fd_by_name(obj, "vips");
    int cfg = bpf_object__find_map_fd_by_name(obj, "cfg");
    int xsks = bpf_object__find_map_fd_by_name(obj, "xsks");
    struct vip_value v = {.deadline_ns = now_ns() + (uint64_t)(seconds + 60) * 1000000000ull};
    memcpy(v.mac, agent_mac, 6);
    uint32_t zero = 0;
    struct cfg_value c = {.agent_ip = agent_ip, .nat_lo = NAT_LO, .nat_hi = NAT_LO + NAT_SPAN - 1};
    if ((err = bpf_map_update_elem(vips, &vip, &v, 0)) || (err = bpf_map_update_elem(cfg, &zero, &c, 0)))
        die("map update", err);
    if ((err = bpf_xdp_attach(ifindex, bpf_program__fd(prog), XDP_FLAGS_DRV_MODE, NULL)))
        die("attach", err);

    void *area;
    if (posix_memalign(&area, getpagesize(), (size_t)FRAMES * FRAME))
        die("umem alloc", ENOMEM);
    struct xsk_ring_prod fill, tx;
    struct xsk_ring_cons comp, rx;
    struct xsk_umem *umem;
    struct xsk_umem_config ucfg = {.fill_size = RING, .comp_size = RING, .frame_size = FRAME,
                                   .frame_headroom = 0, .flags = 0};
    struct xsk_socket_config scfg = {.rx_size = RING, .tx_size = RING,
                                     .libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
                                     .bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP};
    struct xsk_socket *xsk;
    for (int attempt = 0;; attempt++) {
        /* a fresh UMEM each attempt: a failed xsk_socket__create unmaps the UMEM's fill and completion rings */
        if ((err = xsk_umem__create(&umem, area, (uint64_t)FRAMES * FRAME, &fill, &comp, &ucfg)))
            die("umem create", err);
        err = xsk_socket__create(&xsk, ifname, 0, umem, &rx, &tx, &scfg);
        if (!err)
            break;
        xsk_umem__delete(umem);
        if (err != -EBUSY || attempt == 20)
            break;
        usleep(20000); /* pool teardown of an earlier socket on this queue is deferred */
    }
    if (err)
        die("xsk create", err);
    int fd = xsk_socket__fd(xsk);
    if ((err = bpf_map_update_elem(xsks, &zero, &fd, 0)))
        die("xsks update", err);
    for (int i = 0; i < FRAMES; i++)
        free_frames[nfree++] = (uint64_t)i * FRAME;

    signal(SIGTERM, on_signal); /* stop the loop and detach the program on the way out */
    signal(SIGINT, on_signal);
    printf("ready\n");
    fflush(stdout);
    uint64_t end = now_ns() + (uint64_t)seconds * 1000000000ull, rxn = 0, txn = 0, anomalies = 0;
    uint32_t idx;
    while (!stop && now_ns() < end) {
        int work = 0;
        unsigned n = xsk_ring_cons__peek(&comp, BATCH * 4, &idx);
        for (unsigned i = 0; i < n; i++) {
            uint64_t a = *xsk_ring_cons__comp_addr(&comp, idx + i);
            if (nfree >= FRAMES) {
                /* seen on the first socket of a fresh veth: more completions than frames out (a SIGSEGV here
                 * before this check; cause not found). Counted and printed at exit, never reused. */
                if (!anomalies++)
                    fprintf(stderr, "cfwd: completion of a frame not out: addr=%llx n=%u txn=%llu\n",
                            (unsigned long long)a, n, (unsigned long long)txn);
                continue;
            }
            free_frames[nfree++] = a & ~(uint64_t)(FRAME - 1);
        }
        xsk_ring_cons__release(&comp, n);
        work += n;
        uint32_t ridx;
        n = xsk_ring_cons__peek(&rx, BATCH, &ridx);
        if (n) {
            uint32_t tidx = 0;
            unsigned room = xsk_ring_prod__reserve(&tx, n, &tidx), sent = 0;
            for (unsigned i = 0; i < n; i++) {
                const struct xdp_desc *d = xsk_ring_cons__rx_desc(&rx, ridx + i);
                int out = rewrite(xsk_umem__get_data(area, d->addr), d->len);
                if (out && sent < room) {
                    struct xdp_desc *t = xsk_ring_prod__tx_desc(&tx, tidx + sent++);
                    t->addr = d->addr;
                    t->len = out;
                } else {
                    free_frames[nfree++] = d->addr & ~(uint64_t)(FRAME - 1);
                }
            }
            xsk_ring_cons__release(&rx, n);
            if (room > sent) /* give back what we reserved and did not fill: resubmit fewer */
                tx.cached_prod -= room - sent;
            if (sent) {
                xsk_ring_prod__submit(&tx, sent);
                if (xsk_ring_prod__needs_wakeup(&tx))
                    sendto(fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
            }
            rxn += n;
            txn += sent;
            work += n;
        }
        unsigned want = xsk_prod_nb_free(&fill, nfree);
        if (want > (unsigned)nfree)
            want = nfree;
        if (want && xsk_ring_prod__reserve(&fill, want, &idx) == want) {
            for (unsigned i = 0; i < want; i++)
                *xsk_ring_prod__fill_addr(&fill, idx + i) = free_frames[--nfree];
            xsk_ring_prod__submit(&fill, want);
        }
        if (!work) {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            poll(&p, 1, 100);
        }
    }
    printf("frames %llu %llu completions-not-out %llu\n", (unsigned long long)rxn, (unsigned long long)txn,
           (unsigned long long)anomalies);
    fflush(stdout);
    bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
    xsk_socket__delete(xsk);
    xsk_umem__delete(umem);
    bpf_object__close(obj);
    return 0;
}
