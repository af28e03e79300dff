package io.querk.testkit.traffic;

import io.querk.testkit.TestkitException;
import io.querk.Api;
import io.querk.sql.Identifier;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Simulated application traffic, the ground truth of "blocked": workloads of SQL operations sent
 * from connections of their own, closed-loop (clients that send, wait for the answer, think, send
 * again) or open-loop (a rate of requests per second, so that a stall shows as queueing latency),
 * and participant sessions that hold a transaction open (a long report, a forgotten console).
 * Every operation's start and end is recorded, and every participant statement's.
 *
 * <pre>{@code
 * Traffic traffic = Traffic.on(dataSource).seed(42)
 *         .reads("shipments")                                   // SELECT * FROM shipments WHERE id = ?
 *         .writes("shipments")                                  // UPDATE shipments SET id = id WHERE id = ?
 *         .workload("checkout", w -> w
 *                 .operation(Operation.write("book", "UPDATE shipments SET status = ? WHERE id = ?")
 *                         .on("shipments").param(Param.oneOf("booked", "in transit")).param(Param.keyOf("shipments")), 3)
 *                 .operation(Operation.read("track", "SELECT status FROM shipments WHERE id = ?")
 *                         .on("shipments").param(Param.keyOf("shipments")), 7)
 *                 .rate(200))                                   // open loop: 200 requests per second
 *         .longTransaction("report-job", Duration.ofSeconds(4), "SELECT count(*) FROM shipments")
 *         .start();                                             // returns once every session holds its locks
 * ...
 * List<TrafficOp> ops = traffic.stop();
 * List<SessionRun> sessions = traffic.sessions();
 * }</pre>
 *
 * <p>Random choices (which operation, which parameter values) come from the seed: the same seed
 * sends the same sequence of requests per client.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class Traffic implements AutoCloseable {

    /** Default pause between two operations of a closed-loop client: 2 ms, traffic without saturating a small machine. */
    public static final Duration DEFAULT_PAUSE = Duration.ofMillis(2);
    /** Default number of connections an open-loop workload sends from: 8. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 8;
    /** The prefix of every traffic session's {@code application_name}. */
    public static final String APPLICATION_PREFIX = "querk-testkit/";

    private static final String KEY = "\u0000key\u0000";

    private final DataSource dataSource;
    private final List<WorkloadSpec> workloads;
    private final List<SessionSpec> participants;
    private final long seed;
    private final List<TrafficOp> ops = Collections.synchronizedList(new ArrayList<>());
    private final List<SessionRun> sessions = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final List<Thread> participantThreads = new ArrayList<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong count = new AtomicLong();

    private Traffic(Builder b) {
        this.dataSource = b.dataSource;
        this.workloads = List.copyOf(b.workloads);
        this.participants = List.copyOf(b.participants);
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
        private final List<WorkloadSpec> workloads = new ArrayList<>();
        private final List<SessionSpec> participants = new ArrayList<>();
        private final List<String> simple = new ArrayList<>();
        private int threads = 1;
        private Duration pause = DEFAULT_PAUSE;
        private long seed = 1;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Adds a closed-loop workload of primary-key reads, {@code SELECT * FROM t WHERE pk = ?}, with keys
         * from a seeded sample of the table.
         *
         * @param table {@code "name"} or {@code "schema.name"}; it needs a single-column primary key
         * @return this builder
         */
        public Builder reads(String table) {
            String t = Operation.qualify(table);
            return simple("reads of " + t, Operation.read("read by key", "SELECT * FROM " + t + " WHERE " + KEY + " = ?")
                    .on(t).param(Param.keyOf(t)));
        }

        /**
         * Adds a closed-loop workload of primary-key writes: an UPDATE that sets the key to itself, which
         * takes a real update's locks and changes nothing.
         *
         * @param table {@code "name"} or {@code "schema.name"}; it needs a single-column primary key
         * @return this builder
         */
        public Builder writes(String table) {
            String t = Operation.qualify(table);
            return simple("writes to " + t, Operation.write("write by key", "UPDATE " + t + " SET " + KEY + " = " + KEY
                    + " WHERE " + KEY + " = ?").on(t).param(Param.keyOf(t)));
        }

        private Builder simple(String name, Operation op) {
            simple.add(name);
            WorkloadSpec w = new WorkloadSpec(name);
            w.operation(op);
            workloads.add(w);
            return this;
        }

        /**
         * Clients per workload added with {@link #reads(String)} or {@link #writes(String)}; at least 1.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            this.threads = atLeastOne("threads", threads);
            return this;
        }

        /**
         * Think time of the clients of {@link #reads(String)} and {@link #writes(String)}; zero or more.
         *
         * @param pause zero or more
         * @return this builder
         */
        public Builder pause(Duration pause) {
            this.pause = zeroOrMore("pause", pause);
            return this;
        }

        /**
         * The seed of every random choice: which operation, which parameter values.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Adds a workload of your own operations.
         *
         * @param name its name in reports
         * @param spec adds operations and says how they are sent (clients, or a rate)
         * @return this builder
         */
        public Builder workload(String name, Consumer<WorkloadSpec> spec) {
            WorkloadSpec w = new WorkloadSpec(Objects.requireNonNull(name, "name"));
            spec.accept(w);
            if (w.operations.isEmpty()) {
                throw new TestkitException("Workload '" + name + "' has no operation: add operation(...).");
            }
            workloads.add(w);
            return this;
        }

        /**
         * Adds a session that opens a transaction, runs {@code statements} in it, keeps it open for
         * {@code hold} (idle in transaction, holding every lock they took) and commits: a report query
         * or a batch job that holds the table while a migration wants it.
         *
         * @param name       its name in reports; its {@code application_name} is {@code querk-testkit/<name>}
         * @param hold       how long the transaction stays open after its statements
         * @param statements at least one statement
         * @return this builder
         */
        public Builder longTransaction(String name, Duration hold, String... statements) {
            return transaction(name, s -> {
                for (String sql : statements) {
                    s.sql(sql);
                }
                s.holdFor(hold);
            });
        }

        /**
         * Adds a session that opens a transaction, runs {@code statements}, and stays idle in
         * transaction until the traffic stops, then rolls back: the forgotten console session.
         *
         * @param name       its name in reports
         * @param statements at least one statement
         * @return this builder
         */
        public Builder idleInTransaction(String name, String... statements) {
            return transaction(name, s -> {
                for (String sql : statements) {
                    s.sql(sql);
                }
            });
        }

        /**
         * Adds a participant session, configured in full.
         *
         * @param name its name in reports
         * @param spec its statements, how long it holds its transaction, when it starts
         * @return this builder
         */
        public Builder transaction(String name, Consumer<SessionSpec> spec) {
            SessionSpec s = new SessionSpec(Objects.requireNonNull(name, "name"));
            spec.accept(s);
            if (s.statements.isEmpty()) {
                throw new TestkitException("Session '" + name + "' has no statement: add sql(...).");
            }
            if (participants.stream().anyMatch(p -> p.name.equals(name))) {
                throw new TestkitException("Two traffic sessions are named '" + name + "'.");
            }
            participants.add(s);
            return this;
        }

        /**
         * Starts the traffic. Returns once every client is connected and every participant that starts
         * at once has run its statements (so that it holds its locks).
         *
         * @return the running traffic; {@link Traffic#stop()} ends it and returns every operation
         * @throws io.querk.testkit.TestkitException if there is nothing to run, a session could not start, or a
         *         parameter's table has no rows or no single-column key
         */
        public Traffic start() {
            if (workloads.isEmpty() && participants.isEmpty()) {
                throw new TestkitException("No traffic to run: add reads(table), writes(table), workload(...)"
                        + " or a transaction.");
            }
            for (WorkloadSpec w : workloads) {
                if (simple.contains(w.name)) {
                    w.clients = threads;
                    w.think = pause;
                }
            }
            Traffic t = new Traffic(this);
            t.begin();
            return t;
        }
    }

    /** A workload's operations and how they are sent. */
    public static final class WorkloadSpec {
        private final String name;
        private final List<Operation> operations = new ArrayList<>();
        private final List<Integer> weights = new ArrayList<>();
        private int clients = 1;
        private Duration think = DEFAULT_PAUSE;
        private double rate;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

        private WorkloadSpec(String name) {
            this.name = name;
        }

        /**
         * Adds an operation of weight 1.
         *
         * @param op the operation
         * @return this spec
         */
        public WorkloadSpec operation(Operation op) {
            return operation(op, 1);
        }

        /**
         * Adds an operation: each request is one of the workload's operations, drawn with these weights
         * ({@code 80} and {@code 20}: four reads for every write).
         *
         * @param op     the operation
         * @param weight at least 1
         * @return this spec
         */
        public WorkloadSpec operation(Operation op, int weight) {
            atLeastOne("weight", weight);
            operations.add(Objects.requireNonNull(op, "op"));
            weights.add(weight);
            return this;
        }

        /**
         * Closed loop: this many clients, each on its own connection, each sending its next request when
         * the previous one answered and it has thought; at least 1. The default is one client.
         *
         * @param clients at least 1
         * @return this spec
         */
        public WorkloadSpec clients(int clients) {
            this.clients = atLeastOne("clients", clients);
            this.rate = 0;
            return this;
        }

        /**
         * A closed-loop client's pause between an answer and its next request; zero or more.
         *
         * @param think zero or more
         * @return this spec
         */
        public WorkloadSpec think(Duration think) {
            this.think = zeroOrMore("think", think);
            return this;
        }

        /**
         * Open loop: requests are due at this rate whatever happens to the earlier ones, and sent from up
         * to {@link #maxInFlight(int)} connections; a request that waits for a free connection has its
         * wait counted in its latency, as an application's users would feel it. Requests still waiting
         * for a connection when the traffic stops were never sent, and are not recorded.
         *
         * @param perSecond requests per second, more than 0
         * @return this spec
         */
        public WorkloadSpec rate(double perSecond) {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new TestkitException("rate must be a positive number of requests per second, got " + perSecond);
            }
            this.rate = perSecond;
            return this;
        }

        /**
         * An open-loop workload's connections; at least 1.
         *
         * @param connections at least 1
         * @return this spec
         */
        public WorkloadSpec maxInFlight(int connections) {
            this.maxInFlight = atLeastOne("maxInFlight", connections);
            return this;
        }
    }

    /** A participant session: statements in one transaction, held open. */
    public static final class SessionSpec {
        private final String name;
        private final List<String> statements = new ArrayList<>();
        private Duration hold;
        private Duration startAfter = Duration.ZERO;

        private SessionSpec(String name) {
            this.name = name;
        }

        /**
         * @param sql a statement to run in the transaction, in order
         * @return this spec
         */
        public SessionSpec sql(String sql) {
            statements.add(Objects.requireNonNull(sql, "sql"));
            return this;
        }

        /**
         * How long the transaction stays open after its statements, then commits. Without it, the
         * session stays idle in transaction until the traffic stops, and rolls back.
         *
         * @param hold zero or more
         * @return this spec
         */
        public SessionSpec holdFor(Duration hold) {
            this.hold = zeroOrMore("hold", hold);
            return this;
        }

        /**
         * When the session starts, after the traffic does; {@link Builder#start()} waits only for those that
         * start at once.
         *
         * @param delay zero or more
         * @return this spec
         */
        public SessionSpec startAfter(Duration delay) {
            this.startAfter = zeroOrMore("startAfter", delay);
            return this;
        }
    }

    private static int atLeastOne(String what, int n) {
        if (n < 1) {
            throw new TestkitException(what + " must be at least 1, got " + n);
        }
        return n;
    }

    private static Duration zeroOrMore(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new TestkitException(what + " must be zero or more, got " + d);
        }
        return d;
    }

    // ----------------------------------------------------------------------------------------
    // Running

    /** An operation ready to send: its SQL and a drawer per parameter. */
    private record Ready(Operation op, String sql, List<Function<SplittableRandom, Object>> params) {
    }

    private void begin() {
        Map<String, String> keys = new LinkedHashMap<>();
        List<List<Ready>> ready = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (WorkloadSpec w : workloads) {
                List<Ready> list = new ArrayList<>();
                for (Operation op : w.operations) {
                    String sql = op.sql();
                    if (sql.contains(KEY)) {
                        sql = sql.replace(KEY, keys.computeIfAbsent(op.tables().get(0), t -> keyColumn(c, t)));
                    }
                    List<Function<SplittableRandom, Object>> drawers = new ArrayList<>();
                    for (Param p : op.params()) {
                        drawers.add(resolve(c, p));
                    }
                    list.add(new Ready(op, sql, drawers));
                }
                ready.add(list);
            }
        } catch (SQLException e) {
            throw new TestkitException("Traffic could not read its parameters: " + e.getMessage(), e);
        }
        int n = 0;
        List<CountDownLatch> connected = new ArrayList<>();
        for (int i = 0; i < workloads.size(); i++) {
            WorkloadSpec w = workloads.get(i);
            List<Ready> ops = ready.get(i);
            int[] weights = w.weights.stream().mapToInt(Integer::intValue).toArray();
            if (w.rate > 0) {
                BlockingQueue<Instant> due = new LinkedBlockingQueue<>();
                for (int k = 0; k < w.maxInFlight; k++) {
                    SplittableRandom r = new SplittableRandom(seed * 1_000_003 + n++);
                    CountDownLatch latch = new CountDownLatch(1);
                    connected.add(latch);
                    threads.add(thread("querk-traffic-" + w.name + "-" + k, () -> openLoopWorker(w, ops, weights, r, due, latch)));
                }
                threads.add(thread("querk-traffic-" + w.name + "-rate", () -> dispatch(w.rate, due)));
            } else {
                for (int k = 0; k < w.clients; k++) {
                    SplittableRandom r = new SplittableRandom(seed * 1_000_003 + n++);
                    CountDownLatch latch = new CountDownLatch(1);
                    connected.add(latch);
                    threads.add(thread("querk-traffic-" + w.name + "-" + k, () -> client(w, ops, weights, r, latch)));
                }
            }
        }
        List<CountDownLatch> holding = new ArrayList<>();
        for (SessionSpec s : participants) {
            CountDownLatch latch = new CountDownLatch(1);
            if (s.startAfter.isZero()) {
                holding.add(latch);
            }
            participantThreads.add(thread("querk-traffic-session-" + s.name, () -> participate(s, latch)));
        }
        threads.forEach(Thread::start);
        participantThreads.forEach(Thread::start);
        await(connected, "a client to connect");
        await(holding, "a session to run its statements");
    }

    private void await(List<CountDownLatch> latches, String what) {
        try {
            for (CountDownLatch l : latches) {
                if (!l.await(60, TimeUnit.SECONDS)) {
                    stop();
                    throw new TestkitException("Traffic waited 60 s for " + what + "; " + failures);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestkitException("Interrupted while the traffic started", e);
        }
        if (!failures.isEmpty()) {
            stopping.set(true);
            throw new TestkitException("Traffic could not start: " + failures);
        }
    }


    private static Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private String keyColumn(Connection c, String table) {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?)"
                + " AND i.indisprimary AND i.indnkeyatts = 1")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new TestkitException("Table " + table + " has no single-column primary key (or does not"
                            + " exist); reads(table), writes(table) and Param.keyOf(table) pick rows by it.");
                }
                return Identifier.of(rs.getString(1)).sql();
            }
        } catch (SQLException e) {
            throw new TestkitException("Traffic could not find the key of " + table + ": " + e.getMessage(), e);
        }
    }

    private Function<SplittableRandom, Object> resolve(Connection c, Param p) throws SQLException {
        if (p instanceof Param.Values v) {
            List<Object> values = v.values;
            return r -> values.get(r.nextInt(values.size()));
        }
        if (p instanceof Param.Generated g) {
            return g.generator;
        }
        Param.FromQuery q = (Param.FromQuery) p;
        List<Object> values = new ArrayList<>();
        if (q.sql != null) {
            read(c, q.sql, values);
            if (values.isEmpty()) {
                throw new TestkitException("Param.query(\"" + q.sql + "\") returned no rows.");
            }
        } else {
            String table = q.table.sql();
            String column = q.column == null ? keyColumn(c, q.table.regclassText()) : Identifier.of(q.column).sql();
            // A block sample, repeatable for the seed, and the first rows when the table is too small to sample.
            read(c, "SELECT " + column + " FROM " + table + " TABLESAMPLE SYSTEM (1) REPEATABLE (" + Math.floorMod(seed, 1 << 30)
                    + ") LIMIT " + Param.FromQuery.LIMIT, values);
            if (values.size() < 100) {
                values.clear();
                read(c, "SELECT " + column + " FROM " + table + " LIMIT " + Param.FromQuery.LIMIT, values);
            }
            if (values.isEmpty()) {
                throw new TestkitException("Table " + table + " is empty; traffic needs rows to draw "
                        + (q.column == null ? "keys" : q.column + " values") + " from.");
            }
        }
        return r -> values.get(r.nextInt(values.size()));
    }

    private static void read(Connection c, String sql, List<Object> into) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                into.add(rs.getObject(1));
            }
        }
    }

    private static Ready pick(List<Ready> ops, int[] weights, SplittableRandom r) {
        if (ops.size() == 1) {
            return ops.get(0);
        }
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return ops.get(i);
            }
        }
        return ops.get(ops.size() - 1);
    }

    private Connection connect(String name) throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = '" + cut(APPLICATION_PREFIX + name).replace("'", "''") + "'");
        }
        return c;
    }

    private static String cut(String s) {
        return s.length() > 60 ? s.substring(0, 60) : s;
    }

    /** What one connection of a workload does with it: send requests, preparing each operation once. */
    @FunctionalInterface
    private interface Sending {
        void run(Function<Ready, PreparedStatement> statements) throws InterruptedException;
    }

    /** Opens a workload connection, runs its loop, and records what ended it if it was not the stop. */
    private void onConnection(WorkloadSpec w, CountDownLatch connected, Sending loop) {
        try (Connection c = connect("traffic/" + w.name)) {
            connected.countDown();
            Map<Ready, PreparedStatement> prepared = new LinkedHashMap<>();
            try {
                loop.run(op -> prepared.computeIfAbsent(op, o -> prepare(c, o)));
            } finally {
                for (PreparedStatement ps : prepared.values()) {
                    ps.close();
                }
            }
        } catch (SQLException | RuntimeException e) {
            failures.add(w.name + ": " + e.getMessage());
            connected.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void client(WorkloadSpec w, List<Ready> ops, int[] weights, SplittableRandom r, CountDownLatch connected) {
        onConnection(w, connected, statements -> {
            while (!stopping.get()) {
                Ready op = pick(ops, weights, r);
                PreparedStatement ps = statements.apply(op);
                execute(w, op, ps, r, Instant.now());
                if (!w.think.isZero()) {
                    LockSupport.parkNanos(w.think.toNanos());
                }
            }
        });
    }

    private void dispatch(double rate, BlockingQueue<Instant> due) {
        long intervalNanos = (long) (1e9 / rate);
        Instant origin = Instant.now();
        long t0 = System.nanoTime();
        for (long k = 0; !stopping.get(); k++) {
            long at = t0 + k * intervalNanos;
            long wait = at - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            due.add(origin.plusNanos(k * intervalNanos));
        }
    }

    private void openLoopWorker(WorkloadSpec w, List<Ready> ops, int[] weights, SplittableRandom r,
                                BlockingQueue<Instant> due, CountDownLatch connected) {
        onConnection(w, connected, statements -> {
            while (!stopping.get()) {
                Instant at = due.poll(50, TimeUnit.MILLISECONDS);
                if (at != null) {
                    Ready op = pick(ops, weights, r);
                    execute(w, op, statements.apply(op), r, at);
                }
            }
        });
    }

    private static PreparedStatement prepare(Connection c, Ready op) {
        try {
            return c.prepareStatement(op.sql());
        } catch (SQLException e) {
            throw new TestkitException("Cannot prepare " + op.op().name() + ": " + e.getMessage(), e);
        }
    }

    private void execute(WorkloadSpec w, Ready op, PreparedStatement ps, SplittableRandom r, Instant start) {
        String error = null;
        try {
            for (int i = 0; i < op.params().size(); i++) {
                ps.setObject(i + 1, op.params().get(i).apply(r));
            }
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        // Read the answer through, as an application would.
                    }
                }
            }
        } catch (SQLException e) {
            error = e.getSQLState() + " " + e.getMessage();
        }
        ops.add(new TrafficOp(w.name, op.op().name(), op.op().kind(), op.op().tables(), start, Instant.now(), error));
        count.incrementAndGet();
    }

    private void participate(SessionSpec s, CountDownLatch holding) {
        if (!s.startAfter.isZero() && awaitStop(s.startAfter)) {
            holding.countDown();
            return;
        }
        String application = cut(APPLICATION_PREFIX + s.name);
        List<SessionRun.Statement> done = new ArrayList<>();
        Instant begin = null;
        int pid = 0;
        String error = null;
        try (Connection c = connect(s.name)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            c.setAutoCommit(false);
            begin = Instant.now();
            try (Statement st = c.createStatement()) {
                for (String sql : s.statements) {
                    Instant t = Instant.now();
                    st.execute(sql);
                    done.add(new SessionRun.Statement(sql, t, Instant.now()));
                }
                holding.countDown();
                // The deliberate hold of the participant's transaction, not synchronisation.
                boolean cut = s.hold == null ? awaitStop(null) : awaitStop(s.hold);
                if (s.hold == null || cut) {
                    c.rollback();
                } else {
                    c.commit();
                }
            } catch (SQLException e) {
                error = e.getSQLState() + " " + e.getMessage();
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            error = error != null ? error : e.getMessage();
            failures.add("session " + s.name + ": " + e.getMessage());
        } finally {
            holding.countDown();
        }
        Instant end = Instant.now();
        sessions.add(new SessionRun(s.name, application, pid, begin == null ? end : begin, end, done, error));
    }

    /** @return true if the traffic stopped before {@code d} passed (null: wait for the stop) */
    private boolean awaitStop(Duration d) {
        try {
            if (d == null) {
                stopped.await();
                return true;
            }
            return stopped.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** @return the operations recorded so far */
    public List<TrafficOp> ops() {
        synchronized (ops) {
            return List.copyOf(ops);
        }
    }

    /**
     * Waits until at least {@code n} operations have been recorded since the start, to let connections,
     * plans and caches warm up before anything is measured.
     *
     * @param n       how many
     * @param timeout how long to wait at most
     * @throws io.querk.testkit.TestkitException if fewer were recorded in time
     */
    public void awaitOps(long n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() < n) {
            if (System.nanoTime() > deadline || !failures.isEmpty()) {
                throw new TestkitException("Traffic recorded " + count.get() + " of " + n + " operations in "
                        + timeout + (failures.isEmpty() ? "" : "; " + failures));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * Waits until every participant session with a hold has committed.
     *
     * @param timeout how long to wait at most
     * @return the sessions that ended so far
     * @throws io.querk.testkit.TestkitException if one is still open after {@code timeout}
     */
    public List<SessionRun> awaitSessions(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < participants.size(); i++) {
            if (participants.get(i).hold == null) {
                continue;
            }
            try {
                participantThreads.get(i).join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (participantThreads.get(i).isAlive()) {
                throw new TestkitException("Traffic session " + participants.get(i).name + " is still open after " + timeout);
            }
        }
        return sessions();
    }

    /** @return the participant sessions that have ended, in order of their start */
    public List<SessionRun> sessions() {
        synchronized (sessions) {
            List<SessionRun> out = new ArrayList<>(sessions);
            out.sort((a, b) -> a.begin().compareTo(b.begin()));
            return out;
        }
    }

    /**
     * Stops the traffic: clients finish the request in flight, idle sessions roll back, sessions still
     * holding end their hold early and roll back.
     *
     * @return every operation, in order of start
     * @throws io.querk.testkit.TestkitException if a traffic connection failed outright
     */
    public List<TrafficOp> stop() {
        stopping.set(true);
        stopped.countDown();
        List<Thread> all = new ArrayList<>(threads);
        all.addAll(participantThreads);
        for (Thread t : all) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failures.isEmpty()) {
            throw new TestkitException("Traffic failed: " + failures);
        }
        List<TrafficOp> sorted = new ArrayList<>(ops());
        sorted.sort((a, b) -> a.start().compareTo(b.start()));
        return sorted;
    }

    /** Stops the traffic if {@link #stop()} was not reached, so that a failed test leaves no session behind. */
    @Override
    public void close() {
        stopping.set(true);
        stopped.countDown();
    }
}
