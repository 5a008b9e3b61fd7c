package io.shardlb.e2e.system;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * The Kubernetes API stand-in: fabric8's mock server in CRUD mode on loopback, reached by the controller through a
 * kubeconfig file (the path a real cluster uses), and by the test through a client standing for the user.
 * See the shared note on where it differs from a real API server.
 */
public final class MockApi implements AutoCloseable {
    /** Held: JUL keeps loggers weakly, so a level set on an unreferenced logger is lost at the next GC. */
    private static final java.util.logging.Logger FABRIC8_JUL = java.util.logging.Logger.getLogger("io.fabric8");

    static {
        FABRIC8_JUL.setLevel(java.util.logging.Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final Path kubeconfig;
    private final KubernetesClient user;

    /** Starts the server and writes its kubeconfig into {@code dir}. */
    public MockApi(Path dir) {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest,
                java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        kubeconfig = dir.resolve("kubeconfig");
        try {
            Files.createDirectories(dir);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        user = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build();
    }

    /** The kubeconfig file the controller is given. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A client standing for the user (kubectl) and for the cluster's own controllers (EndpointSlices). */
    public KubernetesClient user() {
        return user;
    }

    @Override
    public void close() {
        user.close();
        server.destroy();
    }
}
