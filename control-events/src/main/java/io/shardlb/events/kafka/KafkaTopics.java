package io.shardlb.events.kafka;

import io.shardlb.events.log.LogException;
import io.shardlb.events.log.LogOptions;
import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the log's topics if absent, with the configs DESIGN.md gives them, and reports their partition counts.
 * Existing topics are left as they are: an operator may have tuned them.
 */
final class KafkaTopics {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
    private static final long TIMEOUT_S = 30;

    private KafkaTopics() {
    }

    /** Creates what is missing; returns the partition count of every topic. */
    static Map<Topic, Integer> ensure(Admin admin, LogOptions options) {
        try {
            List<Integer> brokers = admin.describeCluster().nodes().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
                    .map(Node::id).sorted().toList();
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic t : Topic.values()) {
                if (!existing.contains(t.nameWith(options.topicPrefix()))) {
                    missing.add(newTopic(t, options, brokers));
                }
            }
            create(admin, missing);
            Map<Topic, Integer> partitions = describe(admin, options);
            if (!missing.isEmpty()) {
                awaitLeaders(admin, options, partitions);
            }
            return partitions;
        } catch (ExecutionException | TimeoutException e) {
            throw new LogException("cannot create or describe the log's topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while creating topics", e);
        }
    }

    private static void create(Admin admin, Collection<NewTopic> topics)
            throws InterruptedException, TimeoutException, ExecutionException {
        if (topics.isEmpty()) {
            return;
        }
        for (var e : admin.createTopics(topics).values().entrySet()) {
            try {
                e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
                LOG.info("created topic {}", e.getKey());
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw ex;
                }
                // another process created it at the same moment: fine
            }
        }
    }

    /** Partition counts; a topic just created may take a moment to be known everywhere, so retry. */
    private static Map<Topic, Integer> describe(Admin admin, LogOptions options)
            throws InterruptedException, TimeoutException, ExecutionException {
        List<String> names = List.of(Topic.values()).stream().map(t -> t.nameWith(options.topicPrefix())).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                        .get(TIMEOUT_S, TimeUnit.SECONDS);
                Map<Topic, Integer> partitions = new EnumMap<>(Topic.class);
                for (Topic t : Topic.values()) {
                    partitions.put(t, described.get(t.nameWith(options.topicPrefix())).partitions().size());
                }
                return partitions;
            } catch (ExecutionException e) {
                retryOrThrow(e, deadline);
            }
        }
    }

    private static void retryOrThrow(ExecutionException e, long deadline)
            throws ExecutionException, InterruptedException {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
            throw e;
        }
        Thread.sleep(50);
    }

    /**
     * Waits until every partition's leader serves it. Producing earlier can get NOT_LEADER on one batch and
     * success on the next, leaving an idempotent producer retrying an out-of-order sequence until it expires.
     */
    private static void awaitLeaders(Admin admin, LogOptions options, Map<Topic, Integer> partitions)
            throws InterruptedException, TimeoutException, ExecutionException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach((t, n) -> {
            for (int p = 0; p < n; p++) {
                request.put(new TopicPartition(t.nameWith(options.topicPrefix()), p), OffsetSpec.latest());
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            try {
                admin.listOffsets(request).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                retryOrThrow(e, deadline);
            }
        }
    }

    static NewTopic newTopic(Topic t, LogOptions options, List<Integer> brokers) {
        int rf = t == Topic.HEARTBEATS
                ? heartbeatReplication(options.heartbeatPartitions(), brokers.size())
                : Math.min(3, brokers.size());
        String name = t.nameWith(options.topicPrefix());
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(rf >= 3 ? 2 : 1));
        return switch (t) {
            case EVENTS, PLAN -> {
                configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
                configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
                yield new NewTopic(name, Optional.of(1), Optional.of((short) rf)).configs(configs);
            }
            case HEARTBEATS -> {
                long retention = options.heartbeatRetention().toMillis();
                configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention));
                // Retention deletes closed segments only: roll often enough for it to bite.
                configs.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Math.max(60_000, retention / 4)));
                // unclean.leader.election.enable is left at Kafka's default, false, which the arbiter relies on: a
                // leader elected from outside the in-sync replicas could lack an acknowledged beat. (Stating it in
                // the topic config stopped beats from being acknowledged on the single embedded broker; not
                // understood yet.)
                if (rf == 1 && brokers.size() > 1) {
                    LOG.warn("heartbeats: {} partitions on {} brokers get one replica each (so that no broker"
                            + " holds every partition); a dead broker then stops AgentDown decisions until it is"
                            + " back. Use at least as many partitions as brokers (3 on 3) for replicated ones.",
                            options.heartbeatPartitions(), brokers.size());
                }
                yield new NewTopic(name, assignment(options.heartbeatPartitions(), brokers, rf)).configs(configs);
            }
            case SNAPSHOTS -> {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                configs.put(TopicConfig.SEGMENT_MS_CONFIG, "3600000");
                yield new NewTopic(name, Optional.of(1), Optional.of((short) rf)).configs(configs);
            }
        };
    }

    /**
     * Replication factor of the heartbeats partitions: the largest (up to 3) that still leaves every broker out
     * of at least one partition's replicas (see {@link #assignment}). Why: with acks=all a partition acknowledges
     * nothing while a dead replica is still in its in-sync set, which lasts until the controller fences that
     * broker (its session timeout, plus a controller election if it was the active controller). If every
     * partition had the dead broker as a replica, every partition would stall for that long and every agent's
     * lease would lapse at once; a partition without it keeps acknowledging as if nothing happened. A single
     * partition cannot avoid any broker: it gets min(3, brokers) as the other topics do.
     */
    static int heartbeatReplication(int partitions, int brokers) {
        if (partitions == 1) {
            return Math.min(3, brokers);
        }
        return Math.clamp(brokers - Math.ceilDiv(brokers, partitions), 1, 3);
    }

    /**
     * Partition {@code p} gets {@code rf} consecutive brokers (in id order, wrapping) starting at broker
     * {@code p * n / partitions} ({@code p mod n} when there are more partitions than brokers). The first replica
     * is the preferred leader, so consecutive partitions are led by different brokers; and with the starts spread
     * evenly and {@code rf <= n - ceil(n / partitions)} ({@link #heartbeatReplication}), every broker lies in the
     * gap before some partition's start, outside that partition's replicas.
     */
    static Map<Integer, List<Integer>> assignment(int partitions, List<Integer> brokers, int rf) {
        int n = brokers.size();
        Map<Integer, List<Integer>> a = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            int start = partitions <= n ? p * n / partitions : p % n;
            List<Integer> replicas = new ArrayList<>(rf);
            for (int r = 0; r < rf; r++) {
                replicas.add(brokers.get((start + r) % n));
            }
            a.put(p, replicas);
        }
        return a;
    }
}
