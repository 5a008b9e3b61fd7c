package io.shardlb.bridge.out;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What a Service should look like, as far as shardlb owns it.
 *
 * @param service     {@code namespace/name}
 * @param ingress     the desired {@code status.loadBalancer.ingress}
 * @param annotations the desired value of each {@code status.shardlb.io/} key; a key not in the map is removed
 * @param condition   our {@code shardlb.io/Ready} condition (its time is set by the reconciler), or empty to
 *                    remove ours
 * @param finalizer   whether {@code shardlb.io/vip} should be on it
 * @param notices     what to tell the user as Events
 */
public record DesiredService(String service, List<LoadBalancerIngress> ingress,
                            SortedMap<String, String> annotations, Optional<ReadyCondition> condition,
                            boolean finalizer, List<Notice> notices) {

    /**
     * Our condition without its transition time.
     *
     * @param status  {@code True} or {@code False}
     * @param reason  one CamelCase word
     * @param message why
     */
    public record ReadyCondition(String status, String reason, String message) {
    }
}
