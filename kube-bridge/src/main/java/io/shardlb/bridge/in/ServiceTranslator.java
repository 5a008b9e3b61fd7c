package io.shardlb.bridge.in;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.shardlb.bridge.Keys;
import io.shardlb.events.schema.Fact;
import io.shardlb.events.schema.ServicePort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a Service into the fact the planner needs, or nothing when the Service is not ours. Pure: the same
 * object always gives the same fact, and no input (however malformed) throws; judging annotation values is the
 * planner's job, so they are carried as written.
 *
 * <p>The output annotations shardlb writes ({@link Keys#OUTPUT_ANNOTATIONS}) are left out entirely, or every
 * write of ours would come back as a fact; any other {@code status.shardlb.io/} key a user set is named in
 * {@code ignoredAnnotations}, so the planner can warn about it.
 */
public final class ServiceTranslator {
    private final boolean acceptClassless;
    private final java.util.List<String> classes;

    /** A translator; {@code acceptClassless} makes LoadBalancer Services without a class ours. */
    public ServiceTranslator(boolean acceptClassless) {
        this(acceptClassless, Keys.CLASSES);
    }

    /** A translator serving only the classes named in {@code classes} (a subset of {@link Keys#CLASSES}). */
    public ServiceTranslator(boolean acceptClassless, java.util.List<String> classes) {
        this.acceptClassless = acceptClassless;
        this.classes = java.util.List.copyOf(classes);
    }

    /**
     * Whether we serve this Service: type LoadBalancer, one of our classes (or none when accepted), and not being
     * deleted (a Service being deleted is released, then its finalizer removed).
     */
    public boolean isOurs(Service svc) {
        if (svc == null || svc.getMetadata() == null || svc.getSpec() == null) {
            return false;
        }
        if (svc.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        ServiceSpec spec = svc.getSpec();
        if (!"LoadBalancer".equals(spec.getType())) {
            return false;
        }
        String cls = spec.getLoadBalancerClass();
        return cls == null || cls.isEmpty() ? acceptClassless : classes.contains(cls);
    }

    /** The fact for a Service of ours; empty when it is not ours (or has no name to key it by). */
    public Optional<Fact.ServiceObserved> translate(Service svc) {
        if (!isOurs(svc) || svc.getMetadata().getName() == null) {
            return Optional.empty();
        }
        ObjectMeta meta = svc.getMetadata();
        ServiceSpec spec = svc.getSpec();
        TreeMap<String, String> inputs = new TreeMap<>();
        List<String> ignored = new ArrayList<>();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            String key = e.getKey();
            if (key == null) {
                continue;
            }
            if (Keys.OUTPUT_ANNOTATIONS.contains(key)) {
                continue; // written by shardlb itself (a user's value there is overwritten by the reconciler)
            } else if (key.startsWith(Keys.OUTPUT_PREFIX)) {
                ignored.add(key);
            } else if (isInput(key)) {
                inputs.put(key, Objects.requireNonNullElse(e.getValue(), ""));
            }
        }
        ignored.sort(null);
        return Optional.of(new Fact.ServiceObserved(keyOf(meta), meta.getUid(), meta.getResourceVersion(),
                spec.getLoadBalancerClass(), ports(spec), nonNull(spec.getIpFamilies()), spec.getIpFamilyPolicy(),
                spec.getLoadBalancerIP(), nonNull(spec.getLoadBalancerSourceRanges()),
                spec.getExternalTrafficPolicy(), inputs, ignored));
    }

    /** {@code namespace/name}; a missing namespace is {@code default}, as the API server would default it. */
    static String keyOf(ObjectMeta meta) {
        String ns = meta.getNamespace() == null || meta.getNamespace().isEmpty() ? "default" : meta.getNamespace();
        return ns + "/" + meta.getName();
    }

    private static boolean isInput(String key) {
        for (String prefix : Keys.INPUT_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static List<ServicePort> ports(ServiceSpec spec) {
        if (spec.getPorts() == null) {
            return List.of();
        }
        List<ServicePort> out = new ArrayList<>(spec.getPorts().size());
        for (io.fabric8.kubernetes.api.model.ServicePort p : spec.getPorts()) {
            if (p == null) {
                continue;
            }
            out.add(new ServicePort(p.getName(), p.getPort() == null ? 0 : p.getPort(), p.getProtocol(),
                    targetPort(p.getTargetPort()), p.getNodePort() == null ? 0 : p.getNodePort()));
        }
        return out;
    }

    private static String targetPort(IntOrString target) {
        if (target == null) {
            return "";
        }
        if (target.getIntVal() != null) {
            return Integer.toString(target.getIntVal());
        }
        return target.getStrVal() == null ? "" : target.getStrVal();
    }

    private static List<String> nonNull(List<String> in) {
        if (in == null) {
            return List.of();
        }
        return in.stream().filter(Objects::nonNull).toList();
    }
}
