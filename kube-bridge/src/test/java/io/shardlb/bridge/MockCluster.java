package io.shardlb.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's mock API server in CRUD mode on loopback, reached through a kubeconfig file this class writes (the
 * same path a real cluster uses). Every request is recorded as the API server saw it, for the RBAC list and for
 * judging what the controller wrote.
 */
public final class MockCluster implements AutoCloseable {
    /** The mock logs every request through java.util.logging at INFO; held so the level sticks. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
    private final Path kubeconfig;
    private final List<KubernetesClient> clients = new ArrayList<>();

    public MockCluster(Path dir) throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        Dispatcher crud = new KubernetesMixedDispatcher(responses);
        Dispatcher recording = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(ApiRequest.of(request.getMethod(), request.getPath(), request.getHeader("Content-Type"),
                        request.getHeader("User-Agent")));
                return crud.dispatch(request);
            }

            @Override
            public void shutdown() {
                crud.shutdown();
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, recording, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: controller
                    namespace: default
                current-context: mock
                users:
                - name: controller
                  user:
                    token: not-checked-by-the-mock
                """.formatted(server.getPort()));
    }

    /** A new client built from the kubeconfig file, as the controller builds it. */
    public synchronized KubernetesClient client() {
        KubernetesClient c = KubeClients.connect(kubeconfig);
        clients.add(c);
        return c;
    }

    /** The User-Agent of {@link #userClient()}: what a person or another tool does, not the controller. */
    public static final String USER_AGENT = "shardlb-test-user";

    /** A client standing for the user (kubectl): its requests are marked and left out of the RBAC list. */
    public synchronized KubernetesClient userClient() {
        io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig(
                kubeconfig.toFile());
        config.setUserAgent(USER_AGENT);
        KubernetesClient c = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
        clients.add(c);
        return c;
    }

    /** Requests the controller made (everything but the user client's). */
    public List<ApiRequest> controllerRequests() {
        return requests.stream().filter(r -> !USER_AGENT.equals(r.userAgent())).toList();
    }

    /** Every request seen so far. */
    public List<ApiRequest> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the requests seen so far. */
    public void clearRequests() {
        requests.clear();
    }

    @Override
    public synchronized void close() {
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }
}
