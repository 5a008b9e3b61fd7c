package io.shardlb.bridge.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * The Lease the controllers elect a leader on.
 *
 * @param namespace     the Lease's namespace
 * @param name          the Lease's name
 * @param identity      this process (the pod name)
 * @param leaseDuration how long a standby waits after the last renewal before taking over
 * @param renewDeadline how long the leader keeps trying to renew before giving up (less than the duration)
 * @param retryPeriod   how often candidates try
 */
public record LeaseConfig(String namespace, String name, String identity, Duration leaseDuration,
                          Duration renewDeadline, Duration retryPeriod) {
    public LeaseConfig {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("leader identity must not be blank: identity=" + identity);
        }
        if (renewDeadline.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("renew deadline must be shorter than the lease: renewDeadline="
                    + renewDeadline + " leaseDuration=" + leaseDuration);
        }
        if (retryPeriod.compareTo(renewDeadline) >= 0) {
            throw new IllegalArgumentException("retry period must be shorter than the renew deadline: retryPeriod="
                    + retryPeriod + " renewDeadline=" + renewDeadline);
        }
    }

    /** A lease of {@code leaseDuration}, renewed within 2/3 of it, retried every 1/5 of it. */
    public static LeaseConfig of(String namespace, String name, String identity, Duration leaseDuration) {
        return new LeaseConfig(namespace, name, identity, leaseDuration,
                leaseDuration.multipliedBy(2).dividedBy(3), leaseDuration.dividedBy(5));
    }
}
