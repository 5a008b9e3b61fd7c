package io.shardlb.bridge.in;

import io.shardlb.events.observed.ObservedDelta;
import io.shardlb.events.observed.ObservedImage;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.ServicePort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FactDifferTest {
    static Fact.ServiceObserved svc(String uid, String rv, String mode) {
        return new Fact.ServiceObserved("default/tcp-lb", uid, rv, "loxilb.io/loxilb",
                List.of(new ServicePort("tcp", 56002, "TCP", "80", 30002)), List.of("IPv4"), "SingleStack", "",
                List.of(), "Cluster", new TreeMap<>(Map.of("loxilb.io/lbmode", mode)), List.of());
    }

    static final Fact.EndpointsObserved EPS = new Fact.EndpointsObserved("default/tcp-lb",
            List.of(new Endpoint("198.18.1.20", 80, "tcp", "TCP", true, "node-1")));
    static final Fact.AgentObserved AGENT = new Fact.AgentObserved("agent-a", "node-1", "198.18.0.2", true, false);

    static ObservedImage image(Fact... facts) {
        ObservedDelta d = ObservedImage.EMPTY.delta();
        for (Fact f : facts) {
            d.replay(f);
        }
        return d.apply();
    }

    static ClusterView view(Fact.ServiceObserved s, Fact.EndpointsObserved e, Fact.AgentObserved a) {
        return ClusterView.of(s == null ? Map.of() : Map.of(s.service(), s),
                e == null ? Map.of() : Map.of(e.service(), e), a == null ? Map.of() : Map.of(a.agent(), a));
    }

    @Test
    void aResyncOrANewResourceVersionWritesNothing() {
        ObservedImage last = image(svc("u1", "10", "onearm"), EPS, AGENT);
        assertEquals(List.of(), FactDiffer.diff(last, view(svc("u1", "10", "onearm"), EPS, AGENT)));
        assertEquals(List.of(), FactDiffer.diff(last, view(svc("u1", "11", "onearm"), EPS, AGENT)));
    }

    @Test
    void onlyWhatDiffersIsWritten() {
        ObservedImage last = image(svc("u1", "10", "onearm"), EPS, AGENT);
        Fact.ServiceObserved changed = svc("u1", "12", "fullnat");
        assertEquals(List.of(changed), FactDiffer.diff(last, view(changed, EPS, AGENT)));
        Fact.EndpointsObserved none = new Fact.EndpointsObserved("default/tcp-lb", List.of());
        assertEquals(List.of(none), FactDiffer.diff(last, view(svc("u1", "10", "onearm"), null, AGENT)));
    }

    @Test
    void deletedWhileDownRecreatedAndGoneAgents() {
        ObservedImage last = image(svc("u1", "10", "onearm"), EPS, AGENT);
        assertEquals(List.of(new Fact.ServiceGone("default/tcp-lb", "u1"),
                new Fact.AgentObserved("agent-a", "", "", false, true)), FactDiffer.diff(last, ClusterView.empty()));
        Fact.ServiceObserved recreated = svc("u2", "20", "onearm");
        assertEquals(List.of(new Fact.ServiceGone("default/tcp-lb", "u1"), recreated),
                FactDiffer.service(last, "default/tcp-lb", Optional.of(recreated)));
        assertEquals(List.of(), FactDiffer.service(ObservedImage.EMPTY, "default/x", Optional.empty()));
    }
}
