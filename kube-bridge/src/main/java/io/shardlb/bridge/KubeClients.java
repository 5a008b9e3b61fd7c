package io.shardlb.bridge;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the fabric8 client the controller uses: from a kubeconfig file, or in-cluster when none is given. */
public final class KubeClients {
    private KubeClients() {
    }

    /**
     * A client for the cluster {@code kubeconfig} describes (its current context); with {@code null}, the usual
     * discovery (service account in a pod, {@code ~/.kube/config} elsewhere).
     */
    public static KubernetesClient connect(Path kubeconfig) {
        if (kubeconfig == null) {
            return new KubernetesClientBuilder().build();
        }
        if (!Files.isReadable(kubeconfig)) {
            throw new IllegalArgumentException("kubeconfig is not a readable file: --kubeconfig=" + kubeconfig);
        }
        File file = kubeconfig.toFile();
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(file)).build();
    }
}
