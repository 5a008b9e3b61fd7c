package io.shardlb.e2e.scenario;

import io.shardlb.events.schema.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where the log's partitions live on a cluster, as Kafka's admin API tells: replicas, leader and in-sync set of
 * every partition of {@code heartbeats}, {@code plan} and {@code events}, and each topic's min.insync.replicas.
 *
 * @param partitions every partition, by topic suffix and partition number ("plan-0")
 * @param minIsr     min.insync.replicas by topic suffix
 */
public record TopicLayout(Map<String, TopicPartitionInfo> partitions, Map<String, Integer> minIsr) {
    private static final List<Topic> WATCHED = List.of(Topic.HEARTBEATS, Topic.PLAN, Topic.EVENTS);

    /** Reads the layout now. */
    public static TopicLayout read(String bootstrap, String prefix) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            List<String> names = WATCHED.stream().map(t -> t.nameWith(prefix)).toList();
            Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
            List<ConfigResource> resources = names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
            Map<String, TopicPartitionInfo> parts = new LinkedHashMap<>();
            Map<String, Integer> minIsr = new LinkedHashMap<>();
            for (Topic t : WATCHED) {
                String name = t.nameWith(prefix);
                for (TopicPartitionInfo p : d.get(name).partitions()) {
                    parts.put(t.suffix() + "-" + p.partition(), p);
                }
                minIsr.put(t.suffix(), Integer.parseInt(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()));
            }
            return new TopicLayout(Map.copyOf(parts), Map.copyOf(minIsr));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the log's topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Whether every partition has a leader and its full replica set in sync (no broker fenced for a moment). */
    public boolean settled() {
        return partitions.values().stream().allMatch(p -> p.leader() != null && p.isr().size() == p.replicas().size());
    }

    /** The partitions node {@code node} leads. */
    public List<String> ledBy(int node) {
        return partitions.entrySet().stream().filter(e -> e.getValue().leader() != null
                && e.getValue().leader().id() == node).map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * The worst broker to lose: the one leading most of heartbeats and plan (then events), the plan's leader on a
     * tie: its loss stalls the most beats' partitions and the decisions agents follow at once.
     */
    public int worstToLose(List<Integer> nodes) {
        List<Integer> ranked = new ArrayList<>(nodes);
        ranked.sort(Comparator.comparingInt((Integer n) -> score(n)).reversed());
        return ranked.getFirst();
    }

    private int score(int node) {
        int s = 0;
        for (String p : ledBy(node)) {
            s += p.startsWith("events") ? 1 : p.startsWith("plan") ? 3 : 2;
        }
        return s;
    }

    /** Replicas, leader and ISR per partition, for messages. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        partitions.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.append(e.getKey())
                .append(" replicas ").append(ids(e.getValue().replicas())).append(" leader ")
                .append(e.getValue().leader() == null ? "none" : e.getValue().leader().id()).append(" isr ")
                .append(ids(e.getValue().isr())).append("; "));
        return b.append("min.insync.replicas ").append(minIsr).toString();
    }

    private static List<Integer> ids(List<org.apache.kafka.common.Node> nodes) {
        return nodes.stream().map(org.apache.kafka.common.Node::id).toList();
    }
}
