package io.shardlb.cli.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.shardlb.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code shardlb apply -f FILE}: creates or updates the objects of a YAML file in the running local system. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create or update Services, Pods, … from a YAML file in the local system's Kubernetes API.")
public final class ApplyCommand implements Runnable {
    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "the YAML file")
    Path file;
    @Option(names = "--delete", description = "delete the file's objects instead")
    boolean delete;

    @Override
    public void run() {
        LocalHome home = LocalHome.CURRENT;
        home.read(home.control()); // the API answers only while the local system runs: say so plainly
        try (KubernetesClient client = LocalKube.client(home.kubeconfig())) {
            var items = Manifests.load(client, file);
            (delete ? Manifests.delete(client, items) : Manifests.apply(client, items)).forEach(System.out::println);
        } catch (KubernetesClientException e) {
            throw new UserError("the local Kubernetes API refused: " + e.getMessage());
        }
    }
}
