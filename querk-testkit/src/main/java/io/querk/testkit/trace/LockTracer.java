package io.querk.testkit.trace;

import io.querk.testkit.TestkitException;
import io.querk.Api;
import io.querk.plan.LockMode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Watches the table locks of chosen sessions from a connection of its own, sampling
 * {@code pg_locks} and {@code pg_stat_activity} every interval, and turns the samples into
 * {@link LockInterval}s: each mode held, and each mode waited for, per session and relation.
 * The parallel workers of a traced session (an index build's, say) are traced with it.
 *
 * <p>Only tables that existed when tracing started count: a table the migration creates is
 * invisible to the application, so locks on it block nobody. System catalogs ({@code pg_catalog},
 * {@code information_schema}, TOAST tables) are left out unless {@link Builder#includeSystemCatalogs()}:
 * every DDL statement touches them, and the application does not queue behind that.
 *
 * <p>Accuracy: a duration is off by at most about one interval plus the time one sample takes
 * (a few milliseconds); the testkit's accuracy test holds it to {@value #STATED_ERROR_MILLIS} ms
 * over the default 10 ms interval.
 *
 * <pre>{@code
 * try (LockTracer tracer = LockTracer.tracing(dataSource).sessions("querk/%").start()) {
 *     querk.migrate();
 *     List<LockInterval> locks = tracer.stop();
 * }
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class LockTracer implements AutoCloseable {

    /** Default sampling interval: 10 ms. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(10);
    /** The error the accuracy test holds a measured duration to, at the default interval. */
    public static final long STATED_ERROR_MILLIS = 30;

    // Relations are named schema-qualified always: regclass drops the schema when it is on the
    // search path, which would make "public.t" and "t" look like different tables.
    // A parallel worker is traced with its leader and named after it (leader_pid: PostgreSQL 13+).
    private static final String SAMPLE = "SELECT l.pid, coalesce(a.leader_pid, 0),"
            + " coalesce(CASE WHEN a.application_name LIKE ? THEN a.application_name ELSE p.application_name END, ''),"
            + " quote_ident(n.nspname) || '.' || quote_ident(c.relname), l.relation, l.mode, l.granted,"
            + " coalesce(nullif(a.query, ''), p.query, '')"
            + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " LEFT JOIN pg_stat_activity p ON p.pid = a.leader_pid AND a.leader_pid <> a.pid"
            + " JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND l.pid <> pg_backend_pid() AND (a.application_name LIKE ? OR p.application_name LIKE ?)";
    private static final String SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_toast')";

    private final DataSource dataSource;
    private final Duration interval;
    private final String sessions;
    private final Pattern excludedRelations;
    private final boolean systemCatalogs;
    private final List<LockInterval> closed = new ArrayList<>();
    private final Map<Key, Open> open = new HashMap<>();
    private Map<Long, String> tables;
    private Thread sampler;
    private volatile boolean running;
    private volatile SQLException failure;
    private long samples;
    private Instant previousSample;

    private record Key(int pid, long relation, LockMode mode, boolean granted) {
    }

    private static final class Open {
        final int leaderPid;
        final String application;
        final String relation;
        final Instant start;
        final String query;
        Instant last;

        Open(int leaderPid, String application, String relation, Instant start, Instant first, String query) {
            this.leaderPid = leaderPid;
            this.application = application;
            this.relation = relation;
            this.start = start;
            this.query = query;
            this.last = first;
        }
    }

    private LockTracer(Builder b) {
        this.dataSource = b.dataSource;
        this.interval = b.interval;
        this.sessions = b.sessions;
        this.excludedRelations = b.excludedRelations;
        this.systemCatalogs = b.systemCatalogs;
    }

    /**
     * @param dataSource the database to watch; the tracer takes one connection of its own
     * @return a tracer builder for the database behind {@code dataSource}
     */
    public static Builder tracing(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** Configures a {@link LockTracer}. */
    public static final class Builder {
        private final DataSource dataSource;
        private Duration interval = DEFAULT_INTERVAL;
        private String sessions = "querk/%";
        private Pattern excludedRelations = Pattern.compile("(.*\\.)?querk_history(_step|_range)?");
        private boolean systemCatalogs;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The sampling interval; at least 1 ms. Shorter is more precise and costs more.
         *
         * @param interval at least 1 ms
         * @return this builder
         */
        public Builder interval(Duration interval) {
            if (interval == null || interval.toMillis() < 1) {
                throw new TestkitException("The sampling interval must be at least 1 ms, got " + interval);
            }
            this.interval = interval;
            return this;
        }

        /**
         * Which sessions to trace, as a LIKE pattern on {@code application_name}; Querk's are {@code querk/%}.
         *
         * @param applicationNameLike a LIKE pattern, e.g. {@code "querk/%"}
         * @return this builder
         */
        public Builder sessions(String applicationNameLike) {
            this.sessions = Objects.requireNonNull(applicationNameLike, "applicationNameLike");
            return this;
        }

        /**
         * Relations to leave out, by a regular expression on their schema-qualified SQL name (default: Querk's history tables).
         *
         * @param regex a regular expression matched against the whole name
         * @return this builder
         */
        public Builder excludeRelations(String regex) {
            this.excludedRelations = Pattern.compile(regex);
            return this;
        }

        /**
         * Traces locks on system catalogs too ({@code pg_catalog}, {@code information_schema}, TOAST
         * tables), which are left out by default.
         *
         * @return this builder
         */
        public Builder includeSystemCatalogs() {
            this.systemCatalogs = true;
            return this;
        }

        /**
         * Starts sampling.
         *
         * @return the running tracer; {@link LockTracer#stop()} ends it and returns what it saw
         */
        public LockTracer start() {
            LockTracer t = new LockTracer(this);
            t.begin();
            return t;
        }
    }

    private void begin() {
        Connection c;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            tables = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT c.oid::bigint, quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                         + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm')"
                         + (systemCatalogs ? "" : " AND n.nspname NOT IN " + SYSTEM_SCHEMAS + " AND n.nspname NOT LIKE 'pg_toast%'")
                         + " ORDER BY 2")) {
                while (rs.next()) {
                    if (!excludedRelations.matcher(rs.getString(2)).matches()) {
                        tables.put(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("SET application_name = 'querk-testkit/lock-tracer'");
            }
        } catch (SQLException e) {
            throw new TestkitException("The lock tracer could not connect: " + e.getMessage(), e);
        }
        running = true;
        sampler = new Thread(() -> loop(c), "querk-lock-tracer");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void loop(Connection c) {
        try (c; PreparedStatement ps = c.prepareStatement(SAMPLE)) {
            ps.setString(1, sessions);
            ps.setString(2, sessions);
            ps.setString(3, sessions);
            long next = System.nanoTime();
            while (running) {
                sample(ps);
                next += interval.toNanos();
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } else {
                    next = System.nanoTime();
                }
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample(PreparedStatement ps) throws SQLException {
        long before = System.nanoTime();
        Instant wallBefore = Instant.now();
        Set<Key> seen = new HashSet<>();
        List<Object[]> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getString(6), rs.getBoolean(7), rs.getString(8)});
            }
        }
        // The snapshot of pg_locks was taken somewhere inside the query: call it the middle.
        Instant at = wallBefore.plusNanos((System.nanoTime() - before) / 2);
        // A lock first seen now began after the previous sample, and one gone now ended after the
        // last sample that saw it: the midpoints of the real gaps are the best estimates. Using the
        // real gaps rather than the nominal interval keeps the estimate centred when a loaded
        // machine delays the sampler.
        Instant previous = previousSample == null ? at.minus(interval) : previousSample;
        Instant openedAt = midpoint(previous, at);
        previousSample = at;
        synchronized (this) {
            samples++;
            for (Object[] r : rows) {
                long oid = (Long) r[4];
                String relation = (String) r[3];
                if (!traces(oid, relation)) {
                    continue;
                }
                Key k = new Key((Integer) r[0], oid, LockMode.of((String) r[5]), (Boolean) r[6]);
                seen.add(k);
                Open o = open.get(k);
                if (o == null) {
                    open.put(k, new Open((Integer) r[1], (String) r[2], relation, openedAt, at,
                            ((String) r[7]).replaceAll("\\s+", " ")));
                } else {
                    o.last = at;
                }
            }
            open.entrySet().removeIf(e -> {
                if (seen.contains(e.getKey())) {
                    return false;
                }
                closed.add(close(e.getKey(), e.getValue(), midpoint(e.getValue().last, at)));
                return true;
            });
        }
    }

    private static Instant midpoint(Instant a, Instant b) {
        return a.plus(Duration.between(a, b).dividedBy(2));
    }

    private LockInterval close(Key k, Open o, Instant end) {
        return new LockInterval(k.pid(), o.leaderPid, o.application, o.relation, k.mode(), k.granted(), o.start, end,
                o.query, LockInterval.Source.SAMPLED);
    }

    /**
     * @param relationOid a relation's oid
     * @param relation    its schema-qualified SQL name
     * @return true if locks on it count: a table that existed when tracing started, not excluded,
     *         not a system catalog (unless asked for)
     */
    public boolean traces(long relationOid, String relation) {
        return tables.containsKey(relationOid) && !excludedRelations.matcher(relation).matches();
    }

    /**
     * @param relationOid a relation's oid
     * @return its name as the tracer's intervals spell it, if locks on it count (see {@link #traces(long, String)})
     */
    public Optional<String> traced(long relationOid) {
        String name = tables.get(relationOid);
        return name != null && traces(relationOid, name) ? Optional.of(name) : Optional.empty();
    }

    /** @return the tables whose locks count, schema-qualified as SQL names them, in order of name */
    public List<String> tables() {
        return List.copyOf(tables.values());
    }

    /** @return the intervals closed so far (a lock still held is not among them until it ends) */
    public synchronized List<LockInterval> intervals() {
        return List.copyOf(closed);
    }

    /** @return how many samples were taken */
    public synchronized long samples() {
        return samples;
    }

    /**
     * Stops sampling and closes the intervals still open.
     *
     * @return every interval seen, in order of start
     * @throws io.querk.testkit.TestkitException if sampling failed
     */
    public List<LockInterval> stop() {
        if (running) {
            running = false;
            try {
                sampler.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw new TestkitException("The lock tracer's sampling failed: " + failure.getMessage(), failure);
        }
        synchronized (this) {
            // Still held at the last sample: it ended somewhere in the next (never taken) interval.
            open.forEach((k, o) -> closed.add(close(k, o, o.last.plus(interval.dividedBy(2)))));
            open.clear();
            List<LockInterval> all = new ArrayList<>(closed);
            all.sort((a, b) -> a.start().compareTo(b.start()));
            return all;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
