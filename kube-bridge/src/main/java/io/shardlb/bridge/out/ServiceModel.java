package io.shardlb.bridge.out;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.PortStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.shardlb.bridge.BridgeConfig;
import io.shardlb.bridge.Keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns what the plan says about a Service into what the Service should show (Strimzi's model classes): the
 * ingress (as kube-loxilb writes it), our output annotations, our condition, the finalizer and the Events.
 * Pure: the live Service is read only for its ports, its finalizers and any ingress we wrote before.
 */
public final class ServiceModel {
    private final BridgeConfig config;

    /** A model publishing as {@code config} says (hostname or ip + ipMode, zone prefix). */
    public ServiceModel(BridgeConfig config) {
        this.config = config;
    }

    /**
     * The desired state of {@code live}.
     *
     * @param ours whether the Service is ours and not being deleted
     * @param plan what the plan says about it ({@link ServicePlan#empty} when nothing)
     * @param term the current term of its instance, if placed
     */
    public DesiredService desired(Service live, boolean ours, ServicePlan plan, Optional<InstanceTerm> term) {
        boolean hasFinalizer = live.getMetadata().getFinalizers() != null
                && live.getMetadata().getFinalizers().contains(Keys.FINALIZER);
        // On every Service holding an address, and kept until the plan released it (also once the Service is
        // being deleted or no longer ours). A Service never given one (rejected, pending) gets none.
        boolean finalizer = !plan.vips().isEmpty() && (ours || hasFinalizer);
        if (!ours) {
            return new DesiredService(plan.service(), withoutOurs(live, plan), new TreeMap<>(), Optional.empty(),
                    finalizer, plan.notices());
        }
        boolean accepted = plan.rejections().isEmpty();
        List<String> vips = accepted ? plan.vips() : List.of();
        TreeMap<String, String> annotations = new TreeMap<>();
        if (!vips.isEmpty()) {
            annotations.put(Keys.ANN_VIP, String.join(",", vips));
            if (!plan.instance().isEmpty()) {
                annotations.put(Keys.ANN_INSTANCE, plan.instance());
            }
            term.filter(t -> t.master() != null).ifPresent(t -> annotations.put(Keys.ANN_MASTER, t.masterName()));
        }
        List<LoadBalancerIngress> ingress = new ArrayList<>();
        for (String vip : vips) {
            ingress.add(ingress(vip, live));
        }
        return new DesiredService(plan.service(), ingress, annotations, Optional.of(condition(plan, term)),
                finalizer, plan.notices());
    }

    /** {@code hostname: llb-<ip>} (IPv6 colons as dashes), or {@code ip} + {@code ipMode: Proxy}; ports filled. */
    public LoadBalancerIngress ingress(String vip, Service live) {
        List<PortStatus> ports = new ArrayList<>();
        if (live.getSpec() != null && live.getSpec().getPorts() != null) {
            for (ServicePort p : live.getSpec().getPorts()) {
                if (p != null && p.getPort() != null) {
                    ports.add(new PortStatus(null, p.getPort(), p.getProtocol() == null ? "TCP" : p.getProtocol()));
                }
            }
        }
        LoadBalancerIngressBuilder b = new LoadBalancerIngressBuilder().withPorts(ports);
        return config.noZoneName() ? b.withIp(vip).withIpMode("Proxy").build()
                : b.withHostname(hostname(vip)).build();
    }

    /** The hostname kube-loxilb publishes for a VIP. */
    public String hostname(String vip) {
        return config.zone() + "-" + vip.replace(':', '-');
    }

    static DesiredService.ReadyCondition condition(ServicePlan plan, Optional<InstanceTerm> term) {
        if (!plan.rejections().isEmpty()) {
            boolean annotation = plan.rejections().stream().anyMatch(ServiceStatusDelta::namesAnnotation);
            return notReady(annotation ? "InvalidAnnotation" : "Rejected", String.join("; ", plan.rejections()));
        }
        if (plan.vips().isEmpty()) {
            return plan.allocationRejection().isEmpty()
                    ? notReady("Pending", "waiting for an address from the plan")
                    : notReady(ServiceStatusDelta.allocationReason(plan.allocationRejection()),
                    plan.allocationRejection());
        }
        String vips = String.join(",", plan.vips());
        if (plan.instance().isEmpty()) {
            return notReady("Pending", "VIP " + vips + " allocated, not yet placed on an instance");
        }
        if (term.isEmpty() || term.get().master() == null) {
            return notReady("NoMaster", "VIP " + vips + " on " + plan.instance() + ", which no agent masters");
        }
        InstanceTerm t = term.get();
        return new DesiredService.ReadyCondition("True", "Served", "VIP " + vips + " on " + plan.instance()
                + ", master " + t.masterName() + " (term " + t.term() + ")");
    }

    private static DesiredService.ReadyCondition notReady(String reason, String message) {
        return new DesiredService.ReadyCondition("False", reason, message);
    }

    /** A Service no longer ours keeps any ingress but the entries we wrote for its addresses. */
    private List<LoadBalancerIngress> withoutOurs(Service live, ServicePlan plan) {
        List<LoadBalancerIngress> out = new ArrayList<>();
        if (live.getStatus() == null || live.getStatus().getLoadBalancer() == null
                || live.getStatus().getLoadBalancer().getIngress() == null) {
            return out;
        }
        List<String> ours = new ArrayList<>(plan.vips());
        ours.addAll(plan.formerVips());
        for (LoadBalancerIngress i : live.getStatus().getLoadBalancer().getIngress()) {
            boolean mine = ours.stream().anyMatch(v -> v.equals(i.getIp()) || hostname(v).equals(i.getHostname()));
            if (!mine) {
                out.add(i);
            }
        }
        return out;
    }
}
