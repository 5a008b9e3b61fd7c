package io.shardlb.planner.settings;

import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.Pool;
import io.shardlb.events.schema.ServicePort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceSettingsTest {
    static final Fact.ConfigObserved CONFIG = new Fact.ConfigObserved(
            List.of(new Pool("defaultPool", "198.18.80.250/24"), new Pool("other", "198.18.90.0/24")),
            List.of(new Pool("v6pool", "2001:db8::/64")), true, 3, "llb", false, "default", "", "", 0L, 5000L, false);

    static Fact.ServiceObserved svc(Map<String, String> annotations) {
        return svc(annotations, List.of(new ServicePort("", 57002, "TCP", "80", 0)), "");
    }

    static Fact.ServiceObserved svc(Map<String, String> annotations, List<ServicePort> ports, String lbIp) {
        return new Fact.ServiceObserved("default/tcp-lb", "uid-1", "1", "loxilb.io/loxilb", ports, List.of("IPv4"),
                "SingleStack", lbIp, List.of(), "Cluster", new TreeMap<>(annotations), List.of());
    }

    static ServiceSpec accepted(SettingsResult r) {
        return assertInstanceOf(SettingsResult.Accepted.class, r, () -> r.toString()).spec();
    }

    static List<String> reasons(SettingsResult r) {
        return assertInstanceOf(SettingsResult.Rejected.class, r, () -> r.toString()).reasons();
    }

    @Test
    void seedServiceGetsDefaults() {
        ServiceSpec spec = accepted(ServiceSettings.parse(svc(Map.of("loxilb.io/lbmode", "onearm")), CONFIG));
        assertEquals(LbMode.ONEARM, spec.mode());
        assertEquals(EndpointSelect.HASH, spec.select());
        assertEquals(1800, spec.timeoutSeconds());
        assertEquals(AddressFamily.IPV4, spec.family());
        assertEquals("", spec.pool());
        assertEquals(-1, spec.pinIndex());
    }

    @Test
    void pinAcceptsInstanceNamesAndTheKubeLoxilbSpellingOfInstanceZero() {
        assertEquals(2, accepted(ServiceSettings.parse(svc(Map.of("loxilb.io/zoneinstance", "llb-inst2")), CONFIG))
                .pinIndex());
        ServiceSpec zero = accepted(ServiceSettings.parse(svc(Map.of("shardlb.io/zoneinstance", "llb-inst0")), CONFIG));
        assertEquals(0, zero.pinIndex());
        assertEquals("default", zero.pin());
        List<String> bad = reasons(ServiceSettings.parse(svc(Map.of("loxilb.io/zoneinstance", "llb-inst3")), CONFIG));
        assertEquals(1, bad.size());
        assertTrue(bad.getFirst().contains("loxilb.io/zoneinstance=\"llb-inst3\""), bad.getFirst());
        assertTrue(bad.getFirst().contains("default, llb-inst1, llb-inst2"), bad.getFirst());
    }

    @Test
    void everyBadAnnotationIsNamedWithItsValue() {
        Map<String, String> bad = Map.of("loxilb.io/lbmode", "hostonearm", "loxilb.io/epselect", "n3",
                "loxilb.io/timeout", "-5", "loxilb.io/ipam", "ipv5", "loxilb.io/staticIP", "198.18.80.300",
                "loxilb.io/poolSelect", "nope");
        List<String> reasons = reasons(ServiceSettings.parse(svc(bad), CONFIG));
        for (Map.Entry<String, String> e : bad.entrySet()) {
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith(e.getKey() + "=\"" + e.getValue() + "\"")),
                    e + " in " + reasons);
        }
    }

    @Test
    void aliasAndKubeLoxilbKeyDisagreeingIsOneErrorNamingBoth() {
        List<String> reasons = reasons(ServiceSettings.parse(svc(Map.of("loxilb.io/lbmode", "dsr",
                "shardlb.io/lbmode", "fullnat")), CONFIG));
        assertEquals(List.of("loxilb.io/lbmode and shardlb.io/lbmode=\"dsr\" vs \"fullnat\": both are set and"
                + " disagree; set one of them"), reasons);
        assertEquals(LbMode.DSR, accepted(ServiceSettings.parse(svc(Map.of("loxilb.io/lbmode", "dsr",
                "shardlb.io/lbmode", "dsr")), CONFIG)).mode());
    }

    @Test
    void kubeLoxilbSpellingsAreAccepted() {
        ServiceSpec spec = accepted(ServiceSettings.parse(svc(Map.of("loxilb.io/epselect", "roundrobin",
                "loxilb.io/ipam", "nat64", "loxilb.io/poolSelect", "v6pool", "loxilb.io/timeout", "60")), CONFIG));
        assertEquals(EndpointSelect.RR, spec.select());
        assertEquals(AddressFamily.IPV6TO4, spec.family());
        assertEquals("v6pool", spec.pool());
        assertEquals(60, spec.timeoutSeconds());
    }

    @Test
    void staticAddressIsCanonicalAndMustAgreeWithLoadBalancerIp() {
        ServiceSpec v6 = accepted(ServiceSettings.parse(svc(Map.of("shardlb.io/ip", "2001:DB8:0:0:0:0:0:1")),
                CONFIG));
        assertEquals("2001:db8::1", v6.requestedIp());
        assertEquals(AddressFamily.IPV6, v6.family());
        List<String> reasons = reasons(ServiceSettings.parse(svc(Map.of("loxilb.io/staticIP", "198.18.80.251"),
                List.of(new ServicePort("", 80, "TCP", "", 0)), "198.18.80.252"), CONFIG));
        assertTrue(reasons.getFirst().contains("spec.loadBalancerIP"), reasons.toString());
        List<String> family = reasons(ServiceSettings.parse(svc(Map.of("loxilb.io/staticIP", "198.18.80.251",
                "loxilb.io/ipam", "ipv6")), CONFIG));
        assertTrue(family.getFirst().contains("is IPv4 but the VIP family is ipv6"), family.toString());
    }

    @Test
    void portsAreValidated() {
        List<String> reasons = reasons(ServiceSettings.parse(svc(Map.of(), List.of(
                new ServicePort("a", 80, "TCP", "", 0), new ServicePort("b", 80, "TCP", "", 0),
                new ServicePort("c", 0, "UDP", "", 0), new ServicePort("d", 81, "ICMP", "", 0)), ""), CONFIG));
        assertEquals(List.of("spec.ports[1]=\"80/TCP\": duplicate port and protocol",
                "spec.ports[2].port=\"0\": must be 1 to 65535",
                "spec.ports[3].protocol=\"ICMP\": must be TCP, UDP or SCTP"), reasons);
        assertEquals(1, reasons(ServiceSettings.parse(svc(Map.of(), List.of(), ""), CONFIG)).size());
    }

    @Test
    void outputAnnotationsAndUnsupportedKeysWarn() {
        Fact.ServiceObserved s = new Fact.ServiceObserved("default/x", "u", "1", "", List.of(
                new ServicePort("", 80, "TCP", "", 0)), List.of(), "", "", List.of("198.18.0.0/15"), "",
                new TreeMap<>(Map.of("loxilb.io/liveness", "yes")), List.of("status.shardlb.io/vip"));
        SettingsResult r = ServiceSettings.parse(s, CONFIG);
        assertEquals(List.of("198.18.0.0/15"), accepted(r).sourceRanges());
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().getFirst().contains("status.shardlb.io/vip"));
    }
}
