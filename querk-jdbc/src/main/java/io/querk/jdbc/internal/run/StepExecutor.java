package io.querk.jdbc.internal.run;

import io.querk.internal.render.Action;
import io.querk.jdbc.internal.event.EventBus;
import io.querk.internal.render.Precondition;
import io.querk.internal.render.StepRenderer;
import io.querk.internal.step.RawSql;
import io.querk.jdbc.StepFailedException;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.ActionSkipped;
import io.querk.jdbc.internal.guard.GuardedExecutor;
import io.querk.jdbc.internal.guard.PreStepChecks;
import io.querk.jdbc.internal.guard.TimeoutPolicy;
import io.querk.internal.step.StepDefinition;
import io.querk.jdbc.internal.store.HistoryStore;
import io.querk.jdbc.internal.store.StepRecord;
import io.querk.jdbc.internal.guard.Retrier;
import io.querk.migration.Step;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Applies a schema step: renders it against the live catalog, skips the actions whose effect is
 * already there, checks preconditions, and runs the rest under the guard, retrying the whole
 * step on lock timeouts. Re-rendering on every attempt means a retry after a failed concurrent
 * index build sees (and drops) the INVALID index it left.
 */
final class StepExecutor {

    private final GuardedExecutor guard;
    private final Retrier retrier;
    private final EventBus events;
    private final HistoryStore history;
    private final LiveCatalog catalog;

    StepExecutor(GuardedExecutor guard, Retrier retrier, EventBus events, HistoryStore history) {
        this.guard = guard;
        this.retrier = retrier;
        this.events = events;
        this.history = history;
        this.catalog = new LiveCatalog(guard.session());
    }

    /** @return the number of attempts it took */
    int apply(StepRef ref, Step step, StepRecord record) throws SQLException {
        boolean raw = step instanceof RawSql;
        int[] ledger = {record == null ? 0 : record.actionsDone()};
        PreStepChecks.require(ref, (StepDefinition) step, catalog, guard.session().connection(),
                guard.timeouts().forAttempt(TimeoutPolicy.Kind.BLOCKS_APPLICATION, 1).lock());
        return retrier.run(ref, attempt -> {
            List<Action> actions = StepRenderer.render(step, catalog);
            for (int i = 0; i < actions.size(); i++) {
                Action a = actions.get(i);
                if (raw && i < ledger[0]) {
                    events.publish(new ActionSkipped(Instant.now(), ref, a.purpose() + " (recorded as committed)"));
                    continue;
                }
                if (a.skipWhen() != null && guard.session().probe(a.skipWhen())) {
                    events.publish(new ActionSkipped(Instant.now(), ref, a.purpose()));
                    continue;
                }
                for (Precondition p : a.preconditions()) {
                    if (!guard.session().probe(p.holds())) {
                        throw new StepFailedException("Step " + ref + " cannot run: " + p.message(), ref, null, null, null);
                    }
                }
                if (raw && a.transactional()) {
                    try (PreparedStatement mark = history.actionDone(guard.session().connection(), ref, i + 1)) {
                        guard.execute(ref, a, attempt, mark);
                    }
                } else {
                    guard.execute(ref, a, attempt, null);
                }
                if (raw) {
                    ledger[0] = i + 1;
                    if (!a.transactional()) {
                        try (PreparedStatement mark = history.actionDone(guard.session().connection(), ref, i + 1)) {
                            mark.executeUpdate();
                        }
                    }
                }
            }
            return null;
        }).attempts();
    }

    /**
     * Runs actions that need no rendering (an abort's undo), each skipped when its probe sees it
     * done, under the guard and the retry policy.
     *
     * @return the purposes of the actions that ran
     */
    List<String> run(StepRef ref, List<Action> actions) throws SQLException {
        List<String> ran = new java.util.ArrayList<>();
        retrier.run(ref, attempt -> {
            for (Action a : actions) {
                if (a.skipWhen() != null && guard.session().probe(a.skipWhen())) {
                    continue;
                }
                guard.execute(ref, a, attempt, null);
                ran.add(a.purpose());
            }
            return null;
        });
        return ran;
    }
}
