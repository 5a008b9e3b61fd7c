package io.shardlb.bridge.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The chart under test, {@code charts/shardlb}, run through Helm in-process (helm-java and its native library):
 * lint, template, and a client-only dry-run install for NOTES.txt. Value sets are YAML files under
 * {@code src/test/resources/chart/}.
 */
final class HelmChart {
    static final String RELEASE = "shardlb";
    static final String NAMESPACE = "kube-system";
    /** The chart directory (tests run in the module directory). */
    static final Path DIR = Path.of("..", "charts", "shardlb").toAbsolutePath().normalize();
    private static final Path VALUES = Path.of("src", "test", "resources", "chart").toAbsolutePath();

    private HelmChart() {
    }

    /** {@code helm lint --strict} with the chart's own values (helm-java's lint takes no values). */
    static LintResult lintStrict() {
        return new Helm(DIR).lint().strict().call();
    }

    /** {@code helm template} with a value set ({@code null}: the chart's defaults), parsed with fabric8. */
    static Rendered render(String valuesFile) {
        return Rendered.parse(template(valuesFile).call());
    }

    /** {@code helm template} with inline values that must be rejected; returns Helm's message. */
    static String rejection(String valuesYaml) {
        Path file = writeTemp(valuesYaml);
        try {
            String out = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(file)
                    .call();
            return fail("expected Helm to reject values:\n" + valuesYaml + "\nbut it rendered " + out.length()
                    + " characters");
        } catch (IllegalStateException e) {
            return e.getMessage();
        } finally {
            deleteQuietly(file);
        }
    }

    /** NOTES.txt as {@code helm install} prints it (client-only dry run: no cluster needed). */
    static String notes(String valuesFile) {
        var install = new Helm(DIR).install().withName(RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun();
        if (valuesFile != null) {
            install = install.withValuesFile(values(valuesFile));
        }
        Release release = install.call();
        String output = release.getOutput();
        int at = output.indexOf("NOTES:");
        assertTrue(at >= 0, "no NOTES in: " + output);
        return output.substring(at);
    }

    private static TemplateCommand template(String valuesFile) {
        TemplateCommand t = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        return valuesFile == null ? t : t.withValuesFile(values(valuesFile));
    }

    private static Path values(String name) {
        Path p = VALUES.resolve(name);
        assertTrue(Files.isRegularFile(p), "no value set " + p);
        return p;
    }

    private static Path writeTemp(String yaml) {
        try {
            Path file = Files.createTempFile("shardlb-values", ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
