package io.querk.internal.plan;

import io.querk.internal.sql.Token;
import io.querk.internal.step.AddCheck;
import io.querk.internal.step.AddColumn;
import io.querk.internal.step.AddForeignKey;
import io.querk.internal.step.AddUnique;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.ChangeColumnType;
import io.querk.internal.step.CreateIndex;
import io.querk.internal.step.DropIndex;
import io.querk.internal.step.FinishSync;
import io.querk.internal.step.IndexElement;
import io.querk.internal.step.RenameColumn;
import io.querk.internal.step.StepDefinition;
import io.querk.internal.step.Sql;
import io.querk.internal.render.SyncNames;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a step adds to (or takes from) every later write on its table: the cost that outlives
 * the migration, which lock modes alone do not show.
 */
final class WritePath {

    private WritePath() {
    }

    static List<String> of(StepDefinition step) {
        if (step instanceof CreateIndex s) {
            return List.of("every INSERT, and every UPDATE that changes "
                    + s.elements().stream().map(IndexElement::sql).collect(Collectors.joining(", "))
                    + " (no HOT update), also writes index " + s.name().sql()
                    + (s.unique() ? " and checks it for a duplicate" : ""));
        } else if (step instanceof AddUnique s) {
            return List.of("every INSERT, and every UPDATE that changes " + Sql.list(s.columns())
                    + ", also writes index " + s.name().sql() + " and checks it for a duplicate");
        } else if (step instanceof DropIndex s) {
            return List.of("writes no longer maintain index " + s.index().sql());
        } else if (step instanceof AddCheck s) {
            return List.of("every INSERT and UPDATE on " + s.target().sql() + " evaluates CHECK (" + s.expression() + ")");
        } else if (step instanceof AddForeignKey s) {
            return List.of("every INSERT, and every UPDATE of " + Sql.list(s.columns()) + ", on " + s.target().sql()
                            + " looks up " + s.referencedTable().sql() + " and KEY SHARE-locks the row it finds",
                    "every DELETE, and every key UPDATE, on " + s.referencedTable().sql() + " looks up "
                            + s.target().sql() + " (" + Sql.list(s.columns()) + "): index those columns if it is large");
        } else if (step instanceof AddColumn s && s.derivedFrom() != null) {
            return List.of("every INSERT and UPDATE on " + s.target().sql() + " runs trigger "
                    + SyncNames.trigger(s.column().name()).sql() + " to compute " + s.column().name().sql()
                    + ", until contract removes it");
        } else if (step instanceof RenameColumn s) {
            return List.of("every INSERT and UPDATE on " + s.target().sql() + " runs trigger "
                    + SyncNames.trigger(s.to()).sql() + " to keep " + s.from().sql() + " and " + s.to().sql()
                    + " equal, until contract removes it");
        } else if (step instanceof ChangeColumnType s) {
            return List.of("every INSERT and UPDATE on " + s.target().sql() + " runs trigger "
                    + SyncNames.trigger(SyncNames.shadowColumn(s.column())).sql() + " to fill the new-type copy of "
                    + s.column().sql() + ", until contract removes it");
        } else if (step instanceof FinishSync s) {
            return List.of("the sync trigger on " + s.target().sql() + " is removed: writes no longer run it");
        } else if (step instanceof Backfill s) {
            return List.of("while it runs, each batch row-locks its rows of " + s.target().sql()
                    + " for one short transaction: a write to those rows waits for that batch, not for the backfill");
        }
        return List.of();
    }

    /** The write-path cost of one raw statement, read from its shape. */
    static List<String> ofRaw(List<Token> t, StatementAnalysis a) {
        List<String> out = new ArrayList<>();
        String table = a.table() == null ? "the table" : a.table();
        if (t.isEmpty()) {
            return out;
        }
        if (t.get(0).isWord("create")) {
            int i = 1;
            boolean unique = false;
            if (i < t.size() && t.get(i).isWord("unique")) {
                unique = true;
                i++;
            }
            if (i < t.size() && t.get(i).isWord("index")) {
                out.add("every INSERT, and every UPDATE of the indexed columns (no HOT update), on " + table
                        + " also writes the new index" + (unique ? " and checks it for a duplicate" : ""));
            } else if (containsWord(t, "trigger") && !containsWord(t, "event")) {
                out.add("every write the trigger fires on runs its function on " + table);
            }
        } else if (t.get(0).isWord("alter") && t.size() > 1 && t.get(1).isWord("table")) {
            if (containsWord(t, "foreign") || containsWord(t, "references")) {
                out.add("every INSERT and key UPDATE on " + table + " looks up the referenced table, and every"
                        + " DELETE there looks up " + table);
            }
            if (containsWord(t, "check") && containsWord(t, "add")) {
                out.add("every INSERT and UPDATE on " + table + " evaluates the new check");
            }
            if ((containsWord(t, "unique") || containsWord(t, "primary") || containsWord(t, "exclude"))
                    && containsWord(t, "add")) {
                out.add("every INSERT and key UPDATE on " + table + " also writes the constraint's index and checks it");
            }
        }
        return out;
    }

    private static boolean containsWord(List<Token> tokens, String word) {
        return tokens.stream().anyMatch(k -> k.isWord(word));
    }
}
