package io.shardlb.cli.local;

import io.shardlb.cli.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a local system, all under {@code .shardlb/local/} of the working directory, so that commands run
 * from the same directory in another terminal ({@code apply}, {@code kill-agent}, {@code get}, {@code replay}) find
 * it without flags.
 */
public record LocalHome(Path dir) {
    /** The local system of the working directory. */
    public static final LocalHome CURRENT = new LocalHome(Path.of(".shardlb", "local"));

    /** Held by the running {@code shardlb local}: a second start in the same directory finds it taken. */
    public Path lock() {
        return dir.resolve("lock");
    }

    /** Where the embedded Kafka broker keeps its data between runs. */
    public Path kafka() {
        return dir.resolve("kafka");
    }

    /** The kubeconfig of the embedded Kubernetes API. */
    public Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    /** The URI of the log (read by {@code get}, {@code replay}, {@code log} when no {@code --log} is given). */
    public Path logUri() {
        return dir.resolve("log-uri");
    }

    /** The address of the control endpoint ({@code kill-agent}, {@code restart-agent}). */
    public Path control() {
        return dir.resolve("control");
    }

    /** Output of the child processes, one file each. */
    public Path logs() {
        return dir.resolve("logs");
    }

    /** An agent's local plan journal. */
    public Path journal(String agent) {
        return dir.resolve("journal").resolve(agent);
    }

    /** Reads a file the running local system wrote, or explains that none runs here. */
    String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("no local system is running in this directory (" + file + " is missing); start one "
                    + "with: bin/shardlb local");
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
    }

    void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content + "\n");
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage());
        }
    }

    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale file points at a stopped system; the next start rewrites it
        }
    }
}
