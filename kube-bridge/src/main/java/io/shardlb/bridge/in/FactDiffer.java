package io.shardlb.bridge.in;

import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Fact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The facts that bring the log's picture of the cluster ({@link ObservedImage}) up to date with the cluster.
 * Only meaningful differences count: a resync, a new {@code resourceVersion}, a label or an unrelated
 * annotation changes nothing in a fact, so it writes nothing. Used at start (the whole cluster against the last
 * facts in the log) and for each informer event (one key against what the bridge has written so far). Pure.
 */
public final class FactDiffer {
    private FactDiffer() {
    }

    /** Every fact needed to turn {@code last} into {@code now}, Services first, then endpoints, then agents. */
    public static List<Fact> diff(ObservedImage last, ClusterView now) {
        List<Fact> out = new ArrayList<>();
        for (String key : last.services().keySet()) {
            if (!now.services().containsKey(key)) {
                out.addAll(service(last, key, Optional.empty()));
            }
        }
        for (Map.Entry<String, Fact.ServiceObserved> e : now.services().entrySet()) {
            out.addAll(service(last, e.getKey(), Optional.of(e.getValue())));
        }
        for (String key : now.services().keySet()) {
            endpoints(last, key, Optional.ofNullable(now.endpoints().get(key))).ifPresent(out::add);
        }
        for (String agent : last.agentPods().keySet()) {
            if (!now.agents().containsKey(agent)) {
                out.add(AgentPodTranslator.gone(agent));
            }
        }
        for (Fact.AgentObserved a : now.agents().values()) {
            agent(last, a).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The facts for one Service: nothing when unchanged, {@code ServiceGone} when it is no longer ours (deleted,
     * being deleted, another class or type), and {@code ServiceGone} then {@code ServiceObserved} when it was
     * recreated under the same name (a new uid).
     */
    public static List<Fact> service(ObservedImage last, String key, Optional<Fact.ServiceObserved> now) {
        Fact.ServiceObserved before = last.service(key);
        if (now.isEmpty()) {
            return before == null ? List.of() : List.of(new Fact.ServiceGone(key, before.uid()));
        }
        Fact.ServiceObserved after = now.get();
        if (before == null) {
            return List.of(after);
        }
        if (!before.uid().equals(after.uid())) {
            return List.of(new Fact.ServiceGone(key, before.uid()), after);
        }
        return sameService(before, after) ? List.of() : List.of(after);
    }

    /** The endpoints fact for a Service of ours, when it differs; absent and empty are the same. */
    public static Optional<Fact.EndpointsObserved> endpoints(ObservedImage last, String key,
                                                             Optional<Fact.EndpointsObserved> now) {
        Fact.EndpointsObserved before = last.endpointsOf(key);
        Fact.EndpointsObserved after = now.orElse(new Fact.EndpointsObserved(key, List.of()));
        List<?> was = before == null ? List.of() : before.endpoints();
        return was.equals(after.endpoints()) ? Optional.empty() : Optional.of(after);
    }

    /** The fact for an agent pod, when it differs from the last one. */
    public static Optional<Fact.AgentObserved> agent(ObservedImage last, Fact.AgentObserved now) {
        Fact.AgentObserved before = last.agentPod(now.agent());
        if (now.deleted()) {
            return before == null ? Optional.empty() : Optional.of(now);
        }
        return now.equals(before) ? Optional.empty() : Optional.of(now);
    }

    /** Equal in every field that matters: the {@code resourceVersion} changes with any write, so it does not. */
    static boolean sameService(Fact.ServiceObserved a, Fact.ServiceObserved b) {
        return a.uid().equals(b.uid()) && a.lbClass().equals(b.lbClass()) && a.ports().equals(b.ports())
                && a.ipFamilies().equals(b.ipFamilies()) && a.ipFamilyPolicy().equals(b.ipFamilyPolicy())
                && a.loadBalancerIP().equals(b.loadBalancerIP()) && a.sourceRanges().equals(b.sourceRanges())
                && a.externalTrafficPolicy().equals(b.externalTrafficPolicy())
                && Objects.equals(a.annotations(), b.annotations())
                && a.ignoredAnnotations().equals(b.ignoredAnnotations());
    }
}
