package io.shardlb.cli.local;

import io.shardlb.agent.xdp.NetnsThread;
import io.shardlb.cli.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The L2 segment of {@code shardlb local --datapath xdp}, all of it in 198.18.80.0/24 and every name starting with
 * {@link #PREFIX}, so it is deleted by name: a bridge in namespace {@code slbl-sw}; one namespace per agent, one for
 * the backends (a pod is an address of its veth), one for the client that traffic enters from; and a veth end in
 * this namespace ({@code slbl-h0}, 198.18.80.1) through which the agents reach the Kafka broker and this process
 * reaches the agents' APIs. The bridge-side peer of each agent veth runs a pass-through native XDP program: veth
 * delivers an XDP_TX frame (the agent's ARP answers for its VIPs) only to a peer that has one.
 */
final class LocalNetwork implements AutoCloseable {
    static final String PREFIX = "slbl-";
    static final String NET = "198.18.80";
    static final String HOST_IP = NET + ".1";
    static final String CLIENT_NS = PREFIX + "cl";
    static final String BACKEND_NS = PREFIX + "be";
    static final String SWITCH_NS = PREFIX + "sw";
    private static final String BRIDGE = PREFIX + "br";
    private static final String PASS_OBJECT = "/bpf/shardlb_pass.o";

    private NetnsThread backends;
    private Path passObject;

    private LocalNetwork() {
    }

    /** The namespace of agent {@code index} (0-based). */
    static String agentNs(int index) {
        return PREFIX + "a" + (index + 1);
    }

    /** The veth agent {@code index} serves, inside its namespace. */
    static String agentIf(int index) {
        return agentNs(index);
    }

    static String agentIp(int index) {
        return NET + "." + (2 + index);
    }

    /** Every namespace of the segment, by name. */
    static List<String> namespaces(int agents) {
        List<String> all = new ArrayList<>(List.of(SWITCH_NS, BACKEND_NS, CLIENT_NS));
        for (int i = 0; i < agents; i++) {
            all.add(agentNs(i));
        }
        return all;
    }

    /** Builds the segment for {@code agents} agents; refuses if a namespace of that name exists already. */
    static LocalNetwork create(int agents) {
        String existing = run(true, "ip", "netns", "list");
        for (String ns : namespaces(agents)) {
            if (existing.lines().anyMatch(l -> l.split(" ")[0].equals(ns))) {
                throw new UserError("network namespace " + ns + " exists: is another shardlb local --datapath xdp "
                        + "running? If not, it is a leftover: delete with ip netns del " + ns
                        + " (and ip link del " + PREFIX + "h0)");
            }
        }
        LocalNetwork n = new LocalNetwork();
        try {
            n.build(agents);
        } catch (RuntimeException e) {
            n.close(agents);
            throw e;
        }
        return n;
    }

    private void build(int agents) {
        passObject = writePassObject();
        run(false, "ip", "netns", "add", SWITCH_NS);
        run(false, "ip", "-n", SWITCH_NS, "link", "add", BRIDGE, "type", "bridge");
        run(false, "ip", "-n", SWITCH_NS, "link", "set", BRIDGE, "up");
        for (String family : new String[] {"iptables", "ip6tables", "arptables"}) {
            run(true, "ip", "netns", "exec", SWITCH_NS, "sysctl", "-qw", "net.bridge.bridge-nf-call-" + family + "=0");
        }
        // this namespace's end: the broker's listener and the way to the agents' APIs
        run(false, "ip", "link", "add", PREFIX + "h0", "type", "veth", "peer", "name", PREFIX + "h1", "netns",
                SWITCH_NS);
        run(false, "ip", "-n", SWITCH_NS, "link", "set", PREFIX + "h1", "master", BRIDGE, "up");
        run(false, "ip", "addr", "add", HOST_IP + "/24", "dev", PREFIX + "h0");
        run(false, "ip", "link", "set", PREFIX + "h0", "up");
        node(CLIENT_NS, NET + ".10", false);
        node(BACKEND_NS, null, false);
        for (int i = 0; i < agents; i++) {
            node(agentNs(i), agentIp(i), true);
        }
        backends = new NetnsThread(BACKEND_NS);
    }

    /** A namespace with one veth on the bridge (named like the namespace; the bridge side ends in "p"). */
    private void node(String ns, String ip, boolean agent) {
        String inner = ns;
        String outer = ns + "p";
        run(false, "ip", "netns", "add", ns);
        run(false, "ip", "link", "add", inner, "netns", ns, "type", "veth", "peer", "name", outer, "netns",
                SWITCH_NS);
        run(false, "ip", "-n", SWITCH_NS, "link", "set", outer, "master", BRIDGE, "up");
        if (ip != null) {
            run(false, "ip", "-n", ns, "addr", "add", ip + "/24", "dev", inner);
        }
        run(false, "ip", "-n", ns, "link", "set", inner, "up");
        run(false, "ip", "-n", ns, "link", "set", "lo", "up");
        if (agent) {
            run(false, "ip", "-n", SWITCH_NS, "link", "set", "dev", outer, "xdpdrv", "obj", passObject.toString(),
                    "sec", "xdp");
        }
    }

    /** Starts a pod's backend inside the backend namespace on an address of its own. */
    PodBackend startPod(String key, String ip, List<Integer> ports) {
        run(false, "ip", "-n", BACKEND_NS, "addr", "add", ip + "/24", "dev", BACKEND_NS);
        return backends.call(() -> PodBackend.start(key, ip, ports));
    }

    private static Path writePassObject() {
        try (InputStream in = LocalNetwork.class.getResourceAsStream(PASS_OBJECT)) {
            if (in == null) {
                throw new UserError("the XDP objects were not built (clang missing at build time): no "
                        + PASS_OBJECT + " on the class path");
            }
            Path p = Files.createTempFile("shardlb_pass", ".o");
            Files.write(p, in.readAllBytes());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the segment by name: its namespaces (their veths and the bridge go with them) and our veth end. */
    void close(int agents) {
        if (backends != null) {
            backends.close();
        }
        for (String ns : namespaces(agents)) {
            run(true, "ip", "netns", "del", ns);
        }
        run(true, "ip", "link", "del", PREFIX + "h0");
        if (passObject != null) {
            try {
                Files.deleteIfExists(passObject);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans /tmp
            }
        }
    }

    @Override
    public void close() {
        close(3);
    }

    /** Runs a command; returns its output, or throws (unless {@code mayFail}) on a non-zero exit. */
    static String run(boolean mayFail, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0 && !mayFail) {
                throw new IllegalStateException("failed: " + String.join(" ", cmd) + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            if (mayFail) {
                return "";
            }
            throw new UncheckedIOException("cannot run " + cmd[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
