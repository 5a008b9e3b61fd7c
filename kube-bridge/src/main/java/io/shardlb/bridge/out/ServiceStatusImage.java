package io.shardlb.bridge.out;

import io.shardlb.events.image.Provenance;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

import java.util.Objects;
import java.util.Optional;

/**
 * The plan as the bridge needs it to write Services, folded from {@code plan} decisions: per Service its VIPs,
 * instance, rejections, warnings and Event-worthy history; per instance its current term and master. Immutable,
 * persistent maps; changed only by {@link ServiceStatusDelta#replay}.
 */
public final class ServiceStatusImage {
    /** Nothing decided. */
    public static final ServiceStatusImage EMPTY = new ServiceStatusImage(TreePMap.empty(), TreePMap.empty(),
            Provenance.EMPTY);

    private final PSortedMap<String, ServicePlan> services;
    private final PSortedMap<String, InstanceTerm> instances;
    private final Provenance provenance;

    ServiceStatusImage(PSortedMap<String, ServicePlan> services, PSortedMap<String, InstanceTerm> instances,
                       Provenance provenance) {
        this.services = services;
        this.instances = instances;
        this.provenance = provenance;
    }

    /** Services by {@code namespace/name}. */
    public PSortedMap<String, ServicePlan> services() {
        return services;
    }

    /** Instances by name. */
    public PSortedMap<String, InstanceTerm> instances() {
        return instances;
    }

    /** What the plan says about a Service; empty when it never said anything. */
    public Optional<ServicePlan> service(String key) {
        return Optional.ofNullable(services.get(key));
    }

    /** The current term of the instance a Service sits on. */
    public Optional<InstanceTerm> termOf(ServicePlan plan) {
        return plan.instance().isEmpty() ? Optional.empty() : Optional.ofNullable(instances.get(plan.instance()));
    }

    /** The last decision folded in. */
    public Provenance provenance() {
        return provenance;
    }

    /** A delta on this image. */
    public ServiceStatusDelta delta() {
        return new ServiceStatusDelta(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceStatusImage other && services.equals(other.services)
                && instances.equals(other.instances) && provenance.equals(other.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(services, instances, provenance);
    }

    @Override
    public String toString() {
        return "ServiceStatusImage{services=" + services.size() + ", instances=" + instances.size()
                + ", provenance=" + provenance + "}";
    }
}
