package io.querk.cli.internal;

import io.querk.QuerkException;
import io.querk.internal.json.JsonWriter;
import io.querk.jdbc.AbortReport;
import io.querk.jdbc.CannotAbortException;
import io.querk.jdbc.ChecksumMismatchException;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.OutOfOrderMigrationException;
import io.querk.jdbc.PhaseState;
import io.querk.jdbc.QuerkConfigException;
import io.querk.jdbc.StepResult;
import io.querk.migration.MigrationDefinitionException;
import io.querk.plan.UnsafeMigrationException;

import java.util.ArrayList;
import java.util.List;

/**
 * The verbs' results for a person (text) and for tools (JSON, each with a {@code format} field
 * versioned like the plan's: within one format, fields are only added), and what each failure
 * means as an exit code.
 */
public final class Reports {

    /** Done. */
    public static final int OK = 0;
    /** The safety planner refused a step: check, or migrate before anything ran. */
    public static final int REFUSED = 1;
    /** The command line itself is wrong: an unknown option, a missing argument. */
    public static final int USAGE = 2;
    /** The migrations or the settings are not usable: a misnamed file, unreadable SQL, a duplicate id. */
    public static final int INVALID = 3;
    /** The database or a step failed: no connection, a lock timeout, a failed statement. */
    public static final int FAILED = 4;
    /** The history needs a person's decision: an applied file edited, an out-of-order migration, an abort refused. */
    public static final int CONFLICT = 5;
    /** A bug in Querk: the message and stack trace are printed. */
    public static final int INTERNAL = 70;

    private Reports() {
    }

    /** @return the exit code for a failure */
    public static int exitCode(Throwable e) {
        if (e instanceof UnsafeMigrationException) {
            return REFUSED;
        }
        if (e instanceof MigrationDefinitionException || e instanceof QuerkConfigException) {
            return INVALID;
        }
        if (e instanceof ChecksumMismatchException || e instanceof OutOfOrderMigrationException
                || e instanceof CannotAbortException) {
            return CONFLICT;
        }
        return e instanceof QuerkException ? FAILED : INTERNAL;
    }

    /** @return a failure for tools: {@code querk-error/1} */
    public static String errorJson(Throwable e) {
        JsonWriter w = new JsonWriter().beginObject().name("format").value("querk-error/1")
                .name("exitCode").value(exitCode(e)).name("type").value(e.getClass().getSimpleName())
                .name("message").value(String.valueOf(e.getMessage()));
        if (e instanceof QuerkException q) {
            w.name("migration").value(q.migrationId().orElse(null)).name("sql").value(q.sql().orElse(null));
        }
        if (e instanceof UnsafeMigrationException u) {
            w.name("refusals").beginArray();
            for (UnsafeMigrationException.Refusal r : u.refusals()) {
                w.beginObject().name("migration").value(r.migrationId()).name("where").value(r.where())
                        .name("code").value(r.hazard().code()).name("message").value(r.hazard().message())
                        .name("saferAlternative").value(r.hazard().saferAlternative())
                        .name("file").value(r.source().map(s -> s.file()).orElse(null))
                        .name("line").value(r.source().map(s -> (long) s.line()).orElse(0L)).endObject();
            }
            w.endArray();
        }
        return w.endObject().toString();
    }

    /** @return a run's report as text: one line per step it applied, and what waits for a release */
    public static String runText(MigrationReport r) {
        StringBuilder sb = new StringBuilder();
        if (r.nothingPending()) {
            sb.append("Nothing to migrate: every pending phase is applied");
        } else {
            for (StepResult s : r.steps()) {
                sb.append(s.outcome() == StepResult.Outcome.APPLIED ? "applied  " : "already  ").append(s.step())
                        .append(s.attempts() > 1 ? "  (" + s.attempts() + " attempts)" : "")
                        .append(s.rows() > 0 ? "  " + String.format("%,d rows", s.rows()) : "")
                        .append("  ").append(s.took().toMillis()).append(" ms\n");
            }
            sb.append(r.applied().size()).append(r.applied().size() == 1 ? " step" : " steps").append(" applied in ")
                    .append(r.took().toMillis()).append(" ms");
        }
        sb.append(r.cancelled() ? " (cancelled)" : "").append('\n');
        if (!r.pendingContracts().isEmpty()) {
            sb.append("Contract waits for a release: ").append(String.join(", ", r.pendingContracts()))
                    .append(" (release with --contract-through <id>)\n");
        }
        return sb.toString();
    }

    /** @return a run's report for tools: {@code querk-run/1} */
    public static String runJson(MigrationReport r) {
        JsonWriter w = new JsonWriter().beginObject().name("format").value("querk-run/1")
                .name("startedAt").value(r.startedAt().toString()).name("tookMs").value(r.took().toMillis())
                .name("cancelled").value(r.cancelled()).name("steps").beginArray();
        for (StepResult s : r.steps()) {
            w.beginObject().name("migration").value(s.step().migrationId()).name("phase").value(s.step().phase().label())
                    .name("number").value(s.step().number()).name("kind").value(s.step().kind().name())
                    .name("description").value(s.step().description()).name("outcome").value(s.outcome().name())
                    .name("attempts").value(s.attempts()).name("tookMs").value(s.took().toMillis())
                    .name("rows").value(s.rows()).endObject();
        }
        w.endArray().name("pendingContracts").beginArray();
        r.pendingContracts().forEach(w::value);
        return w.endArray().endObject().toString();
    }

    /** @return the state of every phase as a table */
    public static String statusText(List<PhaseState> states) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"migration", "phase", "status", "finished", "checksum"});
        for (PhaseState s : states) {
            rows.add(new String[] {s.migrationId(), s.phase().label(), s.status().name().toLowerCase(java.util.Locale.ROOT),
                    s.finishedAt() == null ? "" : s.finishedAt().toString(), s.checksumMatches() ? "ok" : "EDITED"});
        }
        int[] width = new int[5];
        for (String[] r : rows) {
            for (int i = 0; i < 5; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < 5; i++) {
                sb.append(i == 4 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            sb.append('\n');
        }
        long pending = states.stream().filter(s -> s.status() != PhaseState.Status.APPLIED).count();
        return sb.append(states.isEmpty() ? "No migrations.\n" : pending == 0 ? "Every phase is applied.\n"
                : pending + (pending == 1 ? " phase is" : " phases are") + " not applied.\n").toString();
    }

    /** @return the state of every phase for tools: {@code querk-status/1} */
    public static String statusJson(List<PhaseState> states) {
        JsonWriter w = new JsonWriter().beginObject().name("format").value("querk-status/1").name("phases").beginArray();
        for (PhaseState s : states) {
            w.beginObject().name("migration").value(s.migrationId()).name("phase").value(s.phase().label())
                    .name("status").value(s.status().name())
                    .name("finishedAt").value(s.finishedAt() == null ? null : s.finishedAt().toString())
                    .name("checksumMatches").value(s.checksumMatches()).endObject();
        }
        return w.endArray().endObject().toString();
    }

    /** @return what an abort undid, as text */
    public static String abortText(AbortReport r) {
        StringBuilder sb = new StringBuilder("Aborted ").append(r.migrationId()).append(" in ").append(r.took().toMillis())
                .append(" ms");
        sb.append(r.undone().isEmpty() ? ": nothing of its expand had run.\n" : ", undoing:\n");
        r.undone().forEach(u -> sb.append("  ").append(u).append('\n'));
        return sb.append("Fix the migration; the next migrate runs it again from its first step.\n").toString();
    }

    /** @return what an abort undid, for tools: {@code querk-abort/1} */
    public static String abortJson(AbortReport r) {
        JsonWriter w = new JsonWriter().beginObject().name("format").value("querk-abort/1")
                .name("migration").value(r.migrationId()).name("tookMs").value(r.took().toMillis()).name("undone").beginArray();
        r.undone().forEach(w::value);
        return w.endArray().endObject().toString();
    }
}
