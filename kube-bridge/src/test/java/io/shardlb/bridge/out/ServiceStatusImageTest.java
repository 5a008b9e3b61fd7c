package io.shardlb.bridge.out;

import io.shardlb.bridge.Seed;
import io.shardlb.events.schema.Decision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class ServiceStatusImageTest {
    static List<Decision> all() {
        List<Decision> d = new ArrayList<>(Seed.masters());
        d.addAll(Seed.placements());
        d.add(new Decision.InstanceMastered("llb-inst2", Seed.AGENT_B, 2, List.of(), "agent-c missed beats"));
        d.add(new Decision.AllocationRejected("default/tcp-lb3", "pool defaultPool exhausted (5 addresses)"));
        d.add(new Decision.VipReleased("default/tcp-lb", "192.168.80.250"));
        return d;
    }

    @Test
    void foldsThePlanIntoWhatServicesShow() {
        ServiceStatusImage image = Seed.fold(ServiceStatusImage.EMPTY, all());
        ServicePlan lb2 = image.service("default/tcp-lb2").orElseThrow();
        assertEquals(List.of("192.168.80.251"), lb2.vips());
        assertEquals("agent-b", image.termOf(lb2).orElseThrow().masterName());
        assertEquals(List.of("VIPAllocated", "Placed", "MasterChanged"),
                lb2.notices().stream().map(Notice::reason).toList());
        ServicePlan lb = image.service("default/tcp-lb").orElseThrow();
        assertEquals(List.of(), lb.vips());
        assertEquals(List.of("192.168.80.250"), lb.formerVips());
        assertEquals("PoolExhausted", image.service("default/tcp-lb3").orElseThrow().notices().getFirst().reason());
    }

    @Test
    void anySplitIntoBatchesGivesTheSameImage() {
        List<Decision> d = all();
        ServiceStatusImage whole = Seed.fold(ServiceStatusImage.EMPTY, d);
        for (int cut = 0; cut <= d.size(); cut++) {
            ServiceStatusImage first = Seed.fold(ServiceStatusImage.EMPTY, d.subList(0, cut));
            assertEquals(whole, Seed.fold(first, d.subList(cut, d.size())), "cut at " + cut);
        }
        assertSame(whole, whole.delta().apply(), "an empty delta reuses the image");
    }
}
