package io.shardlb.bridge;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The {@code namespace/name} key that facts and decisions use for a Service. */
public record ServiceKey(String namespace, String name) {

    /** The key of a Kubernetes object. */
    public static ServiceKey of(HasMetadata object) {
        return new ServiceKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** Parses {@code namespace/name}; a key without a slash is in {@code default}. */
    public static ServiceKey parse(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new ServiceKey("default", key) : new ServiceKey(key.substring(0, slash),
                key.substring(slash + 1));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
