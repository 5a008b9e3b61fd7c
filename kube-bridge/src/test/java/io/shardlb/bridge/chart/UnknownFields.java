package io.shardlb.bridge.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fields fabric8's model did not know: a parsed object keeps them in {@code additionalProperties}, so a
 * misspelled field in a template (say {@code readinesProbe}) parses silently. This walks the typed model and
 * names every such field, so "parses with fabric8" means the object is what Kubernetes will read.
 */
final class UnknownFields {
    private UnknownFields() {
    }

    /** Paths of unknown fields in {@code object}; empty when fabric8 modelled every field. */
    static List<String> in(Object object) {
        List<String> found = new ArrayList<>();
        if (!(object instanceof GenericKubernetesResource)) {
            walk(object, "", found);
        }
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        switch (value) {
            case null -> {
            }
            case Map<?, ?> map -> map.forEach((k, v) -> walk(v, path + "." + k, found));
            case Collection<?> items -> {
                int i = 0;
                for (Object item : items) {
                    walk(item, path + "[" + i++ + "]", found);
                }
            }
            default -> {
                if (value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
                    walkModel(value, path, found);
                }
            }
        }
    }

    private static void walkModel(Object model, String path, List<String> found) {
        for (Method m : model.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                    || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            Object child = invoke(m, model);
            if (m.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add((path.isEmpty() ? "" : path + ".") + extra.keySet());
                }
                continue;
            }
            walk(child, path + "." + fieldName(m), found);
        }
    }

    private static String fieldName(Method getter) {
        String n = getter.getName().substring(3);
        return n.isEmpty() ? n : Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError("cannot read " + m + " of " + target.getClass().getName(), e);
        }
    }
}
