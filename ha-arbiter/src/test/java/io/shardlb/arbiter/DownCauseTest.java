package io.shardlb.arbiter;

import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Heartbeat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cause read from the reasons the real {@link Arbiter} writes (not from hand-written strings). */
class DownCauseTest {
    private static final long MS = 1_000_000L;

    private static Heartbeat beat(String agent, long inc, long seq) {
        return new Heartbeat(agent, inc, seq, 0, 400, List.of(), false, "10.0.0.1");
    }

    private static ReadProgress readToEnd(long fetchedAtMs) {
        return new ReadProgress(fetchedAtMs * MS, 2, Map.of(0, 5L, 1, 5L), Map.of(0, 5L, 1, 5L));
    }

    private static DownCause causeAfter(Arbiter arbiter, long atMs) {
        return arbiter.decide(readToEnd(atMs), atMs * MS).stream().filter(Fact.AgentDown.class::isInstance)
                .map(f -> DownCause.of((Fact.AgentDown) f)).findFirst().orElseThrow();
    }

    @Test
    void silenceAlone() {
        Arbiter a = new Arbiter(LeaseSettings.DEFAULTS, 0);
        a.onBeat(0, 1, beat("a", 1, 1), 0);
        assertEquals(DownCause.SILENT, causeAfter(a, 600));
    }

    @Test
    void aNewerIncarnationBeating() {
        Arbiter a = new Arbiter(LeaseSettings.DEFAULTS, 0);
        a.onBeat(0, 1, beat("a", 1, 1), 0);
        a.onBeat(0, 2, beat("a", 2, 1), 300 * MS);
        assertEquals(DownCause.SUPERSEDED, causeAfter(a, 600));
    }

    @Test
    void podDeletedOrNotReady() {
        Arbiter deleted = new Arbiter(LeaseSettings.DEFAULTS, 0);
        deleted.onBeat(0, 1, beat("a", 1, 1), 0);
        deleted.onPodObserved(new Fact.AgentObserved("a", "node-1", "10.0.0.1", false, true));
        assertEquals(DownCause.POD_DELETED, causeAfter(deleted, 600));

        Arbiter notReady = new Arbiter(LeaseSettings.DEFAULTS, 0);
        notReady.onBeat(0, 1, beat("a", 1, 1), 0);
        notReady.onPodObserved(new Fact.AgentObserved("a", "node-1", "10.0.0.1", false, false));
        assertEquals(DownCause.POD_NOT_READY, causeAfter(notReady, 600));
        assertEquals("pod_not_ready", DownCause.POD_NOT_READY.label());
    }
}
