package io.querk.migration;

import io.querk.Api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Supplies Java migrations to tools that find them on a class path: the Maven plugin, the
 * command-line tool, and the Spring Boot starter (as a bean). Implement it, and for the tools list
 * the class in {@code META-INF/services/io.querk.migration.MigrationProvider} (or
 * {@code provides io.querk.migration.MigrationProvider with ...} in a module descriptor):
 *
 * <pre>{@code
 * public final class ShopMigrations implements MigrationProvider {
 *     public ShopMigrations() { }           // ServiceLoader needs a public no-argument constructor
 *     public Collection<Migration> migrations() {
 *         return List.of(Migration.define("2026-12-01.orders-status").expand(e -> ...).build());
 *     }
 * }
 * }</pre>
 *
 * <p>Java migrations and SQL files ({@link SqlMigrations}) mix in one list, ordered by
 * {@link Migration#ID_ORDER}.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface MigrationProvider {

    /** @return the migrations, in any order */
    Collection<Migration> migrations();

    /**
     * Finds every provider registered for {@link ServiceLoader} and collects their migrations.
     *
     * @param classLoader where to look, e.g. a class loader over the application's classes and jars
     * @return every provider's migrations, in the order found; empty if none is registered
     * @throws MigrationDefinitionException if a provider cannot be loaded or fails, naming it
     */
    static List<Migration> loadAll(ClassLoader classLoader) {
        List<Migration> out = new ArrayList<>();
        List<ServiceLoader.Provider<MigrationProvider>> providers;
        try {
            providers = ServiceLoader.load(MigrationProvider.class, classLoader).stream().toList();
        } catch (ServiceConfigurationError e) {
            throw new MigrationDefinitionException("A migration provider listed in META-INF/services/"
                    + MigrationProvider.class.getName() + " cannot be loaded: " + e.getMessage()
                    + ". Check the class name and that it has a public no-argument constructor.");
        }
        for (ServiceLoader.Provider<MigrationProvider> p : providers) {
            String name = p.type().getName();
            Collection<Migration> found;
            try {
                found = p.get().migrations();
            } catch (MigrationDefinitionException e) {
                throw e;
            } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
                throw new MigrationDefinitionException("The migration provider " + name + " failed: " + e
                        + ". Fix it, or remove it from META-INF/services/" + MigrationProvider.class.getName() + ".");
            }
            if (found == null) {
                throw new MigrationDefinitionException("The migration provider " + name + " returned null; return"
                        + " an empty collection if it has no migrations.");
            }
            out.addAll(found);
        }
        return out;
    }
}
