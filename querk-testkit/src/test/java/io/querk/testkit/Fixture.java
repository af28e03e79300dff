package io.querk.testkit;

import io.querk.migration.StepRef;
import io.querk.jdbc.internal.guard.GuardedExecutor;
import io.querk.plan.LockMode;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.TrafficOp;

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

    private static final GuardedExecutor TOKENS = new GuardedExecutor(null, null, null, null, null);

    /** A step run from {@code from} to {@code to} ms, with a run token as the engine makes them. */
    static StepRun run(StepRef ref, long from, long to) {
        return new StepRun(ref, TOKENS.startStepRun(), at(from), at(to), List.of(), false, List.of(), List.of());
    }

    /** The application_name the engine gives the sessions of a step run. */
    static String session(StepRun run) {
        return GuardedExecutor.applicationName(run.step(), run.token());
    }

    static LockInterval lock(StepRun run, int pid, String relation, LockMode mode, boolean granted, long from, long to,
                             String sql) {
        return new LockInterval(pid, 0, session(run), relation, mode, granted, at(from), at(to), sql,
                LockInterval.Source.SAMPLED);
    }

    static TrafficOp read(String table, long at, long latency) {
        String t = table.contains(".") ? table : "public." + table;
        return new TrafficOp("reads of " + t, "read by key", TrafficOp.Kind.READ, List.of(t), at(at), at(at + latency), null);
    }

    static TrafficOp write(String table, long at, long latency) {
        String t = table.contains(".") ? table : "public." + table;
        return new TrafficOp("writes to " + t, "write by key", TrafficOp.Kind.WRITE, List.of(t), at(at), at(at + latency),
                null);
    }

    /** A report whose database had the tables its locks and traffic name. */
    static RehearsalReport report(List<StepRun> steps, List<LockInterval> locks, List<TrafficOp> ops) {
        java.util.Set<String> tables = new java.util.TreeSet<>();
        locks.forEach(i -> tables.add(i.relation()));
        ops.forEach(o -> tables.addAll(o.tables()));
        return report(steps, locks, ops, List.copyOf(tables));
    }

    static RehearsalReport report(List<StepRun> steps, List<LockInterval> locks, List<TrafficOp> ops, List<String> tables) {
        long end = steps.stream().mapToLong(s -> s.end().toEpochMilli()).max().orElse(T0.toEpochMilli());
        return new RehearsalReport("PostgreSQL 18.6", T0, Instant.ofEpochMilli(end), steps, locks, ops, List.of(), tables,
                null, null, null);
    }
}
