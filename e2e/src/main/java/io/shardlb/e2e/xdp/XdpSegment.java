package io.shardlb.e2e.xdp;

import io.shardlb.agent.xdp.NetnsThread;

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
 * The L2 segment the XDP system runs on, the layout of {@code shardlb local --datapath xdp} with a monitor added:
 * a bridge in namespace {@code PREFIX sw}; one namespace per agent ({@code a1…}), one for the backends
 * ({@code be}), one for the probe client ({@code cl}), one for the ARP monitor ({@code mon}); and a veth end in
 * this namespace ({@code PREFIX h0}, {@code NET.1}) on which the broker listens, so the agents reach it over the
 * segment and a rule in an agent's namespace can cut it off. The bridge-side peer of each agent veth runs the
 * pass-through native XDP program (veth delivers an XDP_TX frame, the agent's ARP answer, only to a peer that has
 * one). Every name starts with the per-JVM prefix and is deleted by name; addresses are in 198.19.0.0/16 (inside
 * the benchmarking range 198.18.0.0/15), one /24 per JVM, so runs of several checkouts do not meet.
 */
public final class XdpSegment implements AutoCloseable {
    private static final String PASS_OBJECT = "/bpf/shardlb_pass.o";
    private static final long PID = ProcessHandle.current().pid();

    /** {@code slbe} plus two base-36 characters of this JVM's pid: interface names stay within 15 characters. */
    public static final String PREFIX = "slbe" + Long.toString(36 * 36 + PID % (36 * 36), 36).substring(1) + "-";
    /** This JVM's /24. */
    public static final String NET = "198.19." + (PID % 250);
    /** The address of this namespace's veth end: the broker's listener. */
    public static final String HOST_IP = NET + ".1";
    public static final String CLIENT_IP = NET + ".10";
    public static final String BACKEND_IP = NET + ".20";
    public static final String MONITOR_IP = NET + ".30";

    private final int agents;
    private final List<NetnsThread> threads = new ArrayList<>();
    private NetnsThread client;
    private NetnsThread backend;
    private Path passObject;

    private XdpSegment(int agents) {
        this.agents = agents;
    }

    /** The namespace of agent {@code index} (0-based). */
    public static String agentNs(int index) {
        return PREFIX + "a" + (index + 1);
    }

    /** The namespace the probe client runs in. */
    public static String clientNs() {
        return PREFIX + "cl";
    }

    /** The namespace the ARP monitor asks from. */
    public static String monitorNs() {
        return PREFIX + "mon";
    }

    /** The veth inside namespace {@code ns} (named like it). */
    public static String ifname(String ns) {
        return ns;
    }

    public static String agentIp(int index) {
        return NET + "." + (2 + index);
    }

    private static List<String> namespaces(int agents) {
        List<String> all = new ArrayList<>(List.of(PREFIX + "sw", PREFIX + "be", clientNs(), monitorNs()));
        for (int i = 0; i < agents; i++) {
            all.add(agentNs(i));
        }
        return all;
    }

    /** Builds the segment for {@code agents} agents, removing leftovers of an earlier run of this prefix first. */
    public static XdpSegment create(int agents) {
        XdpSegment s = new XdpSegment(agents);
        s.destroyByName();
        try {
            s.build();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void build() {
        passObject = writePassObject();
        String sw = PREFIX + "sw";
        run(false, "ip", "netns", "add", sw);
        run(false, "ip", "-n", sw, "link", "add", PREFIX + "br", "type", "bridge");
        run(false, "ip", "-n", sw, "link", "set", PREFIX + "br", "up");
        for (String family : new String[] {"iptables", "ip6tables", "arptables"}) {
            run(true, "ip", "netns", "exec", sw, "sysctl", "-qw", "net.bridge.bridge-nf-call-" + family + "=0");
        }
        run(false, "ip", "link", "add", PREFIX + "h0", "type", "veth", "peer", "name", PREFIX + "h1", "netns", sw);
        run(false, "ip", "-n", sw, "link", "set", PREFIX + "h1", "master", PREFIX + "br", "up");
        run(false, "ip", "addr", "add", HOST_IP + "/24", "dev", PREFIX + "h0");
        run(false, "ip", "link", "set", PREFIX + "h0", "up");
        node(clientNs(), CLIENT_IP, false);
        node(PREFIX + "be", BACKEND_IP, false);
        node(monitorNs(), MONITOR_IP, false);
        for (int i = 0; i < agents; i++) {
            node(agentNs(i), agentIp(i), true);
        }
        client = thread(clientNs());
        backend = thread(PREFIX + "be");
    }

    private NetnsThread thread(String ns) {
        NetnsThread t = new NetnsThread(ns);
        threads.add(t);
        return t;
    }

    private void node(String ns, String ip, boolean agent) {
        String sw = PREFIX + "sw";
        String outer = ns + "p";
        run(false, "ip", "netns", "add", ns);
        run(false, "ip", "link", "add", ifname(ns), "netns", ns, "type", "veth", "peer", "name", outer, "netns", sw);
        run(false, "ip", "-n", sw, "link", "set", outer, "master", PREFIX + "br", "up");
        run(false, "ip", "-n", ns, "addr", "add", ip + "/24", "dev", ifname(ns));
        run(false, "ip", "-n", ns, "link", "set", ifname(ns), "up");
        run(false, "ip", "-n", ns, "link", "set", "lo", "up");
        if (agent) {
            run(false, "ip", "-n", sw, "link", "set", "dev", outer, "xdpdrv", "obj", passObject.toString(), "sec",
                    "xdp");
        }
    }

    /** A thread inside the client namespace (sockets it creates connect from there). */
    public NetnsThread client() {
        return client;
    }

    /** A thread inside the backends' namespace. */
    public NetnsThread backend() {
        return backend;
    }

    /** Runs {@code cmd} inside namespace {@code ns}; throws on a non-zero exit. */
    public static String exec(String ns, String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return run(false, full.toArray(String[]::new));
    }

    private static Path writePassObject() {
        try (InputStream in = XdpSegment.class.getResourceAsStream(PASS_OBJECT)) {
            if (in == null) {
                throw new IllegalStateException("the XDP objects were not built (clang missing at build time): no "
                        + PASS_OBJECT + " on the class path");
            }
            Path p = Files.createTempFile("shardlb_pass", ".o");
            Files.write(p, in.readAllBytes());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void destroyByName() {
        for (String ns : namespaces(agents)) {
            run(true, "ip", "netns", "del", ns);
        }
        run(true, "ip", "link", "del", PREFIX + "h0");
    }

    /** Deletes the segment by name: its namespaces (their veths and the bridge go with them) and our veth end. */
    @Override
    public void close() {
        threads.forEach(NetnsThread::close);
        destroyByName();
        if (passObject != null) {
            try {
                Files.deleteIfExists(passObject);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans /tmp
            }
        }
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
