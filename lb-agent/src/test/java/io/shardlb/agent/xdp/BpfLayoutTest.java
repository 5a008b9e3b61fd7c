package io.shardlb.agent.xdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The Java mirrors of the XDP program's map structs match the compiled object's BTF (read with bpftool). */
class BpfLayoutTest {

    @Test
    void vipValueMatchesTheBtf() throws IOException {
        assertMatches("vip_value", BpfMaps.VIP_VALUE);
    }

    @Test
    void cfgValueMatchesTheBtf() throws IOException {
        assertMatches("cfg_value", BpfMaps.CFG_VALUE);
    }

    @Test
    void backendKeyMatchesTheBtf() throws IOException {
        assertMatches("backend_key", BpfMaps.BACKEND_KEY);
    }

    private static void assertMatches(String struct, StructLayout java) throws IOException {
        String btf = btfDump();
        Matcher head = Pattern.compile("STRUCT '" + struct + "' size=(\\d+) vlen=(\\d+)\\n((?:\\t.*\\n)+)")
                .matcher(btf);
        assertTrue(head.find(), "struct " + struct + " in the BTF");
        assertEquals(java.byteSize(), Long.parseLong(head.group(1)), struct + " size");
        Map<String, Long> members = new LinkedHashMap<>();
        Matcher m = Pattern.compile("'(\\w+)' type_id=\\d+ bits_offset=(\\d+)").matcher(head.group(3));
        while (m.find()) {
            members.put(m.group(1), Long.parseLong(m.group(2)) / 8);
        }
        Map<String, Long> javaMembers = new LinkedHashMap<>();
        for (MemoryLayout e : java.memberLayouts()) {
            e.name().ifPresent(n -> javaMembers.put(n, java.byteOffset(MemoryLayout.PathElement.groupElement(n))));
        }
        assertEquals(members, javaMembers, struct + " member offsets");
    }

    private static String btfDump() throws IOException {
        Path obj = Files.createTempFile("shardlb_xdp", ".o");
        try {
            if (XdpForwarder.class.getResource(XdpForwarder.OBJECT) == null || !hasBpftool()) {
                String why = "needs the compiled XDP object and bpftool (apt-get install clang llvm libbpf-dev bpftool)";
                if ("true".equals(System.getenv("CI"))) {
                    fail(why);
                }
                Assumptions.abort(why);
            }
            Files.write(obj, BpfProgram.readResource(XdpForwarder.OBJECT));
            return Netns.run("bpftool", "btf", "dump", "file", obj.toString());
        } finally {
            Files.deleteIfExists(obj);
        }
    }

    private static boolean hasBpftool() {
        return Files.isExecutable(Path.of("/usr/sbin/bpftool")) || Files.isExecutable(Path.of("/usr/bin/bpftool"));
    }
}
