package io.shardlb.agent.xdp;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.MacAddress;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flat L2 test segment: a bridge in namespace {@code PREFIX + "sw"} and one veth per namespace (client, three
 * agents, two backends, a monitor), addresses in 198.18.0.0/24, every name prefixed {@link #PREFIX} and deleted by
 * name.
 * The bridge-side peer of each agent veth runs a pass-through native XDP program: veth delivers an XDP_TX frame
 * (our ARP answers) to its peer only when the peer has one.
 */
final class XdpTopology implements AutoCloseable {
    /**
     * {@code slbx} plus two characters of this JVM's pid, unless the {@code shardlb.test.netnsPrefix} property
     * names one: test runs of several checkouts on one machine must not delete each other's namespaces
     * (interface names stay within 15 characters).
     */
    static final String PREFIX = System.getProperty("shardlb.test.netnsPrefix",
            "slbx" + Long.toString(36 * 36 + ProcessHandle.current().pid() % (36 * 36), 36).substring(1) + "-");
    static final InetAddress VIP = Addresses.parse("198.18.0.100");
    /** namespace suffix → {veth letter, address}. */
    private static final Map<String, String[]> NODES = new LinkedHashMap<>();

    static {
        NODES.put("cli", new String[] {"c", "198.18.0.10"});
        NODES.put("agt1", new String[] {"a", "198.18.0.2"});
        NODES.put("agt2", new String[] {"d", "198.18.0.3"});
        NODES.put("agt3", new String[] {"f", "198.18.0.4"});
        NODES.put("be1", new String[] {"b", "198.18.0.20"});
        NODES.put("be2", new String[] {"e", "198.18.0.21"});
        NODES.put("mon", new String[] {"m", "198.18.0.30"});
    }

    private final Map<String, Netns> spaces = new LinkedHashMap<>();

    /** Builds the segment (removing leftovers of an earlier run first). */
    static XdpTopology create() {
        destroyByName();
        XdpTopology t = new XdpTopology();
        try {
            t.build();
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void build() {
        Netns.run("ip", "netns", "add", PREFIX + "sw");
        Netns.run("ip", "-n", PREFIX + "sw", "link", "add", PREFIX + "br", "type", "bridge");
        Netns.run("ip", "-n", PREFIX + "sw", "link", "set", PREFIX + "br", "up");
        // a plain L2 segment: no br_netfilter checks (they drop the malformed frames the barrage test sends)
        for (String family : new String[] {"iptables", "ip6tables", "arptables"}) {
            Netns.tryRun("ip", "netns", "exec", PREFIX + "sw", "sysctl", "-qw", "net.bridge.bridge-nf-call-" + family
                    + "=0");
        }
        Path pass = passObject();
        for (Map.Entry<String, String[]> n : NODES.entrySet()) {
            String ns = PREFIX + n.getKey();
            String inner = PREFIX + n.getValue()[0] + "0";
            String outer = PREFIX + n.getValue()[0] + "1";
            Netns.run("ip", "netns", "add", ns);
            Netns.run("ip", "link", "add", inner, "netns", ns, "type", "veth", "peer", "name", outer, "netns",
                    PREFIX + "sw");
            Netns.run("ip", "-n", PREFIX + "sw", "link", "set", outer, "master", PREFIX + "br", "up");
            Netns.run("ip", "-n", ns, "addr", "add", n.getValue()[1] + "/24", "dev", inner);
            Netns.run("ip", "-n", ns, "link", "set", inner, "up");
            Netns.run("ip", "-n", ns, "link", "set", "lo", "up");
            if (n.getKey().startsWith("agt")) {
                Netns.run("ip", "-n", PREFIX + "sw", "link", "set", "dev", outer, "xdpdrv", "obj", pass.toString(),
                        "sec", "xdp");
            }
            spaces.put(n.getKey(), new Netns(ns));
        }
    }

    private static Path passObject() {
        try {
            Path p = Files.createTempFile("shardlb_pass", ".o");
            Files.write(p, BpfProgram.readResource("/bpf/shardlb_pass.o"));
            p.toFile().deleteOnExit();
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The namespace {@code slbx-<key>} (cli, agt1, agt2, agt3, be1, be2, mon). */
    Netns ns(String key) {
        return spaces.get(key);
    }

    /** The veth inside namespace {@code key}. */
    static String ifname(String key) {
        return PREFIX + NODES.get(key)[0] + "0";
    }

    /** The address of namespace {@code key}. */
    static InetAddress address(String key) {
        return Addresses.parse(NODES.get(key)[1]);
    }

    /** The MAC of the veth in namespace {@code key}. */
    MacAddress mac(String key) {
        String out = Netns.run("ip", "-n", PREFIX + key, "-br", "link", "show", ifname(key));
        return MacAddress.parse(out.trim().split("\\s+")[2]);
    }

    /** Deletes every namespace of the segment by name (their veths and the bridge go with them). */
    static void destroyByName() {
        Netns.tryRun("ip", "netns", "del", PREFIX + "sw");
        for (String k : NODES.keySet()) {
            Netns.tryRun("ip", "netns", "del", PREFIX + k);
        }
    }

    @Override
    public void close() {
        spaces.values().forEach(Netns::close);
        destroyByName();
    }
}
