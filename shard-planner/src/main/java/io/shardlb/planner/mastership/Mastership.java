package io.shardlb.planner.mastership;

import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Fact;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The mastership decider: a pure function of (image, fact, log time) that names a master for every instance.
 * <ul>
 *   <li>Among agents that are Up and not draining every instance gets one master (agent incarnation) and an
 *       ordered backup list; masters per agent differ by at most one. Ties break by {@link Rendezvous}.</li>
 *   <li>Every change of master (other agent, other incarnation, or none) is a new term; terms only grow.</li>
 *   <li>Repairs are immediate and batched: an instance whose master is declared Down, that has no master, or
 *       whose handover was acknowledged (or whose releasing master was declared Down) gets its next term at
 *       once, each to the first agent in rendezvous order among those with the fewest instances. Only the
 *       instances of the lost agent move.</li>
 *   <li>Planned moves (a draining master, an agent that joined and is owed its share) go one instance at a
 *       time: {@code InstanceHandover{instance, from, to, term}}; the old master releases and the arbiter
 *       reports {@code VipUnbound}; then {@code InstanceMastered{to, term+1}}.</li>
 *   <li>A master that is an older incarnation of an agent that came back, but was never declared Down, keeps
 *       its instances until the arbiter's verdict: its lease may still be valid, so naming another master
 *       could put two agents on one VIP.</li>
 *   <li>A handover that is not acknowledged within {@code handoverTimeoutMs} of log time is reported by
 *       {@link #overdueHandovers} but decided nothing: the releasing master may still hold the VIP, and only
 *       the arbiter can tell (a {@code VipUnbound} or an {@code AgentDown} completes it). Guessing would risk
 *       two masters; waiting costs at most the arbiter's detection time.</li>
 * </ul>
 */
public final class Mastership {
    private Mastership() {
    }

    /**
     * Folds {@code fact} (read at {@code logTime}) into {@code image}, decides, and folds the decisions in.
     * The decisions carry the fact as their cause.
     */
    public static MastershipStep onFact(MastershipImage image, Fact fact, long logTime) {
        MastershipDelta observed = new MastershipDelta(image);
        observed.replay(fact, logTime);
        MastershipImage mid = observed.apply();
        // the cause is text (an Instant formatted for AgentDown): written only into decisions, so built only for them
        List<Decision> decisions = decide(mid, new Cause(fact, null));
        if (decisions.isEmpty()) {
            return new MastershipStep(mid, decisions);
        }
        MastershipDelta decided = new MastershipDelta(mid);
        for (Decision d : decisions) {
            decided.replay(d, logTime);
        }
        return new MastershipStep(decided.apply(), decisions);
    }

    /**
     * The decisions {@code image} calls for, in plan order; empty when it is settled (a fixed point: applying
     * the decisions and deciding again gives nothing new until the next fact). {@code cause} explains them.
     */
    public static List<Decision> decide(MastershipImage image, String cause) {
        return decide(image, new Cause(null, cause));
    }

    /** The explanation of a batch of decisions, from {@link #cause(Fact)} on first use. */
    private static final class Cause {
        private final Fact fact;
        private String text;

        Cause(Fact fact, String text) {
            this.fact = fact;
            this.text = text;
        }

        String text() {
            if (text == null) {
                text = cause(fact);
            }
            return text;
        }
    }

    private static List<Decision> decide(MastershipImage image, Cause cause) {
        List<Decision> out = new ArrayList<>();
        retire(image, cause, out);
        Workspace w = new Workspace(image);
        boolean pending = false;
        for (int i = 0; i < image.names().count(); i++) {
            pending |= repair(image, w, i, cause, out);
        }
        if (!pending) {
            // Plan the move on the image as the repairs leave it, so that it never picks a repaired instance.
            // No repair: the workspace is untouched and describes the same image, so it is reused (this call only).
            MastershipImage repaired = image;
            Workspace rw = w;
            if (!out.isEmpty()) {
                MastershipDelta delta = new MastershipDelta(image);
                out.forEach(d -> delta.replay(d, 0L));
                repaired = delta.apply();
                rw = new Workspace(repaired);
            }
            rebalance(repaired, rw, cause, out);
        }
        return out;
    }

    /** Current instances whose handover waits longer than the configured timeout at {@code logTime}. */
    public static List<String> overdueHandovers(MastershipImage image, long logTime) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < image.names().count(); i++) {
            Handover h = image.instance(i).pending();
            if (h != null && !h.acknowledged() && logTime - h.startedAt() > image.handoverTimeoutMs()) {
                out.add(image.names().name(i));
            }
        }
        return out;
    }

    /** A one-line explanation of why {@code fact} changed mastership, deterministic (log times in UTC). */
    public static String cause(Fact fact) {
        return switch (fact) {
            case Fact.AgentDown d -> d.agent() + "#" + d.incarnation() + " Down"
                    + (d.reason().isEmpty() ? "" : " (" + d.reason() + ")")
                    + (d.lastBeatAt() > 0 ? ", no beat since " + Instant.ofEpochMilli(d.lastBeatAt()) : "");
            case Fact.AgentUp u -> u.agent() + "#" + u.incarnation() + " Up";
            case Fact.AgentDraining d -> d.agent() + "#" + d.incarnation() + " draining";
            case Fact.VipUnbound u -> u.agent() + "#" + u.incarnation() + " released " + u.instance() + " term "
                    + u.term();
            case Fact.ConfigObserved c -> "configuration: numZoneInstances=" + c.numZoneInstances();
            default -> fact.getClass().getSimpleName();
        };
    }

    /** Instances beyond the current count (N shrank) lose their master in a new term. */
    private static void retire(MastershipImage image, Cause cause, List<Decision> out) {
        for (int i = image.names().count(); i < image.instanceStates(); i++) {
            InstanceState s = image.instance(i);
            if (s.master() != null || s.pending() != null) {
                out.add(new Decision.InstanceMastered(image.names().name(i), null, s.term() + 1, List.of(),
                        "instance retired (numZoneInstances=" + image.names().count() + "); " + cause.text()));
            }
        }
    }

    /** Repairs instance {@code i} if it needs it; true while its handover is still waiting. */
    private static boolean repair(MastershipImage image, Workspace w, int i, Cause cause, List<Decision> out) {
        InstanceState s = image.instance(i);
        Handover h = s.pending();
        if (h != null) {
            if (!h.acknowledged() && !image.isDead(h.from())) {
                return true;
            }
            AgentRef to = h.to();
            if (!image.isEligible(to)) {
                to = w.pick(i);
                w.move(null, to);
            }
            out.add(mastered(image, w, i, to, s.term() + 1, cause));
            return false;
        }
        AgentRef m = s.master();
        if (m == null ? !w.eligible().isEmpty() : image.isDead(m)) {
            AgentRef to = w.pick(i);
            w.move(null, to);
            if (to != null || m != null) {
                out.add(mastered(image, w, i, to, s.term() + 1, cause));
            }
        }
        // A live master stays; a superseded incarnation not yet declared Down waits for the arbiter's verdict.
        return false;
    }

    /** Starts at most one planned move: a draining master's instance first, else one that restores balance. */
    private static void rebalance(MastershipImage image, Workspace w, Cause cause, List<Decision> out) {
        if (w.eligible().isEmpty()) {
            return;
        }
        int n = image.names().count();
        for (int i = 0; i < n; i++) {
            InstanceState s = image.instance(i);
            if (s.master() != null && image.isLive(s.master()) && !image.isEligible(s.master())) {
                out.add(new Decision.InstanceHandover(image.names().name(i), s.master(), w.pick(i), s.term()));
                return;
            }
        }
        int max = w.max();
        int min = w.min();
        if (max - min <= 1) {
            return;
        }
        int bestIndex = -1;
        String bestTo = null;
        long bestWeight = 0;
        List<String> eligible = w.eligible();
        for (int i = 0; i < n; i++) {
            AgentRef m = image.instance(i).master();
            int p = m == null ? -1 : image.eligiblePosition(m);
            if (p < 0 || w.countAt(p) != max) {
                continue;
            }
            for (int j = 0; j < eligible.size(); j++) {
                String to = eligible.get(j);
                if (w.countAt(j) != min) {
                    continue;
                }
                long weight = w.weight(i, j);
                if (bestTo == null || Long.compareUnsigned(weight, bestWeight) > 0) {
                    bestIndex = i;
                    bestTo = to;
                    bestWeight = weight;
                }
            }
        }
        InstanceState s = image.instance(bestIndex);
        out.add(new Decision.InstanceHandover(image.names().name(bestIndex), s.master(),
                image.agents().get(bestTo).ref(), s.term()));
    }

    private static Decision.InstanceMastered mastered(MastershipImage image, Workspace w, int i, AgentRef master,
                                                      long term, Cause cause) {
        return new Decision.InstanceMastered(image.names().name(i), master, term, w.backups(i, master),
                cause.text());
    }
}
