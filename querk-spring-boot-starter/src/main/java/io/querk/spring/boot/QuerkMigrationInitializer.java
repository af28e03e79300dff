package io.querk.spring.boot;

import io.querk.Api;
import io.querk.jdbc.MigrationHandle;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.plan.UnsafeMigrationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Migrates when the context creates it, which the starter arranges to be before any bean that
 * uses the DataSource (an {@code EntityManagerFactory}, a {@code DSLContext}, a
 * {@code JdbcTemplate}): Spring Boot's database-initializer detection makes those beans depend
 * on this one.
 *
 * <p>By default it calls {@link Querk#migrate()}: start-up waits for every pending expand and
 * backfill phase. With {@code querk.backfill.background=true} it calls
 * {@link Querk#migrateInBackground(Executor)} instead: the leading expand phases are applied now,
 * and the rest is held until this lifecycle bean {@linkplain #start() starts}, after the web
 * server is serving. A graceful shutdown {@linkplain #stop(Runnable) cancels} it at the next batch
 * boundary and waits for that; the history keeps the cursor and the next start resumes.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public class QuerkMigrationInitializer implements InitializingBean, SmartLifecycle, DisposableBean {

    /**
     * The lifecycle phase: started after the web server began serving (its phase is
     * {@code DEFAULT_PHASE - 2048}) and after graceful shutdown's own lifecycle
     * ({@code DEFAULT_PHASE - 1024}), so stopped before either when the application shuts down.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger LOG = LoggerFactory.getLogger("io.querk");

    private final Querk querk;
    private final boolean background;
    private final boolean failOnRefusedPlan;

    private volatile MigrationReport report;
    private volatile MigrationHandle handle;
    private volatile UnsafeMigrationException refusal;
    private Runnable heldTask;
    private boolean running;

    /**
     * @param querk             the engine
     * @param background        run backfills in the background once the application is ready
     * @param failOnRefusedPlan let a refused plan fail the start-up (else log it and start)
     */
    public QuerkMigrationInitializer(Querk querk, boolean background, boolean failOnRefusedPlan) {
        this.querk = querk;
        this.background = background;
        this.failOnRefusedPlan = failOnRefusedPlan;
    }

    @Override
    public void afterPropertiesSet() {
        try {
            if (background) {
                handle = querk.migrateInBackground(this::hold);
            } else {
                report = querk.migrate();
            }
        } catch (UnsafeMigrationException e) {
            if (failOnRefusedPlan) {
                throw e;
            }
            refusal = e;
            LOG.error("querk: nothing migrated, the plan was refused (querk.fail-on-refused-plan=false lets the"
                    + " application start anyway): {}", e.getMessage());
        }
    }

    /** The background part of the run: kept until {@link #start()}, or started at once if that has happened. */
    private synchronized void hold(Runnable task) {
        if (running) {
            launch(task);
        } else {
            heldTask = task;
        }
    }

    private static void launch(Runnable task) {
        Thread thread = new Thread(task, "querk-background-migration");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the engine this initializer runs */
    public Querk querk() {
        return querk;
    }

    /** @return the report of the start-up's {@code migrate()}; empty in background mode or when refused */
    public Optional<MigrationReport> report() {
        return Optional.ofNullable(report);
    }

    /** @return the background run, in background mode */
    public Optional<MigrationHandle> handle() {
        return Optional.ofNullable(handle);
    }

    /** @return the refusal the start-up logged instead of failing, with {@code querk.fail-on-refused-plan=false} */
    public Optional<UnsafeMigrationException> refusal() {
        return Optional.ofNullable(refusal);
    }

    @Override
    public synchronized void start() {
        running = true;
        if (heldTask != null) {
            Runnable task = heldTask;
            heldTask = null;
            launch(task);
        }
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    /**
     * Cancels a background run at its next batch or step boundary and calls back once it has
     * stopped; Spring waits up to {@code spring.lifecycle.timeout-per-shutdown-phase} for that.
     */
    @Override
    public void stop(Runnable callback) {
        synchronized (this) {
            running = false;
        }
        MigrationHandle h = handle;
        if (h == null || h.completion().isDone()) {
            callback.run();
            return;
        }
        long t0 = System.nanoTime();
        h.cancel();
        h.completion().whenComplete((r, e) -> {
            if (e == null && r.cancelled()) {
                LOG.info("querk: background migration stopped at a batch boundary in {} ms for shutdown; the next"
                        + " start resumes it", Duration.ofNanos(System.nanoTime() - t0).toMillis());
            }
            callback.run();
        });
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * A background part that never started (the context failed after the expand phases) still
     * holds the runner lock and a connection: cancelled and run here, it lets go of both at once.
     */
    @Override
    public void destroy() {
        Runnable task;
        synchronized (this) {
            task = heldTask;
            heldTask = null;
        }
        if (task != null && handle != null) {
            handle.cancel();
            task.run();
        }
    }
}
