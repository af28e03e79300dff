package io.querk.benchmarks;

/** One comparison of the suite: runs its approaches side by side and returns its report section. */
interface Benchmark {

    /** @return a short id, used to select it ({@code -Dbench.only=backfill}) and to mark its section */
    String id();

    /** @return the section's title */
    String title();

    /** @return the section's Markdown body (tables, notes), without the title */
    String run(BenchContext ctx) throws Exception;
}
