package io.shardlb.bench;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.observed.ObservedDelta;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RecordCodec;
import io.shardlb.events.schema.ServicePort;
import io.shardlb.events.schema.Topic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code replay}: 1,000,000 facts, decoded from their wire form and folded into an {@link ObservedImage} in
 * batches of 1,000 (as a consumer poll delivers them). Target >= 200,000 records/s.
 */
final class ReplayBench implements Benchmark {
    private static final int RECORDS = 1_000_000;
    private static final int SERVICES = 10_000;
    private static final int BATCH = 1_000;

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String description() {
        return "decode + fold 1,000,000 facts (10,000 services) into the observed image, batches of 1,000";
    }

    @Override
    public List<Result> run(Path work) {
        List<byte[]> wire = history();
        fold(wire); // warm-up
        long best = Long.MAX_VALUE;
        ObservedImage image = null;
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            image = fold(wire);
            best = Math.min(best, System.nanoTime() - t0);
        }
        if (image.services().size() != SERVICES) {
            throw new IllegalStateException("fold lost services: " + image.services().size());
        }
        double perSecond = RECORDS / (best / 1e9);
        return List.of(new Result("replay_records_per_s", Math.round(perSecond), "records/s",
                "best of 3 runs; target >= 200000 " + (perSecond >= 200_000 ? "met" : "MISSED")));
    }

    private static ObservedImage fold(List<byte[]> wire) {
        ObservedImage image = ObservedImage.EMPTY;
        for (int start = 0; start < wire.size(); start += BATCH) {
            ObservedDelta delta = image.delta();
            for (int i = start; i < Math.min(start + BATCH, wire.size()); i++) {
                Envelope e = RecordCodec.decode(wire.get(i), Topic.EVENTS, 1_700_000_000_000L + i, "bench");
                delta.replay(new LogEntry(Topic.EVENTS, 0, i, e));
            }
            image = delta.apply();
        }
        return image;
    }

    private static List<byte[]> history() {
        List<byte[]> out = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            int svc = i % SERVICES;
            String name = "ns" + (svc % 50) + "/svc-" + svc;
            Fact f;
            if ((i / SERVICES) % 2 == 0) {
                TreeMap<String, String> ann = new TreeMap<>(Map.of("loxilb.io/lbmode", "onearm",
                        "loxilb.io/zoneinstance", "llb-inst" + (svc % 3)));
                f = new Fact.ServiceObserved(name, "uid-" + svc, Integer.toString(i), "loxilb.io/loxilb",
                        List.of(new ServicePort("http", 80, "TCP", "8080", 30000 + svc % 2000)), List.of("IPv4"),
                        "SingleStack", "", List.of(), "Cluster", ann, List.of());
            } else {
                f = new Fact.EndpointsObserved(name, List.of(
                        new Endpoint("198.18." + (svc % 200) + ".10", 8080, "http", "TCP", true, "node-1"),
                        new Endpoint("198.18." + (svc % 200) + ".11", 8080, "http", "TCP", true, "node-2")));
            }
            out.add(RecordCodec.encode(Envelope.of(f, "controller")));
        }
        return out;
    }
}
