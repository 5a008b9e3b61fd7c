package io.shardlb.events.schema;

/**
 * A configured address pool as written in kube-loxilb's flags: {@code name=CIDR} or {@code name=start-end}.
 *
 * @param name  the pool name, e.g. {@code defaultPool}
 * @param range the CIDR or range text, e.g. {@code 192.168.80.250/24} or {@code 198.18.0.10-198.18.0.20}
 */
public record Pool(String name, String range) {
    public Pool {
        name = Values.str(name);
        range = Values.str(range);
    }

    @Override
    public String toString() {
        return name + "=" + range;
    }
}
