package io.shardlb.cli.local;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.shardlb.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code shardlb local}: the seed guide's walk-through on this machine, no cluster, no root. Starts the embedded
 * Kafka broker, an embedded Kubernetes API, the controller and three agents; applies {@code examples/seed.yaml};
 * shows each agent's {@code get ha} table, the Services with their external IPs and the curl commands; then prints
 * a line per planner decision until Ctrl-C, which stops every part and leaves no process behind.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run the seed walk-through on this machine: Kafka, Kubernetes API, controller, three agents.")
public final class LocalCommand implements Runnable {
    /** Held strongly: java.util.logging forgets a configured logger nobody references. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8");

    @Option(names = "--datapath", defaultValue = "proxy",
            description = "proxy (loopback VIPs 127.0.80.250/24, no root) or xdp (as root: VIPs 198.18.80.250/24, agents "
                    + "with the XDP forwarder in network namespaces, traffic from the client namespace slbl-cl)")
    String datapath;
    @Option(names = {"-f", "--seed"}, paramLabel = "FILE", description = "objects to apply at start "
            + "(default: examples/seed.yaml of this checkout)")
    Path seed;
    @Option(names = "--exit", description = "stop everything after the walk-through instead of waiting for Ctrl-C")
    boolean exitAfterWalkthrough;

    @Override
    public void run() {
        if (!"proxy".equals(datapath) && !"xdp".equals(datapath)) {
            throw new UserError("--datapath " + datapath + ": proxy (loopback) or xdp (root, network namespaces)");
        }
        if ("xdp".equals(datapath) && !isRoot()) {
            throw new UserError("--datapath xdp needs root (it builds network namespaces and loads XDP programs); "
                    + "without root use --datapath proxy");
        }
        Path seedFile = seed != null ? seed : defaultSeed();
        if (!Files.isRegularFile(seedFile)) {
            throw new UserError("no seed file at " + seedFile + " (give one with --seed FILE)");
        }
        quietLogs();
        LocalHome home = LocalHome.CURRENT;
        try {
            Files.createDirectories(home.dir());
        } catch (IOException e) {
            throw new UserError("cannot create " + home.dir() + ": " + e.getMessage());
        }
        try (FileChannel lockFile = FileChannel.open(home.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new UserError("a local shardlb is already running in this directory (" + home.lock()
                        + " is held); stop it with Ctrl-C first");
            }
            runLocked(home, seedFile, System.out);
        } catch (IOException e) {
            throw new UserError("cannot lock " + home.lock() + ": " + e.getMessage());
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The terminal is for the walk-through: this process's own logs go to WARN (the components' logs are in
     * their files), and the mock server's per-request lines (java.util.logging) are dropped.
     */
    private static void quietLogs() {
        // our shutdown hook still logs (Kafka clients closing); log4j's own hook must not stop logging first
        System.setProperty("log4j2.shutdownHookEnabled", "false");
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** {@code examples/seed.yaml} of the checkout {@code bin/shardlb} runs from (else of the working directory). */
    private static Path defaultSeed() {
        String root = System.getProperty("shardlb.home");
        return (root == null ? Path.of(".") : Path.of(root)).resolve("examples").resolve("seed.yaml");
    }

    private void runLocked(LocalHome home, Path seedFile, PrintStream out) {
        LocalSettings settings = "xdp".equals(datapath) ? LocalSettings.XDP : LocalSettings.LOOPBACK;
        // the xdp VIPs live in namespaces of their own: their names are checked when the network is built
        LocalPorts.requireFree(settings.ports().needs(3, settings.xdp() ? List.of()
                : List.of("127.0.80.250:57002", "127.0.80.251:57002")));
        LocalSystem system = new LocalSystem(home, settings, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println();
            out.println("stopping: agents, controller, Kubernetes API, backends, Kafka …");
            system.close();
            out.println("stopped; no process left (data kept in " + home.dir() + ")");
            stopped.countDown();
        }, "local-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        system.start();
        try (ControlEndpoint control = ControlEndpoint.start(system::kill, system::restart)) {
            home.write(home.control(), control.address());
            walkthrough(system, seedFile, settings.xdp() ? "ip netns exec " + LocalNetwork.CLIENT_NS + " curl"
                    : "curl", out);
            if (exitAfterWalkthrough) {
                return;
            }
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            home.delete(home.control());
            if (exitAfterWalkthrough && Runtime.getRuntime().removeShutdownHook(hook)) {
                hook.run();
            }
        }
    }

    /** A path of this checkout as the user would type it from its root. */
    private static String shown(Path file) {
        String root = System.getProperty("shardlb.home");
        Path abs = file.toAbsolutePath().normalize();
        if (root != null && abs.startsWith(Path.of(root).toAbsolutePath().normalize())) {
            return Path.of(root).toAbsolutePath().normalize().relativize(abs).toString();
        }
        return file.toString();
    }

    private static void walkthrough(LocalSystem system, Path seedFile, String curl, PrintStream out) {
        system.step("applying " + shown(seedFile));
        List<HasMetadata> items = Manifests.load(system.client(), seedFile);
        Manifests.apply(system.client(), items).forEach(l -> out.println("      " + l));
        List<Service> services = items.stream().filter(Service.class::isInstance).map(Service.class::cast).toList();
        SeedReport.awaitServed(system, system.client(), services);
        system.step("served: what the seed guide shows, read from the running system", false);
        out.println();
        SeedReport.printHa(system, out);
        out.println();
        SeedReport.printServices(system.client(), services, curl, out);
        out.println();
        out.println("Decisions, as the planner commits them (Ctrl-C stops everything):");
        DecisionLines lines = new DecisionLines(system.log(), system.firstDecision(), out);
        lines.start();
        system.onClose(lines);
    }
}
