package io.shardlb.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's mock API server in CRUD mode on loopback, reached through a kubeconfig file (the path a real
 * cluster uses). Requests are recorded as (method, path, content type, user agent).
 */
final class MockKube implements AutoCloseable {
    static final String USER_AGENT = "shardlb-test-user";
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** One request as the mock saw it. */
    record Request(String method, String path, String contentType, String userAgent) {
    }

    private final KubernetesMockServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Path kubeconfig;
    private final KubernetesClient user;

    MockKube(Path dir) throws IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        Dispatcher crud = new KubernetesMixedDispatcher(responses);
        Dispatcher recording = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("Content-Type"),
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
        Config config = Config.fromKubeconfig(kubeconfig.toFile());
        config.setUserAgent(USER_AGENT);
        user = new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The kubeconfig file the controller is given. */
    Path kubeconfig() {
        return kubeconfig;
    }

    /** A client standing for the user (kubectl); its requests are marked. */
    KubernetesClient user() {
        return user;
    }

    /** Requests the controllers made (everything but the user's). */
    List<Request> controllerRequests() {
        return requests.stream().filter(r -> !USER_AGENT.equals(r.userAgent())).toList();
    }

    @Override
    public void close() {
        user.close();
        server.destroy();
    }
}
