package io.shardlb.agent.xdp;

import io.shardlb.agent.forwarder.Mode;

/** The behaviour suite through the XDP datapath in {@code fullnat} mode (backends see the VIP as the source). */
class XdpForwarderFullnatBehaviourTest extends XdpForwarderOnearmBehaviourTest {
    @Override
    protected Mode mode() {
        return Mode.FULLNAT;
    }
}
