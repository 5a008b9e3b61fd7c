package io.shardlb.e2e.system;

import io.shardlb.e2e.probe.Answerers;
import io.shardlb.e2e.probe.LineBackend;
import io.shardlb.e2e.probe.ListenerMonitor;
import io.shardlb.e2e.probe.Probe;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The unprivileged datapath: agents run the NIO proxy on {@code lo}, VIPs are 127.x addresses, the monitor reads
 * the kernel's listening sockets. It cannot cut an agent off from the broker (that needs a namespace of its own).
 */
public final class Loopback implements Datapath {
    /** Pools: the seed's stand-in on loopback, and a large pool for bulk Services. */
    public static final String POOLS = "defaultPool=127.0.80.250/24,bulk=127.0.81.1-127.0.81.250";

    @Override
    public String name() {
        return "loopback proxy";
    }

    @Override
    public String pools() {
        return POOLS;
    }

    @Override
    public String bulkFirst() {
        return "127.0.81.1";
    }

    @Override
    public List<String> brokerArgs() {
        return List.of();
    }

    @Override
    public String bootstrap(String printed) {
        return printed;
    }

    @Override
    public LineBackend startBackend() {
        return LineBackend.start("be1", InetAddress.getLoopbackAddress());
    }

    @Override
    public List<String> agentWrapper(int index) {
        return List.of();
    }

    @Override
    public List<String> agentArgs(int index) {
        return List.of("--interface", "lo", "--forwarder", "proxy");
    }

    @Override
    public Probe probe(int port, Duration maxRun) {
        return new Probe(port, maxRun);
    }

    @Override
    public Answerers monitor(int port, Duration maxRun) {
        return new ListenerMonitor(port, maxRun);
    }

    @Override
    public void cutOff(int index, boolean cut) {
        throw new UnsupportedOperationException("loopback agents share the broker's namespace: nothing to cut");
    }

    @Override
    public void close() {
        // nothing of its own to release
    }
}
