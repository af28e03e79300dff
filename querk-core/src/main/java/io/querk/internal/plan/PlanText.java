package io.querk.internal.plan;

import io.querk.plan.Hazard;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedLock;
import io.querk.plan.PlannedPhase;
import io.querk.plan.PlannedStep;
import io.querk.plan.Severity;
import io.querk.plan.TableEffect;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan for a person, readable in seconds: the verdict and the hazards first (refused ones
 * on top), then one small table per step. Statements are shortened to one line; the JSON form
 * carries them in full.
 */
public final class PlanText {

    private static final int STATEMENT_WIDTH = 100;

    private PlanText() {
    }

    public static String render(MigrationPlan plan) {
        StringBuilder sb = new StringBuilder();
        List<PlannedStep> steps = plan.steps();
        long refused = steps.stream().filter(PlannedStep::refused).count();
        long warnings = steps.stream().flatMap(s -> s.hazards().stream())
                .filter(h -> h.severity() == Severity.WARNING).count();
        sb.append("Querk plan for PostgreSQL ").append(plan.serverMajor())
                .append(plan.withStatistics() ? ", with live table statistics" : ", without table statistics")
                .append('\n');
        if (plan.isEmpty()) {
            return sb.append("Nothing to do.\n").toString();
        }
        sb.append(plan.phases().size()).append(plan.phases().size() == 1 ? " phase, " : " phases, ")
                .append(steps.size()).append(steps.size() == 1 ? " step" : " steps").append(": ")
                .append(refused == 0 ? "none refused" : refused + " REFUSED").append(", ")
                .append(warnings).append(warnings == 1 ? " warning" : " warnings").append('\n');
        hazards(plan, sb);
        for (PlannedPhase p : plan.phases()) {
            sb.append('\n').append(p.migrationId()).append(" \u00b7 ").append(p.phase().label()).append('\n');
            for (PlannedStep s : p.steps()) {
                step(s, sb);
            }
        }
        return sb.toString();
    }

    private static void hazards(MigrationPlan plan, StringBuilder sb) {
        List<String[]> rows = new ArrayList<>();
        for (Severity level : new Severity[] {Severity.DANGER, Severity.WARNING, Severity.INFO}) {
            for (PlannedPhase p : plan.phases()) {
                for (PlannedStep s : p.steps()) {
                    for (Hazard h : s.hazards()) {
                        if (h.severity() != level) {
                            continue;
                        }
                        String tag = level != Severity.DANGER ? level.name()
                                : s.refusals().contains(h) ? "REFUSED" : "ACCEPTED";
                        String where = p.migrationId() + " " + p.phase().label() + " #" + s.number();
                        java.util.Optional<String> advice = s.source().filter(src -> level == Severity.DANGER)
                                .flatMap(src -> HazardCatalog.sqlFileAdvice(h.code()));
                        String text = h.code() + ": " + h.message() + (advice.isPresent()
                                ? "\n    Instead, in the SQL file: " + advice.get()
                                : h.saferAlternative().isEmpty() ? "" : "\n    Instead: " + h.saferAlternative());
                        if (tag.equals("ACCEPTED")) {
                            text += "\n    Accepted because: " + s.override().orElseThrow().reason();
                        }
                        if (s.source().isPresent() && level == Severity.DANGER) {
                            where += " (" + s.source().get().location() + ")";
                            if (tag.equals("REFUSED")) {
                                text += "\n    To accept it, on the line before the statement: -- querk:override "
                                        + h.code() + " because <why it is acceptable here>";
                            }
                        }
                        rows.add(new String[] {tag, where, text});
                    }
                }
            }
        }
        // Refused before accepted, so the hazards that stop the run are read first.
        rows.sort((a, b) -> Integer.compare(rank(a[0]), rank(b[0])));
        if (rows.isEmpty()) {
            sb.append("\nHazards: none.\n");
            return;
        }
        sb.append("\nHazards\n");
        for (String[] r : rows) {
            sb.append("  ").append(pad(r[0], 8)).append(' ').append(r[1]).append("  ").append(r[2]).append('\n');
        }
    }

    private static int rank(String tag) {
        return switch (tag) {
            case "REFUSED" -> 0;
            case "ACCEPTED" -> 1;
            case "WARNING" -> 2;
            default -> 3;
        };
    }

    private static void step(PlannedStep s, StringBuilder sb) {
        sb.append("  #").append(s.number()).append(' ').append(s.step().description())
                .append(s.step().implied() ? "  (implied)" : "").append(s.refused() ? "  [REFUSED]" : "")
                .append(s.source().map(src -> "  (" + src.location() + ")").orElse("")).append('\n');
        s.source().filter(src -> src.rewritten()).ifPresent(src -> sb.append("    rewritten from: ")
                .append(oneLine(src.sql())).append('\n'));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"runs", "lock", "blocks", "effect", "statement"});
        for (PlannedAction a : s.actions()) {
            int n = Math.max(1, Math.max(a.locks().size(), a.statements().size()));
            for (int i = 0; i < n; i++) {
                PlannedLock l = i < a.locks().size() ? a.locks().get(i) : null;
                rows.add(new String[] {
                        i == 0 ? (a.inTransaction() ? "in tx" : "alone") : "",
                        l == null ? (i == 0 ? "none" : "") : l.mode().sqlName() + " " + l.relation(),
                        l == null ? "" : l.blocks(),
                        i == 0 ? effect(a) : "",
                        i < a.statements().size() ? oneLine(a.statements().get(i)) : ""});
            }
        }
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int c = 0; c < 4; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            sb.append("    ");
            for (int c = 0; c < 4; c++) {
                sb.append(pad(r[c], width[c])).append("  ");
            }
            sb.append(r[4]).append('\n');
        }
        for (String w : s.writePathImpact()) {
            sb.append("    write path: ").append(w).append('\n');
        }
        s.verificationQuery().ifPresent(q -> sb.append("    verify: ").append(oneLine(q, Integer.MAX_VALUE)).append('\n'));
        s.override().ifPresent(o -> sb.append("    override: ").append(o.describe()).append('\n'));
    }

    /** @return what an action does to its table, in words, with its size where known */
    static String effect(PlannedAction a) {
        String base = switch (a.effect()) {
            case NONE -> "catalog only";
            case SCAN -> "reads every row";
            case REWRITE -> "rewrites the table";
        };
        return a.effect() == TableEffect.NONE ? base
                : base + a.scale().map(sc -> ", " + sc.describe()).orElse("");
    }

    private static String oneLine(String sql) {
        return oneLine(sql, STATEMENT_WIDTH);
    }

    private static String oneLine(String sql, int max) {
        String s = sql.strip().replaceAll("\\s+", " ");
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
