package io.querk.spring.boot;

import io.querk.Api;
import io.querk.migration.Migration;

import java.util.Collection;

/**
 * A bean that supplies migrations, for applications that keep them in one list rather than as one
 * {@link Migration} bean each. The starter takes both kinds of bean, and the engine runs them in id
 * order whatever order they come in.
 *
 * <pre>{@code
 * @Bean
 * MigrationProvider logisticsMigrations() {
 *     return LogisticsMigrations::all;
 * }
 * }</pre>
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface MigrationProvider {

    /** @return the migrations, in any order */
    Collection<Migration> migrations();
}
