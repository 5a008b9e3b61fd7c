package io.shardlb.bench;

import java.util.List;

/**
 * One benchmark run by {@code bench/run NAME}. It measures, compares with a peer in the same run where the
 * issue asks for one, and returns its figures; {@link BenchMain} prints them as {@code RESULT} lines and
 * records them in {@code bench/RESULTS.md}. A figure is always measured, never typed in.
 */
public interface Benchmark {

    /** The name given to {@code bench/run}. */
    String name();

    /** One line on what is measured and against which peer. */
    String description();

    /** Runs the benchmark; {@code work} is a scratch directory that is deleted afterwards. */
    List<Result> run(java.nio.file.Path work) throws Exception;
}
