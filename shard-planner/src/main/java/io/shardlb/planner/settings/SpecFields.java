package io.shardlb.planner.settings;

import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.ServicePort;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Validation of the Service spec fields that matter: ports, source ranges, IP families. */
record SpecFields(List<String> sourceRanges) {
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final Set<String> FAMILIES = Set.of("IPv4", "IPv6");
    private static final Set<String> POLICIES = Set.of("SingleStack", "PreferDualStack", "RequireDualStack");

    static SpecFields parse(Fact.ServiceObserved svc, List<SettingError> errors) {
        ports(svc.ports(), errors);
        families(svc, errors);
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < svc.sourceRanges().size(); i++) {
            String text = svc.sourceRanges().get(i);
            Optional<String> cidr = IpLiterals.parseCidr(text);
            if (cidr.isEmpty()) {
                errors.add(new SettingError("spec.loadBalancerSourceRanges[" + i + "]", text,
                        "not a CIDR (address/prefix, e.g. 198.18.0.0/15)"));
            } else {
                ranges.add(cidr.get());
            }
        }
        return new SpecFields(ranges);
    }

    private static void ports(List<ServicePort> ports, List<SettingError> errors) {
        if (ports.isEmpty()) {
            errors.add(new SettingError("spec.ports", "", "a LoadBalancer Service needs at least one port"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String at = "spec.ports[" + i + "]";
            if (p.port() < 1 || p.port() > 65535) {
                errors.add(new SettingError(at + ".port", Integer.toString(p.port()), "must be 1 to 65535"));
            }
            if (p.nodePort() < 0 || p.nodePort() > 65535) {
                errors.add(new SettingError(at + ".nodePort", Integer.toString(p.nodePort()),
                        "must be 0 (none) to 65535"));
            }
            if (!PROTOCOLS.contains(p.protocol())) {
                errors.add(new SettingError(at + ".protocol", p.protocol(), "must be TCP, UDP or SCTP"));
            } else if (!seen.add(p.port() + "/" + p.protocol())) {
                errors.add(new SettingError(at, p.port() + "/" + p.protocol(),
                        "duplicate port and protocol"));
            }
        }
    }

    private static void families(Fact.ServiceObserved svc, List<SettingError> errors) {
        List<String> families = svc.ipFamilies();
        if (families.size() > 2) {
            errors.add(new SettingError("spec.ipFamilies", String.join(",", families), "at most two families"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < families.size(); i++) {
            String f = families.get(i);
            if (!FAMILIES.contains(f)) {
                errors.add(new SettingError("spec.ipFamilies[" + i + "]", f, "must be IPv4 or IPv6"));
            } else if (!seen.add(f)) {
                errors.add(new SettingError("spec.ipFamilies[" + i + "]", f, "duplicate family"));
            }
        }
        String policy = svc.ipFamilyPolicy();
        if (!policy.isEmpty() && !POLICIES.contains(policy)) {
            errors.add(new SettingError("spec.ipFamilyPolicy", policy,
                    "must be SingleStack, PreferDualStack or RequireDualStack"));
        }
    }
}
