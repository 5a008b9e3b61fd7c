package io.shardlb.bridge.chart;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image recipe (docker/shardlb) cannot be built here (no Docker, no registry), so this checks what can be
 * checked without building it: the base image, the entrypoint the chart's pods call, and that its launcher
 * passes every JVM flag the build says a launch needs.
 */
class ImageRecipeTest {
    static final Path RECIPE = Path.of("..", "docker", "shardlb");

    @Test
    void dockerfileRunsTheCliOnAJava25Jre() throws IOException {
        String dockerfile = Files.readString(RECIPE.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("\nFROM eclipse-temurin:25-jre\n"), "runtime base image");
        assertTrue(dockerfile.contains("\nENTRYPOINT [\"shardlb\"]\n"), "the chart's pods run command shardlb");
        assertTrue(dockerfile.contains("-pl cli -am"), "built from the cli module and what it needs");
    }

    @Test
    void launcherPassesEveryJvmFlagOfTheBuild() throws IOException {
        String launcher = Files.readString(RECIPE.resolve("shardlb"));
        Matcher m = Pattern.compile("<shardlb\\.jvm\\.flags>([^<]+)</shardlb\\.jvm\\.flags>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertTrue(m.find(), "root pom has shardlb.jvm.flags");
        for (String flag : m.group(1).trim().split("\\s+")) {
            assertTrue(launcher.contains(flag), () -> "launcher lacks " + flag);
        }
        assertTrue(launcher.contains("io.shardlb.cli.Main \"$@\""), "runs the CLI with the pod's arguments");
    }
}
