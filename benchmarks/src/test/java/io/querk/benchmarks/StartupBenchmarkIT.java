package io.querk.benchmarks;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up benchmark end to end with a few migrations: both tools apply them all once, then
 * find nothing to do in every timed call (a call that finds work fails), and the section reports
 * them. Never asserts how fast.
 */
@ExtendWith(PostgresExtension.class)
class StartupBenchmarkIT {

    @Test
    void bothToolsApplyOnceThenFindNothingPendingAndTheSectionReportsThem(PostgresServer server, @TempDir Path files)
            throws Exception {
        int migrations = 12;
        StartupBenchmark.writeFlywayMigrations(files, migrations);
        Map<StartupBenchmark.Tool, List<StartupBenchmark.Run>> results = new EnumMap<>(StartupBenchmark.Tool.class);
        try (TestDatabase querk = server.createDatabase("querk"); TestDatabase flyway = server.createDatabase("flyway")) {
            StartupBenchmark.Setup setup = new StartupBenchmark.Setup(querk.dataSource(), flyway.dataSource(), files,
                    migrations);
            setup.applyAll();
            Map<StartupBenchmark.Tool, StartupBenchmark.Run> run = StartupBenchmark.measure(setup, 2, 5);
            for (StartupBenchmark.Tool t : StartupBenchmark.Tool.values()) {
                assertEquals(5, run.get(t).calls().size(), t.label);
                assertTrue(run.get(t).median() > 0 && run.get(t).p90() >= run.get(t).median(), t.label);
                results.put(t, List.of(run.get(t)));
            }
        }
        String md = StartupBenchmark.markdown(migrations, 2, 5, results);
        for (StartupBenchmark.Tool t : StartupBenchmark.Tool.values()) {
            assertTrue(md.contains("| " + t.label + " |"), md);
        }
        assertTrue(StartupBenchmark.Tool.FLYWAY.label.matches("Flyway \\d+\\.\\d+.*"), StartupBenchmark.Tool.FLYWAY.label);
        assertEquals(1, md.lines().filter(l -> l.startsWith("Goal:")).count(), md);
    }
}
