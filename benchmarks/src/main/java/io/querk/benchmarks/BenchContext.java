package io.querk.benchmarks;

import javax.sql.DataSource;

/**
 * What a benchmark gets: fresh databases on the benchmark server, the size and repetition
 * settings, and a log.
 *
 * @param server the server
 * @param rows   the table size the benchmarks use (issue targets: one million)
 * @param runs   how many times each approach runs; the report quotes medians
 */
record BenchContext(BenchServer server, int rows, int runs) {

    /** @return a new empty database; dropped with {@link BenchServer#drop(String)} */
    DataSource freshDatabase(String name) throws Exception {
        return server.createDatabase(name);
    }

    void log(String format, Object... args) {
        System.out.printf(java.util.Locale.ROOT, "[bench] " + format + "%n", args);
    }
}
