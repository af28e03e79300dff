package io.querk.jdbc.internal.store;

import io.querk.migration.Phase;
import io.querk.migration.StepRef;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The history: one row per applied (or started) phase, with its checksum; one row per step,
 * with its progress (attempts, the actions of raw SQL that committed, a backfill's row counts);
 * and one row per key range of a backfill, with the range's cursor. Created on first use, under
 * the runner lock.
 */
public final class HistoryStore {

    /** A phase or step that a run started and has not finished (it may be running, or have been interrupted). */
    public static final String RUNNING = "running";
    /** A phase or step whose last attempt failed. */
    public static final String FAILED = "failed";
    /** A phase applied completely. */
    public static final String APPLIED = "applied";
    /** A phase of a migration a run has seen (registered) but not started. */
    public static final String PENDING = "pending";
    /** A phase undone by abort(); the migration may be fixed and run again. */
    public static final String ABORTED = "aborted";
    /** A step applied completely. */
    public static final String DONE = "done";

    private final QualifiedName phases;
    private final QualifiedName steps;
    private final QualifiedName ranges;
    private final String runBy;

    /**
     * The three tables of a history: the one the user names, and its siblings with {@code _step}
     * and {@code _range} appended. The one place these names are made, so that the configuration
     * refuses a name whose siblings would not fit in 63 bytes before anything runs.
     *
     * @param phases the history table as configured
     * @param steps  the step table
     * @param ranges the backfill range table
     */
    public record Tables(QualifiedName phases, QualifiedName steps, QualifiedName ranges) {
    }

    /**
     * @return the history's three tables
     * @throws io.querk.migration.MigrationDefinitionException if a sibling's name is longer than 63 bytes
     */
    public static Tables tablesOf(QualifiedName table) {
        return new Tables(table, table.sibling(Identifier.of(table.name().name() + "_step")),
                table.sibling(Identifier.of(table.name().name() + "_range")));
    }

    /**
     * @param table the history table; the step and range tables are its siblings (see {@link #tablesOf})
     * @param runBy who runs, recorded with each phase and step
     */
    public HistoryStore(QualifiedName table, String runBy) {
        Tables t = tablesOf(table);
        this.phases = t.phases();
        this.steps = t.steps();
        this.ranges = t.ranges();
        this.runBy = runBy;
    }

    /** @return the step table's name, as SQL */
    public String stepTable() {
        return steps.sql();
    }

    /** Creates the tables if they are missing. Runs under the runner lock, so no two runners race. */
    public void ensureTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (phases.schema().isPresent()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + phases.schema().get().sql());
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + phases.sql() + " (\n"
                    + "    migration_id text NOT NULL,\n"
                    + "    phase text NOT NULL CHECK (phase IN ('expand', 'backfill', 'contract')),\n"
                    + "    description text NOT NULL DEFAULT '',\n"
                    + "    checksum text NOT NULL,\n"
                    + "    status text NOT NULL CONSTRAINT " + statusCheck().sql() + " CHECK (status IN"
                    + " ('pending', 'running', 'failed', 'applied', 'aborted')),\n"
                    + "    steps int NOT NULL,\n"
                    + "    started_at timestamptz NOT NULL DEFAULT now(),\n"
                    + "    finished_at timestamptz,\n"
                    + "    run_by text NOT NULL,\n"
                    + "    error text,\n"
                    + "    seen_seq bigint,\n"
                    + "    PRIMARY KEY (migration_id, phase))");
            upgrade(c);
            s.execute("CREATE TABLE IF NOT EXISTS " + steps.sql() + " (\n"
                    + "    migration_id text NOT NULL,\n"
                    + "    phase text NOT NULL,\n"
                    + "    step_no int NOT NULL,\n"
                    + "    kind text NOT NULL,\n"
                    + "    description text NOT NULL,\n"
                    + "    checksum text NOT NULL,\n"
                    + "    status text NOT NULL CHECK (status IN ('running', 'failed', 'done')),\n"
                    + "    attempts int NOT NULL DEFAULT 0,\n"
                    + "    actions_done int NOT NULL DEFAULT 0,\n"
                    + "    started_at timestamptz,\n"
                    + "    finished_at timestamptz,\n"
                    + "    duration_ms bigint,\n"
                    + "    rows_updated bigint NOT NULL DEFAULT 0,\n"
                    + "    rows_scanned bigint NOT NULL DEFAULT 0,\n"
                    + "    rows_estimated bigint,\n"
                    + "    override_reason text,\n"
                    + "    run_by text,\n"
                    + "    error text,\n"
                    + "    PRIMARY KEY (migration_id, phase, step_no))");
            s.execute("CREATE TABLE IF NOT EXISTS " + ranges.sql() + " (\n"
                    + "    migration_id text NOT NULL,\n"
                    + "    phase text NOT NULL,\n"
                    + "    step_no int NOT NULL,\n"
                    + "    range_no int NOT NULL,\n"
                    + "    lower_key text[],\n"
                    + "    upper_key text[],\n"
                    + "    cursor text[],\n"
                    + "    rows_updated bigint NOT NULL DEFAULT 0,\n"
                    + "    rows_scanned bigint NOT NULL DEFAULT 0,\n"
                    + "    done boolean NOT NULL DEFAULT false,\n"
                    + "    PRIMARY KEY (migration_id, phase, step_no, range_no))");
        }
    }

    // Check constraints need not have names unique across tables: one constant name fits any history.
    private static Identifier statusCheck() {
        return Identifier.of("querk_status_check");
    }

    /**
     * Brings a history table made by an earlier Querk up to date: the order migrations were first
     * seen in ({@code seen_seq}, taken from when their phases started) and the statuses
     * {@code pending} and {@code aborted}. Reads the catalog first, so a current table costs no DDL.
     */
    private void upgrade(Connection c) throws SQLException {
        boolean hasSeq;
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid ="
                + " to_regclass(?) AND attname = 'seen_seq' AND NOT attisdropped)")) {
            ps.setString(1, phases.regclassText());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                hasSeq = rs.getBoolean(1);
            }
        }
        if (hasSeq) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + phases.sql() + " ADD COLUMN seen_seq bigint");
            s.execute("UPDATE " + phases.sql() + " AS h SET seen_seq = o.seq FROM (SELECT migration_id,"
                    + " dense_rank() OVER (ORDER BY min(started_at), migration_id) AS seq FROM " + phases.sql()
                    + " GROUP BY migration_id) o WHERE o.migration_id = h.migration_id");
            try (ResultSet rs = s.executeQuery("SELECT conname FROM pg_constraint WHERE conrelid = '"
                    + phases.regclassText().replace("'", "''") + "'::regclass AND contype = 'c'"
                    + " AND pg_get_constraintdef(oid) LIKE '%status%'")) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                for (String n : names) {
                    s.execute("ALTER TABLE " + phases.sql() + " DROP CONSTRAINT " + Identifier.of(n).sql());
                }
            }
            s.execute("ALTER TABLE " + phases.sql() + " ADD CONSTRAINT " + statusCheck().sql() + " CHECK (status IN"
                    + " ('pending', 'running', 'failed', 'applied', 'aborted'))");
        }
    }

    /**
     * Records the phases of migrations this run sees for the first time, as pending, numbered in
     * the order given after every migration seen before: the history's order, by which contracts
     * are released (a branch merged late sorts by id before migrations applied long ago, but is
     * seen after them). Runs under the runner lock.
     *
     * @param migrations each with the phases it has, in id order
     */
    public void register(Connection c, List<Map.Entry<String, List<Phase>>> migrations) throws SQLException {
        if (migrations.isEmpty()) {
            return;
        }
        long next = lastSeenSeq(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + phases.sql()
                + " (migration_id, phase, checksum, status, steps, run_by, seen_seq, started_at)"
                + " VALUES (?, ?, '', 'pending', 0, ?, ?, now()) ON CONFLICT (migration_id, phase) DO NOTHING")) {
            for (Map.Entry<String, List<Phase>> m : migrations) {
                next++;
                for (Phase p : m.getValue()) {
                    ps.setString(1, m.getKey());
                    ps.setString(2, p.label());
                    ps.setString(3, runBy);
                    ps.setLong(4, next);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * Records migrations another tool applied as applied here, every phase they have, each after
     * every migration seen before (like {@link #register}), with who adopted them and from where.
     * Runs under the runner lock; a migration already recorded is left as it is.
     *
     * @param migrations each with its description, phases and their checksums and step counts, in id order
     * @param from       the other history, e.g. {@code flyway_schema_history}
     */
    public void adopt(Connection c, List<Adopted> migrations, String from) throws SQLException {
        if (migrations.isEmpty()) {
            return;
        }
        long next = lastSeenSeq(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + phases.sql()
                + " (migration_id, phase, description, checksum, status, steps, run_by, seen_seq, started_at, finished_at)"
                + " VALUES (?, ?, ?, ?, 'applied', ?, ?, ?, now(), now()) ON CONFLICT (migration_id, phase) DO NOTHING")) {
            for (Adopted m : migrations) {
                next++;
                for (Map.Entry<Phase, Integer> p : m.steps().entrySet()) {
                    ps.setString(1, m.id());
                    ps.setString(2, p.getKey().label());
                    ps.setString(3, m.description());
                    ps.setString(4, m.checksums().get(p.getKey()));
                    ps.setInt(5, p.getValue());
                    ps.setString(6, "baseline from " + from + ", adopted by " + runBy);
                    ps.setLong(7, next);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * A migration another tool applied.
     *
     * @param id          its id
     * @param description its description
     * @param steps       its non-empty phases and their step counts
     * @param checksums   the checksum of each phase
     */
    public record Adopted(String id, String description, Map<Phase, Integer> steps, Map<Phase, String> checksums) {
    }

    private long lastSeenSeq(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(seen_seq), 0) FROM " + phases.sql())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return true if the table (or any relation of that name) exists, resolved as the session resolves it */
    public static boolean relationExists(Connection c, QualifiedName table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table.regclassText());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** @return the backfill ranges table, whose rows carry each range's cursor */
    public QualifiedName rangesTable() {
        return ranges;
    }

    /** Reads a backfill step's ranges, in order; empty before its first run. */
    public List<RangeRecord> readRanges(Connection c, StepRef step) throws SQLException {
        List<RangeRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT range_no, lower_key, upper_key, cursor, rows_updated,"
                + " rows_scanned, done FROM " + ranges.sql() + " WHERE migration_id = ? AND phase = ? AND step_no = ?"
                + " ORDER BY range_no")) {
            ps.setString(1, step.migrationId());
            ps.setString(2, step.phase().label());
            ps.setInt(3, step.number());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RangeRecord(rs.getInt(1), textArray(rs.getArray(2)), textArray(rs.getArray(3)),
                            textArray(rs.getArray(4)), rs.getLong(5), rs.getLong(6), rs.getBoolean(7)));
                }
            }
        }
        return out;
    }

    /** Records a backfill step's ranges, before its first batch; a second call for the same step does nothing. */
    public void createRanges(Connection c, StepRef step, List<List<String>> splits) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + ranges.sql()
                + " (migration_id, phase, step_no, range_no, lower_key, upper_key) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            for (int i = 0; i <= splits.size(); i++) {
                ps.setString(1, step.migrationId());
                ps.setString(2, step.phase().label());
                ps.setInt(3, step.number());
                ps.setInt(4, i + 1);
                ps.setArray(5, i == 0 ? null : c.createArrayOf("text", splits.get(i - 1).toArray()));
                ps.setArray(6, i == splits.size() ? null : c.createArrayOf("text", splits.get(i).toArray()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Marks a range walked to its end. */
    public void finishRange(Connection c, StepRef step, int rangeNo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + ranges.sql() + " SET done = true"
                + " WHERE migration_id = ? AND phase = ? AND step_no = ? AND range_no = ?")) {
            ps.setString(1, step.migrationId());
            ps.setString(2, step.phase().label());
            ps.setInt(3, step.number());
            ps.setInt(4, rangeNo);
            ps.executeUpdate();
        }
    }

    /** Copies the ranges' row counts up to the step row, for people reading the history. */
    public void totalRanges(Connection c, StepRef step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + steps.sql() + " AS s SET"
                + " rows_updated = r.u, rows_scanned = r.sc FROM (SELECT coalesce(sum(rows_updated), 0) AS u,"
                + " coalesce(sum(rows_scanned), 0) AS sc FROM " + ranges.sql()
                + " WHERE migration_id = ? AND phase = ? AND step_no = ?) r"
                + " WHERE s.migration_id = ? AND s.phase = ? AND s.step_no = ?")) {
            for (int k = 0; k < 2; k++) {
                ps.setString(1 + 3 * k, step.migrationId());
                ps.setString(2 + 3 * k, step.phase().label());
                ps.setInt(3 + 3 * k, step.number());
            }
            ps.executeUpdate();
        }
    }

    private static List<String> textArray(Array a) throws SQLException {
        return a == null ? null : Arrays.asList((String[]) a.getArray());
    }

    /**
     * Reads every phase row; an absent table reads as empty (the first run on a database).
     */
    public Map<String, PhaseRecord> readPhases(Connection c) throws SQLException {
        Map<String, PhaseRecord> out = new HashMap<>();
        if (!relationExists(c, phases)) {
            return out;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + phases.sql())) {
            // SELECT *: a history made by an earlier Querk has no seen_seq until a run upgrades it
            // (under the runner lock), and reading it must cost no extra round trip at every start.
            boolean hasSeq = false;
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                hasSeq |= rs.getMetaData().getColumnName(i).equals("seen_seq");
            }
            while (rs.next()) {
                Phase p = Phase.of(rs.getString("phase"));
                Timestamp fin = rs.getTimestamp("finished_at");
                long seq = hasSeq ? rs.getLong("seen_seq") : 0;
                out.put(key(rs.getString("migration_id"), p), new PhaseRecord(rs.getString("migration_id"), p,
                        rs.getString("checksum"), rs.getString("status"), fin == null ? null : fin.toInstant(), seq));
            }
        }
        return out;
    }

    /** @return the map key of a phase */
    public static String key(String migrationId, Phase phase) {
        return phase.label() + " " + migrationId;
    }

    /** Marks a phase as running, inserting its row or resetting a failed or interrupted one. */
    public void startPhase(Connection c, String migrationId, Phase phase, String description, String checksum, int stepCount)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + phases.sql()
                + " (migration_id, phase, description, checksum, status, steps, run_by) VALUES (?, ?, ?, ?, 'running', ?, ?)"
                + " ON CONFLICT (migration_id, phase) DO UPDATE SET status = 'running', checksum = excluded.checksum,"
                + " steps = excluded.steps, description = excluded.description, run_by = excluded.run_by, error = NULL,"
                + " started_at = now()")) {
            ps.setString(1, migrationId);
            ps.setString(2, phase.label());
            ps.setString(3, description);
            ps.setString(4, checksum);
            ps.setInt(5, stepCount);
            ps.setString(6, runBy);
            ps.executeUpdate();
        }
    }

    /** Marks a phase applied. */
    public void finishPhase(Connection c, String migrationId, Phase phase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + phases.sql()
                + " SET status = 'applied', finished_at = now(), error = NULL WHERE migration_id = ? AND phase = ?")) {
            ps.setString(1, migrationId);
            ps.setString(2, phase.label());
            ps.executeUpdate();
        }
    }

    /** Marks a phase and its step failed, with the error. Best effort: the caller rethrows the original error. */
    public void fail(Connection c, StepRef step, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + phases.sql()
                + " SET status = 'failed', error = ? WHERE migration_id = ? AND phase = ?")) {
            ps.setString(1, error);
            ps.setString(2, step.migrationId());
            ps.setString(3, step.phase().label());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + steps.sql()
                + " SET status = 'failed', error = ? WHERE migration_id = ? AND phase = ? AND step_no = ?")) {
            ps.setString(1, error);
            ps.setString(2, step.migrationId());
            ps.setString(3, step.phase().label());
            ps.setInt(4, step.number());
            ps.executeUpdate();
        }
    }

    /** Reads the step rows of a phase, by step number. */
    public Map<Integer, StepRecord> readSteps(Connection c, String migrationId, Phase phase) throws SQLException {
        Map<Integer, StepRecord> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT step_no, checksum, status, actions_done,"
                + " rows_updated, rows_scanned FROM " + steps.sql() + " WHERE migration_id = ? AND phase = ?")) {
            ps.setString(1, migrationId);
            ps.setString(2, phase.label());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), new StepRecord(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
        }
        return out;
    }

    /** Marks a step running (inserting its row), keeping any progress an earlier run recorded. */
    public void startStep(Connection c, StepRef step, String checksum, String overrideReason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + steps.sql()
                + " (migration_id, phase, step_no, kind, description, checksum, status, started_at, run_by, override_reason)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'running', now(), ?, ?)"
                + " ON CONFLICT (migration_id, phase, step_no) DO UPDATE SET status = 'running', error = NULL,"
                + " checksum = excluded.checksum, description = excluded.description, run_by = excluded.run_by,"
                + " override_reason = excluded.override_reason, started_at = coalesce(" + steps.name().sql()
                + ".started_at, now())")) {
            ps.setString(1, step.migrationId());
            ps.setString(2, step.phase().label());
            ps.setInt(3, step.number());
            ps.setString(4, step.kind().name().toLowerCase(java.util.Locale.ROOT));
            ps.setString(5, step.description());
            ps.setString(6, checksum);
            ps.setString(7, runBy);
            ps.setString(8, overrideReason);
            ps.executeUpdate();
        }
    }

    /** Adds to a step's attempt count. */
    public void addAttempts(Connection c, StepRef step, int attempts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + steps.sql() + " SET attempts = attempts + ?"
                + " WHERE migration_id = ? AND phase = ? AND step_no = ?")) {
            ps.setInt(1, attempts);
            ps.setString(2, step.migrationId());
            ps.setString(3, step.phase().label());
            ps.setInt(4, step.number());
            ps.executeUpdate();
        }
    }

    /** Marks a step done. */
    public void finishStep(Connection c, StepRef step, Duration took) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + steps.sql() + " SET status = 'done',"
                + " finished_at = now(), duration_ms = coalesce(duration_ms, 0) + ?, error = NULL"
                + " WHERE migration_id = ? AND phase = ? AND step_no = ?")) {
            ps.setLong(1, took.toMillis());
            ps.setString(2, step.migrationId());
            ps.setString(3, step.phase().label());
            ps.setInt(4, step.number());
            ps.executeUpdate();
        }
    }

    /**
     * The statement that records one more committed action of a raw SQL step. The caller runs it
     * in the same transaction as the action, so the record and the effect commit together.
     */
    public PreparedStatement actionDone(Connection c, StepRef step, int actionsDone) throws SQLException {
        PreparedStatement ps = c.prepareStatement("UPDATE " + steps.sql() + " SET actions_done = ?"
                + " WHERE migration_id = ? AND phase = ? AND step_no = ?");
        ps.setInt(1, actionsDone);
        ps.setString(2, step.migrationId());
        ps.setString(3, step.phase().label());
        ps.setInt(4, step.number());
        return ps;
    }

    /** Records the planner's estimate of the rows a backfill walks. */
    public void estimate(Connection c, StepRef step, long rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + steps.sql() + " SET rows_estimated = ?"
                + " WHERE migration_id = ? AND phase = ? AND step_no = ?")) {
            ps.setLong(1, rows);
            ps.setString(2, step.migrationId());
            ps.setString(3, step.phase().label());
            ps.setInt(4, step.number());
            ps.executeUpdate();
        }
    }

    /**
     * Records an abort: the migration's phases are marked aborted and its step and range rows are
     * removed, so that once fixed it runs again from its first step (and its first batch). Its
     * place in the history's order stays.
     */
    public void abort(Connection c, String migrationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + phases.sql() + " SET status = 'aborted',"
                + " finished_at = now(), error = 'aborted by ' || ?, checksum = '' WHERE migration_id = ?")) {
            ps.setString(1, runBy);
            ps.setString(2, migrationId);
            ps.executeUpdate();
        }
        for (QualifiedName t : List.of(steps, ranges)) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.sql() + " WHERE migration_id = ?")) {
                ps.setString(1, migrationId);
                ps.executeUpdate();
            }
        }
    }

    /** Replaces the recorded checksums of a migration's applied phases and their steps. */
    public int repair(Connection c, String migrationId, Map<Phase, String> phaseChecksums,
                      Map<Phase, List<String>> stepChecksums) throws SQLException {
        int n = 0;
        for (Map.Entry<Phase, String> e : phaseChecksums.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + phases.sql() + " SET checksum = ?"
                    + " WHERE migration_id = ? AND phase = ? AND checksum <> ?")) {
                ps.setString(1, e.getValue());
                ps.setString(2, migrationId);
                ps.setString(3, e.getKey().label());
                ps.setString(4, e.getValue());
                n += ps.executeUpdate();
            }
            List<String> sums = stepChecksums.get(e.getKey());
            for (int i = 0; i < sums.size(); i++) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + steps.sql() + " SET checksum = ?"
                        + " WHERE migration_id = ? AND phase = ? AND step_no = ?")) {
                    ps.setString(1, sums.get(i));
                    ps.setString(2, migrationId);
                    ps.setString(3, e.getKey().label());
                    ps.setInt(4, i + 1);
                    ps.executeUpdate();
                }
            }
        }
        return n;
    }

    /** @return the steps table and its key, for the backfill's in-statement checkpoint */
    public QualifiedName stepsTable() {
        return steps;
    }

    /** @return who runs, as recorded */
    public String runBy() {
        return runBy;
    }

    /** @return the step row's key values, in order: migration_id, phase, step_no */
    public static List<Object> stepKey(StepRef step) {
        List<Object> k = new ArrayList<>();
        k.add(step.migrationId());
        k.add(step.phase().label());
        k.add(step.number());
        return k;
    }
}
