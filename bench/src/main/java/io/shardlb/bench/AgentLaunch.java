package io.shardlb.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An agent JVM ({@code AgentMain}) started as the image starts it: on the class path's jars only (an AOT cache
 * takes no class directories), timed from launch to its ready line.
 */
final class AgentLaunch {
    private static final String MAIN = "io.shardlb.agent.control.AgentMain";
    private static final String READY = "AGENT READY";
    private static final long TIMEOUT_S = 300;

    private final Process process;
    private final String readyLine;
    private final double readyMillis;

    private AgentLaunch(Process process, String readyLine, double readyMillis) {
        this.process = process;
        this.readyLine = readyLine;
        this.readyMillis = readyMillis;
    }

    /** Starts the agent and waits for its ready line. */
    static AgentLaunch start(List<String> jvm, List<String> args, Path out) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(jars());
        cmd.add(MAIN);
        cmd.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> pump(p, out, ready));
        String line;
        try {
            line = ready.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("agent not ready (output in " + out + ")", e);
        }
        return new AgentLaunch(p, line, (System.nanoTime() - t0) / 1e6);
    }

    /**
     * One training start writing an AOT cache to {@code cache}: started, ready, then SIGTERM (an agent that never
     * reached the log stops at once); the JVM writes the cache as it exits.
     */
    static void train(List<String> jvm, List<String> args, Path cache, Path out) throws Exception {
        List<String> training = new ArrayList<>(jvm);
        training.add("-XX:AOTCacheOutput=" + cache);
        AgentLaunch agent = start(training, args, out);
        // SIGTERM through the handle: Process.destroy() also closes our end of the child's stdout, and the JVM
        // then fails to write the cache (it reports on stdout as it exits).
        agent.process.toHandle().destroy();
        if (!agent.process.waitFor(TIMEOUT_S, TimeUnit.SECONDS) || !Files.isRegularFile(cache)) {
            agent.process.destroyForcibly();
            String log = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            throw new IllegalStateException("AOT cache not written; training output ends: "
                    + log.substring(Math.max(0, log.length() - 2000)));
        }
    }

    /** The class path's jars (the modules' own jars included), without class directories. */
    private static String jars() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> e.endsWith(".jar")).collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static void pump(Process p, Path log, CompletableFuture<String> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!ready.isDone() && line.startsWith(READY)) {
                    ready.complete(line);
                }
                w.write(line);
                w.write('\n');
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the agent exited"));
    }

    String readyLine() {
        return readyLine;
    }

    double readyMillis() {
        return readyMillis;
    }

    /** SIGKILL, and wait until gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
