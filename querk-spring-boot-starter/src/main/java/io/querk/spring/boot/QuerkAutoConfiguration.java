package io.querk.spring.boot;

import io.querk.Api;
import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.QuerkConfigException;
import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.jdbc.Baseline;
import io.querk.migration.Migration;
import io.querk.migration.MigrationProvider;
import io.querk.migration.SqlMigrations;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Auto-configuration of Querk: a {@link Querk} engine built from the {@code querk.*}
 * {@linkplain QuerkProperties properties}, the {@link Migration} and {@link MigrationProvider}
 * beans, the SQL files at {@code querk.locations}, the {@link QuerkListener} beans and the
 * {@link QuerkConfigCustomizer} beans; and a
 * {@link QuerkMigrationInitializer} that migrates before anything else uses the DataSource.
 *
 * <p>The ordering is Spring Boot's own database-initialization machinery: this configuration
 * imports {@link DatabaseInitializationDependencyConfigurer}, and the starter registers a
 * detector for {@link QuerkMigrationInitializer} in {@code META-INF/spring.factories}, so every
 * bean Boot knows to need an initialized database (JPA's entity manager factory, jOOQ's
 * {@code DSLContext}, {@code JdbcTemplate}, and beans marked {@code @DependsOnDatabaseInitialization})
 * gets a dependency on the initializer.
 *
 * <p>Active when Querk is on the class path, a DataSource bean or {@code querk.datasource.url}
 * exists, and {@code querk.enabled} is not {@code false}.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(Querk.class)
@Conditional(QuerkAutoConfiguration.MigrationDataSourceCondition.class)
@ConditionalOnProperty(prefix = "querk", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(QuerkProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class QuerkAutoConfiguration {

    /**
     * The configuration value, for beans and tools that want it without the engine.
     *
     * @param properties    the {@code querk.*} properties
     * @param dataSource    the application's DataSource, if it has exactly one
     * @param querkSource   a DataSource marked {@link QuerkDataSource}, if any
     * @param migrations    {@link Migration} beans
     * @param providers     {@link MigrationProvider} beans
     * @param listeners     {@link QuerkListener} beans (the Micrometer listener among them)
     * @param customizers   {@link QuerkConfigCustomizer} beans, applied last in their order
     * @param resourceLoader the application's, whose class loader {@code classpath:} locations are read with
     * @return the sealed configuration
     * @throws QuerkConfigException naming the {@code querk.*} property a value was refused for
     */
    @Bean
    @ConditionalOnMissingBean
    public QuerkConfig querkConfig(QuerkProperties properties, ObjectProvider<DataSource> dataSource,
                                   @QuerkDataSource ObjectProvider<DataSource> querkSource,
                                   ObjectProvider<Migration> migrations, ObjectProvider<MigrationProvider> providers,
                                   ObjectProvider<QuerkListener> listeners,
                                   ObjectProvider<QuerkConfigCustomizer> customizers,
                                   org.springframework.core.io.ResourceLoader resourceLoader) {
        QuerkConfig.Builder b = QuerkConfig.custom()
                .dataSource(migrationDataSource(properties.getDatasource(), querkSource.getIfAvailable(),
                        dataSource.getIfUnique()));
        List<Migration> all = new ArrayList<>(migrations.orderedStream().toList());
        providers.orderedStream().forEach(p -> all.addAll(p.migrations()));
        ClassLoader loader = resourceLoader.getClassLoader();
        for (String location : properties.getLocations()) {
            built("querk.locations=" + location, () -> all.addAll(SqlMigrations.load(location, loader)));
        }
        b.migrations(all);
        apply(properties, b);
        listeners.orderedStream().forEach(b::listener);
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    /**
     * @param config the configuration
     * @return the engine
     */
    @Bean
    @ConditionalOnMissingBean
    public Querk querk(QuerkConfig config) {
        return Querk.create(config);
    }

    /**
     * @param querk      the engine
     * @param properties for background mode and the refused-plan policy
     * @return the initializer, which migrates when created
     */
    @Bean
    @ConditionalOnMissingBean
    public QuerkMigrationInitializer querkMigrationInitializer(Querk querk, QuerkProperties properties) {
        return new QuerkMigrationInitializer(querk, properties.getBackfill().isBackground(),
                properties.isFailOnRefusedPlan());
    }

    /**
     * Keeps the initializer eager under {@code spring.main.lazy-initialization=true}: a lazy one would
     * migrate at the first use of the DataSource, or never.
     *
     * @return the filter
     */
    @Bean
    public static LazyInitializationExcludeFilter querkEagerInitializer() {
        return LazyInitializationExcludeFilter.forBeanTypes(QuerkMigrationInitializer.class);
    }

    private static DataSource migrationDataSource(QuerkProperties.DataSource props, DataSource marked,
                                                  DataSource application) {
        if (marked != null) {
            return marked;
        }
        if (props.getUrl() != null) {
            return DataSourceBuilder.create().type(SimpleDriverDataSource.class).url(props.getUrl())
                    .username(props.getUsername()).password(props.getPassword()).build();
        }
        if (application == null) {
            throw new QuerkConfigException("Querk found no DataSource to migrate with: define one DataSource bean,"
                    + " mark one @QuerkDataSource, or set querk.datasource.url.");
        }
        if (props.getUsername() != null) {
            // Another login on the application's database: its URL, Querk's user.
            return DataSourceBuilder.derivedFrom(application).type(SimpleDriverDataSource.class)
                    .username(props.getUsername()).password(props.getPassword()).build();
        }
        return application;
    }

    /** Maps each property onto its setter; the engine's refusal is rethrown naming the property. */
    static void apply(QuerkProperties p, QuerkConfig.Builder b) {
        set("querk.lock-timeout", p.getLockTimeout(), b::lockTimeout);
        set("querk.statement-timeout", p.getStatementTimeout(), b::statementTimeout);
        set("querk.long-lock-timeout", p.getLongLockTimeout(), b::longLockTimeout);
        set("querk.runner-lock-timeout", p.getRunnerLockTimeout(), b::runnerLockTimeout);
        set("querk.history-table", p.getHistoryTable(), b::historyTable);
        if (p.getBaseline() != null && !p.getBaseline().isBlank()) {
            set("querk.baseline", p.getBaseline(), v -> b.baseline(Baseline.parse(v)));
        }
        if (p.getContractReleasedThrough() != null && !p.getContractReleasedThrough().isBlank()) {
            set("querk.contract-released-through", p.getContractReleasedThrough(), b::contractReleasedThrough);
        }

        QuerkProperties.Retry r = p.getRetry();
        RetryPolicy.Builder rb = RetryPolicy.custom();
        set("querk.retry.max-attempts", r.getMaxAttempts(), rb::maxAttempts);
        set("querk.retry.max-duration", r.getMaxDuration(), rb::maxDuration);
        set("querk.retry.initial-backoff", r.getInitialBackoff(), rb::initialBackoff);
        set("querk.retry.max-backoff", r.getMaxBackoff(), rb::maxBackoff);
        if (r.getEscalationFactor() != null || r.getEscalationMaxLockTimeout() != null) {
            if (r.getEscalationFactor() == null || r.getEscalationMaxLockTimeout() == null) {
                throw new QuerkConfigException("querk.retry.escalation-factor and querk.retry.escalation-max-lock-timeout"
                        + " go together: set both to let the lock timeout grow per attempt, or neither.");
            }
            set("querk.retry.escalation-factor", r.getEscalationFactor(),
                    f -> rb.escalateLockTimeout(f, r.getEscalationMaxLockTimeout()));
        }
        built("querk.retry.*", () -> b.retryPolicy(rb.build()));

        QuerkProperties.Backfill f = p.getBackfill();
        BackfillSettings.Builder fb = BackfillSettings.custom();
        set("querk.backfill.batch-size", f.getBatchSize(), fb::batchSize);
        set("querk.backfill.pause", f.getPause(), fb::pause);
        set("querk.backfill.workers", f.getWorkers(), fb::workers);
        if (f.getTargetBatchTime() != null) {
            set("querk.backfill.target-batch-time", f.getTargetBatchTime(), fb::targetBatchTime);
        }
        set("querk.backfill.min-batch-size", f.getMinBatchSize(), fb::minBatchSize);
        set("querk.backfill.max-batch-size", f.getMaxBatchSize(), fb::maxBatchSize);
        set("querk.backfill.progress-interval", f.getProgressInterval(), fb::progressInterval);
        set("querk.backfill.max-dead-tuple-ratio", f.getMaxDeadTupleRatio(), fb::maxDeadTupleRatio);
        set("querk.backfill.vacuum", f.isVacuum(), fb::vacuum);
        set("querk.backfill.pause-while-vacuum-runs", f.isPauseWhileVacuumRuns(), fb::pauseWhileVacuumRuns);
        set("querk.backfill.max-replication-lag", f.getMaxReplicationLag().toBytes(), fb::maxReplicationLagBytes);
        set("querk.backfill.throttle-check-interval", f.getThrottleCheckInterval(), fb::throttleCheckInterval);
        set("querk.backfill.max-throttle-pause", f.getMaxThrottlePause(), fb::maxThrottlePause);
        built("querk.backfill.*", () -> b.backfill(fb.build()));
    }

    private static <T> void set(String property, T value, Consumer<T> setter) {
        built(property + "=" + value, () -> setter.accept(value));
    }

    private static void built(String what, Runnable step) {
        try {
            step.run();
        } catch (QuerkConfigException | io.querk.migration.MigrationDefinitionException e) {
            throw new QuerkConfigException(what + " refused: " + e.getMessage());
        }
    }

    /** A DataSource bean, or a URL of Querk's own. */
    static final class MigrationDataSourceCondition extends AnyNestedCondition {

        MigrationDataSourceCondition() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(DataSource.class)
        static final class DataSourceBean {
        }

        @ConditionalOnProperty(prefix = "querk.datasource", name = "url")
        static final class MigrationUrl {
        }
    }
}
