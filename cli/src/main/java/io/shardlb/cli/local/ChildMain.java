package io.shardlb.cli.local;

import io.shardlb.cli.Main;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the components {@code shardlb local} runs as child processes (controller, agents): runs
 * {@code shardlb ARGS…} and exits when its stdin closes, which happens when the parent closes it to stop the
 * child, or when the parent dies in any way (even {@code kill -9}), so no component outlives its local system.
 * The exit runs the component's shutdown hook (an agent drains, the controller resigns).
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) {
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent never writes; only the end of the stream matters
                }
            } catch (IOException ignored) {
                // a broken pipe is the parent's death too
            }
            System.exit(0);
        });
        System.exit(Main.run(args));
    }
}
