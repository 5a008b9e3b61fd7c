package io.shardlb.planner.core;

import io.shardlb.events.log.LogEntry;
import io.shardlb.events.schema.AgentRef;
import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Envelope;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.Topic;
import io.shardlb.ipam.AddressInfo;
import io.shardlb.ipam.PortSet;
import io.shardlb.planner.mastership.Handover;
import io.shardlb.planner.mastership.InstanceState;
import io.shardlb.planner.mastership.MastershipImage;
import io.shardlb.planner.replay.PlanVerifier;
import io.shardlb.planner.replay.VerifyResult;
import io.shardlb.planner.settings.ServiceSettings;
import io.shardlb.planner.settings.ServiceSpec;
import io.shardlb.planner.settings.SettingsResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random fact sequences (Services created, deleted, pinned, sharing VIPs, endpoints changing; agents up, down,
 * draining, returning with new incarnations; acknowledgements; ticks; configuration changes) checked after every
 * fact against DESIGN.md invariants 1, 2, 3 (pending-handover form), 4, 6 and 7, and a replay of the recorded
 * plan cut into batches at random places, and a restart from a snapshot taken at a random fact.
 */
class PlannerPropertiesTest {
    private static final List<String> AGENTS = List.of("agent-a", "agent-b", "agent-c", "agent-d");
    private static final int[][] PORT_SETS = {{80}, {443}, {80, 443}, {8080}, {53}, {9000, 9001}};

    record Action(int kind, int a, int b) {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        return Combinators.combine(Arbitraries.integers().between(0, 15), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 7)).as(Action::new).list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 150)
    void invariantsHoldAfterEveryFactAndReplayAgrees(@ForAll("actions") List<Action> actions,
                                                     @ForAll boolean unique,
                                                     @ForAll @Size(max = 30) List<@IntRange(max = 200) Integer> cuts,
                                                     @ForAll @IntRange(max = 100) int snapshotAt) {
        Run run = new Run(unique);
        actions.forEach(run::act);
        run.settle();
        run.checkSettled(true);

        Run again = new Run(unique);
        actions.forEach(again::act);
        again.settle();
        assertEquals(payloads(run.log.plan), payloads(again.log.plan), "same facts, same plan");
        assertEquals(run.log.image, again.log.image);

        List<LogEntry> batched = rebatch(run.log.events, run.log.plan, Set.copyOf(cuts));
        VerifyResult v = PlanVerifier.verify(run.log.events, batched);
        VerifyResult.Verified ok = assertInstanceOf(VerifyResult.Verified.class, v, v.describe());
        assertEquals(run.log.plan.size(), ok.decisions());

        int k = Math.min(snapshotAt, run.log.events.size() - 1);
        PlannerImage image = PlannerImage.EMPTY;
        List<Decision> replayed = new ArrayList<>();
        for (int i = 0; i < run.log.events.size(); i++) {
            Step s = Planner.step(image, run.log.events.get(i));
            image = i == k ? PlannerSnapshot.fromBytes(PlannerSnapshot.toBytes(s.next())) : s.next();
            replayed.addAll(s.decisions());
        }
        assertEquals(payloads(run.log.plan), replayed, "a restart from a snapshot decides the same");
        assertEquals(run.log.image, image);
    }

    /** The plan as a stage writing several facts per batch would: each batch stamped with its last fact. */
    static List<LogEntry> rebatch(List<LogEntry> events, List<LogEntry> plan, Set<Integer> cuts) {
        List<LogEntry> out = new ArrayList<>();
        int p = 0;
        List<Decision> batch = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            long offset = events.get(i).offset();
            while (p < plan.size() && plan.get(p).envelope().basedOn() == offset) {
                batch.add((Decision) plan.get(p++).envelope().payload());
            }
            if ((cuts.contains(i) || i == events.size() - 1) && !batch.isEmpty()) {
                for (Decision d : batch) {
                    out.add(FactLog.entry(Topic.PLAN, out.size(), Envelope.decision(d, "planner", offset), 0));
                }
                batch.clear();
            }
        }
        return out;
    }

    static List<Decision> payloads(List<LogEntry> plan) {
        return plan.stream().map(e -> (Decision) e.envelope().payload()).toList();
    }

    /** Drives the planner with facts as kube-bridge, ha-arbiter and the configuration would write them. */
    static final class Run {
        final FactLog log = new FactLog();
        final boolean unique;
        final Map<String, Long> incarnation = new HashMap<>();
        final Map<String, Set<Long>> notDown = new HashMap<>();
        final Map<String, AgentRef> termOwner = new HashMap<>();

        Run(boolean unique) {
            this.unique = unique;
            apply(config(3, 0));
        }

        Fact.ConfigObserved config(int n, int mode) {
            return new Fact.ConfigObserved(List.of(new Pool("defaultPool", "198.18.80.250-198.18.80.254")),
                    List.of(), unique, n, "llb", false, "default", mode == 1 ? "onearm" : "", "", 300L, 5_000L,
                    false);
        }

        void act(Action x) {
            String svc = "ns/svc-" + x.a();
            switch (x.kind()) {
                case 0, 1, 2 -> apply(service(svc, x.b(), x.b() % 3 == 0 ? "" : null));
                case 3 -> apply(service(svc, x.b(), x.b() < 4 ? (x.b() == 3 ? "llb-inst7" : instance(x.b()))
                        : ""));
                case 4 -> apply(new Fact.ServiceGone(svc, "uid-" + svc));
                case 5 -> apply(FactLog.endpoints(svc, x.b() % 4, 8000 + x.b()));
                case 6, 7 -> agentUp(AGENTS.get(x.a() % AGENTS.size()), x.b() < 6);
                case 8, 9 -> agentDown(AGENTS.get(x.a() % AGENTS.size()));
                case 10 -> {
                    String agent = AGENTS.get(x.a() % AGENTS.size());
                    apply(new Fact.AgentDraining(agent, incarnation.getOrDefault(agent, 0L)));
                }
                case 11, 12 -> ackOne(x.b());
                case 13, 14 -> apply(new Fact.Tick());
                default -> apply(config(1 + x.a() % 4, x.b() % 2));
            }
        }

        static String instance(int i) {
            return i == 0 ? "default" : "llb-inst" + i;
        }

        Fact.ServiceObserved service(String name, int ports, String pin) {
            Map<String, String> ann = new TreeMap<>();
            if (pin != null && !pin.isEmpty()) {
                ann.put("loxilb.io/zoneinstance", pin);
            }
            return FactLog.service(name, ann, PORT_SETS[ports % PORT_SETS.length]);
        }

        void agentUp(String agent, boolean downFirst) {
            long inc = incarnation.getOrDefault(agent, 0L);
            if (downFirst && inc > 0 && notDown.getOrDefault(agent, Set.of()).contains(inc)) {
                down(agent, inc);
            }
            incarnation.put(agent, inc + 1);
            notDown.computeIfAbsent(agent, k -> new HashSet<>()).add(inc + 1);
            apply(new Fact.AgentUp(agent, inc + 1, "198.18.0." + (agent.length() + inc)));
        }

        void agentDown(String agent) {
            Set<Long> alive = notDown.getOrDefault(agent, Set.of());
            if (!alive.isEmpty()) {
                down(agent, alive.stream().min(Long::compare).orElseThrow());
            }
        }

        void down(String agent, long inc) {
            notDown.get(agent).remove(inc);
            apply(new Fact.AgentDown(agent, inc, "missed beats", log.now));
        }

        void ackOne(int pick) {
            MastershipImage m = log.image.mastership();
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < m.names().count(); i++) {
                if (m.instance(i).pending() != null && !m.instance(i).pending().acknowledged()) {
                    pending.add(i);
                }
            }
            if (pending.isEmpty()) {
                apply(new Fact.Tick());
                return;
            }
            int i = pending.get(pick % pending.size());
            Handover h = m.instance(i).pending();
            if (notDown.getOrDefault(h.from().agent(), Set.of()).contains(h.from().incarnation())) {
                apply(new Fact.VipUnbound(h.from().agent(), h.from().incarnation(), m.names().name(i), h.term(),
                        "handover"));
            }
        }

        void settle() {
            for (String agent : AGENTS) {
                long current = incarnation.getOrDefault(agent, 0L);
                for (Long inc : List.copyOf(notDown.getOrDefault(agent, Set.of()))) {
                    if (inc != current) {
                        down(agent, inc);
                    }
                }
            }
            for (int guard = 0; guard < 200 && log.image.mastership().pendingHandovers() > 0; guard++) {
                ackOne(0);
            }
            for (int i = 0; i < 5; i++) {
                apply(new Fact.Tick());
            }
        }

        void apply(Fact fact) {
            PlannerImage before = log.image;
            List<Decision> decisions = log.add(fact);
            checkMastershipStep(before.mastership(), fact, decisions);
            checkServices();
            checkSettled(false);
        }

        /** Invariants 4 and 7 on one batch; invariant 3's "never two masters" holds by the image's shape. */
        void checkMastershipStep(MastershipImage before, Fact fact, List<Decision> decisions) {
            MastershipImage after = log.image.mastership();
            int handovers = 0;
            for (Decision d : decisions) {
                if (d instanceof Decision.InstanceMastered m) {
                    int i = before.names().anyIndexOf(m.instance()).orElseThrow();
                    InstanceState was = before.instance(i);
                    assertTrue(m.term() > was.term(), "terms grow: " + m + " after " + was);
                    AgentRef prev = termOwner.putIfAbsent(m.instance() + "@" + m.term(), m.master());
                    assertTrue(prev == null, "a term names one incarnation: " + m);
                    boolean retired = i >= after.names().count();
                    if (fact instanceof Fact.AgentDown down && !retired) {
                        AgentRef holder = was.pending() != null ? was.pending().from() : was.master();
                        assertTrue(holder == null || holder.agent().equals(down.agent()) || before.isDead(holder),
                                "losing " + down.agent() + " moves only its instances: " + m + " was " + was);
                    }
                } else if (d instanceof Decision.InstanceHandover h) {
                    handovers++;
                    assertTrue(after.isEligible(h.to()), "hand over to an eligible agent: " + h);
                }
            }
            assertTrue(handovers <= 1, "one handover at a time: " + decisions);
        }

        /** Invariants 1 and 2, and every accepted Service with an address has its rule on its instance. */
        void checkServices() {
            PlannerImage img = log.image;
            for (AddressInfo a : img.ipam().addressesInUse()) {
                if (unique) {
                    assertTrue(a.holders().size() <= 1 || a.holders().stream().anyMatch(h -> !h.keptReason()
                            .isEmpty()), "unique mode: one Service per VIP: " + a);
                }
                for (int i = 0; i < a.holders().size(); i++) {
                    for (int j = i + 1; j < a.holders().size(); j++) {
                        assertTrue(PortSet.parse(a.holders().get(i).ports()).disjoint(
                                PortSet.parse(a.holders().get(j).ports())), "shared VIP, disjoint ports: " + a);
                    }
                }
            }
            int n = img.placement().names().count();
            Map<String, String> instanceOfVip = new HashMap<>();
            for (Decision.RuleSet r : img.book().rules().values()) {
                OptionalInt at = img.placement().instanceOf(r.service());
                assertTrue(at.isPresent() && at.getAsInt() < n, "a Service with a rule sits on a current instance: "
                        + r + " " + img.placement());
                assertEquals(img.placement().names().name(at.getAsInt()), r.instance(), "rule names its instance");
                assertEquals(img.placement().vipOf().get(r.service()), r.vip(), "rule names its VIP");
                String other = instanceOfVip.putIfAbsent(r.vip(), r.instance());
                assertTrue(other == null || other.equals(r.instance()), "Services sharing a VIP share an instance");
            }
            Fact.ConfigObserved config = img.observed().config().orElseThrow();
            for (Fact.ServiceObserved s : img.observed().services().values()) {
                SettingsResult parsed = ServiceSettings.parse(s, config);
                if (parsed instanceof SettingsResult.Accepted(ServiceSpec spec, var w)) {
                    if (img.ipam().isPending(s.service())) {
                        continue;
                    }
                    Decision.RuleSet r = img.book().rules().get(s.service());
                    assertTrue(r != null, "an accepted Service with an address has a rule: " + s.service());
                    if (spec.pinned()) {
                        assertEquals(spec.pin(), r.instance(), "a pinned Service sits on its pin");
                    }
                } else {
                    assertTrue(!img.book().rules().containsKey(s.service()), "a rejected Service has no rule");
                    assertTrue(img.ipam().heldBy(s.service()).isEmpty(), "a rejected Service holds no VIP");
                }
            }
        }

        /** Invariant 3: once nothing is pending, one eligible master per instance, balanced. */
        void checkSettled(boolean mustBeSettled) {
            MastershipImage image = log.image.mastership();
            List<String> eligible = image.eligibleAgents();
            boolean waiting = image.pendingHandovers() > 0;
            for (AgentRef m : image.masters()) {
                waiting |= m != null && !image.isLive(m) && !image.isDead(m);
            }
            if (waiting || eligible.isEmpty()) {
                assertTrue(!mustBeSettled || eligible.isEmpty() || !waiting, "not settled: " + image);
                return;
            }
            Map<String, Integer> counts = new HashMap<>();
            eligible.forEach(a -> counts.put(a, 0));
            for (AgentRef m : image.masters()) {
                assertTrue(m != null && image.isEligible(m), "every instance has an eligible master: " + image);
                counts.merge(m.agent(), 1, Integer::sum);
            }
            int max = counts.values().stream().max(Integer::compare).orElseThrow();
            int min = counts.values().stream().min(Integer::compare).orElseThrow();
            assertTrue(max - min <= 1, "masters per agent differ by at most one: " + counts + " " + image);
        }
    }
}
