package io.querk.internal.plan;

import io.querk.internal.sql.Token;
import io.querk.plan.Hazard;
import io.querk.plan.LockMode;
import io.querk.plan.PlannedLock;
import io.querk.plan.Severity;
import io.querk.plan.TableEffect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The findings about one statement as the rules collect them: they only ever strengthen it
 * (a stronger lock, a heavier effect, one more hazard), which is what makes several
 * subcommands of one ALTER TABLE combine correctly.
 */
final class Verdict {

    private final List<Token> tokens;
    private final Map<String, PlannedLock> locks = new LinkedHashMap<>();
    private final List<Hazard> hazards = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private TableEffect effect = TableEffect.NONE;
    private SqlName table;
    private boolean mustRunAlone;

    Verdict(List<Token> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /** @return the statement's tokens, for rules that must look at the whole of it */
    List<Token> tokens() {
        return tokens;
    }

    /** Records that the statement locks {@code relation} in {@code mode}; the stronger of two modes wins. */
    void lock(SqlName relation, LockMode mode) {
        if (relation == null) {
            return;
        }
        PlannedLock held = locks.get(relation.normalized());
        if (held == null) {
            locks.put(relation.normalized(), new PlannedLock(relation.written(), mode));
        } else if (mode.compareTo(held.mode()) > 0) {
            locks.put(relation.normalized(), new PlannedLock(held.relation(), mode));
        }
    }

    /** @return the mode recorded for {@code relation}, or null */
    LockMode lockOn(SqlName relation) {
        PlannedLock held = relation == null ? null : locks.get(relation.normalized());
        return held == null ? null : held.mode();
    }

    void effect(TableEffect e) {
        if (e.compareTo(effect) > 0) {
            effect = e;
        }
    }

    TableEffect effect() {
        return effect;
    }

    /** Names the table the statement mainly changes; the first one named wins. */
    void table(SqlName t) {
        if (table == null) {
            table = t;
        }
    }

    /** Names the table the statement mainly changes, over any named before (by a WITH query, say). */
    void mainTable(SqlName t) {
        if (t != null) {
            table = t;
        }
    }

    SqlName table() {
        return table;
    }

    void mustRunAlone() {
        mustRunAlone = true;
    }

    void hazard(Hazard h) {
        for (Hazard known : hazards) {
            if (known.code().equals(h.code()) && known.message().equals(h.message())) {
                return;
            }
        }
        hazards.add(h);
    }

    boolean hasHazard(String code) {
        return hazards.stream().anyMatch(h -> h.code().equals(code));
    }

    /** Adds a phrase to the summary: what the statement does, in words. */
    void action(String words) {
        actions.add(words);
    }

    StatementAnalysis build(String sql) {
        List<Hazard> ordered = new ArrayList<>(hazards);
        // Stable sort: within one severity, hazards stay in the order the statement raised them.
        ordered.sort(Comparator.comparing(Hazard::severity, Comparator.reverseOrder()));
        return new StatementAnalysis(sql, mustRunAlone, List.copyOf(locks.values()), effect,
                table == null ? null : table.written(), table == null ? null : table.normalized(), ordered, summary());
    }

    private String summary() {
        StringBuilder sb = new StringBuilder(actions.isEmpty() ? "statement" : String.join("; ", actions));
        StringJoiner lockWords = new StringJoiner(", ");
        for (PlannedLock l : locks.values()) {
            lockWords.add(l.mode().sqlName() + " on " + l.relation());
        }
        sb.append(" (").append(locks.isEmpty() ? "no table lock" : lockWords.toString());
        if (effect == TableEffect.SCAN) {
            sb.append("; reads every row");
        } else if (effect == TableEffect.REWRITE) {
            sb.append("; rewrites the table");
        }
        if (mustRunAlone) {
            sb.append("; outside a transaction block");
        }
        if (hazards.stream().anyMatch(h -> h.severity() == Severity.DANGER)) {
            sb.append("; DANGER");
        }
        return sb.append(')').toString();
    }
}
