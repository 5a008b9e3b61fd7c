package io.shardlb.planner.settings;

import io.shardlb.events.schema.Fact;

import java.util.List;
import java.util.Optional;

/**
 * The VIP's family and requested address: {@code loxilb.io/ipam}, {@code loxilb.io/staticIP} and
 * {@code spec.loadBalancerIP}. Without {@code loxilb.io/ipam} the family follows a requested address, else IPv4
 * (kube-loxilb's default).
 */
record Addressing(AddressFamily family, String requestedIp) {
    private static final String LB_IP = "spec.loadBalancerIP";

    static Addressing parse(Fact.ServiceObserved svc, AnnotationReader in, List<SettingError> errors) {
        Optional<AnnotationReader.Value> ipam = in.get(Annotations.IPAM);
        Optional<AddressFamily> family = Optional.empty();
        if (ipam.isPresent()) {
            family = AddressFamily.parse(ipam.get().value());
            if (family.isEmpty()) {
                errors.add(ipam.get().error("unknown address family; accepted: " + AddressFamily.accepted()));
            }
        }
        Optional<IpLiterals.Ip> ip = requested(svc, in, errors);
        AddressFamily resolved = family.orElse(ip.map(a -> a.v6() ? AddressFamily.IPV6 : AddressFamily.IPV4)
                .orElse(AddressFamily.IPV4));
        if (ip.isPresent() && ip.get().v6() != resolved.v6Vip()) {
            errors.add(new SettingError(Annotations.IPAM.loxilb(), ipam.map(AnnotationReader.Value::value)
                    .orElse(""), "the requested address " + ip.get().text() + " is "
                    + (ip.get().v6() ? "IPv6" : "IPv4") + " but the VIP family is " + resolved.wire()));
        }
        return new Addressing(resolved, ip.map(IpLiterals.Ip::text).orElse(""));
    }

    private static Optional<IpLiterals.Ip> requested(Fact.ServiceObserved svc, AnnotationReader in,
                                                     List<SettingError> errors) {
        Optional<AnnotationReader.Value> stat = in.get(Annotations.STATIC_IP);
        Optional<IpLiterals.Ip> fromAnnotation = Optional.empty();
        if (stat.isPresent()) {
            fromAnnotation = IpLiterals.parse(stat.get().value());
            if (fromAnnotation.isEmpty()) {
                errors.add(stat.get().error("not an IP address literal"));
            }
        }
        Optional<IpLiterals.Ip> fromSpec = Optional.empty();
        if (!svc.loadBalancerIP().isEmpty()) {
            fromSpec = IpLiterals.parse(svc.loadBalancerIP());
            if (fromSpec.isEmpty()) {
                errors.add(new SettingError(LB_IP, svc.loadBalancerIP(), "not an IP address literal"));
            }
        }
        if (fromAnnotation.isPresent() && fromSpec.isPresent()
                && !fromAnnotation.get().text().equals(fromSpec.get().text())) {
            errors.add(new SettingError(stat.get().key() + " and " + LB_IP,
                    stat.get().value() + "\" vs \"" + svc.loadBalancerIP(), "both are set and disagree"));
            return Optional.empty();
        }
        return fromAnnotation.isPresent() ? fromAnnotation : fromSpec;
    }
}
