package io.shardlb.ipam;

/** The addresses one Service holds: at most one per family (null: none). */
record ServiceAddresses(IpAddress v4, IpAddress v6) {
    static final ServiceAddresses NONE = new ServiceAddresses(null, null);

    IpAddress get(IpFamily family) {
        return family == IpFamily.V4 ? v4 : v6;
    }

    ServiceAddresses with(IpFamily family, IpAddress ip) {
        return family == IpFamily.V4 ? new ServiceAddresses(ip, v6) : new ServiceAddresses(v4, ip);
    }

    boolean isEmpty() {
        return v4 == null && v6 == null;
    }
}
