package io.querk.testkit.traffic;

import io.querk.sql.QualifiedName;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Simulated application traffic: reads and writes by primary key on the tables a migration
 * touches, each from connections of its own, every operation timed. Their latencies are the
 * ground truth of "blocked".
 *
 * <pre>{@code
 * Traffic traffic = Traffic.on(dataSource)
 *         .reads("shipments")            // SELECT * FROM shipments WHERE id = ?
 *         .writes("shipments")           // UPDATE shipments SET id = id WHERE id = ?
 *         .threads(2)
 *         .start();
 * ...
 * List<TrafficOp> ops = traffic.stop();
 * }</pre>
 *
 * <p>Keys come from a block sample of the table's primary key (a single column). Writes change
 * nothing, but take the same locks a real update takes.
 */
public final class Traffic implements AutoCloseable {

    /** Default pause between two operations of one thread: 2 ms, traffic without saturating a small machine. */
    public static final Duration DEFAULT_PAUSE = Duration.ofMillis(2);

    private final DataSource dataSource;
    private final List<Workload> workloads;
    private final int threads;
    private final Duration pause;
    private final long seed;
    private final List<TrafficOp> ops = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> running = new ArrayList<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    private record Workload(String name, TrafficOp.Kind kind, QualifiedName table, String sqlTemplate) {
    }

    private Traffic(Builder b) {
        this.dataSource = b.dataSource;
        this.workloads = List.copyOf(b.workloads);
        this.threads = b.threads;
        this.pause = b.pause;
        this.seed = b.seed;
    }

    /**
     * @param dataSource the database to send traffic to
     * @return a builder for traffic against {@code dataSource}
     */
    public static Builder on(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** Configures {@link Traffic}. */
    public static final class Builder {
        private final DataSource dataSource;
        private final List<Workload> workloads = new ArrayList<>();
        private int threads = 1;
        private Duration pause = DEFAULT_PAUSE;
        private long seed = 1;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Adds primary-key reads of a table.
         *
         * @param table the table, {@code "name"} or {@code "schema.name"}; it needs a single-column primary key
         * @return this builder
         */
        public Builder reads(String table) {
            QualifiedName t = QualifiedName.parse(table);
            workloads.add(new Workload("reads of " + t.sql(), TrafficOp.Kind.READ, t, "SELECT * FROM %s WHERE %s = ?"));
            return this;
        }

        /**
         * Adds primary-key writes to a table (an UPDATE that sets the key to itself: real locks, no change).
         *
         * @param table the table, {@code "name"} or {@code "schema.name"}; it needs a single-column primary key
         * @return this builder
         */
        public Builder writes(String table) {
            QualifiedName t = QualifiedName.parse(table);
            workloads.add(new Workload("writes to " + t.sql(), TrafficOp.Kind.WRITE, t,
                    "UPDATE %1$s SET %2$s = %2$s WHERE %2$s = ?"));
            return this;
        }

        /**
         * Threads per workload; at least 1.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Pause between two operations of one thread; zero or more.
         *
         * @param pause zero or more
         * @return this builder
         */
        public Builder pause(Duration pause) {
            if (pause == null || pause.isNegative()) {
                throw new IllegalArgumentException("pause must be zero or more, got " + pause);
            }
            this.pause = pause;
            return this;
        }

        /**
         * Seed of the key choice, for reproducible traffic.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Starts the traffic.
         *
         * @return the running traffic; {@link Traffic#stop()} ends it and returns every operation
         */
        public Traffic start() {
            if (workloads.isEmpty()) {
                throw new IllegalStateException("No traffic to run: add reads(table) or writes(table).");
            }
            Traffic t = new Traffic(this);
            t.begin();
            return t;
        }
    }

    private void begin() {
        int n = 0;
        for (Workload w : workloads) {
            Sample sample = sample(w.table());
            String sql = String.format(w.sqlTemplate(), w.table().sql(), sample.keyColumn());
            for (int i = 0; i < threads; i++) {
                Random r = new Random(seed + n++);
                Thread t = new Thread(() -> loop(w, sql, sample.keys(), r), "querk-traffic-" + n);
                t.setDaemon(true);
                running.add(t);
            }
        }
        running.forEach(Thread::start);
    }

    private record Sample(String keyColumn, List<Object> keys) {
    }

    private Sample sample(QualifiedName table) {
        try (Connection c = dataSource.getConnection()) {
            String key;
            try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                    + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?)"
                    + " AND i.indisprimary AND i.indnkeyatts = 1")) {
                ps.setString(1, table.regclassText());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("Table " + table.sql() + " has no single-column primary key;"
                                + " traffic picks rows by it.");
                    }
                    key = io.querk.sql.Identifier.of(rs.getString(1)).sql();
                }
            }
            List<Object> keys = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + key + " FROM " + table.sql()
                    + " TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 2000")) {
                while (rs.next()) {
                    keys.add(rs.getObject(1));
                }
            }
            if (keys.isEmpty()) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT " + key + " FROM " + table.sql() + " LIMIT 2000")) {
                    while (rs.next()) {
                        keys.add(rs.getObject(1));
                    }
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("Table " + table.sql() + " is empty; traffic needs rows to read and write.");
            }
            return new Sample(key, keys);
        } catch (SQLException e) {
            throw new IllegalStateException("Traffic could not sample " + table.sql() + ": " + e.getMessage(), e);
        }
    }

    private void loop(Workload w, String sql, List<Object> keys, Random random) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("SET application_name = 'querk-testkit/traffic'");
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                while (!stop.get()) {
                    ps.setObject(1, keys.get(random.nextInt(keys.size())));
                    Instant start = Instant.now();
                    long t0 = System.nanoTime();
                    String error = null;
                    try {
                        ps.execute();
                    } catch (SQLException e) {
                        error = e.getSQLState() + " " + e.getMessage();
                    }
                    ops.add(new TrafficOp(w.name(), w.kind(), start, Duration.ofNanos(System.nanoTime() - t0), error));
                    if (!pause.isZero()) {
                        Thread.sleep(pause.toMillis());
                    }
                }
            }
        } catch (SQLException e) {
            failures.add(w.name() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the operations recorded so far */
    public List<TrafficOp> ops() {
        synchronized (ops) {
            return List.copyOf(ops);
        }
    }

    /**
     * Stops the traffic.
     *
     * @return every operation, in the order they were sent
     * @throws IllegalStateException if a traffic connection failed outright
     */
    public List<TrafficOp> stop() {
        stop.set(true);
        for (Thread t : running) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("Traffic failed: " + failures);
        }
        List<TrafficOp> all = ops();
        List<TrafficOp> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> a.start().compareTo(b.start()));
        return sorted;
    }

    @Override
    public void close() {
        stop.set(true);
    }
}
