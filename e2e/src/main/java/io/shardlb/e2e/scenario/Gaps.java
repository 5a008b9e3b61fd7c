package io.shardlb.e2e.scenario;

import io.shardlb.e2e.probe.Answerers;
import io.shardlb.e2e.probe.Probe;

import java.util.List;

/** The no-owner gaps of a VIP read from the answerer monitor: stretches of rounds in which nobody answered. */
final class Gaps {
    private Gaps() {
    }

    /**
     * The longest stretch in [from, to) with no answerer for {@code vip}, in ms (0 if one answered every round),
     * at the monitor's 10 ms resolution: the time between two consecutive answered rounds, less one period.
     */
    static double longestMs(Answerers monitor, String vip, long fromNanos, long toNanos) {
        List<Long> at = monitor.rounds().stream().filter(r -> r.vip().equals(vip))
                .filter(r -> r.atNanos() - fromNanos >= 0 && r.atNanos() - toNanos < 0)
                .map(Answerers.Round::atNanos).sorted().toList();
        long period = Probe.PERIOD.toNanos();
        long longest = 0;
        for (int i = 1; i < at.size(); i++) {
            longest = Math.max(longest, at.get(i) - at.get(i - 1) - period);
        }
        if (at.isEmpty()) {
            return (toNanos - fromNanos) / 1e6;
        }
        return Math.max(0, longest) / 1e6;
    }
}
