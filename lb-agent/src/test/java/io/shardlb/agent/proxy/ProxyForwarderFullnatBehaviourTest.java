package io.shardlb.agent.proxy;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Forwarder;
import io.shardlb.agent.forwarder.ForwarderBehaviourSuite;
import io.shardlb.agent.forwarder.Mode;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/** The behaviour suite in fullnat mode (backend sockets bound to the VIP) against the NIO proxy on loopback (VIP and backends on distinct 127.x addresses). */
class ProxyForwarderFullnatBehaviourTest extends ForwarderBehaviourSuite {
    private final int net = ThreadLocalRandom.current().nextInt(1, 250);

    @Override
    protected Forwarder newForwarder() {
        return ProxyForwarder.start(ProxyConfig.defaults());
    }

    @Override
    protected InetAddress vip() {
        return Addresses.parse("127.80." + net + ".250");
    }

    @Override
    protected InetAddress backendAddress(int i) {
        return Addresses.parse("127.81." + net + "." + (10 + i));
    }

    @Override
    protected Mode mode() {
        return Mode.FULLNAT;
    }
}
