package io.querk.jdbc;

import io.querk.Api;
import io.querk.QuerkException;
import io.querk.jdbc.internal.run.Runner;
import io.querk.migration.Migration;
import io.querk.plan.MigrationPlan;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * The engine: applies migrations to a PostgreSQL database without blocking its application.
 *
 * <pre>{@code
 * Querk querk = Querk.create(QuerkConfig.custom()
 *         .dataSource(dataSource)
 *         .migrations(Migrations.all())
 *         .contractReleasedThrough("2026-11-02.drop-legacy-status")   // contracts the old version no longer needs
 *         .build());
 * querk.migrate();   // at every start of every instance: cheap when nothing is pending
 * }</pre>
 *
 * <p>{@link #migrate()} runs, in migration order, every pending expand and backfill phase and
 * the contract phases released by {@link QuerkConfig.Builder#contractReleasedThrough(String)}. Contract is
 * never implicit: it removes what the previous application version still uses, so the release
 * that no longer runs that version declares it. {@link #migrateAllPhases()} runs everything and
 * is meant for tests and development.
 *
 * <p>Safe when many instances start at once: one takes a session-level advisory lock and runs,
 * the others wait for it and then find nothing pending. A run interrupted anywhere (a crash,
 * {@code kill -9}, a lost connection) is finished by the next: every step checks the catalog for
 * its own effect before acting, and backfills resume from their committed cursor.
 *
 * <p>Connections come from the {@link javax.sql.DataSource}: at most two at a time (one for the work, one
 * holding the runner lock), each handed back with its session settings as they were. Both need
 * session semantics: do not point Querk at a PgBouncer in transaction-pooling mode.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class Querk {

    private final QuerkConfig config;
    private final Runner runner;

    private Querk(QuerkConfig config) {
        this.config = config;
        this.runner = new Runner(config);
    }

    /**
     * @param config the configuration, built with {@link QuerkConfig#custom()}
     * @return an engine for it; no connection is made until a call needs one
     */
    public static Querk create(QuerkConfig config) {
        if (config == null) {
            throw new QuerkConfigException("config must not be null: build one with QuerkConfig.custom()...build().");
        }
        return new Querk(config);
    }

    /** @return the settings this engine runs with */
    public QuerkConfig config() {
        return config;
    }

    /**
     * Runs pending expand and backfill phases and released contract phases.
     *
     * @return what was done; {@link MigrationReport#nothingPending()} when nothing was
     * @throws LockTimeoutException       when a step's retry budget ran out waiting for a lock
     * @throws StepFailedException        when a step failed for another reason
     * @throws ChecksumMismatchException  when an applied phase was edited
     * @throws RunnerLockException        when another runner held the lock too long
     * @throws io.querk.plan.UnsafeMigrationException before anything runs, when the plan of the
     *                                    pending work refuses a step (its log line shows the plan)
     */
    public MigrationReport migrate() {
        return runner.run(releases(), false);
    }

    private List<String> releases() {
        return config.contractReleasedThrough().map(List::of).orElse(List.of());
    }

    /**
     * Says what {@link #migrate()} would do now, step by step, without doing any of it: no lock
     * is taken, nothing is created, not even the history table. The plan uses the server's
     * version and live table statistics ("reads every row, about 52 M rows"); a refused step is
     * shown as such rather than thrown.
     *
     * <pre>{@code
     * MigrationPlan plan = querk.plan();
     * System.out.println(plan.toText());
     * if (plan.refused()) { ... }
     * }</pre>
     *
     * @return the plan of the pending work; empty when nothing is pending
     * @throws ChecksumMismatchException when an applied phase was edited
     */
    public MigrationPlan plan() {
        return runner.planOnly(releases(), false);
    }

    /**
     * Like {@link #migrate()}, but only the leading expand phases run before this returns; the
     * backfills (and whatever follows them, in order) go on in a background thread while the
     * application starts. The handle watches, pauses, resumes and cancels them; a cancelled or
     * crashed backfill resumes from its saved cursor at the next run.
     *
     * <p>If another instance is already running the backfills, this one has nothing to wait for:
     * the handle reports {@link MigrationHandle.State#RUNNING_ELSEWHERE}.
     *
     * <pre>{@code
     * MigrationHandle h = querk.migrateInBackground();   // new columns exist now
     * server.start();                                    // backfill runs meanwhile
     * Runtime.getRuntime().addShutdownHook(new Thread(h::cancel));
     * }</pre>
     *
     * @return a handle on the run, its expand phases already done
     */
    public MigrationHandle migrateInBackground() {
        return migrateInBackground(task -> {
            Thread thread = new Thread(task, "querk-background-migration");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /**
     * Like {@link #migrateInBackground()}, with the background part (the backfills and what follows
     * them) handed to {@code executor} as one task instead of a thread of Querk's own: an
     * application's task executor, a virtual-thread executor, or one that holds the task until
     * the application is ready (the Spring Boot starter does that). The runner lock and the work
     * connection stay held from the expand phases until the task has run; an executor that never
     * runs it keeps them until the JVM exits, so cancel the handle and let the task run (it then
     * stops at once, as {@link MigrationHandle.State#CANCELLED}) when giving up on it.
     *
     * @param executor runs the background part; called at most once, before this returns
     * @return a handle on the run, its expand phases already done
     * @throws QuerkException if the executor refuses the task; the expand phases stay applied
     */
    public MigrationHandle migrateInBackground(Executor executor) {
        if (executor == null) {
            throw new QuerkConfigException("executor must not be null: use migrateInBackground() for a thread of Querk's own.");
        }
        return new MigrationHandle(runner.runInBackground(releases(), executor));
    }

    /**
     * Runs every pending phase, contract included, without waiting for a release. For tests and
     * development, where no older application version is running.
     *
     * @return what was done; {@link MigrationReport#nothingPending()} when nothing was
     */
    public MigrationReport migrateAllPhases() {
        return runner.run(List.of(), true);
    }

    /**
     * Runs what {@link #migrate()} runs and, in addition, the contract phases of migrations up to
     * and including {@code throughMigrationId}: the explicit call for tooling that releases
     * contracts (an admin endpoint, a deploy step).
     *
     * @param throughMigrationId the last migration whose contract phase may run
     * @return what was done; {@link MigrationReport#nothingPending()} when nothing was
     * @throws QuerkConfigException if no configured migration has that id
     */
    public MigrationReport contract(String throughMigrationId) {
        requireKnown(config.migrations(), throughMigrationId, "contract(...)");
        List<String> releases = new java.util.ArrayList<>(releases());
        releases.add(throughMigrationId);
        return runner.run(releases, false);
    }

    /**
     * Undoes a migration whose contract has not run: removes, in reverse order and under the same
     * lock guard, what its expand added (sync triggers and their functions, added columns, indexes
     * built concurrently, NOT VALID constraints, new tables), including what a half-failed expand
     * left, and records the migration as aborted, so that once fixed it runs again from its first
     * step. The way out of a migration that went wrong before its contract:
     *
     * <pre>{@code
     * querk.abort("2026-12-01.users-name-lower");   // then fix the migration, and deploy again
     * }</pre>
     *
     * <p>Data written into what the expand added goes with it. NOT NULL set on existing columns
     * stays. Raw SQL in the expand is undone only if its step declares an
     * {@link io.querk.migration.Undo}. Takes the runner lock, like a run.
     *
     * @param migrationId a configured migration
     * @return what was undone
     * @throws QuerkConfigException  if no configured migration has that id
     * @throws CannotAbortException  if its contract has started, or its expand ran raw SQL without an undo
     */
    public AbortReport abort(String migrationId) {
        requireKnown(config.migrations(), migrationId, "abort(...)");
        return runner.abort(migrationId);
    }

    /** @return the state of every phase of every configured migration in this database */
    public List<PhaseState> status() {
        return runner.status();
    }

    /**
     * Accepts the current definitions of a migration's applied phases as the recorded ones, after
     * an edit that changed their checksum but not what they do to the database. Logged as a warning.
     *
     * @param migrationId the migration whose edit is accepted
     * @return how many phases had their checksum replaced
     * @throws QuerkConfigException if no configured migration has that id
     */
    public int repairChecksums(String migrationId) {
        requireKnown(config.migrations(), migrationId, "repairChecksums(...)");
        return runner.repairChecksums(migrationId);
    }

    static void requireKnown(List<Migration> migrations, String id, String call) {
        if (migrations.stream().noneMatch(m -> m.id().equals(id))) {
            throw new QuerkConfigException(call + " names migration '" + id + "', which is not among the "
                    + migrations.size() + " configured migrations.");
        }
    }
}
