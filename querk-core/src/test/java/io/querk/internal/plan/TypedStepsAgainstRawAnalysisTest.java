package io.querk.internal.plan;

import io.querk.internal.sql.SqlStatements;
import io.querk.migration.ContractSteps;
import io.querk.migration.ExpandSteps;
import io.querk.migration.Migration;
import io.querk.migration.Phase;
import io.querk.plan.Hazard;
import io.querk.plan.LockMode;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedLock;
import io.querk.plan.PlannedPhase;
import io.querk.plan.PlannedStep;
import io.querk.plan.Planner;
import io.querk.plan.Severity;
import io.querk.plan.TableEffect;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every typed step, rendered, read back by the raw-SQL analyzer as if a user had written the
 * same SQL: the typed step must never claim to be safer than its own SQL is. This is the test
 * that catches two lists of one fact drifting apart (a default of gen_random_bytes(16) rendered
 * as a rewrite the plan called catalog-only, because the DSL's volatile-function list lacked it).
 */
@ExtendWith(SeededRandomExtension.class)
class TypedStepsAgainstRawAnalysisTest {

    /** Refusals a typed step's SQL may carry because of what the user wrote into it, not how it renders. */
    private static final java.util.Set<String> FROM_THE_USERS_SQL = java.util.Set.of("unsupported-on-version");

    private static final List<String> TYPES = List.of("text", "bigint", "numeric(12,2)", "varchar(40)", "uuid",
            "timestamptz", "bytea", "jsonb", "int[]", "boolean");
    private static final List<String> DEFAULTS = List.of("0", "'x'", "now()", "current_timestamp", "gen_random_uuid()",
            "gen_random_bytes(16)", "random()", "clock_timestamp()", "uuid_generate_v4()", "md5(random()::text)",
            "nextval('s')", "lower('A')", "'{}'::jsonb", "uuidv7()", "my_func()", "1 + 2");
    private static final List<String> EXPRESSIONS = List.of("lower(name)", "split_part(name, ',', 1)", "n + 1",
            "coalesce(code, 'none')", "upper(code)", "n * 2", "random()", "md5(name)");

    private static String col(SeededRandom r) {
        return r.pick(List.of("c1", "c2", "note", "\"Mixed Case\"".replace("\"", ""), "n", "code", "name"));
    }

    private Consumer<ExpandSteps> expandStep(SeededRandom r, int i) {
        String c = "x" + i;
        return switch (r.between(0, 8)) {
            case 0 -> e -> e.addColumn("t", c, r.pick(TYPES));
            case 1 -> {
                String d = r.pick(DEFAULTS);
                boolean notNull = r.chance(0.3);
                yield e -> e.addColumn("t", c, "text", o -> {
                    o.defaultValue(d);
                    if (notNull) {
                        o.notNull();
                    }
                });
            }
            case 2 -> {
                String d = r.pick(DEFAULTS);
                yield e -> e.addColumn("t", c, "text", o -> o.volatileDefault(d));
            }
            case 3 -> {
                String x = r.pick(EXPRESSIONS);
                yield e -> e.addColumn("t", c, "text", o -> o.derivedFrom(x));
            }
            case 4 -> {
                boolean unique = r.chance(0.3);
                String cc = col(r);
                String where = r.chance(0.3) ? "n > 0" : null;
                yield e -> e.createIndex("t_" + c + "_idx", "t", ix -> {
                    ix.columns(cc);
                    if (unique) {
                        ix.unique();
                    }
                    if (where != null) {
                        ix.where(where);
                    }
                });
            }
            case 5 -> e -> e.addCheck("t", "t_" + c + "_ck", "n > 0");
            case 6 -> e -> e.addForeignKey("t", "t_" + c + "_fk", "n", "other", "id");
            case 7 -> e -> e.addUnique("t", "t_" + c + "_key", col(r));
            default -> {
                String cc = col(r);
                boolean rename = r.chance(0.5);
                String type = r.pick(TYPES);
                yield e -> {
                    if (rename) {
                        e.renameColumn("t", cc, cc + "_renamed");
                    } else {
                        e.changeColumnType("t", cc, type);
                    }
                };
            }
        };
    }

    private Consumer<ContractSteps> contractStep(SeededRandom r, int i) {
        return switch (r.between(0, 4)) {
            case 0 -> c -> c.dropColumn("t", col(r));
            case 1 -> c -> c.dropIndex("t_old_idx_" + i);
            case 2 -> c -> c.dropConstraint("t", "t_old_ck_" + i);
            case 3 -> c -> c.setNotNull("t", col(r));
            default -> c -> c.addPrimaryKey("t", "t_pk_" + i, "id");
        };
    }

    @Test
    void noTypedStepIsSaferInItsPlanThanItsSqlIsToTheAnalyzer(SeededRandom random) {
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Migration m;
            try {
                Migration.Builder b = Migration.define("m" + i);
                if (random.chance(0.7)) {
                    b.expand(expandStep(random, i));
                } else {
                    b.contract(contractStep(random, i));
                }
                m = b.build();
            } catch (RuntimeException refusedByTheDsl) {
                continue; // a contradictory random step: the DSL's own checks, tested elsewhere
            }
            int major = random.between(Planner.OLDEST_SUPPORTED, Planner.NEWEST_KNOWN);
            for (PlannedPhase phase : Planner.forServer(major).plan(m).phases()) {
                for (PlannedStep step : phase.steps()) {
                    compare(m.id(), major, phase.phase(), step, disagreements);
                }
            }
        }
        assertTrue(disagreements.isEmpty(), "typed steps whose plan is safer than their SQL ("
                + disagreements.size() + "):\n" + String.join("\n", disagreements.stream().distinct().limit(20).toList()));
    }

    private static void compare(String id, int major, Phase phase, PlannedStep step, List<String> out) {
        if (step.step() instanceof io.querk.internal.step.Backfill) {
            return; // not SQL the user could write as a statement: its batches are the engine's
        }
        List<SqlStatements.Statement> statements = new ArrayList<>();
        List<PlannedAction> owners = new ArrayList<>();
        for (PlannedAction a : step.actions()) {
            for (String sql : a.statements()) {
                statements.addAll(SqlStatements.split(sql));
                owners.add(a);
            }
        }
        // As one script, so that a statement after the check it relies on (SET NOT NULL after a
        // validated CHECK) is read the way PostgreSQL runs it.
        List<StatementAnalysis> raw = RawSqlAnalyzer.analyzeScript(statements, major, phase, t -> Optional.empty());
        for (int i = 0; i < raw.size(); i++) {
            StatementAnalysis r = raw.get(i);
            PlannedAction typed = owners.get(i);
            String where = id + " on " + major + ", " + step.step().description() + ": " + r.sql().replaceAll("\\s+", " ");
            for (Hazard h : r.hazards()) {
                // A typed expand step drops only what Querk made for itself (a helper CHECK, the INVALID
                // leftover of its own interrupted build): destructive typed steps cannot be in expand.
                if (h.severity() != Severity.DANGER || h.code().equals("drop-in-expand")) {
                    continue;
                }
                if (!FROM_THE_USERS_SQL.contains(h.code())) {
                    // A typed step rendered SQL the analyzer refuses: the renderer is wrong, not the user.
                    out.add(where + " ==> a typed step renders SQL the analyzer refuses: " + h.code() + " " + h.message());
                }
                if (step.hazards().stream().noneMatch(t -> t.code().equals(h.code()) && t.severity() == Severity.DANGER)) {
                    out.add(where + " ==> the analyzer refuses it (" + h.code() + ") but the typed plan does not");
                }
            }
            if (r.effect().compareTo(typed.effect()) > 0) {
                out.add(where + " ==> typed effect " + typed.effect() + ", the SQL's " + r.effect());
            }
            for (PlannedLock l : r.locks()) {
                LockMode typedMode = typed.locks().stream().filter(t -> t.relation().equals(l.relation()))
                        .map(PlannedLock::mode).max(Enum::compareTo).orElse(null);
                if (typedMode == null || l.mode().compareTo(typedMode) > 0) {
                    out.add(where + " ==> typed lock on " + l.relation() + " " + typedMode + ", the SQL's " + l.mode());
                }
            }
        }
    }

    @Test
    void theDefaultThatHidAFullTableRewriteIsNowBackfilled() {
        Migration m = Migration.define("2026-12-01.token").expand(e -> e.addColumn("t", "token", "bytea",
                c -> c.defaultValue("gen_random_bytes(16)"))).build();
        PlannedStep add = Planner.forServer(16).plan(m).steps().get(0);
        assertTrue(add.actions().stream().noneMatch(a -> a.effect() == TableEffect.REWRITE), add.actions().toString());
        assertTrue(add.actions().stream().flatMap(a -> a.statements().stream())
                .noneMatch(s -> s.contains("ADD COLUMN") && s.contains("DEFAULT")), "added without its default");
        assertTrue(m.steps(Phase.BACKFILL).size() == 1, "existing rows filled by an implied backfill");
    }
}
