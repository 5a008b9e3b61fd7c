package io.shardlb.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Prometheus's own checker, {@code promtool check metrics} (Debian package {@code prometheus}): a scrape that passes
 * it parses in Prometheus and follows its naming rules. Missing: the test is skipped, except under {@code CI=true}
 * where it fails (CI installs the package).
 */
final class Promtool {
    private Promtool() {
    }

    /** Fails (or skips, see above) unless promtool accepts {@code exposition}. */
    static void check(String what, String exposition, Path dir) throws IOException, InterruptedException {
        Path promtool = find();
        Path file = Files.createTempFile(dir, "scrape-", ".txt");
        Files.writeString(file, exposition);
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true)
                .redirectInput(file.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool did not finish within 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "promtool check metrics on the " + what + " scrape:\n" + out
                + "\n--- scrape ---\n" + exposition);
    }

    private static Path find() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(d, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("promtool not found on PATH (install the Debian package prometheus)");
        }
        assumeTrue(false, "promtool not found on PATH (install the Debian package prometheus); skipped outside CI");
        throw new AssertionError("unreachable");
    }
}
