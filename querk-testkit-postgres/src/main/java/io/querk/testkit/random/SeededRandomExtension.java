package io.querk.testkit.random;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Supplies a {@link SeededRandom} parameter and, when the test fails, adds the seed and the
 * way to replay it to the failure.
 *
 * <pre>{@code
 * @ExtendWith(SeededRandomExtension.class)
 * class QuotingTest {
 *     @Test
 *     void roundTrips(SeededRandom random) { ... }
 * }
 * }</pre>
 *
 * <p>The seed is fresh on every run unless {@value #SEED_PROPERTY} is set: run with
 * {@code -Dquerk.test.seed=<seed>} to replay a failure.
 */
public final class SeededRandomExtension implements ParameterResolver, TestExecutionExceptionHandler {

    /** System property that fixes the seed. */
    public static final String SEED_PROPERTY = "querk.test.seed";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SeededRandomExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == SeededRandom.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getStore(NS).getOrComputeIfAbsent("random", k -> new SeededRandom(seed()), SeededRandom.class);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext c, Throwable t) throws Throwable {
        SeededRandom r = c.getStore(NS).get("random", SeededRandom.class);
        if (r != null) {
            String msg = "Seeded test " + c.getDisplayName() + " failed with seed " + r.seed()
                    + "; replay it with -D" + SEED_PROPERTY + "=" + r.seed();
            System.err.println("[querk-testkit] " + msg);
            t.addSuppressed(new SeedReport(msg));
        }
        throw t;
    }

    private static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed != null && !fixed.isBlank()) {
            return Long.parseLong(fixed.strip());
        }
        return System.nanoTime() ^ Double.doubleToLongBits(Math.random());
    }

    /** Carries the seed on a failure; it has no stack trace because its message is all it says. */
    static final class SeedReport extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SeedReport(String message) {
            super(message, null, false, false);
        }
    }
}
