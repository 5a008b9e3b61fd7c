package io.shardlb.planner.instance;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InstanceNamesTest {
    @Test
    void namesAndAliases() {
        InstanceNames names = new InstanceNames(3, "", "");
        assertEquals(List.of("default", "llb-inst1", "llb-inst2"), names.all());
        assertEquals(OptionalInt.of(0), names.indexOf("llb-inst0"));
        assertEquals(OptionalInt.of(0), names.indexOf("default"));
        assertEquals(OptionalInt.empty(), names.indexOf("llb-inst3"));
        assertEquals(OptionalInt.of(3), names.anyIndexOf("llb-inst3"), "retired instances still resolve for replay");
        assertEquals(OptionalInt.empty(), names.indexOf("llb-inst01"));
        assertEquals(OptionalInt.empty(), names.indexOf("llb-inst-1"));
        InstanceNames zone = new InstanceNames(2, "eu", "default");
        assertEquals(OptionalInt.of(1), zone.indexOf("eu-inst1"));
        assertEquals(OptionalInt.of(0), zone.indexOf("eu-inst0"));
        assertEquals(OptionalInt.of(0), zone.indexOf("llb-inst0"));
        assertEquals(OptionalInt.empty(), zone.indexOf("llb-inst1"));
    }
}
