package io.shardlb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench/run NAME|all}: runs benchmarks, prints {@code RESULT} lines at the end, appends a dated row per
 * figure with the machine to {@code bench/RESULTS.md}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Benchmark> all = Benchmarks.all();
        if (args.length < 1 || args[0].equals("-h") || args[0].equals("--help")) {
            usage(all);
            System.exit(args.length < 1 ? 2 : 0);
        }
        Path results = Path.of(System.getProperty("shardlb.bench.results", "bench/RESULTS.md"));
        List<Benchmark> chosen = new ArrayList<>();
        if (args[0].equals("all")) {
            chosen.addAll(all.values());
        } else {
            Benchmark b = all.get(args[0]);
            if (b == null) {
                System.err.println("unknown benchmark: " + args[0]);
                usage(all);
                System.exit(2);
            }
            chosen.add(b);
        }
        String machine = Machine.describe();
        List<String> lines = new ArrayList<>();
        int failures = 0;
        for (Benchmark b : chosen) {
            System.out.println("== " + b.name() + ": " + b.description());
            Path work = Files.createTempDirectory("shardlb-bench-" + b.name());
            try {
                List<Result> rs = b.run(work);
                append(results, b.name(), machine, rs);
                for (Result r : rs) {
                    lines.add(r.line());
                }
            } catch (Exception | AssertionError e) {
                failures++;
                System.err.println("benchmark " + b.name() + " failed: " + e);
                e.printStackTrace();
            } finally {
                deleteTree(work);
            }
        }
        System.out.println();
        lines.forEach(System.out::println);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void usage(Map<String, Benchmark> all) {
        System.err.println("usage: bench/run NAME|all");
        all.values().forEach(b -> System.err.println("  " + b.name() + "  " + b.description()));
    }

    private static void append(Path file, String bench, String machine, List<Result> rs) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, RESULTS_HEADER, StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder();
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        for (Result r : rs) {
            sb.append("| ").append(date).append(" | ").append(bench).append(" | ").append(r.name()).append(" | ")
                    .append(Result.format(r.value())).append(' ').append(r.unit()).append(" | ").append(machine)
                    .append(" | ").append(r.note().replace('|', '/').replace('\n', ' ')).append(" |\n");
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    static final String RESULTS_HEADER = """
            # Benchmark results

            Rows are appended by `bench/run NAME` (never typed by hand): date (UTC), benchmark, figure, value,
            machine (cores, kernel, JDK), and a note (peer in the same run, target met or missed, why).

            | date | bench | figure | value | machine | note |
            |---|---|---|---|---|---|
            """;

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // scratch space: best effort
        }
    }
}
