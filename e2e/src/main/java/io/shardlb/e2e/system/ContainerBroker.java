package io.shardlb.e2e.system;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.shardlb.events.kafka.DockerKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One broker in a Testcontainers Kafka container (the container every control-events test uses, {@link DockerKafka}),
 * its client port bound to a fixed host port so that a killed and restarted container keeps its address (the
 * advertised listener is written once, at the first start). Only touched when Docker answers: every Testcontainers
 * class stays behind this one.
 */
final class ContainerBroker implements Brokers {
    private static final int KAFKA_PORT = 9092;

    private final KafkaContainer kafka;
    private final String bootstrap;

    ContainerBroker() {
        int hostPort = freePort();
        this.kafka = DockerKafka.container().withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withPortBindings(new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(KAFKA_PORT))));
        kafka.start();
        this.bootstrap = kafka.getBootstrapServers();
    }

    /** Whether a Docker daemon answers Testcontainers (and the project's fixture would try it at all). */
    static boolean dockerAvailable() {
        return io.shardlb.events.kafka.KafkaFixture.dockerWanted() && DockerClientFactory.instance().isDockerAvailable();
    }

    @Override
    public String bootstrap() {
        return bootstrap;
    }

    @Override
    public String describe() {
        return "Testcontainers " + kafka.getDockerImageName() + " at " + bootstrap;
    }

    @Override
    public List<Integer> nodes() {
        return List.of(1);
    }

    @Override
    public void kill(int node) {
        check(node);
        DockerClientFactory.instance().client().killContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void restart(int node) {
        check(node);
        DockerClientFactory.instance().client().startContainerCmd(kafka.getContainerId()).exec();
        awaitServing(Children.START_TIMEOUT);
    }

    /** Until the broker answers a metadata request (the container is up before Kafka is). */
    private void awaitServing(Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Await.until("the Kafka container serves again at " + bootstrap, timeout, Duration.ofMillis(200), () -> {
                try {
                    return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private static void check(int node) {
        if (node != 1) {
            throw new IllegalArgumentException("a single broker has node 1 only: node=" + node);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kafka.stop();
    }
}
