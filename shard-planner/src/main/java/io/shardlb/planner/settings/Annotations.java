package io.shardlb.planner.settings;

import java.util.List;

/**
 * The input annotation keys: kube-loxilb's {@code loxilb.io/*} names (as defined in kube-loxilb
 * pkg/agent/manager/loadbalancer/loadbalancer.go) and their {@code shardlb.io/*} aliases. Keys under
 * {@code status.shardlb.io/} are shardlb's outputs and are never read.
 */
public final class Annotations {
    private Annotations() {
    }

    /** One input setting: the kube-loxilb key and its shardlb alias. */
    public record Key(String loxilb, String alias) {
    }

    /** LB mode. */
    public static final Key LB_MODE = new Key("loxilb.io/lbmode", "shardlb.io/lbmode");
    /** Pin to an instance. */
    public static final Key ZONE_INSTANCE = new Key("loxilb.io/zoneinstance", "shardlb.io/zoneinstance");
    /** Pool name. */
    public static final Key POOL = new Key("loxilb.io/poolSelect", "shardlb.io/pool");
    /** Static address. */
    public static final Key STATIC_IP = new Key("loxilb.io/staticIP", "shardlb.io/ip");
    /** Endpoint selection. */
    public static final Key EP_SELECT = new Key("loxilb.io/epselect", "shardlb.io/epselect");
    /** Idle timeout in seconds. */
    public static final Key TIMEOUT = new Key("loxilb.io/timeout", "shardlb.io/timeout");
    /** VIP address family. */
    public static final Key IPAM = new Key("loxilb.io/ipam", "shardlb.io/ipam");

    /** Every input setting. */
    public static final List<Key> ALL = List.of(LB_MODE, ZONE_INSTANCE, POOL, STATIC_IP, EP_SELECT, TIMEOUT, IPAM);

    /** Prefix of shardlb's output annotations. */
    public static final String OUTPUT_PREFIX = "status.shardlb.io/";
}
