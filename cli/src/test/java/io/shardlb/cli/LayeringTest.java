package io.shardlb.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STYLE.md's layering, checked on the sources (the Maven Enforcer checks the dependencies): only lb-agent
 * touches Panama; only kube-bridge and cli import fabric8; control-events imports nothing of ours and no
 * undertow.
 */
class LayeringTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void onlyLbAgentUsesPanama() throws IOException {
        // bench drives the packet engine over UMEM-like memory exactly as the datapath does; it ships nothing
        assertEquals(List.of(), offenders("java.lang.foreign", Set.of("lb-agent", "bench", "e2e")));
    }

    @Test
    void onlyKubeBridgeAndCliImportFabric8() throws IOException {
        assertEquals(List.of(), offenders("io.fabric8", Set.of("kube-bridge", "cli", "e2e")));
    }

    @Test
    void controlEventsImportsNothingOfOursAndNoUndertow() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : sources("control-events")) {
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("import ") && (line.contains("io.undertow") || line.contains("io.fabric8")
                        || (line.contains("io.shardlb.") && !line.contains("io.shardlb.events")))) {
                    bad.add(ROOT.relativize(f) + ": " + line);
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    private static List<String> offenders(String pkg, Set<String> allowed) throws IOException {
        List<String> bad = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path m : modules.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).toList()) {
                String module = m.getFileName().toString();
                if (allowed.contains(module)) {
                    continue;
                }
                for (Path f : sources(module)) {
                    if (Files.readString(f).contains(pkg)) {
                        bad.add(ROOT.relativize(f).toString());
                    }
                }
            }
        }
        return bad;
    }

    private static List<Path> sources(String module) throws IOException {
        Path dir = ROOT.resolve(module).resolve("src/main/java");
        assertTrue(Files.isDirectory(dir), "no sources at " + dir);
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }
}
