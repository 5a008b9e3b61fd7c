package io.shardlb.ipam;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which families a Service gets a VIP in: {@code loxilb.io/ipam} ({@code ipv4}, {@code ipv6}, kube-loxilb's
 * {@code ipv6to4} meaning an IPv6 VIP) wins; else {@code spec.ipFamilies} with {@code ipFamilyPolicy} (both
 * families for {@code RequireDualStack} or {@code PreferDualStack} when both are listed, the first listed
 * otherwise); else IPv4, as kube-loxilb.
 *
 * @param families the families chosen; empty when {@code problem} is set
 * @param problem  "" when valid, else what is wrong, naming the value
 */
public record FamilyChoice(Set<IpFamily> families, String problem) {

    /** Whether the inputs were valid. */
    public boolean ok() {
        return problem.isEmpty();
    }

    /** Resolves the families from the annotation value ("" if absent) and the spec fields. */
    public static FamilyChoice resolve(String ipamAnnotation, List<String> ipFamilies, String ipFamilyPolicy) {
        String a = ipamAnnotation == null ? "" : ipamAnnotation.trim().toLowerCase(Locale.ROOT);
        switch (a) {
            case "" -> {
                // fall through to the spec
            }
            case "ipv4" -> {
                return new FamilyChoice(Set.of(IpFamily.V4), "");
            }
            case "ipv6", "ipv6to4" -> {
                return new FamilyChoice(Set.of(IpFamily.V6), "");
            }
            default -> {
                return new FamilyChoice(Set.of(), "loxilb.io/ipam: expected ipv4, ipv6 or ipv6to4, got \""
                        + ipamAnnotation + "\"");
            }
        }
        EnumSet<IpFamily> listed = EnumSet.noneOf(IpFamily.class);
        IpFamily first = null;
        for (String f : ipFamilies == null ? List.<String>of() : ipFamilies) {
            IpFamily parsed = switch (f) {
                case "IPv4" -> IpFamily.V4;
                case "IPv6" -> IpFamily.V6;
                default -> null;
            };
            if (parsed == null) {
                return new FamilyChoice(Set.of(), "spec.ipFamilies: expected IPv4 or IPv6, got \"" + f + "\"");
            }
            first = first == null ? parsed : first;
            listed.add(parsed);
        }
        if (first == null) {
            return new FamilyChoice(Set.of(IpFamily.V4), "");
        }
        String policy = ipFamilyPolicy == null ? "" : ipFamilyPolicy;
        boolean dual = policy.equals("RequireDualStack") || policy.equals("PreferDualStack");
        return new FamilyChoice(dual ? Set.copyOf(listed) : Set.of(first), "");
    }
}
