package io.querk.testkit.postgres;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Locale;

/**
 * Gives each test method a fresh database on a real PostgreSQL, dropped after the test.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class ShipmentsMigrationIT {
 *     @Test
 *     void addsTheColumn(TestDatabase db) throws SQLException {
 *         try (Connection c = db.connect()) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>If no server can be had, the test fails with the reason; it is never skipped.
 */
public final class PostgresExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == TestDatabase.class || p.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        PostgresServer server;
        try {
            server = PostgresServer.shared();
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        if (p.getParameter().getType() == PostgresServer.class) {
            return server;
        }
        return c.getStore(NS).getOrComputeIfAbsent("db", k -> server.createDatabase(hint(c)), TestDatabase.class);
    }

    @Override
    public void afterEach(ExtensionContext c) {
        TestDatabase db = c.getStore(NS).remove("db", TestDatabase.class);
        if (db != null) {
            db.close();
        }
    }

    private static String hint(ExtensionContext c) {
        String s = c.getRequiredTestClass().getSimpleName() + "_" + c.getRequiredTestMethod().getName();
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }
}
