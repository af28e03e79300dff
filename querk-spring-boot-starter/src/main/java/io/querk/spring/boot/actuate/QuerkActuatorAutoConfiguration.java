package io.querk.spring.boot.actuate;

import io.querk.Api;
import io.querk.jdbc.Querk;
import io.querk.spring.boot.QuerkAutoConfiguration;
import io.querk.spring.boot.QuerkMigrationInitializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code /actuator/querk} endpoint and the {@code querk} health indicator, when the
 * application has Spring Boot's Actuator. Expose the endpoint over HTTP like any other
 * ({@code management.endpoints.web.exposure.include=health,querk}); the health indicator is on
 * unless {@code management.health.querk.enabled=false}.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
@AutoConfiguration(after = QuerkAutoConfiguration.class)
@ConditionalOnClass(Querk.class)
public final class QuerkActuatorAutoConfiguration {

    /** The endpoint, when Actuator's endpoint support is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
    @ConditionalOnAvailableEndpoint(QuerkEndpoint.class)
    static class Endpoint {

        @Bean
        @ConditionalOnBean(Querk.class)
        @ConditionalOnMissingBean
        QuerkEndpoint querkEndpoint(Querk querk, ObjectProvider<QuerkMigrationInitializer> initializer) {
            return new QuerkEndpoint(querk, initializer.getIfAvailable());
        }
    }

    /** The health indicator, when Spring Boot's health support is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
    @ConditionalOnEnabledHealthIndicator("querk")
    static class Health {

        @Bean
        @ConditionalOnBean(QuerkMigrationInitializer.class)
        @ConditionalOnMissingBean(name = "querkHealthIndicator")
        QuerkHealthIndicator querkHealthIndicator(QuerkMigrationInitializer initializer) {
            return new QuerkHealthIndicator(initializer);
        }
    }
}
