/** The EventLog on Kafka: topics, the plain and fenced writers, read_committed readers. */
package io.shardlb.events.kafka;
