package io.shardlb.e2e.scenario;

import io.shardlb.e2e.system.LogRecords;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The longest time between an agent incarnation's consecutive acknowledged beats, in a window of log time. */
record Gap(double ms, String agent) {

    /**
     * Over {@code beats} (heartbeats records): each beat counts at its first append on any partition (a beat goes to
     * every partition; the first acknowledgement renews the lease); a gap counts when it overlaps
     * {@code [fromMs, toMs]}. An incarnation that stops beating (killed, or lapsed) has no gap after its last beat.
     */
    static Gap longest(List<LogRecords.Entry> beats, long fromMs, long toMs) {
        Map<String, Map<Long, Long>> firstAppend = new TreeMap<>();
        for (LogRecords.Entry e : beats) {
            String who = e.body().get("agent").asText() + "#" + e.body().get("incarnation").asLong();
            firstAppend.computeIfAbsent(who, k -> new TreeMap<>())
                    .merge(e.body().get("seq").asLong(), e.logTime(), Math::min);
        }
        Gap worst = new Gap(0, "");
        for (var agent : firstAppend.entrySet()) {
            Long prev = null;
            for (long t : new TreeSet<>(agent.getValue().values())) {
                if (prev != null && t >= fromMs && prev <= toMs && t - prev > worst.ms()) {
                    worst = new Gap(t - prev, agent.getKey());
                }
                prev = t;
            }
        }
        return worst;
    }
}
