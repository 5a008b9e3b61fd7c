package io.shardlb.events.kafka;

import io.shardlb.events.log.LogOptions;
import io.shardlb.events.log.Outgoing;
import io.shardlb.events.log.SampleRecords;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.time.Duration;
import java.util.List;

/**
 * A fenced writer that dies inside a batch (the parent kills it with -9): with the same producer settings as
 * {@link KafkaFencedWriter}, it commits {@code committed} plan records, then begins a transaction, sends
 * {@code open} more, flushes them to the log, prints {@code OPEN} and waits to be killed.
 * Args: bootstrap prefix transactionalId tag committed open txTimeoutMs.
 */
public final class MidBatchWriterMain {
    private MidBatchWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        LogOptions options = LogOptions.defaults().withTopicPrefix(args[1])
                .withTransactionTimeout(Duration.ofMillis(Long.parseLong(args[6])));
        String tag = args[3];
        int committed = Integer.parseInt(args[4]);
        int open = Integer.parseInt(args[5]);
        KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaClients.fencedProducer(bootstrap, options, args[2]));
        p.initTransactions();
        p.beginTransaction();
        send(p, options, SampleRecords.rules(tag, 0, committed));
        p.commitTransaction();
        p.beginTransaction();
        send(p, options, SampleRecords.rules(tag, committed, open));
        p.flush();
        System.out.println("OPEN");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10));
    }

    private static void send(KafkaProducer<String, byte[]> p, LogOptions options, List<Outgoing> records) {
        for (Outgoing r : records) {
            p.send(KafkaRecords.toProducerRecord(options.topicPrefix(), "dead-planner", r));
        }
    }
}
