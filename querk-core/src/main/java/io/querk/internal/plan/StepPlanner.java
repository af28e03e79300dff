package io.querk.internal.plan;

import io.querk.internal.render.Action;
import io.querk.internal.render.BackfillSql;
import io.querk.internal.render.Catalog;
import io.querk.internal.render.ColumnDependents;
import io.querk.internal.render.Precondition;
import io.querk.internal.render.Probe;
import io.querk.internal.render.RelationLock;
import io.querk.internal.render.StepChecks;
import io.querk.internal.render.StepRenderer;
import io.querk.internal.sql.Functions;
import io.querk.internal.render.Verifications;
import io.querk.internal.sql.SqlStatements;
import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.CreateTable;
import io.querk.internal.step.DropColumn;
import io.querk.internal.step.DropTable;
import io.querk.internal.step.FinishSync;
import io.querk.internal.step.RawSql;
import io.querk.internal.step.StepDefinition;
import io.querk.internal.step.SyncKind;
import io.querk.migration.Phase;
import io.querk.plan.Hazard;
import io.querk.plan.LockMode;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedLock;
import io.querk.plan.PlannedStep;
import io.querk.plan.Severity;
import io.querk.plan.TableEffect;
import io.querk.plan.TableFacts;
import io.querk.plan.TableStatistics;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plans steps one after the other for one server version, remembering what earlier steps of
 * the same plan create: an index on a table created a few steps before needs no CONCURRENTLY,
 * because no running application uses that table yet.
 */
public final class StepPlanner {

    /** Functions a backfill expression may call and still be checked by comparing values afterwards. */
    private static final Set<String> DETERMINISTIC = Set.of("lower", "upper", "btrim", "trim", "ltrim", "rtrim",
            "coalesce", "nullif", "greatest", "least", "length", "char_length", "abs", "round", "floor", "ceil",
            "ceiling", "substring", "substr", "split_part", "replace", "left", "right", "md5", "initcap", "cast");

    private final int serverMajor;
    private final int knownMajor;
    private final TableStatistics statistics;
    private final ScriptKnowledge knowledge = ScriptKnowledge.none();
    /** Tables an earlier step of this plan changes: their steps' SQL is checked live just before they run. */
    private final Set<String> touched = new java.util.HashSet<>();
    /** An earlier step of this plan is raw SQL: it may create a type or function later steps use. */
    private boolean rawBefore;
    private final Catalog catalog;

    /**
     * @param serverMajor the PostgreSQL major version the plan is for; one newer than Querk knows
     *                    is planned as the newest known, with a warning on raw steps
     * @param statistics  live facts about tables, or {@link TableStatistics#none()}
     */
    public StepPlanner(int serverMajor, TableStatistics statistics) {
        this.serverMajor = serverMajor;
        this.knownMajor = Math.min(serverMajor, RawSqlAnalyzer.NEWEST_KNOWN);
        this.statistics = statistics;
        this.catalog = new Catalog() {
            @Override
            public Optional<ColumnFacts> column(QualifiedName table, Identifier column) {
                Optional<String> type = facts(key(table)).map(f -> f.columnTypes().get(column.name()));
                return type.isPresent()
                        ? Optional.of(new Catalog.ColumnFacts(type.get(), false, null))
                        : Catalog.OFFLINE.column(table, column);
            }

            @Override
            public List<ColumnDependents.Dependent> dependents(QualifiedName table, Identifier column) {
                return statistics.rows(ColumnDependents.query(table, column).inline()).map(ColumnDependents::parse)
                        .orElse(List.of());
            }
        };
    }

    /** @return the catalog name of a table as the statistics are asked for it */
    public static String key(QualifiedName table) {
        return table.schema().map(s -> s.name() + ".").orElse("") + table.name().name();
    }

    /**
     * @param phase  the phase the step belongs to
     * @param number its position in the phase, from 1
     * @param step   the step
     * @return what it will do
     */
    public PlannedStep plan(Phase phase, int number, StepDefinition step) {
        PlannedStep planned = step instanceof RawSql raw ? planRaw(phase, number, raw) : planTyped(phase, number, step);
        if (step instanceof CreateTable t) {
            knowledge.created(new SqlName(t.target().sql(), key(t.target()), List.of(key(t.target()).split("\\."))));
        }
        step.table().ifPresent(t -> touched.add(key(t)));
        if (step instanceof RawSql) {
            planned.actions().forEach(a -> a.locks().forEach(l -> touched.add(l.relation())));
            rawBefore = true;
        }
        return planned;
    }

    private PlannedStep planTyped(Phase phase, int number, StepDefinition step) {
        List<PlannedAction> actions = new ArrayList<>();
        String table = step.table().map(StepPlanner::key).orElse(null);
        List<Hazard> hazards = new ArrayList<>();
        if (step instanceof Backfill b) {
            actions.add(backfillAction(b));
        } else {
            List<Action> rendered = StepRenderer.render(step, catalog);
            for (Action a : rendered) {
                actions.add(new PlannedAction(a.purpose(), a.statements(), a.transactional(), locks(a.locks()), a.effect(),
                        scale(a.effect(), table)));
            }
            crossCheck(phase, rendered, actions, hazards);
            liveChecks(step, rendered, hazards);
        }
        if (step instanceof DropColumn || step instanceof DropTable
                || step instanceof FinishSync f && f.sync() != SyncKind.DERIVED) {
            hazards.add(new Hazard("irreversible", Severity.INFO, "The step drops "
                    + (step instanceof DropTable ? "a table" : "a column") + " and its data: no later step can bring"
                    + " it back.", "make sure no running application version reads it and that a backup holds it."));
        }
        if (step instanceof Backfill) {
            liveChecks(step, List.of(), hazards);
        }
        Optional<String> verification = step instanceof Backfill b ? backfillVerification(b)
                : Verifications.of(step).map(Probe::inline);
        return new PlannedStep(number, step, actions, WritePath.of(step), verification, hazards, Optional.empty());
    }

    /**
     * Reads the SQL a typed step renders the way raw SQL is read, and lets the plan never be safer
     * than that reading: a scan or rewrite the analyzer sees, a stronger lock, and the analyzer's
     * refusals (a function the server version lacks, say) become the typed step's own. The typed
     * rules know more (probes, the order of the actions), so usually the two agree; where they do
     * not, the cautious one wins, and a test holds every typed step to it.
     */
    private void crossCheck(Phase phase, List<Action> rendered, List<PlannedAction> actions, List<Hazard> hazards) {
        List<SqlStatements.Statement> statements = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < rendered.size(); i++) {
            for (String sql : rendered.get(i).statements()) {
                for (SqlStatements.Statement st : SqlStatements.split(sql)) {
                    statements.add(st);
                    owner.add(i);
                }
            }
        }
        AnalysisContext ctx = new AnalysisContext(knownMajor, phase, t -> facts(t), knowledge);
        for (int k = 0; k < statements.size(); k++) {
            StatementAnalysis r = RawSqlAnalyzer.analyze(statements.get(k), ctx);
            int i = owner.get(k);
            PlannedAction a = actions.get(i);
            Map<String, LockMode> locks = new LinkedHashMap<>();
            a.locks().forEach(l -> locks.merge(l.relation(), l.mode(), (x, y) -> x.compareTo(y) >= 0 ? x : y));
            r.locks().forEach(l -> locks.merge(l.relation(), l.mode(), (x, y) -> x.compareTo(y) >= 0 ? x : y));
            TableEffect effect = r.effect().compareTo(a.effect()) > 0 ? r.effect() : a.effect();
            if (effect != a.effect()) {
                r.hazards().stream().filter(h -> h.severity() != Severity.INFO).forEach(hazards::add);
            }
            for (Hazard h : r.hazards()) {
                // A typed step drops in expand only what Querk made for itself (a helper CHECK, the
                // INVALID leftover of its own interrupted build): destructive typed steps cannot be in expand.
                if (h.severity() == Severity.DANGER && !h.code().equals("drop-in-expand") && !hazards.contains(h)) {
                    hazards.add(h);
                }
            }
            actions.set(i, new PlannedAction(a.purpose(), a.statements(), a.inTransaction(),
                    locks.entrySet().stream().map(e -> new PlannedLock(e.getKey(), e.getValue())).toList(), effect,
                    effect == a.effect() ? a.scale() : scale(effect, r.tableKey())));
        }
        hazards.sort(Comparator.comparing(Hazard::severity, Comparator.reverseOrder()));
    }

    /**
     * On a live database: compiles the step's fragments against its table and asks for the facts
     * its actions need, so that a typo or a missing column is refused by the plan, before anything
     * runs, with the server's own words. A step on a table an earlier pending step changes cannot
     * be checked yet: the engine checks it just before it runs.
     */
    private void liveChecks(StepDefinition step, List<Action> rendered, List<Hazard> hazards) {
        if (!statistics.live() || step.table().isEmpty()) {
            return;
        }
        String table = key(step.table().get());
        if (touched.contains(table) || rawBefore) {
            hazards.add(new Hazard("checked-before-step", Severity.INFO, "An earlier pending step "
                    + (touched.contains(table) ? "changes " + step.table().get().sql() : "runs raw SQL, which may create"
                    + " what this step uses") + ", so this step's SQL is compiled just before the step runs, and"
                    + " refused there if broken, before any of its changes.", "nothing to do."));
            // What depends on a column that exists now is known now, whatever earlier steps add.
            Map<String, String> columns = facts(table).map(TableFacts::columnTypes).orElse(Map.of());
            preconditions(rendered, hazards, p -> p.about() != null && columns.containsKey(p.about().name()));
            hazards.sort(Comparator.comparing(Hazard::severity, Comparator.reverseOrder()));
            return;
        }
        if (facts(table).isEmpty()) {
            return; // a table that does not exist yet: the step's own preconditions say so when it runs
        }
        for (StepChecks.Check c : StepChecks.of(step, catalog)) {
            statistics.compileError(c.sql()).ifPresent(error -> hazards.add(new Hazard("broken-sql", Severity.DANGER,
                    "The SQL for " + c.what() + " (" + c.fragment() + ") does not work on "
                            + (c.table() == null ? "this server" : c.table().sql()) + ": " + error + ".",
                    "fix the expression in the migration; nothing has run.")));
        }
        preconditions(rendered, hazards, p -> true);
        hazards.sort(Comparator.comparing(Hazard::severity, Comparator.reverseOrder()));
    }

    private void preconditions(List<Action> rendered, List<Hazard> hazards, java.util.function.Predicate<Precondition> judged) {
        for (Action a : rendered) {
            for (Precondition p : a.preconditions()) {
                if (judged.test(p) && statistics.ask(p.holds().inline()).map(ok -> !ok).orElse(false)) {
                    hazards.add(new Hazard("precondition", Severity.DANGER, p.message(),
                            "change the migration or the database; nothing has run."));
                }
            }
        }
    }

    private PlannedAction backfillAction(Backfill b) {
        var tuning = b.tuning();
        String batch = tuning != null && tuning.batchSize() != null ? String.format("%,d", tuning.batchSize())
                : "the engine's default";
        String sql = BackfillSql.planned(b);
        return new PlannedAction("update every row in keyset batches of " + batch + " rows, each its own short"
                + " transaction, pausing between batches", List.of(sql), true,
                List.of(new PlannedLock(b.target().sql(), LockMode.ROW_EXCLUSIVE)), TableEffect.SCAN,
                scale(TableEffect.SCAN, key(b.target())));
    }

    /** A backfill is proven done when no row's value differs from what the expression gives; only for deterministic expressions. */
    private static Optional<String> backfillVerification(Backfill b) {
        for (Assignment a : b.assignments()) {
            if (!DETERMINISTIC.containsAll(Functions.calls(a.expression()).all())) {
                return Optional.empty();
            }
        }
        String differs = b.assignments().stream()
                .map(a -> a.column().sql() + " IS DISTINCT FROM (" + a.expression() + ")")
                .collect(Collectors.joining(" OR "));
        // An implied backfill's WHERE is this very comparison; a declared one limits the rows it fills.
        boolean filtered = b.where() != null && !b.implied();
        return Optional.of("SELECT NOT EXISTS (SELECT 1 FROM " + b.target().sql() + " WHERE "
                + (filtered ? "(" + b.where() + ") AND " : "") + "(" + differs + "))");
    }

    private PlannedStep planRaw(Phase phase, int number, RawSql raw) {
        AnalysisContext ctx = new AnalysisContext(knownMajor, phase, statistics::of, knowledge);
        List<StatementAnalysis> analyses = new ArrayList<>();
        for (SqlStatements.Statement s : raw.statements()) {
            analyses.add(RawSqlAnalyzer.analyze(s, ctx));
        }
        List<PlannedAction> actions = new ArrayList<>();
        int next = 0;
        for (Action a : StepRenderer.render(raw, catalog)) {
            List<StatementAnalysis> part = analyses.subList(next, next + a.statements().size());
            next += a.statements().size();
            Map<String, LockMode> strongest = new LinkedHashMap<>();
            TableEffect effect = TableEffect.NONE;
            String heaviest = null;
            for (StatementAnalysis s : part) {
                for (PlannedLock l : s.locks()) {
                    strongest.merge(l.relation(), l.mode(), (x, y) -> x.compareTo(y) >= 0 ? x : y);
                }
                if (s.effect().compareTo(effect) > 0) {
                    effect = s.effect();
                    heaviest = s.tableKey();
                }
            }
            List<PlannedLock> locks = strongest.entrySet().stream().map(e -> new PlannedLock(e.getKey(), e.getValue()))
                    .toList();
            String purpose = part.stream().map(StatementAnalysis::summary).collect(Collectors.joining("; "));
            actions.add(new PlannedAction(purpose, a.statements(), a.transactional(), locks, effect,
                    scale(effect, heaviest)));
        }
        List<Hazard> hazards = new ArrayList<>();
        List<String> writePath = new ArrayList<>();
        int n = raw.statements().size();
        for (int i = 0; i < n; i++) {
            StatementAnalysis a = analyses.get(i);
            String prefix = n == 1 ? "" : "Statement " + (i + 1) + " of " + n + ": ";
            for (Hazard h : a.hazards()) {
                hazards.add(prefix.isEmpty() ? h : new Hazard(h.code(), h.severity(), prefix + h.message(),
                        h.saferAlternative()));
            }
            writePath.addAll(WritePath.ofRaw(raw.statements().get(i).tokens(), a));
        }
        if (serverMajor > RawSqlAnalyzer.NEWEST_KNOWN) {
            hazards.add(new Hazard("newer-server", Severity.WARNING, "PostgreSQL " + serverMajor + " is newer than"
                    + " the versions Querk knows; this raw SQL was checked as on PostgreSQL " + knownMajor + ".",
                    "upgrade Querk, or check the statement's locks on a copy of the database."));
        }
        hazards.sort(Comparator.comparing(Hazard::severity, Comparator.reverseOrder()));
        return new PlannedStep(number, raw, actions, writePath, Optional.empty(), hazards,
                Optional.ofNullable(raw.override()));
    }

    private Optional<TableFacts> facts(String table) {
        if (table == null) {
            return Optional.empty();
        }
        Optional<TableFacts> f = statistics.of(table);
        return f == null ? Optional.empty() : f;
    }

    private Optional<PlannedAction.Scale> scale(TableEffect effect, String table) {
        if (effect == TableEffect.NONE) {
            return Optional.empty();
        }
        return facts(table).map(f -> new PlannedAction.Scale(f.table(), f.estimatedRows(), f.sizeBytes()));
    }

    private static List<PlannedLock> locks(List<RelationLock> locks) {
        return locks.stream().map(l -> new PlannedLock(l.relation(), l.mode())).toList();
    }
}
