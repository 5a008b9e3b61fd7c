package io.shardlb.bridge.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** The objects {@code helm template} rendered, each parsed with fabric8's own (de)serializer. */
record Rendered(List<HasMetadata> objects) {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Splits Helm's multi-document output and parses every document that holds an object. */
    static Rendered parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().noneMatch(l -> l.startsWith("kind:"))) {
                continue;
            }
            KubernetesResource parsed = SERIALIZATION.unmarshal(doc);
            HasMetadata object = assertInstanceOf(HasMetadata.class, parsed, () -> "not an object:\n" + doc);
            assertNotNull(object.getMetadata(), () -> "no metadata:\n" + doc);
            assertNotNull(object.getMetadata().getName(), () -> "no name:\n" + doc);
            objects.add(object);
        }
        return new Rendered(List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> found = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
        assertEquals(1, found.size(), () -> "expected one " + type.getSimpleName() + " " + name + ", found "
                + found.size());
        return found.getFirst();
    }

    boolean has(Class<? extends HasMetadata> type, String name) {
        return all(type).stream().anyMatch(o -> o.getMetadata().getName().equals(name));
    }

    Deployment controller() {
        return one(Deployment.class, HelmChart.RELEASE + "-controller");
    }

    DaemonSet agent() {
        return one(DaemonSet.class, HelmChart.RELEASE + "-agent");
    }

    Container controllerContainer() {
        return only(controller().getSpec().getTemplate().getSpec());
    }

    Container agentContainer() {
        return only(agent().getSpec().getTemplate().getSpec());
    }

    /** Every pod template: Deployments, DaemonSets, StatefulSets. */
    List<PodTemplateSpec> podTemplates() {
        return Stream.of(
                all(Deployment.class).stream().map(d -> d.getSpec().getTemplate()),
                all(DaemonSet.class).stream().map(d -> d.getSpec().getTemplate()),
                all(StatefulSet.class).stream().map(s -> s.getSpec().getTemplate())).flatMap(s -> s).toList();
    }

    private static Container only(PodSpec pod) {
        if (pod.getContainers().size() != 1) {
            fail("expected one container, found " + pod.getContainers().size());
        }
        return pod.getContainers().getFirst();
    }
}
