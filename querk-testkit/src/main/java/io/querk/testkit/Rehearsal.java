package io.querk.testkit;

import io.querk.QuerkException;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.QuerkEvent;
import io.querk.jdbc.event.StatementFinished;
import io.querk.jdbc.event.StatementStarted;
import io.querk.jdbc.event.StepFailed;
import io.querk.jdbc.event.StepFinished;
import io.querk.jdbc.event.StepStarted;
import io.querk.migration.Migration;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.trace.LockTracer;
import io.querk.testkit.traffic.Traffic;
import io.querk.testkit.traffic.TrafficOp;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs migrations on a real database the way production will see them: with simulated
 * application traffic going, and a tracer watching every table lock Querk's sessions hold or
 * wait for. The {@link RehearsalReport} says, per step, what blocked the application and for how
 * long; {@link RehearsalAssertions} turns that into a test.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class ShipmentsMigrationTest {
 *     @Test
 *     void neverBlocksTheApplication(TestDatabase db) throws Exception {
 *         TestData.seed(42).table("shipments").rows(200_000)
 *                 .column("id", "bigint", Gen.serial()).primaryKey("id")
 *                 .column("destination", "text", Gen.text(10, 40))
 *                 .create(db.dataSource());
 *
 *         RehearsalReport report = Rehearsal.of(Migrations.all())
 *                 .on(db.dataSource())
 *                 .traffic(t -> t.reads("shipments").writes("shipments").threads(2))
 *                 .run();
 *
 *         assertThat(report).succeeded()
 *                 .noStepBlocksReadsOf("shipments").longerThan(Duration.ofMillis(100))
 *                 .noStepBlocksWritesOf("shipments").longerThan(Duration.ofMillis(200));
 *     }
 * }
 * }</pre>
 */
public final class Rehearsal {

    private final List<Migration> migrations;
    private final DataSource dataSource;
    private final Consumer<Traffic.Builder> traffic;
    private final Consumer<LockTracer.Builder> tracer;
    private final Consumer<QuerkConfig.Builder> engine;
    private final boolean allPhases;

    private Rehearsal(Builder b) {
        this.migrations = List.copyOf(b.migrations);
        this.dataSource = b.dataSource;
        this.traffic = b.traffic;
        this.tracer = b.tracer;
        this.engine = b.engine;
        this.allPhases = b.allPhases;
    }

    /**
     * @param migrations at least one migration, in any order: the engine orders them by id
     * @return a rehearsal of these migrations
     */
    public static Builder of(Migration... migrations) {
        return of(Arrays.asList(migrations));
    }

    /**
     * @param migrations at least one migration, in any order: the engine orders them by id
     * @return a rehearsal of these migrations
     * @throws IllegalArgumentException if there is none
     */
    public static Builder of(List<Migration> migrations) {
        return new Builder(migrations);
    }

    /** Configures and runs a {@link Rehearsal}. */
    public static final class Builder {
        private final List<Migration> migrations;
        private DataSource dataSource;
        private Consumer<Traffic.Builder> traffic;
        private Consumer<LockTracer.Builder> tracer = t -> { };
        private Consumer<QuerkConfig.Builder> engine = e -> { };
        private boolean allPhases = true;

        private Builder(List<Migration> migrations) {
            if (migrations.isEmpty()) {
                throw new IllegalArgumentException("A rehearsal needs at least one migration.");
            }
            this.migrations = List.copyOf(migrations);
        }

        /**
         * The database to rehearse on; required.
         *
         * @param dataSource a throwaway database, such as a {@code TestDatabase}'s
         * @return this builder
         */
        public Builder on(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Simulated application traffic during the migration, e.g. {@code t -> t.reads("shipments").writes("shipments")}.
         * Without it the rehearsal runs no traffic and measures only the locks.
         *
         * @param spec configures the traffic
         * @return this builder
         */
        public Builder traffic(Consumer<Traffic.Builder> spec) {
            this.traffic = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /**
         * Tunes the lock tracer, e.g. {@code t -> t.interval(Duration.ofMillis(5))}.
         *
         * @param spec configures the tracer
         * @return this builder
         */
        public Builder tracer(Consumer<LockTracer.Builder> spec) {
            this.tracer = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /**
         * Configures the engine as production would, e.g. {@code e -> e.lockTimeout(Duration.ofMillis(100))}.
         *
         * @param spec configures the engine; its data source and migrations are already set
         * @return this builder
         */
        public Builder engine(Consumer<QuerkConfig.Builder> spec) {
            this.engine = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /**
         * Only what {@code migrate()} runs (expand, backfill, released contracts), not every phase.
         *
         * @return this builder
         */
        public Builder asAtDeploy() {
            this.allPhases = false;
            return this;
        }

        /**
         * Runs the migrations with traffic and tracing, and reports. A failed migration does not
         * throw: the report holds the error, and {@code assertThat(report).succeeded()} checks it.
         *
         * @return what happened: the steps, the locks held, the traffic's latencies, or the error
         * @throws IllegalStateException if no database was given
         */
        public RehearsalReport run() {
            if (dataSource == null) {
                throw new IllegalStateException("No database: call on(dataSource).");
            }
            return new Rehearsal(this).execute();
        }
    }

    private RehearsalReport execute() {
        Events events = new Events();
        QuerkConfig.Builder qb = QuerkConfig.custom().dataSource(dataSource).migrations(migrations);
        engine.accept(qb);
        Querk querk = Querk.create(qb.listener(events).build());
        String history = querk.config().historyTable().name().name();
        LockTracer.Builder tb = LockTracer.tracing(dataSource)
                .excludeRelations("(.*\\.)?\"?" + java.util.regex.Pattern.quote(history) + "(_step|_range)?\"?");
        tracer.accept(tb);
        String server = server();
        Instant start = Instant.now();
        LockTracer t = tb.start();
        Traffic load = null;
        MigrationReport report = null;
        QuerkException error = null;
        List<TrafficOp> ops = List.of();
        List<LockInterval> locks;
        try {
            if (traffic != null) {
                Traffic.Builder b = Traffic.on(dataSource);
                traffic.accept(b);
                load = b.start();
            }
            try {
                report = allPhases ? querk.migrateAllPhases() : querk.migrate();
            } catch (QuerkException e) {
                error = e;
            }
        } finally {
            if (load != null) {
                ops = load.stop();
            }
            locks = t.stop();
        }
        Instant end = Instant.now();
        return new RehearsalReport(server, start, end, events.steps(end), locks, ops, report, error);
    }

    private String server() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1).split(" ")[0];
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database to rehearse on: " + e.getMessage(), e);
        }
    }

    /** Collects the engine's step and statement events into step runs. */
    private static final class Events implements io.querk.jdbc.event.QuerkListener {
        private final Map<StepRef, Instant> starts = new LinkedHashMap<>();
        private final Map<StepRef, Instant> ends = new LinkedHashMap<>();
        private final Map<StepRef, Boolean> failed = new LinkedHashMap<>();
        private final Map<StepRef, List<StepRun.StatementRun>> statements = new LinkedHashMap<>();
        private final Map<StepRef, StatementStarted> open = new LinkedHashMap<>();

        @Override
        public synchronized void onEvent(QuerkEvent e) {
            if (e instanceof StepStarted s) {
                starts.put(s.step(), s.at());
            } else if (e instanceof StepFinished f) {
                ends.put(f.step(), f.at());
            } else if (e instanceof StepFailed f) {
                ends.put(f.step(), f.at());
                failed.put(f.step(), true);
            } else if (e instanceof StatementStarted s) {
                open.put(s.step(), s);
            } else if (e instanceof StatementFinished f) {
                StatementStarted s = open.remove(f.step());
                if (s != null) {
                    statements.computeIfAbsent(f.step(), k -> new ArrayList<>())
                            .add(new StepRun.StatementRun(s.sql(), s.backendPid(), s.at(), f.at()));
                }
            }
        }

        synchronized List<StepRun> steps(Instant end) {
            List<StepRun> out = new ArrayList<>();
            starts.forEach((ref, start) -> out.add(new StepRun(ref, start, ends.getOrDefault(ref, end),
                    statements.getOrDefault(ref, List.of()), failed.getOrDefault(ref, false))));
            return out;
        }
    }
}
