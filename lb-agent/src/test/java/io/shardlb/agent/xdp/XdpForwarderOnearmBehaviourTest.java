package io.shardlb.agent.xdp;

import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.forwarder.ForwarderBehaviourSuite;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import io.shardlb.agent.forwarder.TestBackends;
import io.shardlb.agent.forwarder.TestBackends.Backend;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The behaviour suite against the real datapath: an {@link XdpForwarder} in a child JVM in namespace slbx-agt1,
 * a client socket made in slbx-cli, backends listening in slbx-be1 and slbx-be2; every frame crosses veths and a
 * bridge, the XDP program and the AF_XDP socket.
 */
class XdpForwarderOnearmBehaviourTest extends ForwarderBehaviourSuite {
    protected static XdpTopology topo;

    @BeforeAll
    static void topology() {
        topo = XdpTestBed.get();
    }

    @AfterAll
    static void teardown() {
        XdpTestBed.destroy();
    }

    @Override
    protected Forwarder newForwarder() {
        return new AgentJvm(XdpTopology.PREFIX + "agt1", XdpTopology.ifname("agt1"));
    }

    @Override
    protected InetAddress vip() {
        return XdpTopology.VIP;
    }

    @Override
    protected InetAddress backendAddress(int i) {
        return XdpTopology.address(i == 0 ? "be1" : "be2");
    }

    @Override
    protected Mode mode() {
        return Mode.ONEARM;
    }

    private static String backendNs(InetAddress address) {
        return address.equals(XdpTopology.address("be1")) ? "be1" : "be2";
    }

    @Override
    protected Backend startHttpBackend(String id, InetAddress address) {
        return TestBackends.http(id, topo.ns(backendNs(address)).call(() -> TestBackends.bindTcp(address)));
    }

    @Override
    protected Backend startUdpBackend(String id, InetAddress address) {
        return TestBackends.udp(id, topo.ns(backendNs(address)).call(
                () -> new DatagramSocket(new InetSocketAddress(address, 0))));
    }

    @Override
    protected Socket newClientSocket() {
        return topo.ns("cli").call(() -> {
            Socket s = new Socket();
            s.setSoTimeout((int) WAIT.toMillis());
            return s;
        });
    }

    @Override
    protected DatagramSocket newUdpClient() throws IOException {
        return topo.ns("cli").call(() -> new DatagramSocket(new InetSocketAddress(XdpTopology.address("cli"), 0)));
    }

    /** Endpoints carry their MACs: the agent learns no neighbours by itself. */
    @Override
    protected ServiceRule rule(Protocol protocol, List<Backend> eps) {
        return new ServiceRule("suite/" + vipPort() + "/" + protocol, vip(), vipPort(), protocol, mode(),
                Selection.HASH, Duration.ofSeconds(60), List.of(),
                eps.stream().map(b -> new Endpoint(b.address(), b.port(), topo.mac(backendNs(b.address()))))
                        .toList());
    }
}
