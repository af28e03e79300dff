package io.querk.testkit;

import io.querk.QuerkException;
import io.querk.jdbc.MigrationReport;
import io.querk.migration.Phase;
import io.querk.sql.QualifiedName;
import io.querk.testkit.internal.HtmlTimeline;
import io.querk.testkit.internal.ReportJson;
import io.querk.testkit.internal.ReportText;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.TrafficOp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link Rehearsal} saw: each step's run, every lock Querk's sessions held or waited for
 * on the application's tables, and every traffic operation with its latency. Prints readably
 * ({@link #toText()}), serialises for tools ({@link #toJson()}), and renders a self-contained
 * HTML timeline ({@link #writeHtml(Path)}).
 */
public final class RehearsalReport {

    private static final Pattern QUERK_SESSION = Pattern.compile("querk/(expand|backfill|contract)#(\\d+)/(.*)");

    private final String server;
    private final Instant start;
    private final Instant end;
    private final List<StepRun> steps;
    private final List<LockInterval> locks;
    private final List<TrafficOp> traffic;
    private final MigrationReport migration;
    private final QuerkException error;

    RehearsalReport(String server, Instant start, Instant end, List<StepRun> steps, List<LockInterval> locks,
                    List<TrafficOp> traffic, MigrationReport migration, QuerkException error) {
        this.server = server;
        this.start = start;
        this.end = end;
        this.steps = List.copyOf(steps);
        this.locks = List.copyOf(locks);
        this.traffic = List.copyOf(traffic);
        this.migration = migration;
        this.error = error;
    }

    /** @return the server, e.g. "PostgreSQL 18.6" */
    public String server() {
        return server;
    }

    /** @return when the rehearsal started */
    public Instant start() {
        return start;
    }

    /** @return when it ended */
    public Instant end() {
        return end;
    }

    /** @return the steps that ran, in order */
    public List<StepRun> steps() {
        return steps;
    }

    /** @return every lock interval on the application's tables, in order of start */
    public List<LockInterval> locks() {
        return locks;
    }

    /** @return every traffic operation, in order of start */
    public List<TrafficOp> traffic() {
        return traffic;
    }

    /** @return the engine's report, if the migration succeeded */
    public Optional<MigrationReport> migration() {
        return Optional.ofNullable(migration);
    }

    /** @return the migration's failure, if it failed */
    public Optional<QuerkException> error() {
        return Optional.ofNullable(error);
    }

    /**
     * @param interval one of {@link #locks()}
     * @return the step a lock interval belongs to, by the session's name, else by time; empty if none
     */
    public Optional<StepRun> stepOf(LockInterval interval) {
        Matcher m = QUERK_SESSION.matcher(interval.application());
        if (m.matches()) {
            Phase phase = Phase.of(m.group(1));
            int number = Integer.parseInt(m.group(2));
            String idPrefix = m.group(3);
            for (StepRun s : steps) {
                if (s.step().phase() == phase && s.step().number() == number
                        && s.step().migrationId().startsWith(idPrefix)) {
                    return Optional.of(s);
                }
            }
        }
        // A helper session (the backfill's vacuum, say): the step running at the time.
        return steps.stream().filter(s -> !s.start().isAfter(interval.start()) && !s.end().isBefore(interval.start()))
                .reduce((a, b) -> b);
    }

    /**
     * @param table  a table, {@code "name"} or {@code "schema.name"}
     * @param writes true for what blocks writes, false for what blocks reads
     * @return every stretch during which Querk kept the application from reading (or writing) the
     *         table, longest first; waiting for a lock counts, since everyone queues behind it
     */
    public List<Blocking> blocking(String table, boolean writes) {
        QualifiedName wanted = QualifiedName.parse(table);
        List<Blocking> out = new ArrayList<>();
        for (LockInterval i : locks) {
            if ((writes ? i.blocksWrites() : i.blocksReads()) && sameTable(wanted, i.relation())) {
                out.add(new Blocking(stepOf(i).orElse(null), i));
            }
        }
        out.sort(Comparator.comparing(Blocking::duration).reversed());
        return out;
    }

    /** A name without a schema matches the table of that name in any schema; with one, only that schema's. */
    private static boolean sameTable(QualifiedName wanted, String relation) {
        QualifiedName seen = QualifiedName.parse(relation);
        return seen.name().equals(wanted.name())
                && (wanted.schema().isEmpty() || wanted.schema().equals(seen.schema()));
    }

    /**
     * @param step one of {@link #steps()}
     * @return the traffic operations sent while the step ran
     */
    public List<TrafficOp> trafficDuring(StepRun step) {
        return traffic.stream().filter(o -> !o.start().isBefore(step.start()) && o.start().isBefore(step.end())).toList();
    }

    /**
     * @param phase a phase
     * @return the traffic operations sent while any step of the phase ran
     */
    public List<TrafficOp> trafficDuring(Phase phase) {
        List<StepRun> of = steps.stream().filter(s -> s.step().phase() == phase).toList();
        return traffic.stream().filter(o -> of.stream()
                .anyMatch(s -> !o.start().isBefore(s.start()) && o.start().isBefore(s.end()))).toList();
    }

    /**
     * @param ops traffic operations, e.g. from {@link #trafficDuring(StepRun)}
     * @param q   the quantile, from 0 to 1: 0.99 for the p99
     * @return the q-quantile of the operations' latencies, or zero if there are none
     */
    public static Duration quantile(List<TrafficOp> ops, double q) {
        if (ops.isEmpty()) {
            return Duration.ZERO;
        }
        List<Duration> l = ops.stream().map(TrafficOp::latency).sorted().toList();
        int i = (int) Math.ceil(q * l.size()) - 1;
        return l.get(Math.max(0, Math.min(l.size() - 1, i)));
    }

    /** @return the report as a table a person reads in seconds */
    public String toText() {
        return ReportText.render(this);
    }

    /** @return the report as JSON (shape documented in docs/testkit.md) */
    public String toJson() {
        return ReportJson.render(this);
    }

    /** @return a self-contained HTML page with the timeline of steps, locks and traffic latencies */
    public String toHtml() {
        return HtmlTimeline.render(this);
    }

    /**
     * Writes {@link #toHtml()} to a file, creating its directory.
     *
     * @param file where to write, replaced if it exists
     * @return the file
     * @throws IOException if it cannot be written
     */
    public Path writeHtml(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.writeString(file, toHtml());
    }

    /** Prints {@link #toText()} to standard output. */
    public void print() {
        System.out.println(toText());
    }

    @Override
    public String toString() {
        return toText();
    }
}
