package io.querk.jdbc.support;

import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A separate JVM that runs a scenario:
 * {@code ChildRunner <jdbcUrl> <user> <workload|backfill> <pauseMillis> [wait]}.
 * With {@code wait}, it prints READY and waits for a line on stdin before migrating, so a test
 * can start several at the same instant. Prints DONE and exits 0 on success.
 */
public final class ChildRunner {

    private ChildRunner() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[0]);
        ds.setUser(args[1]);
        Duration pause = Duration.ofMillis(Long.parseLong(args[3]));
        Querk q = Querk.create(QuerkConfig.custom().dataSource(ds)
                .migrations(args[2].equals("backfill") ? Scenarios.backfillOnly(pause) : Scenarios.workload(pause))
                .build());
        if (args.length > 4 && args[4].equals("wait")) {
            System.out.println("READY");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        MigrationReport r = q.migrateAllPhases();
        System.out.println("DONE " + r.applied().size());
        System.out.flush();
    }
}
