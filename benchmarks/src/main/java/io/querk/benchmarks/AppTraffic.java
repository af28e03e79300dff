package io.querk.benchmarks;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A stand-in for the application: client threads, each on a session of its own, that read and
 * update rows of {@code orders} by primary key in turn, and time every operation. Their latencies
 * are what a migration's locks cost the application.
 */
final class AppTraffic implements AutoCloseable {

    /**
     * One operation as a client saw it.
     *
     * @param start when it was sent ({@link System#nanoTime()})
     * @param end   when its answer came back
     * @param ok    false if it failed
     */
    record Op(long start, long end, boolean ok) {

        double millis() {
            return (end - start) / 1e6;
        }

        /** @return true if it was in flight at any moment of {@code [from, to]} */
        boolean overlaps(long from, long to) {
            return end >= from && start <= to;
        }
    }

    private final List<Client> clients = new ArrayList<>();
    private final CountDownLatch warm;

    private AppTraffic(int warmOps) {
        this.warm = new CountDownLatch(warmOps);
    }

    /**
     * Starts the clients; each opens its connection before its first operation.
     *
     * @param rows  the keys are 1 to {@code rows}
     * @param pause between two operations of a client, so that the clients behave like request
     *              handlers rather than a load generator saturating the machine
     */
    static AppTraffic start(DataSource ds, int rows, int clients, Duration pause) {
        AppTraffic t = new AppTraffic(clients * 50);
        for (int i = 0; i < clients; i++) {
            Client c = t.new Client(ds, rows, pause.toNanos(), i);
            t.clients.add(c);
            c.thread.start();
        }
        return t;
    }

    /**
     * Waits until the clients have run a few dozen operations each, so that connections, plans and
     * caches are warm before anything is measured.
     */
    void awaitWarm(Duration timeout) throws InterruptedException {
        if (!warm.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            for (Client c : clients) {
                if (c.failure != null) {
                    throw new IllegalStateException("An application client could not start: " + c.failure.getMessage(),
                            c.failure);
                }
            }
            throw new IllegalStateException("The application clients ran fewer than " + warm.getCount()
                    + " operations in " + timeout);
        }
    }

    /**
     * Stops the clients after their operation in flight.
     *
     * @return every operation, in no particular order
     */
    List<Op> stop() throws InterruptedException {
        for (Client c : clients) {
            c.running = false;
        }
        List<Op> all = new ArrayList<>();
        for (Client c : clients) {
            c.thread.join();
            if (c.failure != null) {
                throw new IllegalStateException("An application client failed: " + c.failure.getMessage(), c.failure);
            }
            all.addAll(c.ops);
        }
        return all;
    }

    /** Stops the clients if {@link #stop()} was not reached, so that a failed run leaves no thread behind. */
    @Override
    public void close() {
        for (Client c : clients) {
            c.running = false;
        }
    }

    /** One client thread with its connection and its record of operations. */
    private final class Client {
        final Thread thread;
        final List<Op> ops = new ArrayList<>();
        volatile boolean running = true;
        // Only a failure to connect ends a client: errors of single operations are what we count.
        volatile SQLException failure;

        Client(DataSource ds, int rows, long pauseNanos, int n) {
            this.thread = new Thread(() -> loop(ds, rows, pauseNanos), "bench-app-" + n);
            this.thread.setDaemon(true);
        }

        private void loop(DataSource ds, int rows, long pauseNanos) {
            try (Connection c = ds.getConnection();
                 PreparedStatement read = c.prepareStatement("SELECT id, status, amount FROM orders WHERE id = ?");
                 PreparedStatement write = c.prepareStatement("UPDATE orders SET status = status WHERE id = ?")) {
                c.setAutoCommit(true);
                boolean reading = true;
                while (running) {
                    long id = ThreadLocalRandom.current().nextLong(1, rows + 1L);
                    long t0 = System.nanoTime();
                    boolean ok = true;
                    try {
                        if (reading) {
                            read.setLong(1, id);
                            try (ResultSet rs = read.executeQuery()) {
                                rs.next();
                            }
                        } else {
                            write.setLong(1, id);
                            write.executeUpdate();
                        }
                    } catch (SQLException e) {
                        ok = false;
                    }
                    ops.add(new Op(t0, System.nanoTime(), ok));
                    warm.countDown();
                    reading = !reading;
                    LockSupport.parkNanos(pauseNanos);
                }
            } catch (SQLException e) {
                failure = e;
            }
        }
    }
}
