package io.shardlb.bridge.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kafka.acls.enabled} renders a Job that runs exactly the {@code kafka-acls.sh} lines the README
 * documents (and the cli's LogAclTest applies to a SCRAM broker), as the admin of {@code kafka.acls.adminSecret};
 * {@code metrics.grafanaDashboard.enabled} ships the dashboard file unchanged in a ConfigMap.
 */
class ChartAclsAndDashboardTest {
    private static final Path README = HelmChart.DIR.resolve("README.md");

    @Test
    void theAclJobRunsTheDocumentedCommandsAsTheAdmin() throws Exception {
        Rendered r = HelmChart.render("acls-dashboard.yaml");
        List<Job> jobs = r.all(Job.class).stream()
                .filter(j -> j.getMetadata().getName().startsWith(HelmChart.RELEASE + "-kafka-acls-")).toList();
        assertEquals(1, jobs.size(), "one ACL Job");
        Job job = jobs.getFirst();
        Container c = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertTrue(c.getImage().startsWith("apache/kafka:"), c.getImage());
        String script = c.getArgs().getFirst();
        List<String> rendered = script.lines().map(String::strip).filter(l -> l.startsWith("$A ")).toList();
        assertEquals(documented(), rendered, "the Job's commands are the README's");
        assertTrue(script.contains("--bootstrap-server " + HelmChart.RELEASE + "-kafka-0."), script);
        assertTrue(script.contains("--command-config /etc/shardlb/kafka/admin/admin.properties"), script);
        assertEquals("kafka-admin", job.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("admin")).findFirst().orElseThrow().getSecret().getSecretName());
        assertTrue(HelmChart.render(null).all(Job.class).isEmpty(), "off by default");
    }

    @Test
    void theDashboardConfigMapCarriesTheFileAsIs() throws Exception {
        Rendered r = HelmChart.render("acls-dashboard.yaml");
        ConfigMap cm = r.one(ConfigMap.class, HelmChart.RELEASE + "-grafana-dashboard");
        assertEquals("1", cm.getMetadata().getLabels().get("grafana_dashboard"));
        ObjectMapper json = new ObjectMapper();
        JsonNode shipped = json.readTree(cm.getData().get("shardlb-dashboard.json"));
        JsonNode file = json.readTree(HelmChart.DIR.resolve("files/grafana/shardlb-dashboard.json").toFile());
        assertEquals(file, shipped);
        assertFalse(HelmChart.render(null).has(ConfigMap.class, HelmChart.RELEASE + "-grafana-dashboard"));
    }

    /** The {@code $A …} lines after the README's acl-commands marker. */
    private static List<String> documented() throws Exception {
        List<String> lines = Files.readAllLines(README);
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("acl-commands:")) {
                start = i;
            }
        }
        List<String> out = new java.util.ArrayList<>();
        for (int i = start + 2; !lines.get(i).startsWith("```"); i++) {
            if (lines.get(i).startsWith("$A ")) {
                out.add(lines.get(i).strip());
            }
        }
        assertFalse(out.isEmpty(), "no documented ACL commands");
        return out;
    }
}
