package io.shardlb.bridge.chart;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RBAC is what the components use, no more: the controller is granted exactly the (verb, group, resource) triples
 * recorded from its real requests in {@code ControllerRequestsTest}; the agent gets nothing at all.
 */
class ChartRbacTest {
    /** Written by ControllerRequestsTest from the requests the API server saw. */
    static final Path RECORDED = Path.of("src", "test", "resources", "rbac", "controller-requests.txt");

    @ParameterizedTest
    @ValueSource(strings = {"", "seed.yaml", "external-kafka.yaml", "ipv6.yaml", "no-zone-name.yaml"})
    void controllerIsGrantedExactlyTheRequestsItWasSeenToMake(String values) throws IOException {
        Rendered r = HelmChart.render(values.isEmpty() ? null : values);
        assertEquals(recorded(), granted(r, "shardlb-controller"),
                "the controller's RBAC must equal " + RECORDED + " (regenerate it with ControllerRequestsTest)");
        assertEquals("shardlb-controller",
                r.controller().getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seed.yaml", "external-kafka.yaml"})
    void agentHasNoKubernetesPermissionsAndNoToken(String values) {
        Rendered r = HelmChart.render(values.isEmpty() ? null : values);
        assertEquals(Set.of(), granted(r, "shardlb-agent"));
        assertTrue(bindings(r).stream().flatMap(b -> b.subjects().stream())
                .noneMatch(s -> s.getName().equals("shardlb-agent")), "no binding names the agent");
        var pod = r.agent().getSpec().getTemplate().getSpec();
        assertEquals("shardlb-agent", pod.getServiceAccountName());
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        assertEquals(Boolean.FALSE, r.one(ServiceAccount.class, "shardlb-agent").getAutomountServiceAccountToken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seed.yaml"})
    void everyBindingRefersToARoleOfTheChart(String values) {
        Rendered r = HelmChart.render(values.isEmpty() ? null : values);
        for (Binding b : bindings(r)) {
            Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind =
                    b.ref().getKind().equals("ClusterRole") ? ClusterRole.class : Role.class;
            assertTrue(r.has(kind, b.ref().getName()), () -> "binding to a role outside the chart: " + b.ref());
        }
    }

    /** The recorded requests as "verb group resource" ("" is the core group). */
    static Set<String> recorded() throws IOException {
        return Files.readAllLines(RECORDED).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> {
                    String[] p = l.split("\\s+");
                    assertEquals(3, p.length, () -> "bad line in " + RECORDED + ": " + l);
                    return triple(p[0], p[1].equals("\"\"") ? "" : p[1], p[2]);
                })
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every (verb, group, resource) the chart's bindings grant to the ServiceAccount {@code account}. */
    static Set<String> granted(Rendered r, String account) {
        Set<String> out = new TreeSet<>();
        for (Binding b : bindings(r)) {
            boolean ours = b.subjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
                    && s.getName().equals(account) && HelmChart.NAMESPACE.equals(s.getNamespace()));
            if (!ours) {
                continue;
            }
            List<PolicyRule> rules = b.ref().getKind().equals("ClusterRole")
                    ? r.one(ClusterRole.class, b.ref().getName()).getRules()
                    : r.one(Role.class, b.ref().getName()).getRules();
            for (PolicyRule rule : rules) {
                assertTrue(rule.getResourceNames().isEmpty() && rule.getNonResourceURLs().isEmpty(), rule.toString());
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            assertTrue(!"*".equals(group) && !"*".equals(resource) && !"*".equals(verb),
                                    () -> "wildcard in " + rule);
                            out.add(triple(verb, group, resource));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String triple(String verb, String group, String resource) {
        return verb + " " + (group.isEmpty() ? "\"\"" : group) + " " + resource;
    }

    private record Binding(RoleRef ref, List<Subject> subjects) {
    }

    private static List<Binding> bindings(Rendered r) {
        var cluster = r.all(ClusterRoleBinding.class).stream().map(b -> new Binding(b.getRoleRef(), b.getSubjects()));
        var local = r.all(RoleBinding.class).stream().map(b -> new Binding(b.getRoleRef(), b.getSubjects()));
        return java.util.stream.Stream.concat(cluster, local).toList();
    }
}
