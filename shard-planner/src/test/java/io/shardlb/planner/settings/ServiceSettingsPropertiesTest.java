package io.shardlb.planner.settings;

import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.ServicePort;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parser is total on user input, and every error names a field and quotes a value. */
class ServiceSettingsPropertiesTest {

    @Provide
    Arbitrary<Map<String, String>> annotations() {
        List<String> keys = new ArrayList<>();
        Annotations.ALL.forEach(k -> {
            keys.add(k.loxilb());
            keys.add(k.alias());
        });
        keys.add("loxilb.io/liveness");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of("default", "onearm", "dsr", "hash", "rr", "ipv6", "nat64", "60", "0", "-1",
                        "99999999999", "llb-inst1", "llb-inst0", "llb-inst01", "default", "198.18.80.250", "::1",
                        "::ffff:1.2.3.4", "1.2.3", "[::1]", "fe80::1%eth0", "defaultPool", ""));
        return Arbitraries.maps(Arbitraries.of(keys), values).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<ServicePort>> ports() {
        return Combinators.combine(Arbitraries.integers().between(-2, 70000),
                Arbitraries.oneOf(Arbitraries.of("TCP", "UDP", "SCTP", "tcp"), Arbitraries.strings().ofMaxLength(4)),
                Arbitraries.integers().between(-1, 70000))
                .as((port, proto, node) -> new ServicePort("", port, proto, "", node)).list().ofMaxSize(4);
    }

    @Property(tries = 1000)
    void neverThrowsAndErrorsNameFieldAndValue(@ForAll("annotations") Map<String, String> annotations,
                                               @ForAll("ports") List<ServicePort> ports,
                                               @ForAll("strings") String loadBalancerIp,
                                               @ForAll("stringLists") List<String> sourceRanges,
                                               @ForAll("stringLists") List<String> families,
                                               @ForAll("strings") String policy) {
        Fact.ServiceObserved svc = new Fact.ServiceObserved("ns/svc", "uid", "1", "", ports, families, policy,
                loadBalancerIp, sourceRanges, "", new TreeMap<>(annotations), List.of("status.shardlb.io/x"));
        SettingsResult r = ServiceSettings.parse(svc, ServiceSettingsTest.CONFIG);
        assertFalse(r.warnings().isEmpty());
        if (r instanceof SettingsResult.Rejected rejected) {
            for (SettingError e : rejected.errors()) {
                assertFalse(e.field().isEmpty(), e.toString());
                assertTrue(e.message().contains("=\""), e.toString());
            }
        } else {
            ServiceSpec spec = ((SettingsResult.Accepted) r).spec();
            assertTrue(spec.timeoutSeconds() > 0);
            assertFalse(spec.ports().isEmpty());
        }
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), Arbitraries.of("198.18.0.0/15", "::/0",
                "10.0.0.1/33", "IPv4", "IPv6", "SingleStack", "1.2.3.4", "2001:db8::1", ""));
    }

    @Provide
    Arbitrary<List<String>> stringLists() {
        return strings().list().ofMaxSize(3);
    }
}
