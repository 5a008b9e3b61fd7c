package io.shardlb.ipam;

/** An address family: one VIP per family a Service asks for. */
public enum IpFamily {
    /** IPv4, pools from {@code --cidrPools}. */
    V4("IPv4", "--cidrPools"),
    /** IPv6, pools from {@code --cidr6Pools}. */
    V6("IPv6", "--cidr6Pools");

    private final String kubeName;
    private final String flag;

    IpFamily(String kubeName, String flag) {
        this.kubeName = kubeName;
        this.flag = flag;
    }

    /** The name Kubernetes uses in {@code spec.ipFamilies}: {@code IPv4} or {@code IPv6}. */
    public String kubeName() {
        return kubeName;
    }

    /** The flag its pools come from. */
    public String flag() {
        return flag;
    }
}
