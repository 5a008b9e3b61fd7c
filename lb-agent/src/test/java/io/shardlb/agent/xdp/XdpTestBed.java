package io.shardlb.agent.xdp;

/**
 * The one topology shared by the XDP test classes of a test run (building it takes seconds): made on first use,
 * removed by name when the JVM ends and by every class's teardown of its own agents.
 */
final class XdpTestBed {
    private static XdpTopology topology;

    private XdpTestBed() {
    }

    /** The topology, built on first call (after the privilege gate). */
    static synchronized XdpTopology get() {
        Privileged.require();
        if (topology == null) {
            topology = XdpTopology.create();
            Runtime.getRuntime().addShutdownHook(new Thread(XdpTopology::destroyByName));
        }
        return topology;
    }

    /** Removes the topology now (a class's @AfterAll); the next {@link #get()} builds it again. */
    static synchronized void destroy() {
        if (topology != null) {
            topology.close();
            topology = null;
        }
        XdpTopology.destroyByName();
    }
}
