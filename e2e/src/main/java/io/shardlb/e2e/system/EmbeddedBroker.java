package io.shardlb.e2e.system;

import io.shardlb.events.embedded.EmbeddedKafkaProcess;

import java.nio.file.Path;
import java.util.List;

/** One embedded broker in a child JVM, its data (and, while free, its port) kept in {@code dir} across restarts. */
final class EmbeddedBroker implements Brokers {
    private final Path dir;
    private final List<String> args;
    private EmbeddedKafkaProcess broker;

    EmbeddedBroker(Path dir, List<String> args) {
        this.dir = dir;
        this.args = List.copyOf(args);
        this.broker = launch();
    }

    /** With the start timeout a loaded 2-core machine needs. */
    private EmbeddedKafkaProcess launch() {
        return EmbeddedKafkaProcess.start(dir, args, EmbeddedKafkaProcess.QUICK_START_JVM, Children.START_TIMEOUT);
    }

    @Override
    public String bootstrap() {
        return broker.bootstrap();
    }

    @Override
    public String describe() {
        return "embedded broker (child JVM) at " + bootstrap();
    }

    @Override
    public List<Integer> nodes() {
        return List.of(1);
    }

    @Override
    public void kill(int node) {
        check(node);
        broker.kill();
    }

    @Override
    public void restart(int node) {
        check(node);
        String before = broker.bootstrap();
        broker = launch();
        if (!broker.bootstrap().equals(before)) {
            throw new IllegalStateException("the broker came back on another address: " + broker.bootstrap()
                    + " (was " + before + ")");
        }
    }

    private static void check(int node) {
        if (node != 1) {
            throw new IllegalArgumentException("a single broker has node 1 only: node=" + node);
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
