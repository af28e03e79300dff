package io.querk.jdbc.fleet;

import io.querk.Api;
import io.querk.QuerkException;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.plan.MigrationPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Plans or migrates every database of a fleet, at most {@link FleetConfig#parallelism()} at once,
 * into one report. Each target is an ordinary {@link Querk} on its own database: its own history,
 * its own runner lock, so application instances starting meanwhile wait for it or find nothing
 * to do, exactly as with one database.
 *
 * <p>A run of one target is the unit of work: it is idempotent (what is applied is skipped, what
 * was interrupted resumes) and safe to run from several places at once. That is the seam for work
 * that outgrows one process: a Spring Batch partitioned job (one partition per target), or a
 * durable workflow engine such as Temporal (one activity per target, retried) calls
 * {@code Querk.create(config).migrate()} per target; this class is the in-process version of
 * that loop.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class Fleet {

    private static final Logger LOG = LoggerFactory.getLogger("io.querk.fleet");

    private final FleetConfig config;

    private Fleet(FleetConfig config) {
        this.config = config;
    }

    /**
     * @param config the fleet
     * @return a fleet runner; nothing touches a database until a call
     */
    public static Fleet create(FleetConfig config) {
        if (config == null) {
            throw new io.querk.jdbc.QuerkConfigException("Fleet.create needs a FleetConfig, got null.");
        }
        return new Fleet(config);
    }

    /** @return the configuration */
    public FleetConfig config() {
        return config;
    }

    /** @return {@link Querk#migrate()} on every target */
    public FleetReport<MigrationReport> migrate() {
        return run("migrate", Querk::migrate);
    }

    /** @return {@link Querk#plan()} on every target: what each would run, with its live sizes, changing nothing */
    public FleetReport<MigrationPlan> plan() {
        return run("plan", Querk::plan);
    }

    /**
     * Runs any call on every target: {@code run("contract", q -> q.contract("2026-12-01.x"))}.
     *
     * @param operation its name, for the report and the log
     * @param call      what to do with each target's {@link Querk}
     * @param <T>       what it returns
     * @return one result per target, in the fleet's order
     */
    public <T> FleetReport<T> run(String operation, Function<Querk, T> call) {
        List<FleetTarget> targets = config.targets();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger seq = new AtomicInteger();
        List<TargetResult<T>> results = new ArrayList<>(targets.size());
        for (FleetTarget t : targets) {
            results.add(new TargetResult<>(t.name(), TargetResult.Outcome.SKIPPED, null, null, Duration.ZERO));
        }
        int threads = Math.min(config.parallelism(), targets.size());
        LOG.info("querk fleet: {} on {} target(s), {} at a time", operation, targets.size(), threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "querk-fleet-" + seq.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    // Targets start in order; under STOP, none starts after a failure.
                    if (stop.get() || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    TargetResult<T> r = runOne(targets.get(index), operation, call);
                    synchronized (results) {
                        results.set(index, r);
                    }
                    if (r.outcome() == TargetResult.Outcome.FAILED && config.onFailure() == FailurePolicy.STOP) {
                        stop.set(true);
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.set(true);
                    pool.shutdownNow();
                    break;
                } catch (java.util.concurrent.ExecutionException e) {
                    // runOne catches what a target throws; anything here is a bug worth seeing.
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdown();
        }
        FleetReport<T> report;
        synchronized (results) {
            report = new FleetReport<>(operation, started, Duration.ofNanos(System.nanoTime() - t0), threads, results);
        }
        LOG.info("querk fleet: {} done in {} ms: {} succeeded, {} failed, {} not started", operation,
                report.took().toMillis(), report.succeeded().size(), report.failed().size(), report.skipped().size());
        return report;
    }

    private static <T> TargetResult<T> runOne(FleetTarget target, String operation, Function<Querk, T> call) {
        long t0 = System.nanoTime();
        try {
            T value = call.apply(Querk.create(target.config()));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            LOG.info("querk fleet: {} {} ok in {} ms", operation, target.name(), took.toMillis());
            return new TargetResult<>(target.name(), TargetResult.Outcome.SUCCEEDED, value, null, took);
        } catch (QuerkException e) {
            return failed(target, operation, e, t0);
        } catch (RuntimeException e) {
            return failed(target, operation, new QuerkException("Target '" + target.name() + "' failed: " + e, e), t0);
        }
    }

    private static <T> TargetResult<T> failed(FleetTarget target, String operation, QuerkException e, long t0) {
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        LOG.warn("querk fleet: {} {} FAILED after {} ms: {}", operation, target.name(), took.toMillis(), e.getMessage());
        return new TargetResult<>(target.name(), TargetResult.Outcome.FAILED, null, e, took);
    }
}
