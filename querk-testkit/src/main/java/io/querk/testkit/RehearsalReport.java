package io.querk.testkit;

import io.querk.Api;
import io.querk.QuerkException;
import io.querk.jdbc.MigrationReport;
import io.querk.migration.Phase;
import io.querk.sql.QualifiedName;
import io.querk.testkit.internal.HtmlTimeline;
import io.querk.testkit.internal.ReportJson;
import io.querk.testkit.internal.ReportText;
import io.querk.testkit.internal.Stretches;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.SessionRun;
import io.querk.testkit.traffic.TrafficOp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link Rehearsal} saw: each step's run, every lock Querk's sessions held or waited for
 * on the application's tables, the {@link Stretch stretches} during which they blocked it, every
 * traffic operation with its start and end, and the traffic's participant sessions. Prints readably
 * ({@link #toText()}), serialises for tools ({@link #toJson()}), and renders a self-contained HTML
 * timeline ({@link #writeHtml(Path)}) that shows the assertions made on it.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class RehearsalReport {

    private static final Pattern QUERK_SESSION =
            Pattern.compile("querk/(expand|backfill|contract)#(\\d+)/([0-9a-z]{6})/.*");

    private final String server;
    private final Instant start;
    private final Instant end;
    private final List<StepRun> steps;
    private final List<LockInterval> locks;
    private final List<TrafficOp> traffic;
    private final List<SessionRun> sessions;
    private final List<String> tables;
    private final MigrationReport migration;
    private final QuerkException error;
    private final Path timeline;
    private final List<Check> checks = Collections.synchronizedList(new ArrayList<>());
    private volatile List<Stretch> stretches;

    RehearsalReport(String server, Instant start, Instant end, List<StepRun> steps, List<LockInterval> locks,
                    List<TrafficOp> traffic, List<SessionRun> sessions, List<String> tables, MigrationReport migration,
                    QuerkException error, Path timeline) {
        this.server = server;
        this.start = start;
        this.end = end;
        this.steps = List.copyOf(steps);
        List<LockInterval> sorted = new ArrayList<>(locks);
        sorted.sort((a, b) -> a.start().compareTo(b.start()));
        this.locks = List.copyOf(sorted);
        this.traffic = List.copyOf(traffic);
        this.sessions = List.copyOf(sessions);
        this.tables = List.copyOf(tables);
        this.migration = migration;
        this.error = error;
        this.timeline = timeline;
    }

    /**
     * An assertion made on the report, kept so that the timeline can draw its threshold and mark the
     * stretches that failed it.
     *
     * @param number   from 1, in the order they were made (the timeline's {@code assertion-<n>})
     * @param text     the assertion as a sentence, e.g. "no step blocks reads of public.shipments longer than 100 ms"
     * @param table    the table it is about
     * @param access   reads or writes
     * @param threshold the longest stretch it accepts
     * @param failing  the numbers of the stretches that failed it; empty if it passed
     * @param message  its failure message, or null if it passed
     */
    public record Check(int number, String text, String table, Stretch.Access access, Duration threshold,
                        List<Integer> failing, String message) {
        /**
         * Copies {@code failing}.
         *
         * @param number    its number
         * @param text      the assertion as a sentence
         * @param table     the table
         * @param access    reads or writes
         * @param threshold the longest stretch it accepts
         * @param failing   the stretches that failed it
         * @param message   its failure message, or null
         */
        public Check {
            failing = List.copyOf(failing);
        }

        /** @return true if no stretch failed it */
        public boolean passed() {
            return failing.isEmpty();
        }
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

    /** @return every lock interval on the application's tables, sampled and captured, in order of start */
    public List<LockInterval> locks() {
        return locks;
    }

    /** @return every traffic operation, in order of start */
    public List<TrafficOp> traffic() {
        return traffic;
    }

    /** @return the traffic's participant sessions (long and idle transactions), in order of start */
    public List<SessionRun> sessions() {
        return sessions;
    }

    /** @return the application's tables as they were when the rehearsal began, schema-qualified, by name */
    public List<String> tables() {
        return tables;
    }

    /** @return the tables the traffic's operations touched, schema-qualified */
    public Set<String> trafficTables() {
        Set<String> out = new LinkedHashSet<>();
        traffic.forEach(o -> out.addAll(o.tables()));
        return out;
    }

    /** @return the engine's report, if the migration succeeded */
    public Optional<MigrationReport> migration() {
        return Optional.ofNullable(migration);
    }

    /** @return the migration's failure, if it failed */
    public Optional<QuerkException> error() {
        return Optional.ofNullable(error);
    }

    /** @return the file the timeline is kept in (rewritten after every assertion), if one was asked for */
    public Optional<Path> timelineFile() {
        return Optional.ofNullable(timeline);
    }

    /** @return the assertions made on this report so far, in order */
    public List<Check> checks() {
        synchronized (checks) {
            return List.copyOf(checks);
        }
    }

    /**
     * @param interval one of {@link #locks()}
     * @return the step run a lock interval belongs to, by the run token in its session's name, else
     *         (a helper session such as the backfill's vacuum) the step running when it began; empty if none
     */
    public Optional<StepRun> stepOf(LockInterval interval) {
        Matcher m = QUERK_SESSION.matcher(interval.application());
        if (m.matches()) {
            String token = m.group(3);
            for (StepRun s : steps) {
                if (s.token().equals(token)) {
                    return Optional.of(s);
                }
            }
        }
        return steps.stream().filter(s -> !s.start().isAfter(interval.start()) && !s.end().isBefore(interval.start()))
                .reduce((a, b) -> b);
    }

    /** @return every stretch during which a step blocked reads or writes of a table, in order of start */
    public List<Stretch> stretches() {
        List<Stretch> s = stretches;
        if (s == null) {
            s = Stretches.of(locks, i -> stepOf(i).orElse(null), traffic);
            stretches = s;
        }
        return s;
    }

    /**
     * @param table  a table, {@code "name"} or {@code "schema.name"}
     * @param access reads or writes
     * @return the stretches during which Querk kept the application from that access to the table,
     *         longest first
     * @throws TestkitException if the rehearsed database has no such table (the message names
     *         those it has), or the traffic ran but never touched it
     */
    public List<Stretch> stretches(String table, Stretch.Access access) {
        String t = resolve(table);
        List<Stretch> out = new ArrayList<>(stretches().stream().filter(s -> s.access() == access && s.table().equals(t))
                .toList());
        out.sort((a, b) -> b.duration().compareTo(a.duration()));
        return out;
    }

    /**
     * @param table {@code "name"} or {@code "schema.name"}
     * @return the table's schema-qualified name, as in {@link #tables()}
     * @throws TestkitException if there is no such table, or the traffic never touched it
     */
    public String resolve(String table) {
        QualifiedName wanted = QualifiedName.parse(table);
        List<String> matches = tables.stream().filter(t -> {
            QualifiedName seen = QualifiedName.parse(t);
            return seen.name().equals(wanted.name()) && (wanted.schema().isEmpty() || wanted.schema().equals(seen.schema()));
        }).toList();
        if (matches.isEmpty()) {
            throw new TestkitException("There is no table " + table + " in the rehearsed database, so nothing can"
                    + " be said about blocking it. " + known() + closest(table));
        }
        if (matches.size() > 1) {
            throw new TestkitException("Table " + table + " is ambiguous: " + matches + ". Name its schema.");
        }
        String t = matches.get(0);
        Set<String> touched = trafficTables();
        if (!traffic.isEmpty() && !touched.contains(t)) {
            throw new TestkitException("The traffic never touched " + t + " (it touched " + String.join(", ", touched)
                    + "), so the rehearsal cannot show what blocking it cost the application. Add traffic on it, e.g."
                    + " traffic(t -> t.reads(\"" + table + "\")), or declare it on your operation with on(\"" + table + "\").");
        }
        return t;
    }

    private String known() {
        return tables.isEmpty() ? "The database had no tables when the rehearsal began."
                : "Tables it knows: " + String.join(", ", tables) + ".";
    }

    private String closest(String table) {
        String name = QualifiedName.parse(table).name().name();
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String t : tables) {
            int d = distance(name, QualifiedName.parse(t).name().name());
            if (d < bestDistance) {
                bestDistance = d;
                best = t;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? " Did you mean " + best + "?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }

    /** Records an assertion and rewrites the timeline file, if there is one. */
    Check record(String text, String table, Stretch.Access access, Duration threshold, List<Integer> failing,
                 String message) {
        Check c;
        synchronized (checks) {
            c = new Check(checks.size() + 1, text, table, access, threshold, failing, message);
            checks.add(c);
        }
        if (timeline != null) {
            try {
                writeHtml(timeline);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the rehearsal's timeline to " + timeline, e);
            }
        }
        return c;
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
        // Nearest rank; the epsilon keeps the p99.9 of 1,000 at rank 999 (0.999 is a hair above itself
        // in binary), as the benchmarks' percentile does.
        int i = (int) Math.ceil(q * l.size() - 1e-9) - 1;
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

    /** @return a self-contained HTML page with the timeline of steps, stretches, blockers and traffic latencies */
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
