package io.shardlb.cli.local;

/**
 * How a local system is laid out: its ports, the VIP pool, the pods' addresses and the datapath. Validated by
 * {@link LocalCommand} before anything starts.
 *
 * @param pool     the {@code defaultPool} CIDR; its host part is the first VIP handed out
 * @param podNet   the first three octets of the pods' addresses
 * @param firstPod the host part of the first pod's address
 * @param datapath proxy (loopback) or xdp (namespaces of {@link LocalNetwork})
 */
record LocalSettings(LocalPorts ports, String pool, String podNet, int firstPod, String datapath) {
    /** Without root: VIPs and pods on loopback, the proxy forwarder. */
    static final LocalSettings LOOPBACK = new LocalSettings(LocalPorts.DEFAULTS, "127.0.80.250/24", "127.0.1", 1,
            "proxy");
    /** As root: VIPs, agents, pods and client on the {@link LocalNetwork} segment, the XDP forwarder. */
    static final LocalSettings XDP = new LocalSettings(LocalPorts.DEFAULTS, LocalNetwork.NET + ".250/24",
            LocalNetwork.NET, 20, "xdp");

    boolean xdp() {
        return "xdp".equals(datapath);
    }

    /** The address agent {@code index}'s API listens on. */
    String agentHost(int index) {
        return xdp() ? LocalNetwork.agentIp(index) : "127.0.0.1";
    }
}
