package io.shardlb.events.observed;

import io.shardlb.events.image.Replay;
import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;
import io.shardlb.events.schema.Topic;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Snapshot + tail equals full replay, for every split of a history into batches. */
class ObservedReplayTest {

    static List<LogEntry> sampleHistory() {
        List<Fact> facts = List.of(
                new Fact.ConfigObserved(List.of(new Pool("defaultPool", "198.18.80.250/24")), List.of(), true, 3,
                        "llb", false, "default", "default", "hash", 30_000, 2_000, false),
                new Fact.AgentObserved("agent-a", "n1", "198.18.0.2", true, false),
                new Fact.AgentObserved("agent-b", "n2", "198.18.0.3", true, false),
                service("default/tcp-lb", "onearm"),
                endpoints("default/tcp-lb", "198.18.1.20"),
                new Fact.Tick(),
                service("default/tcp-lb2", "default"),
                endpoints("default/tcp-lb2", "198.18.1.21"),
                service("default/tcp-lb", "fullnat"),
                new Fact.AgentObserved("agent-b", "n2", "198.18.0.3", false, true),
                new Fact.ServiceGone("default/tcp-lb2", "u"),
                endpoints("default/tcp-lb", "198.18.1.22"));
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            out.add(entry(i, facts.get(i)));
        }
        return out;
    }

    static LogEntry entry(long offset, Fact f) {
        return new LogEntry(Topic.EVENTS, 0, offset, Envelope.of(f, "test").withLogTime(1_000_000 + offset * 10));
    }

    static Fact.ServiceObserved service(String name, String mode) {
        return new Fact.ServiceObserved(name, "u", "1", "loxilb.io/loxilb",
                List.of(new ServicePort("", 57002, "TCP", "80", 0)), List.of("IPv4"), "", "", List.of(), "",
                new java.util.TreeMap<>(Map.of("loxilb.io/lbmode", mode)), List.of());
    }

    static Fact.EndpointsObserved endpoints(String name, String ip) {
        return new Fact.EndpointsObserved(name, List.of(new Endpoint(ip, 80, "", "TCP", true, "n1")));
    }

    static ObservedImage full(List<LogEntry> history) {
        return Replay.fold(ObservedImage.EMPTY, ObservedImage::delta, history);
    }

    @Test
    void seedHistoryFoldsToWhatWasObservedLast() {
        ObservedImage image = full(sampleHistory());
        assertEquals(List.of("default/tcp-lb"), List.copyOf(image.services().keySet()));
        assertEquals("fullnat", image.services().get("default/tcp-lb").annotations().get("loxilb.io/lbmode"));
        assertEquals("198.18.1.22", image.endpoints().get("default/tcp-lb").endpoints().get(0).ip());
        assertEquals(List.of("agent-a"), List.copyOf(image.agentPods().keySet()));
        assertEquals(11, image.provenance().offset());
        assertFalse(image.endpoints().containsKey("default/tcp-lb2"));
    }

    @Test
    void snapshotPlusTailEqualsFullReplayAtEverySplitAndEveryBatching() {
        List<LogEntry> history = sampleHistory();
        ObservedImage expected = full(history);
        int n = history.size();
        // every composition of the history into consecutive batches: 2^(n-1) of them
        for (int mask = 0; mask < (1 << (n - 1)); mask++) {
            ObservedImage image = ObservedImage.EMPTY;
            int start = 0;
            for (int i = 1; i <= n; i++) {
                if (i == n || (mask & (1 << (i - 1))) != 0) {
                    image = Replay.fold(image, ObservedImage::delta, history.subList(start, i));
                    // every batch boundary is also a snapshot point: restore and continue from the copy
                    image = ObservedImage.fromSnapshot(image.toSnapshot());
                    start = i;
                }
            }
            assertEquals(expected, image, "batching mask " + Integer.toBinaryString(mask));
        }
    }

    @Test
    void pointLookupsAgreeWithTheSortedViews() {
        List<LogEntry> history = new ArrayList<>(sampleHistory());
        // endpoints observed before (and without) a spec, and a Service gone with its endpoints
        history.add(entry(12, endpoints("default/no-spec", "198.18.1.30")));
        history.add(entry(13, service("default/later", "onearm")));
        history.add(entry(14, endpoints("default/later", "198.18.1.31")));
        history.add(entry(15, new Fact.ServiceGone("default/later", "u")));
        ObservedImage image = full(history);
        assertEquals(List.of("default/tcp-lb"), List.copyOf(image.services().keySet()));
        assertEquals(List.of("default/no-spec", "default/tcp-lb"), List.copyOf(image.endpoints().keySet()));
        assertEquals(image.services().size(), image.serviceCount());
        for (String name : List.of("default/tcp-lb", "default/no-spec", "default/later", "default/never")) {
            assertEquals(image.services().get(name), image.service(name), name);
            assertEquals(image.endpoints().get(name), image.endpointsOf(name), name);
        }
        assertEquals(image.agentPods().get("agent-a"), image.agentPod("agent-a"));
        assertEquals(image, ObservedImage.fromSnapshot(image.toSnapshot()));
        assertEquals(image.toString(), ObservedImage.fromSnapshot(image.toSnapshot()).toString());
    }

    @Test
    void aDeltaThatChangesNothingGivesBackTheBaseImage() {
        ObservedImage image = full(sampleHistory());
        assertSame(image, image.delta().apply());
    }

    @Property(tries = 200)
    void randomHistoriesReplayTheSameWhateverTheSplit(@ForAll("histories") List<Fact> facts,
                                                      @ForAll @IntRange(min = 0, max = 40) int cut) {
        List<LogEntry> history = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            history.add(entry(i, facts.get(i)));
        }
        int at = Math.min(cut, history.size());
        ObservedImage head = Replay.fold(ObservedImage.EMPTY, ObservedImage::delta, history.subList(0, at));
        ObservedImage restored = ObservedImage.fromSnapshot(head.toSnapshot());
        assertEquals(head, restored);
        assertEquals(full(history), Replay.fold(restored, ObservedImage::delta, history.subList(at, history.size())));
    }

    @Provide
    Arbitrary<List<Fact>> histories() {
        Arbitrary<String> names = Arbitraries.of("default/a", "default/b", "web/c");
        Arbitrary<Fact> fact = Arbitraries.oneOf(
                names.map(n -> service(n, "onearm")),
                names.map(n -> (Fact) new Fact.ServiceGone(n, "u")),
                names.flatMap(n -> Arbitraries.integers().between(1, 250).map(h -> endpoints(n, "198.18.1." + h))),
                Arbitraries.of("agent-a", "agent-b").flatMap(a -> Arbitraries.of(true, false)
                        .map(d -> (Fact) new Fact.AgentObserved(a, "n", "198.18.0.9", !d, d))),
                Arbitraries.just(new Fact.Tick()));
        return fact.list().ofMaxSize(40);
    }
}
