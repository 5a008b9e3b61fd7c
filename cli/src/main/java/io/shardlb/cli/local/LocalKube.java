package io.shardlb.cli.local;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * The embedded Kubernetes API: fabric8's mock server in CRUD mode on loopback, reached through a kubeconfig file
 * as a real cluster would be. It stores objects and serves watches, and nothing else: no defaulting, no
 * allocation, no kubelet (see {@link LocalKubelet} and {@link Manifests} for the parts local mode plays).
 */
final class LocalKube implements AutoCloseable {
    private final KubernetesMockServer server;

    private LocalKube(KubernetesMockServer server) {
        this.server = server;
    }

    /** Serves on {@code 127.0.0.1:port} and writes the kubeconfig that reaches it. */
    static LocalKube start(int port, LocalHome home) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        home.write(home.kubeconfig(), kubeconfig(port));
        return new LocalKube(server);
    }

    static String kubeconfig(int port) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: shardlb-local
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: shardlb-local
                  context:
                    cluster: shardlb-local
                    user: local
                    namespace: default
                current-context: shardlb-local
                users:
                - name: local
                  user:
                    token: local-mode-checks-no-token""".formatted(port);
    }

    /** A client of the API at the kubeconfig in {@code home}. */
    static KubernetesClient client(Path kubeconfig) {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build();
    }

    @Override
    public void close() {
        server.destroy();
    }
}
