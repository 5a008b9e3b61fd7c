package io.shardlb.cli.local;

/**
 * How a local system is laid out: its ports, the VIP pool, the pods' addresses and the datapath. Validated by
 * {@link LocalCommand} before anything starts.
 *
 * @param pool    the {@code defaultPool} CIDR; its host part is the first VIP handed out
 * @param podNet  the first three octets of the pods' addresses
 */
record LocalSettings(LocalPorts ports, String pool, String podNet, String datapath) {
    /** Without root: VIPs and pods on loopback, the proxy forwarder. */
    static final LocalSettings LOOPBACK = new LocalSettings(LocalPorts.DEFAULTS, "127.0.80.250/24", "127.0.1",
            "proxy");
}
