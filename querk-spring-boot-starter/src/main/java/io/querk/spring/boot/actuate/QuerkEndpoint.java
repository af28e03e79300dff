package io.querk.spring.boot.actuate;

import io.querk.Api;
import io.querk.jdbc.MigrationHandle;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.PhaseState;
import io.querk.jdbc.Querk;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.plan.Hazard;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedLock;
import io.querk.spring.boot.QuerkMigrationInitializer;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/querk}: every configured migration with the state of each of its phases in this
 * database ({@link Querk#status()}), the background run and its backfill's progress, the report of
 * the start-up's run, and the plan of what is still pending ({@link Querk#plan()}, read live: no
 * lock is taken and nothing is created).
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
@Endpoint(id = "querk")
public class QuerkEndpoint {

    private final Querk querk;
    private final QuerkMigrationInitializer initializer;

    /**
     * @param querk       the engine
     * @param initializer the start-up initializer, or null when there is none
     */
    public QuerkEndpoint(Querk querk, QuerkMigrationInitializer initializer) {
        this.querk = querk;
        this.initializer = initializer;
    }

    /** @return the migrations, the background run, the start-up report and the pending plan */
    @ReadOperation
    public QuerkDescriptor querk() {
        Map<String, List<PhaseDescriptor>> phases = new LinkedHashMap<>();
        for (PhaseState s : querk.status()) {
            phases.computeIfAbsent(s.migrationId(), k -> new java.util.ArrayList<>())
                    .add(new PhaseDescriptor(s.phase().label(), s.status().name(), s.finishedAt(), s.checksumMatches()));
        }
        List<MigrationDescriptor> migrations = querk.config().migrations().stream()
                .map(m -> new MigrationDescriptor(m.id(), m.description(), phases.getOrDefault(m.id(), List.of())))
                .toList();
        BackgroundDescriptor background = initializer == null ? null
                : initializer.handle().map(QuerkEndpoint::background).orElse(null);
        StartupDescriptor startup = initializer == null ? null : initializer.report().map(QuerkEndpoint::startup)
                .orElse(null);
        String refusal = initializer == null ? null
                : initializer.refusal().map(Throwable::getMessage).orElse(null);
        return new QuerkDescriptor(migrations, background, startup, plan(querk.plan()), refusal);
    }

    private static BackgroundDescriptor background(MigrationHandle h) {
        return new BackgroundDescriptor(h.state().name(), h.progress().map(QuerkEndpoint::progress).orElse(null));
    }

    /**
     * @param p a backfill's latest progress
     * @return its fields for JSON
     */
    static ProgressDescriptor progress(BackfillProgress p) {
        return new ProgressDescriptor(p.step().migrationId(), p.step().description(), p.rowsUpdated(), p.rowsScanned(),
                p.rowsEstimated(), p.fractionDone(), p.rowsPerSecond(), p.eta() == null ? null : p.eta().toMillis() / 1000.0,
                p.batchSizes(), p.at());
    }

    private static StartupDescriptor startup(MigrationReport r) {
        return new StartupDescriptor(r.startedAt(), r.took().toMillis(), r.applied().size(), r.pendingContracts(),
                r.cancelled());
    }

    private static PlanDescriptor plan(MigrationPlan plan) {
        List<PlannedPhaseDescriptor> phases = plan.phases().stream().map(ph -> new PlannedPhaseDescriptor(
                ph.migrationId(), ph.phase().label(), ph.steps().stream().map(st -> new PlannedStepDescriptor(
                        st.number(), st.step().description(),
                        st.actions().stream().map(QuerkEndpoint::action).toList(),
                        st.hazards().stream().map(Hazard::describe).toList())).toList())).toList();
        return new PlanDescriptor(plan.serverMajor(), plan.refused(), phases, plan.toText());
    }

    private static PlannedActionDescriptor action(PlannedAction a) {
        return new PlannedActionDescriptor(a.purpose(), a.statements(), a.inTransaction(),
                a.locks().stream().map(QuerkEndpoint::lock).toList(), a.effect().name());
    }

    private static String lock(PlannedLock l) {
        return l.mode().sqlName() + " on " + l.relation() + ", blocks " + l.blocks();
    }

    /**
     * The endpoint's answer.
     *
     * @param migrations every configured migration, in id order
     * @param background the background run, or null when there is none
     * @param startup    the start-up run's report, or null (background mode, or nothing run)
     * @param plan       what is still pending, planned now
     * @param refusal    the refusal the start-up logged instead of failing, or null
     */
    public record QuerkDescriptor(List<MigrationDescriptor> migrations, BackgroundDescriptor background,
                                  StartupDescriptor startup, PlanDescriptor plan, String refusal)
            implements OperationResponseBody {
    }

    /**
     * @param id          the migration's id
     * @param description its description
     * @param phases      the state of each of its non-empty phases
     */
    public record MigrationDescriptor(String id, String description, List<PhaseDescriptor> phases) {
    }

    /**
     * @param phase           expand, backfill or contract
     * @param status          PENDING, RUNNING, APPLIED or FAILED
     * @param finishedAt      when it was applied, or null
     * @param checksumMatches false when an applied phase has been edited since
     */
    public record PhaseDescriptor(String phase, String status, Instant finishedAt, boolean checksumMatches) {
    }

    /**
     * @param state    RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED or RUNNING_ELSEWHERE
     * @param progress the latest progress of the backfill running now or last, or null
     */
    public record BackgroundDescriptor(String state, ProgressDescriptor progress) {
    }

    /**
     * @param migration     the migration the backfill belongs to
     * @param step          the backfill step
     * @param rowsUpdated   rows changed so far
     * @param rowsScanned   rows walked so far
     * @param rowsEstimated the estimated total, or -1
     * @param fractionDone  walked so far, 0 to 1, or -1
     * @param rowsPerSecond this run's rate
     * @param etaSeconds    the estimated time left in seconds, or null
     * @param batchSizes    each worker's batch size
     * @param at            when this was measured
     */
    public record ProgressDescriptor(String migration, String step, long rowsUpdated, long rowsScanned,
                                     long rowsEstimated, double fractionDone, double rowsPerSecond, Double etaSeconds,
                                     List<Integer> batchSizes, Instant at) {
    }

    /**
     * @param startedAt        when the start-up's run began
     * @param tookMillis       how long it took
     * @param stepsApplied     steps it applied
     * @param pendingContracts migrations whose contract waits for release
     * @param cancelled        whether it was cancelled
     */
    public record StartupDescriptor(Instant startedAt, long tookMillis, int stepsApplied, List<String> pendingContracts,
                                    boolean cancelled) {
    }

    /**
     * @param serverMajor the server version planned for
     * @param refused     whether a step is refused
     * @param phases      the pending phases, step by step
     * @param text        the plan as the log prints it
     */
    public record PlanDescriptor(int serverMajor, boolean refused, List<PlannedPhaseDescriptor> phases, String text) {
    }

    /**
     * @param migration the migration
     * @param phase     the phase
     * @param steps     its pending steps
     */
    public record PlannedPhaseDescriptor(String migration, String phase, List<PlannedStepDescriptor> steps) {
    }

    /**
     * @param number      the step's number in its phase
     * @param description what it does
     * @param actions     the statements it sends, with their locks
     * @param hazards     hazards found in raw SQL, described
     */
    public record PlannedStepDescriptor(int number, String description, List<PlannedActionDescriptor> actions,
                                        List<String> hazards) {
    }

    /**
     * @param purpose       what the action is for
     * @param statements    its SQL
     * @param inTransaction whether it runs in a transaction
     * @param locks         each lock, described ("ACCESS EXCLUSIVE on shipments, blocks reads and writes")
     * @param effect        what it does to the table's rows
     */
    public record PlannedActionDescriptor(String purpose, List<String> statements, boolean inTransaction,
                                          List<String> locks, String effect) {
    }
}
