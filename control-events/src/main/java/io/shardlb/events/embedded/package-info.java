/**
 * A real Kafka (KRaft, combined broker and controller) on loopback for tests and local runs: in this JVM
 * ({@link io.shardlb.events.embedded.EmbeddedKafka}), as a child JVM
 * ({@link io.shardlb.events.embedded.EmbeddedKafkaProcess}) or as a cluster of child JVMs
 * ({@link io.shardlb.events.embedded.EmbeddedKafkaCluster}).
 */
package io.shardlb.events.embedded;
