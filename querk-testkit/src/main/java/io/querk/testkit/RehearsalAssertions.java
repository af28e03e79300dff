package io.querk.testkit;

import io.querk.Api;
import io.querk.migration.Phase;
import io.querk.testkit.internal.Messages;
import io.querk.testkit.traffic.TrafficOp;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Assertions over a {@link RehearsalReport} that read like what a reviewer would say.
 *
 * <pre>{@code
 * assertThat(report)
 *         .succeeded()
 *         .noStepBlocksReadsOf("shipments").longerThan(Duration.ofMillis(100))
 *         .noStepBlocksWritesOf("shipments").longerThan(Duration.ofMillis(200))
 *         .traffic().during(Phase.BACKFILL).p99IsBelow(Duration.ofMillis(50));
 * }</pre>
 *
 * <p>"Blocks" counts a lock held and a lock waited for alike: a statement queued for ACCESS
 * EXCLUSIVE already makes every later read wait behind it, and a wait followed by a hold is one
 * {@link Stretch}. A failure names the step and its run, the lock as SQL and {@code pg_locks} name
 * it, the table, the stretch's length against the threshold, the session the step waited behind,
 * whether its lock timeout grew over retries, what the traffic saw meanwhile, and the statement.
 * A table that does not exist, or that the traffic never touched, is an error naming the tables
 * the rehearsal knows.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class RehearsalAssertions {

    private RehearsalAssertions() {
    }

    /**
     * @param report the rehearsal's report
     * @return assertions over the report
     */
    public static ReportAssert assertThat(RehearsalReport report) {
        return new ReportAssert(Objects.requireNonNull(report, "report"));
    }

    /** Assertions over a whole rehearsal. */
    public static final class ReportAssert {
        private final RehearsalReport report;

        private ReportAssert(RehearsalReport report) {
            this.report = report;
        }

        /**
         * Asserts that the migration ran to the end.
         *
         * @return these assertions, to chain more
         */
        public ReportAssert succeeded() {
            report.error().ifPresent(e -> {
                throw new AssertionFailedError("Expected the migration to succeed, but it failed: " + e.getMessage(), e);
            });
            return this;
        }

        /**
         * Starts an assertion about what blocked reads of a table.
         *
         * @param table the table, {@code "name"} or {@code "schema.name"}
         * @return the assertion, completed by {@link BlockingAssert#longerThan(Duration)}
         */
        public BlockingAssert noStepBlocksReadsOf(String table) {
            return new BlockingAssert(this, table, false);
        }

        /**
         * Starts an assertion about what blocked writes to a table.
         *
         * @param table the table, {@code "name"} or {@code "schema.name"}
         * @return the assertion, completed by {@link BlockingAssert#longerThan(Duration)}
         */
        public BlockingAssert noStepBlocksWritesOf(String table) {
            return new BlockingAssert(this, table, true);
        }

        /**
         * Starts an assertion about the traffic's latencies.
         *
         * @return assertions over every operation of the rehearsal, to narrow or bound
         */
        public TrafficAssert traffic() {
            return new TrafficAssert(this, report.traffic(), "the whole rehearsal");
        }
    }

    /** "No step blocks reads/writes of T longer than X." */
    public static final class BlockingAssert {
        private final ReportAssert parent;
        private final String table;
        private final Stretch.Access access;

        private BlockingAssert(ReportAssert parent, String table, boolean writes) {
            this.parent = parent;
            this.table = table;
            this.access = writes ? Stretch.Access.WRITES : Stretch.Access.READS;
        }

        /**
         * Fails if any step blocked the table for longer than {@code threshold} at a stretch: waiting in
         * the lock queue and holding the lock count alike, and merge when they follow each other.
         *
         * @param threshold the longest acceptable stretch
         * @return the report's assertions, to chain more
         * @throws TestkitException if the rehearsed database has no such table (the message names
         *         those it has), or the traffic ran but never touched it
         */
        public ReportAssert longerThan(Duration threshold) {
            RehearsalReport r = parent.report;
            String t = r.resolve(table);
            List<Stretch> over = r.stretches(t, access).stream()
                    .filter(b -> b.duration().compareTo(threshold) > 0).toList();
            String text = "no step blocks " + access.phrase() + " " + t + " longer than " + threshold.toMillis() + " ms";
            if (over.isEmpty()) {
                r.record(text, t, access, threshold, List.of(), null);
                return parent;
            }
            String msg = Messages.blocking(r, t, access, threshold, over);
            RehearsalReport.Check c = r.record(text, t, access, threshold, over.stream().map(Stretch::number).toList(), msg);
            String where = r.timelineFile().map(f -> "\nTimeline: " + f.toAbsolutePath().toUri() + "#stretch-"
                    + over.get(0).number() + " (assertion-" + c.number() + ")").orElse("");
            throw new AssertionFailedError(msg + where);
        }
    }

    /** Assertions over traffic latencies. */
    public static final class TrafficAssert {
        private final ReportAssert parent;
        private final List<TrafficOp> ops;
        private final String scope;

        private TrafficAssert(ReportAssert parent, List<TrafficOp> ops, String scope) {
            this.parent = parent;
            this.ops = ops;
            this.scope = scope;
        }

        /**
         * Narrows to operations sent while steps of the phase ran.
         *
         * @param phase the phase
         * @return assertions over the narrower set
         */
        public TrafficAssert during(Phase phase) {
            return new TrafficAssert(parent, parent.report.trafficDuring(phase), "the " + phase.label() + " phase");
        }

        /**
         * Narrows to one workload, e.g. "reads of shipments".
         *
         * @param name the workload's name, as in {@link TrafficOp#workload()}
         * @return assertions over the narrower set
         */
        public TrafficAssert workload(String name) {
            return new TrafficAssert(parent, ops.stream().filter(o -> o.workload().equals(name)).toList(),
                    scope + ", " + name);
        }

        /**
         * Asserts the 99th percentile latency is below the bound.
         *
         * @param bound the exclusive upper bound
         * @return the report's assertions, to chain more
         */
        public ReportAssert p99IsBelow(Duration bound) {
            return below(0.99, "p99", bound);
        }

        /**
         * Asserts the worst latency is below the bound.
         *
         * @param bound the exclusive upper bound
         * @return the report's assertions, to chain more
         */
        public ReportAssert maxIsBelow(Duration bound) {
            return below(1.0, "max", bound);
        }

        /**
         * Asserts no operation failed.
         *
         * @return the report's assertions, to chain more
         */
        public ReportAssert hasNoErrors() {
            List<TrafficOp> failed = ops.stream().filter(o -> o.error() != null).toList();
            if (!failed.isEmpty()) {
                throw new AssertionFailedError("Expected no traffic errors during " + scope + ", but " + failed.size()
                        + " operation(s) failed, first: " + failed.get(0).workload() + ": " + failed.get(0).error());
            }
            return parent;
        }

        private ReportAssert below(double q, String name, Duration bound) {
            if (ops.isEmpty()) {
                throw new AssertionFailedError("No traffic was recorded during " + scope
                        + "; a latency bound over no operations proves nothing. Configure traffic(...) on the rehearsal.");
            }
            Duration v = RehearsalReport.quantile(ops, q);
            if (v.compareTo(bound) >= 0) {
                TrafficOp worst = ops.stream().max((a, b) -> a.latency().compareTo(b.latency())).orElseThrow();
                throw new AssertionFailedError("Expected the traffic's " + name + " latency during " + scope + " to stay below "
                        + bound.toMillis() + " ms, but it was " + v.toMillis() + " ms over " + ops.size()
                        + " operations; the worst, " + worst.latency().toMillis() + " ms, was " + worst.workload()
                        + " at +" + Duration.between(parent.report.start(), worst.start()).toMillis() + " ms.");
            }
            return parent;
        }
    }
}
