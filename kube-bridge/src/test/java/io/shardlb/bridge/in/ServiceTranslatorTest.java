package io.shardlb.bridge.in;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.shardlb.bridge.Keys;
import io.shardlb.bridge.Seed;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.ServicePort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceTranslatorTest {
    final ServiceTranslator strict = new ServiceTranslator(false);
    final ServiceTranslator classless = new ServiceTranslator(true);

    @Test
    void onlyLoadBalancersOfOurClassesAreOurs() {
        assertTrue(strict.isOurs(withClass(Keys.CLASS_LOXILB)));
        assertTrue(strict.isOurs(withClass(Keys.CLASS_SHARDLB)));
        assertFalse(strict.isOurs(withClass("example.com/other")));
        assertFalse(strict.isOurs(withClass(null)));
        assertTrue(classless.isOurs(withClass(null)));
        assertFalse(classless.isOurs(withClass("example.com/other")));
        Service clusterIp = withClass(Keys.CLASS_LOXILB);
        clusterIp.getSpec().setType("ClusterIP");
        assertFalse(strict.isOurs(clusterIp));
        Service deleting = withClass(Keys.CLASS_LOXILB);
        deleting.getMetadata().setDeletionTimestamp("2026-11-24T10:42:00Z");
        assertFalse(strict.isOurs(deleting), "being deleted: released");
    }

    @Test
    void aNamedClassNarrowsWhatIsOurs() {
        ServiceTranslator loxilbOnly = new ServiceTranslator(false,
                io.shardlb.bridge.BridgeConfig.defaults().withClass(Keys.CLASS_LOXILB).classes());
        assertTrue(loxilbOnly.isOurs(withClass(Keys.CLASS_LOXILB)));
        assertFalse(loxilbOnly.isOurs(withClass(Keys.CLASS_SHARDLB)));
        assertTrue(new ServiceTranslator(false, io.shardlb.bridge.BridgeConfig.defaults().withClass("").classes())
                .isOurs(withClass(Keys.CLASS_SHARDLB)));
    }

    @Test
    void carriesOnlyInputAnnotationsAndNamesUserSetOutputKeys() {
        Service svc = Seed.service("tcp-lb", 56002, Map.of("loxilb.io/lbmode", "onearm",
                "shardlb.io/endpoints", "nodeport", "status.shardlb.io/vip", "192.168.80.250",
                "status.shardlb.io/owner", "me", "kubectl.kubernetes.io/last-applied-configuration", "{}"));
        svc.getMetadata().setUid("uid-1");
        svc.getSpec().getPorts().getFirst().setTargetPort(new IntOrString("http"));
        Fact.ServiceObserved o = strict.translate(svc).orElseThrow();
        assertEquals("default/tcp-lb", o.service());
        assertEquals(Map.of("loxilb.io/lbmode", "onearm", "shardlb.io/endpoints", "nodeport"), o.annotations());
        assertEquals(List.of("status.shardlb.io/owner"), o.ignoredAnnotations());
        assertEquals(List.of(new ServicePort("tcp", 56002, "TCP", "http", 30002)), o.ports());
        assertEquals("Cluster", o.externalTrafficPolicy());
    }

    static Service withClass(String cls) {
        Service s = Seed.service("svc", 80, Map.of());
        s.getSpec().setLoadBalancerClass(cls);
        return s;
    }
}
