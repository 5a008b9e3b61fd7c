package io.shardlb.ipam;

/** A bad pool configuration; the message names the flag and the bad value. It stops start-up. */
public final class PoolConfigException extends IllegalArgumentException {
    public PoolConfigException(String flag, String problem) {
        super(flag + ": " + problem);
    }
}
