package io.querk.spring.boot;

import io.querk.Api;
import io.querk.jdbc.QuerkConfig;

/**
 * A bean that adjusts the configuration after the {@code querk.*} properties are applied and
 * before it is built: for what properties cannot say (a retry policy of one's own, a listener
 * with constructor arguments). Customizers run in {@link org.springframework.core.Ordered} order.
 *
 * <pre>{@code
 * @Bean
 * QuerkConfigCustomizer auditTrail(AuditLog audit) {
 *     return builder -> builder.listener(audit::record);
 * }
 * }</pre>
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface QuerkConfigCustomizer {

    /** @param builder the configuration, properties applied; {@code build()} is called after the last customizer */
    void customize(QuerkConfig.Builder builder);
}
