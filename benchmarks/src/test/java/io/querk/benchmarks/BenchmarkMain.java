package io.querk.benchmarks;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * Runs the benchmarks and writes their sections into the report.
 * System properties: {@code bench.rows} (default 1,000,000), {@code bench.runs} (default 3),
 * {@code bench.only} (a benchmark id; default all), {@code bench.report} (the Markdown file),
 * {@code bench.seed} (replays the seeded choices of a benchmark that makes any; default random).
 *
 * <p>Test code, like the benchmarks that compare with Flyway or use the testkit: both are test
 * dependencies of this module, so nothing that depends on it inherits them.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    static List<Benchmark> all() {
        return List.of(new BackfillBenchmark(), new StallBenchmark(), new StartupBenchmark(), new TestkitBenchmark(),
                new QueryReviewBenchmark(), new FleetBenchmark());
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        int runs = Integer.getInteger("bench.runs", 3);
        String only = System.getProperty("bench.only", "");
        Path report = Path.of(System.getProperty("bench.report", "docs/benchmarks.md"));
        try (BenchServer server = BenchServer.start()) {
            BenchContext ctx = new BenchContext(server, rows, runs);
            String where = "Run on " + LocalDate.now() + ": " + Machine.describe() + "; " + server.describe() + ".";
            ctx.log("%s", where);
            for (Benchmark b : all()) {
                if (!only.isBlank() && !only.equals(b.id())) {
                    continue;
                }
                ctx.log("%s: %d rows, %d runs", b.title(), rows, runs);
                String body = b.run(ctx);
                Report.write(report, b.id(), b.title(), where + "\n\n" + body);
                ctx.log("wrote %s", report);
                System.out.println(body);
            }
        }
    }
}
