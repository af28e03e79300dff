package io.querk.testkit;

import io.querk.jdbc.StepRef;
import io.querk.jdbc.internal.guard.GuardedExecutor;
import io.querk.plan.LockMode;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.TrafficOp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Reports built by hand, as a rehearsal would build them, for tests of the testkit's logic. */
final class Fixture {

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private Fixture() {
    }

    static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    /** A step run from {@code from} to {@code to} ms. */
    static StepRun run(StepRef ref, long from, long to) {
        return new StepRun(ref, at(from), at(to), List.of(), false);
    }

    /** The application_name the engine gives the sessions of a step run. */
    static String session(StepRun run) {
        return GuardedExecutor.applicationName(run.step());
    }

    static LockInterval lock(StepRun run, int pid, String relation, LockMode mode, boolean granted, long from, long to,
                             String sql) {
        return new LockInterval(pid, session(run), relation, mode, granted, at(from), at(to), sql);
    }

    static TrafficOp read(String table, long at, long latency) {
        return new TrafficOp("reads of " + table, TrafficOp.Kind.READ, at(at), Duration.ofMillis(latency), null);
    }

    static TrafficOp write(String table, long at, long latency) {
        return new TrafficOp("writes to " + table, TrafficOp.Kind.WRITE, at(at), Duration.ofMillis(latency), null);
    }

    static RehearsalReport report(List<StepRun> steps, List<LockInterval> locks, List<TrafficOp> ops) {
        long end = steps.stream().mapToLong(s -> s.end().toEpochMilli()).max().orElse(T0.toEpochMilli());
        return new RehearsalReport("PostgreSQL 18.6", T0, Instant.ofEpochMilli(end), steps, locks, ops, null, null);
    }
}
