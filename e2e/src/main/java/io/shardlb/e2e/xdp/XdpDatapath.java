package io.shardlb.e2e.xdp;

import io.shardlb.e2e.probe.Answerers;
import io.shardlb.e2e.probe.ArpMonitor;
import io.shardlb.e2e.probe.LineBackend;
import io.shardlb.e2e.probe.Probe;
import io.shardlb.e2e.system.Datapath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * The system on real packets (root): each agent runs the XdpForwarder on its veth in a namespace of its own
 * ({@link XdpSegment}); the probe connects from the client namespace, the ARP monitor asks from its own, the
 * backend listens in the backends' namespace, and the broker listens on this namespace's end of the segment, so
 * an iptables rule in an agent's namespace cuts that agent off from Kafka and from nothing else.
 */
public final class XdpDatapath implements Datapath {
    /** Fixed, so a broker restarted on its data directory finds the same cluster (any 22-character id would do). */
    private static final String CLUSTER_ID = "c2hhcmRsYi1lMmUteGRwMQ";

    private final XdpSegment segment;
    private final int brokerPort;
    private final int controllerPort;

    private XdpDatapath(XdpSegment segment) {
        this.segment = segment;
        this.brokerPort = freePort(XdpSegment.HOST_IP);
        this.controllerPort = freePort("127.0.0.1");
    }

    /** Builds the segment for {@code agents} agents (deleted again by {@link #close}). */
    public static XdpDatapath create(int agents) {
        XdpSegment s = XdpSegment.create(agents);
        try {
            return new XdpDatapath(s);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "xdp";
    }

    /** The seed's pool moved to this segment ({@code NET.250/24}), and a bulk range below it. */
    @Override
    public String pools() {
        return "defaultPool=" + XdpSegment.NET + ".250/24,bulk=" + XdpSegment.NET + ".100-" + XdpSegment.NET + ".199";
    }

    @Override
    public String bulkFirst() {
        return XdpSegment.NET + ".100";
    }

    /** The seed's first address (.250), to compare what a Service shows with. */
    public static String seedVip(int offset) {
        return XdpSegment.NET + "." + (250 + offset);
    }

    @Override
    public List<String> brokerArgs() {
        String broker = XdpSegment.HOST_IP + ":" + brokerPort;
        return List.of("--node-id", "1", "--quorum", "1:" + brokerPort + ":" + controllerPort, "--cluster-id",
                CLUSTER_ID, "--set", "listeners=PLAINTEXT://" + broker + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "--set", "advertised.listeners=PLAINTEXT://" + broker);
    }

    @Override
    public String bootstrap(String printed) {
        return XdpSegment.HOST_IP + ":" + brokerPort;
    }

    @Override
    public LineBackend startBackend() {
        InetAddress at = address(XdpSegment.BACKEND_IP);
        return segment.backend().call(() -> LineBackend.start("be1", at));
    }

    @Override
    public List<String> agentWrapper(int index) {
        return List.of("ip", "netns", "exec", XdpSegment.agentNs(index));
    }

    @Override
    public List<String> agentArgs(int index) {
        return List.of("--interface", XdpSegment.ifname(XdpSegment.agentNs(index)), "--forwarder", "xdp");
    }

    /** The probe's sockets are created in the client namespace (a socket's namespace is fixed at creation). */
    @Override
    public Probe probe(int port, Duration maxRun) {
        return new Probe(port, maxRun, () -> segment.client().call(() -> {
            Socket s = new Socket();
            s.setTcpNoDelay(true); // creates the descriptor, here, inside the namespace
            return s;
        }));
    }

    @Override
    public Answerers monitor(int port, Duration maxRun) {
        return new ArpMonitor(XdpSegment.monitorNs(), XdpSegment.ifname(XdpSegment.monitorNs()), maxRun.toSeconds());
    }

    /** Drops the agent's TCP traffic to and from the broker's port in the agent's namespace (or removes the rules). */
    @Override
    public void cutOff(int index, boolean cut) {
        String op = cut ? "-I" : "-D";
        String ns = XdpSegment.agentNs(index);
        String port = Integer.toString(brokerPort);
        XdpSegment.exec(ns, "iptables", op, "OUTPUT", "-d", XdpSegment.HOST_IP, "-p", "tcp", "--dport", port, "-j",
                "DROP");
        XdpSegment.exec(ns, "iptables", op, "INPUT", "-s", XdpSegment.HOST_IP, "-p", "tcp", "--sport", port, "-j",
                "DROP");
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address(host), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        segment.close();
    }
}
