package io.shardlb.ipam;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Payload;
import io.shardlb.events.schema.Topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Drives IPAM the way the planner will: facts are appended to {@code events} and folded, commands run on the
 * current image, their decisions appended to {@code plan} and folded as they are made. Keeps the whole log so a
 * test can replay it from scratch.
 */
final class Harness {
    final IpamManager manager = new IpamManager();
    final List<LogEntry> log = new ArrayList<>();
    final Map<String, AllocationRequest> requests = new TreeMap<>();
    IpamImage image = IpamImage.EMPTY;
    long now = 1_000;
    private long eventsOffset;
    private long planOffset;

    static Fact.ConfigObserved config(String v4, String v6, boolean unique, long quarantineMs) {
        PoolConfig pc = PoolConfig.parse(v4, v6);
        return new Fact.ConfigObserved(pc.toPools(IpFamily.V4), pc.toPools(IpFamily.V6), unique, 3, "llb", false,
                "default", "default", "hash", quarantineMs, 5_000, false);
    }

    Harness configure(String v4, String v6, boolean unique, long quarantineMs) {
        fact(config(v4, v6, unique, quarantineMs));
        return this;
    }

    void fact(Fact f) {
        LogEntry e = new LogEntry(Topic.EVENTS, 0, eventsOffset++, Envelope.of(f, "test").withLogTime(now));
        log.add(e);
        IpamDelta d = new IpamDelta(image);
        d.replay(e);
        image = d.apply();
    }

    /** Advances log time by {@code ms} with a Tick, then retries pending Services. */
    List<Allocation> tick(long ms) {
        now += ms;
        fact(new Fact.Tick());
        return retry();
    }

    List<Allocation> retry() {
        return run(manager.retryPending(image, svc -> Optional.ofNullable(requests.get(svc))));
    }

    <T> T run(Result<T> r) {
        IpamDelta d = new IpamDelta(image);
        for (Decision dec : r.records()) {
            LogEntry e = new LogEntry(Topic.PLAN, 0, planOffset++, Envelope.of((Payload) dec, "planner")
                    .withLogTime(now + 1));
            log.add(e);
            d.replay(e);
        }
        image = d.apply();
        return r.response();
    }

    Allocation allocate(String service, AllocationRequest request) {
        requests.put(service, request);
        return run(manager.allocate(image, service, request));
    }

    Allocation allocate(String service, int port) {
        return allocate(service, AllocationRequest.of(PortSet.of(port, "TCP")));
    }

    List<String> delete(String service) {
        requests.remove(service);
        List<String> released = run(manager.release(image, service));
        fact(new Fact.ServiceGone(service, "uid-" + service));
        return released;
    }

    List<Decision> decisions() {
        return log.stream().filter(e -> e.topic() == Topic.PLAN).map(e -> e.envelope().payload(Decision.class))
                .toList();
    }

    static String ip(Allocation a) {
        return ((Allocation.Granted) a).vips().getFirst().ip();
    }
}
