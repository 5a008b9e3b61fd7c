package io.shardlb.planner.core;

import io.shardlb.events.schema.Decision;
import io.shardlb.events.schema.Endpoint;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.RuleEndpoint;
import io.shardlb.events.schema.RulePort;
import io.shardlb.events.schema.ServicePort;
import io.shardlb.planner.settings.ServiceSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds a Service's full desired {@code RuleSet}: its VIP, ports, mode, selection, timeout, source ranges, the
 * ready endpoints of its latest {@code EndpointsObserved} mapped to its ports, and its instance. Pure; the output
 * is sorted so that equal inputs give equal rules.
 */
final class RuleBuilder {
    /** Service port, protocol, address, port (written out: a chain of key extractors costs a lambda per key). */
    private static final Comparator<RuleEndpoint> ORDER = (a, b) -> {
        int c = Integer.compare(a.servicePort(), b.servicePort());
        if (c == 0) {
            c = a.protocol().compareTo(b.protocol());
        }
        if (c == 0) {
            c = a.ip().compareTo(b.ip());
        }
        return c != 0 ? c : Integer.compare(a.port(), b.port());
    };

    private RuleBuilder() {
    }

    static Decision.RuleSet rule(ServiceSpec spec, String vip, String instance, Fact.EndpointsObserved eps) {
        List<RulePort> ports = new ArrayList<>(spec.ports().size());
        for (ServicePort p : spec.ports()) {
            ports.add(new RulePort(p.port(), p.protocol()));
        }
        return new Decision.RuleSet(spec.service(), vip, ports, spec.mode().wire(), spec.select().wire(),
                spec.timeoutSeconds(), spec.sourceRanges(), endpoints(spec.ports(), eps), instance);
    }

    /**
     * Ready endpoints per Service port: an endpoint serves the port of the same name and protocol (an unnamed
     * endpoint port serves a Service with a single port of its protocol). An endpoint without a port takes a
     * numeric {@code targetPort}, else the Service port.
     */
    static List<RuleEndpoint> endpoints(List<ServicePort> ports, Fact.EndpointsObserved eps) {
        if (eps == null || eps.endpoints().isEmpty()) {
            return List.of();
        }
        // a list sorted once, not a tree: a Service has a handful of endpoints, and a tree allocates per entry
        List<RuleEndpoint> out = new ArrayList<>(ports.size() * eps.endpoints().size());
        for (ServicePort sp : ports) {
            for (Endpoint e : eps.endpoints()) {
                if (e.ready() && serves(sp, e, ports.size())) {
                    out.add(new RuleEndpoint(sp.port(), sp.protocol(), e.ip(), e.port() > 0 ? e.port()
                            : targetPort(sp)));
                }
            }
        }
        out.sort(ORDER);
        int kept = 0;
        for (RuleEndpoint r : out) {
            // ORDER compares every component, so equal neighbours are equal endpoints: keep one
            if (kept == 0 || ORDER.compare(out.get(kept - 1), r) != 0) {
                out.set(kept++, r);
            }
        }
        return List.copyOf(out.subList(0, kept));
    }

    private static boolean serves(ServicePort sp, Endpoint e, int servicePorts) {
        if (!sp.protocol().equalsIgnoreCase(e.protocol())) {
            return false;
        }
        return sp.name().equals(e.portName()) || (e.portName().isEmpty() && servicePorts == 1);
    }

    private static int targetPort(ServicePort sp) {
        String t = sp.targetPort();
        if (!t.isEmpty() && t.length() <= 5 && t.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(t);
            if (n >= 1 && n <= 65535) {
                return n;
            }
        }
        return sp.port();
    }
}
