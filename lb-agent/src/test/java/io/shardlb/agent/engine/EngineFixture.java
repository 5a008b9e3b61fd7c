package io.shardlb.agent.engine;

import static io.shardlb.agent.engine.RefFrames.ip;

import io.shardlb.agent.forwarder.Addresses;
import io.shardlb.agent.forwarder.Cidr;
import io.shardlb.agent.forwarder.Endpoint;
import io.shardlb.agent.forwarder.MacAddress;
import io.shardlb.agent.forwarder.Mode;
import io.shardlb.agent.forwarder.Protocol;
import io.shardlb.agent.forwarder.Selection;
import io.shardlb.agent.forwarder.ServiceRule;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

/** A small flat L2 segment: agent, client, two backends, one VIP; addresses from 198.18.0.0/15. */
final class EngineFixture {
    static final long AGENT_MAC = 0x02_00_00_00_00_02L;
    static final long CLIENT_MAC = 0x02_00_00_00_00_0aL;
    static final long EP1_MAC = 0x02_00_00_00_00_14L;
    static final long EP2_MAC = 0x02_00_00_00_00_15L;
    static final long EP3_MAC = 0x02_00_00_00_00_16L;
    static final int AGENT = ip("198.18.0.2");
    static final int VIP = ip("198.18.0.100");
    static final int CLIENT = ip("198.18.0.10");
    static final int EP1 = ip("198.18.0.20");
    static final int EP2 = ip("198.18.0.21");
    static final int EP3 = ip("198.18.0.22");
    static final int VPORT = 80;
    static final int EP_PORT = 8080;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final long T0 = 1_000_000_000_000L;

    private EngineFixture() {
    }

    static Endpoint ep(int ip, long mac) {
        return new Endpoint(Addresses.fromInt(ip), EP_PORT, new MacAddress(mac));
    }

    static final Endpoint E1 = ep(EP1, EP1_MAC);
    static final Endpoint E2 = ep(EP2, EP2_MAC);
    static final Endpoint E3 = ep(EP3, EP3_MAC);

    static ServiceRule rule(Mode mode, Protocol protocol, List<Endpoint> eps, List<Cidr> ranges) {
        return new ServiceRule("svc/" + VPORT + "/" + protocol, Addresses.fromInt(VIP), VPORT, protocol, mode,
                Selection.HASH, TIMEOUT, ranges, eps);
    }

    static PacketEngine engine(Mode mode, Protocol protocol, EngineConfig config) {
        PacketEngine e = new PacketEngine(config);
        e.upsertRule(rule(mode, protocol, List.of(E1, E2), List.of()));
        e.claimVip(Addresses.fromInt(VIP), T0 + Duration.ofHours(1).toNanos());
        return e;
    }

    static PacketEngine engine(Mode mode, Protocol protocol) {
        return engine(mode, protocol, EngineConfig.of(AGENT, AGENT_MAC).withFlowCapacity(1024));
    }

    /** Runs one frame through the engine in place; returns the verdict. */
    static long run(PacketEngine e, byte[] f, long now) {
        return e.process(MemorySegment.ofArray(f), f.length, now);
    }

    static byte[] fromClient(int proto, int clientPort, int flags, String payload) {
        return RefFrames.l4Frame(proto, CLIENT_MAC, AGENT_MAC, CLIENT, clientPort, VIP, VPORT, flags,
                payload.getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);
    }

    static byte[] fromBackend(int proto, long epMac, int epIp, int natIp, int natPort, int flags, String payload) {
        return RefFrames.l4Frame(proto, epMac, AGENT_MAC, epIp, EP_PORT, natIp, natPort, flags,
                payload.getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);
    }
}
