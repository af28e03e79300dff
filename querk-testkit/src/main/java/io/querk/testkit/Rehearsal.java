package io.querk.testkit;

import io.querk.Api;
import io.querk.QuerkException;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.LockWaiting;
import io.querk.jdbc.event.LocksHeld;
import io.querk.jdbc.event.QuerkEvent;
import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.event.StatementFinished;
import io.querk.jdbc.event.StatementStarted;
import io.querk.jdbc.event.StepFailed;
import io.querk.jdbc.event.StepFinished;
import io.querk.jdbc.event.StepRetrying;
import io.querk.jdbc.event.StepStarted;
import io.querk.migration.Migration;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.trace.LockTracer;
import io.querk.testkit.traffic.SessionRun;
import io.querk.testkit.traffic.Traffic;
import io.querk.testkit.traffic.TrafficOp;

import javax.sql.DataSource;
import java.nio.file.Path;
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
 * application traffic going ({@link Traffic}), a tracer sampling every table lock Querk's sessions
 * hold or wait for, and the engine reporting the locks each of its transactions held. The
 * {@link RehearsalReport} says, per step run, what stalled the application and for how long
 * ({@link Stretch}); {@link RehearsalAssertions} turns that into a test.
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
 *                 .traffic(t -> t.reads("shipments").writes("shipments").threads(2)
 *                         .longTransaction("nightly-report", Duration.ofSeconds(1), "SELECT count(*) FROM shipments"))
 *                 .timeline(Path.of("target/rehearsal/shipments.html"))
 *                 .run();
 *
 *         assertThat(report).succeeded()
 *                 .noStepBlocksReadsOf("shipments").longerThan(Duration.ofMillis(100))
 *                 .noStepBlocksWritesOf("shipments").longerThan(Duration.ofMillis(200));
 *     }
 * }
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class Rehearsal {

    private final List<Migration> migrations;
    private final DataSource dataSource;
    private final Consumer<Traffic.Builder> traffic;
    private final Consumer<LockTracer.Builder> tracer;
    private final Consumer<QuerkConfig.Builder> engine;
    private final boolean allPhases;
    private final boolean captureLocks;
    private final Path timeline;

    private Rehearsal(Builder b) {
        this.migrations = List.copyOf(b.migrations);
        this.dataSource = b.dataSource;
        this.traffic = b.traffic;
        this.tracer = b.tracer;
        this.engine = b.engine;
        this.allPhases = b.allPhases;
        this.captureLocks = b.captureLocks;
        this.timeline = b.timeline;
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
     * @throws TestkitException if there is none
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
        private boolean captureLocks = true;
        private Path timeline;

        private Builder(List<Migration> migrations) {
            if (migrations.isEmpty()) {
                throw new TestkitException("A rehearsal needs at least one migration.");
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
         * Keeps the HTML timeline in a file: written when the rehearsal ends, and again after every
         * assertion, with the assertion's threshold drawn and its failing stretches marked; a failure
         * message ends with a link to the failing stretch in it.
         *
         * @param file e.g. {@code Path.of("target/rehearsal/shipments.html")}; its directory is created
         * @return this builder
         */
        public Builder timeline(Path file) {
            this.timeline = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Whether the engine also reports the locks each transactional statement held, read inside its
         * own transaction (on by default): the sampler misses locks shorter than its interval, this
         * does not. Off leaves only the sampler, for measuring it alone.
         *
         * @param capture false to trace by sampling only
         * @return this builder
         */
        public Builder captureLocks(boolean capture) {
            this.captureLocks = capture;
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
         * @throws TestkitException if no database was given
         */
        public RehearsalReport run() {
            if (dataSource == null) {
                throw new TestkitException("No database: call on(dataSource).");
            }
            return new Rehearsal(this).execute();
        }
    }

    private RehearsalReport execute() {
        Events events = new Events(captureLocks);
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
        List<SessionRun> sessions = List.of();
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
                sessions = load.sessions();
            }
            locks = new ArrayList<>(t.stop());
        }
        Instant end = Instant.now();
        locks.addAll(events.captured(t));
        RehearsalReport r = new RehearsalReport(server, start, end, events.steps(end), locks, ops, sessions, t.tables(),
                report, error, timeline);
        if (timeline != null) {
            try {
                r.writeHtml(timeline);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot write the rehearsal's timeline to " + timeline, e);
            }
        }
        return r;
    }

    private String server() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1).split(" ")[0];
        } catch (SQLException e) {
            throw new TestkitException("Cannot reach the database to rehearse on: " + e.getMessage(), e);
        }
    }

    /** Collects the engine's events into step runs, and the locks it captured inside its transactions. */
    private static final class Events implements QuerkListener {
        private final boolean captureLocks;
        private final Map<StepRef, Run> runs = new LinkedHashMap<>();
        private final List<LocksHeld> held = new ArrayList<>();

        private static final class Run {
            final String token;
            final Instant start;
            Instant end;
            boolean failed;
            final List<StepRun.StatementRun> statements = new ArrayList<>();
            final List<LockWaiting> waits = new ArrayList<>();
            final List<StepRetrying> retries = new ArrayList<>();
            StatementStarted open;

            Run(String token, Instant start) {
                this.token = token;
                this.start = start;
            }
        }

        Events(boolean captureLocks) {
            this.captureLocks = captureLocks;
        }

        @Override
        public boolean capturesHeldLocks() {
            return captureLocks;
        }

        @Override
        public synchronized void onEvent(QuerkEvent e) {
            if (e instanceof StepStarted s) {
                runs.put(s.step(), new Run(s.runToken(), s.at()));
                return;
            }
            if (e instanceof LocksHeld h) {
                held.add(h);
                return;
            }
            StepRef ref = e instanceof StepFinished f ? f.step() : e instanceof StepFailed f ? f.step()
                    : e instanceof StatementStarted s ? s.step() : e instanceof StatementFinished f ? f.step()
                    : e instanceof LockWaiting w ? w.step() : e instanceof StepRetrying r ? r.step() : null;
            Run run = ref == null ? null : runs.get(ref);
            if (run == null) {
                return;
            }
            if (e instanceof StepFinished f) {
                run.end = f.at();
            } else if (e instanceof StepFailed f) {
                run.end = f.at();
                run.failed = true;
            } else if (e instanceof StatementStarted s) {
                run.open = s;
            } else if (e instanceof StatementFinished f && run.open != null) {
                StatementStarted s = run.open;
                run.statements.add(new StepRun.StatementRun(s.sql(), s.backendPid(), s.at(), f.at(), s.lockTimeout(),
                        f.sqlState()));
                run.open = null;
            } else if (e instanceof LockWaiting w) {
                run.waits.add(w);
            } else if (e instanceof StepRetrying r) {
                run.retries.add(r);
            }
        }

        synchronized List<StepRun> steps(Instant end) {
            List<StepRun> out = new ArrayList<>();
            runs.forEach((ref, r) -> out.add(new StepRun(ref, r.token, r.start, r.end == null ? end : r.end, r.statements,
                    r.failed, r.waits, r.retries)));
            return out;
        }

        /** The captured locks on the tables the tracer traces, as intervals named like the step run's sessions. */
        synchronized List<LockInterval> captured(LockTracer tracer) {
            List<LockInterval> out = new ArrayList<>();
            for (LocksHeld h : held) {
                Run run = runs.get(h.step());
                // Named as the engine names the step run's sessions (see StepStarted.runToken()).
                String application = "querk/" + h.step().phase().label() + "#" + h.step().number() + "/"
                        + (run == null ? "" : run.token + "/") + h.step().migrationId();
                for (LocksHeld.Lock l : h.locks()) {
                    // Named as the sampler names it, so that captured and sampled locks of a table are one stretch.
                    tracer.traced(l.relationOid()).ifPresent(relation -> out.add(new LockInterval(h.backendPid(), 0,
                            application, relation, l.mode(), true, h.transactionStart(), h.at(),
                            String.join("; ", h.statements()).replaceAll("\\s+", " "), LockInterval.Source.CAPTURED)));
                }
            }
            return out;
        }
    }
}
