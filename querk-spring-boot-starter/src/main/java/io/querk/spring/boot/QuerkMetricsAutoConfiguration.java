package io.querk.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.querk.Api;
import io.querk.jdbc.Querk;
import io.querk.micrometer.QuerkMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for Querk ({@link QuerkMetrics}) when the application has a
 * {@link MeterRegistry} (Spring Boot's Actuator brings one). The listener is a bean, so
 * {@link QuerkAutoConfiguration} adds it to the configuration like any other
 * {@link io.querk.jdbc.event.QuerkListener}. {@code management.metrics.enable.querk=false} turns
 * the meters off.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
@AutoConfiguration(before = QuerkAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({Querk.class, MeterRegistry.class, QuerkMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
public final class QuerkMetricsAutoConfiguration {

    /**
     * @param registry the application's registry
     * @return the listener that records Querk's meters
     */
    @Bean
    @ConditionalOnMissingBean
    public QuerkMetrics querkMetrics(MeterRegistry registry) {
        return QuerkMetrics.bindTo(registry);
    }
}
