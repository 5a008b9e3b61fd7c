package io.shardlb.arbiter;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Heartbeat;
import io.shardlb.events.schema.Holding;

import java.util.List;
import java.util.Map;

/**
 * A 64-bit fingerprint of a model state, as explicit-state model checkers (TLC, SPIN) keep instead of the states
 * themselves: with a few million states the chance that two distinct states share one is about 1e-6. Maps are
 * hashed order-independently; everything else in order.
 */
final class ModelFingerprint {
    private ModelFingerprint() {
    }

    private static final long K = 0x9E3779B97F4A7C15L;

    static long of(ModelWorld w) {
        long h = mix(17, w.step());
        h = mix(h, w.faultsUsed());
        for (ModelWorld.Node n : w.nodes()) {
            h = node(h, n);
        }
        for (ModelWorld.Part p : w.parts()) {
            h = mix(mix(h, p.end()), p.read());
            h = beats(h, p.unread());
        }
        for (ModelWorld.Fault f : w.faults()) {
            h = mix(mix(mix(h, f.kind().ordinal()), f.target()), f.until());
        }
        h = arbiter(h, w.arbiter());
        h = mix(h, mapHash(w.book().up(), (r, e) -> holdings(mix(ref(0, r), e.draining() ? 1 : 0), e.holding())));
        h = mix(h, mapHash(w.book().downFloor(), (a, f) -> mix(a.hashCode(), f)));
        h = mix(h, mapHash(w.plan().terms(), (i, t) -> term(i.hashCode(), t)));
        for (AgentRef r : w.plan().up()) {
            h = ref(h, r);
        }
        return h;
    }

    private static long node(long h, ModelWorld.Node n) {
        h = mix(mix(mix(h, n.status().ordinal()), n.incarnation()), n.slow() ? 1 : 0);
        h = mix(mix(h, n.startMs()), n.fwdDeadline());
        for (String i : n.fwdHolding()) {
            h = mix(h, i.hashCode());
        }
        for (ModelWorld.Ack a : n.pendingAcks()) {
            h = mix(mix(h, a.incarnation()), a.seq());
        }
        h = beats(h, n.held());
        return lease(h, n.lease());
    }

    private static long lease(long h, LeaseState s) {
        h = ref(h, s.self());
        h = mix(mix(mix(h, s.nextSeq()), s.windowEnd()), s.validUntil());
        h = mix(h, (s.sentAny() ? 1 : 0) | (s.acked() ? 2 : 0) | (s.lapsed() ? 4 : 0) | (s.draining() ? 8 : 0)
                | (s.beatDraining() ? 16 : 0) | (s.rule().ordinal() << 5));
        h = mix(mix(h, s.lastNow()), s.nextBeatAt());
        h = mix(h, mapHash(s.unacked(), (seq, at) -> mix(seq, at)));
        h = mix(h, mapHash(s.plan(), (i, t) -> term(i.hashCode(), t)));
        return holdings(h, s.beatHolding());
    }

    private static long arbiter(long h, ArbiterState a) {
        h = mix(mix(h, a.nextTickNanos()), a.lastNow());
        h = mix(h, mapHash(a.up(), (r, t) -> {
            long x = mix(mix(mix(ref(1, r), t.lastRecvNanos()), t.lastBeatLogTime()), t.lastSeq());
            return holdings(mix(x, t.draining() ? 1 : 0), t.holding());
        }));
        return mix(h, mapHash(a.downFloor(), (ag, f) -> mix(ag.hashCode(), f)));
    }

    private static long beats(long h, List<Heartbeat> beats) {
        for (Heartbeat b : beats) {
            h = mix(mix(mix(mix(h, b.agent().hashCode()), b.incarnation()), b.seq()), b.draining() ? 1 : 0);
            h = holdings(h, b.holding());
        }
        return mix(h, beats.size());
    }

    private static long holdings(long h, List<Holding> holdings) {
        for (Holding x : holdings) {
            h = mix(mix(h, x.instance().hashCode()), x.term());
        }
        return mix(h, holdings.size());
    }

    private static long term(long h, PlanTerm t) {
        return t.master() == null ? mix(h, t.term()) : ref(mix(h, t.term()), t.master());
    }

    private static long ref(long h, AgentRef r) {
        return mix(mix(h, r.agent().hashCode()), r.incarnation());
    }

    private static <A, B> long mapHash(Map<A, B> m, java.util.function.ToLongBiFunction<A, B> entry) {
        long sum = m.size();
        for (Map.Entry<A, B> e : m.entrySet()) {
            sum += avalanche(entry.applyAsLong(e.getKey(), e.getValue()));
        }
        return sum;
    }

    private static long mix(long h, long v) {
        return avalanche(h * K + v);
    }

    private static long avalanche(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
