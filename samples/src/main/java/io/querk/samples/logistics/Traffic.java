package io.querk.samples.logistics;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application's live traffic while it migrates: readers and writers working on shipments by
 * primary key, each operation timed and attributed to the migration step that was running when it
 * started, so the report can say which step the application felt.
 *
 * <p>The queries are those of the version that is running. The old version still writes
 * {@code weight_kg} and reads the {@code notes} column; the new one, switched to when the old one
 * is gone (before contract), reads what the migrations added. That switch is the whole point of
 * expand/contract: at no moment does a running version use a column that is not there.
 */
final class Traffic implements AutoCloseable {

    /** The application versions the sample switches between. */
    enum Version {
        /** Before the migrations: knows destination, weight_kg, notes. */
        OLD("SELECT status, destination, weight_kg, notes FROM shipments WHERE id = ?",
                "UPDATE shipments SET status = 'in transit', destination = ?, weight_kg = weight_kg + 1 WHERE id = ?"),
        /**
         * After the deploy: reads the derived city, the carrier, grams and the numeric tracking
         * number, and writes the city itself, since contract ends the trigger that derived it.
         */
        NEW("SELECT status, dest_city, carrier_id, weight_g, tracking_no FROM shipments WHERE id = ?",
                "UPDATE shipments SET status = 'in transit', destination = ?, dest_city = split_part(?, ',', 1),"
                        + " weight_g = weight_g + 1 WHERE id = ?");

        final String read;
        final String write;

        Version(String read, String write) {
            this.read = read;
            this.write = write;
        }
    }

    static final String BETWEEN_STEPS = "between steps";
    private static final String[] CITIES = {"Lyon", "Porto", "Gdansk", "Tulsa", "Osaka", "Recife"};

    private final DataSource ds;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Version> version = new AtomicReference<>(Version.OLD);
    private final AtomicReference<String> currentStep = new AtomicReference<>(BETWEEN_STEPS);
    private final Map<String, Latencies> byStep = new ConcurrentHashMap<>();
    private final Latencies all = new Latencies();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();

    Traffic(DataSource ds) {
        this.ds = ds;
    }

    /** Starts one reader and one writer; returns once both have connected. */
    void start() throws SQLException, InterruptedException {
        long maxId;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(id) FROM shipments")) {
            rs.next();
            maxId = rs.getLong(1);
        }
        CountDownLatch connected = new CountDownLatch(2);
        threads.add(loop("reader", maxId, false, connected, 11));
        threads.add(loop("writer", maxId, true, connected, 12));
        connected.await();
    }

    /** The old version is gone: from now on every query is the new version's. */
    void switchTo(Version v) {
        version.set(v);
    }

    /** The migration step now running, or {@link #BETWEEN_STEPS}. */
    void during(String step) {
        currentStep.set(step);
    }

    private Thread loop(String name, long maxId, boolean write, CountDownLatch connected, long seed) {
        Thread t = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(seed);
            try (Connection c = ds.getConnection()) {
                connected.countDown();
                while (!stop.get()) {
                    Version v = version.get();
                    String step = currentStep.get();
                    long id = 1 + random.nextLong(maxId);
                    long t0 = System.nanoTime();
                    // Prepared per operation because the query depends on the version running at this moment.
                    try (PreparedStatement ps = c.prepareStatement(write ? v.write : v.read)) {
                        if (write) {
                            String destination = CITIES[random.nextInt(CITIES.length)] + ", Dock " + random.nextInt(97);
                            int p = 1;
                            ps.setString(p++, destination);
                            if (v == Version.NEW) {
                                ps.setString(p++, destination);
                            }
                            ps.setLong(p, id);
                            ps.executeUpdate();
                            writes.incrementAndGet();
                        } else {
                            ps.setLong(1, id);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                            }
                            reads.incrementAndGet();
                        }
                    } catch (SQLException e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, v + " " + (write ? "write" : "read") + ": " + e.getMessage());
                    }
                    long nanos = System.nanoTime() - t0;
                    all.add(nanos);
                    byStep.computeIfAbsent(step, k -> new Latencies()).add(nanos);
                    // Real clients think between requests; without it two threads would saturate 2 cores.
                    Thread.sleep(2);
                }
            } catch (SQLException e) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, name + " lost its connection: " + e.getMessage());
                connected.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "traffic-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
    }

    long reads() {
        return reads.get();
    }

    long writes() {
        return writes.get();
    }

    long errors() {
        return errors.get();
    }

    /** @return the first error the application saw, or null */
    String firstError() {
        return firstError.get();
    }

    Latencies overall() {
        return all;
    }

    /** @return the latencies of operations that started while the step ran (empty if none) */
    Latencies latenciesDuring(String step) {
        return byStep.getOrDefault(step, new Latencies());
    }

    /** Operation latencies, kept whole: a sample run has tens of thousands, not millions. */
    static final class Latencies {
        private long[] nanos = new long[1024];
        private int size;

        synchronized void add(long value) {
            if (size == nanos.length) {
                nanos = Arrays.copyOf(nanos, size * 2);
            }
            nanos[size++] = value;
        }

        /** @return the latency at quantile q (nearest rank) in milliseconds, 0 if none */
        synchronized double millisAt(double q) {
            if (size == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(nanos, size);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(q * size);
            return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
        }

        double worstMillis() {
            return millisAt(1.0);
        }
    }
}
