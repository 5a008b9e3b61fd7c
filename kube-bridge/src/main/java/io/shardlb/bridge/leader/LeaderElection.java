package io.shardlb.bridge.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leader election on a Kubernetes Lease with fabric8's {@link LeaderElector}. Only the leader writes facts,
 * decides and patches Services; a standby takes over once the lease has not been renewed for its duration.
 * Two processes may briefly both believe they lead (a paused leader); the planner's fenced writer keeps the log
 * safe then, so this is about saving work, not about safety.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    private final LeaderElector elector;
    private final AtomicBoolean leading = new AtomicBoolean();
    private CompletableFuture<?> running;

    /** An election, not started. */
    public LeaderElection(KubernetesClient client, LeaseConfig lease, LeadershipListener listener) {
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> {
                    leading.set(true);
                    LOG.info("{} leads (lease {}/{})", lease.identity(), lease.namespace(), lease.name());
                    listener.onStartLeading();
                },
                () -> {
                    leading.set(false);
                    LOG.info("{} stopped leading", lease.identity());
                    listener.onStopLeading();
                },
                listener::onNewLeader);
        this.elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("shardlb-controller")
                .withLock(new LeaseLock(lease.namespace(), lease.name(), lease.identity()))
                .withLeaseDuration(lease.leaseDuration())
                .withRenewDeadline(lease.renewDeadline())
                .withRetryPeriod(lease.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(callbacks)
                .build()).build();
    }

    /** Starts campaigning in the background. */
    public synchronized void start() {
        if (running == null) {
            running = elector.start();
        }
    }

    /** Whether this process leads right now. */
    public boolean isLeading() {
        return leading.get();
    }

    /** Stops campaigning; a leader releases the Lease so a standby takes over at once. */
    @Override
    public synchronized void close() {
        if (running != null) {
            running.cancel(true);
            running = null;
        }
    }
}
