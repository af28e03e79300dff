package io.querk.spring.boot.actuate;

import io.querk.Api;
import io.querk.jdbc.MigrationHandle;
import io.querk.spring.boot.QuerkMigrationInitializer;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code querk} health indicator. A backfill running (or paused, or running on another
 * instance) is normal work, so the application stays UP with the backfill's state and progress
 * as details; only a background run that failed is DOWN, with its error, since someone must act
 * on it (the next start resumes it). A refused plan that the start-up logged instead of failing
 * ({@code querk.fail-on-refused-plan=false}) is DOWN too: the schema is not what this version expects.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public class QuerkHealthIndicator extends AbstractHealthIndicator {

    private final QuerkMigrationInitializer initializer;

    /** @param initializer the start-up initializer, whose background run is watched */
    public QuerkHealthIndicator(QuerkMigrationInitializer initializer) {
        super("Querk health check failed");
        this.initializer = initializer;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (initializer.refusal().isPresent()) {
            builder.down().withDetail("refused", initializer.refusal().get().getMessage());
            return;
        }
        MigrationHandle h = initializer.handle().orElse(null);
        if (h == null) {
            builder.up();
            initializer.report().ifPresent(r -> builder.withDetail("stepsApplied", r.applied().size())
                    .withDetail("pendingContracts", r.pendingContracts()));
            return;
        }
        MigrationHandle.State state = h.state();
        if (state == MigrationHandle.State.FAILED) {
            builder.down();
            h.completion().exceptionally(e -> {
                builder.withDetail("error", String.valueOf(e.getMessage()));
                return null;
            });
        } else {
            builder.up();
        }
        builder.withDetail("background", state.name());
        h.progress().ifPresent(p -> builder.withDetail("backfill", QuerkEndpoint.progress(p)));
    }
}
