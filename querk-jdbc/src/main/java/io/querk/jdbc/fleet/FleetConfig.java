package io.querk.jdbc.fleet;

import io.querk.Api;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.QuerkConfigException;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How to run a fleet: its targets, how many run at once, and what a failure does. A value: make
 * one with {@link #custom()}; the builder checks it before anything touches a database.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class FleetConfig {

    /**
     * Targets running at once by default: enough to finish a few dozen small databases quickly,
     * few enough that a migration broken everywhere (with {@link FailurePolicy#STOP}) reaches few.
     */
    public static final int DEFAULT_PARALLELISM = 4;
    /** Upper bound of {@link Builder#parallelism}: each running target holds two connections. */
    public static final int MAX_PARALLELISM = 256;
    /** The default failure policy: stop starting targets after the first failure. */
    public static final FailurePolicy DEFAULT_FAILURE_POLICY = FailurePolicy.STOP;

    private final List<FleetTarget> targets;
    private final int parallelism;
    private final FailurePolicy onFailure;

    private FleetConfig(Builder b) {
        this.targets = List.copyOf(b.targets);
        this.parallelism = b.parallelism;
        this.onFailure = b.onFailure;
    }

    /** @return a builder with the defaults */
    public static Builder custom() {
        return new Builder();
    }

    /** @return the targets, in the order given; they start in this order */
    public List<FleetTarget> targets() {
        return targets;
    }

    /** @return how many targets run at once */
    public int parallelism() {
        return parallelism;
    }

    /** @return what a failure does */
    public FailurePolicy onFailure() {
        return onFailure;
    }

    @Override
    public String toString() {
        return "FleetConfig[targets=" + targets.size() + ", parallelism=" + parallelism + ", onFailure=" + onFailure + "]";
    }

    /** Builds a {@link FleetConfig}; every setter checks its argument. */
    public static final class Builder {
        private final List<FleetTarget> targets = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private int parallelism = DEFAULT_PARALLELISM;
        private FailurePolicy onFailure = DEFAULT_FAILURE_POLICY;

        private Builder() {
        }

        /**
         * @param name   the target's name in the report; unique
         * @param config how to run it
         * @return this builder
         */
        public Builder target(String name, QuerkConfig config) {
            if (name == null || name.isBlank()) {
                throw new QuerkConfigException("A fleet target needs a name, got " + (name == null ? "null" : "'" + name + "'")
                        + ".");
            }
            if (config == null) {
                throw new QuerkConfigException("Fleet target '" + name + "' needs a QuerkConfig, got null.");
            }
            if (!names.add(name)) {
                throw new QuerkConfigException("Two fleet targets are named '" + name + "'; give each its own name.");
            }
            targets.add(new FleetTarget(name, config));
            return this;
        }

        /**
         * One target per DataSource, each configured by {@code config}:
         * {@code targets(tenants, ds -> QuerkConfig.custom().dataSource(ds).migrations(all).build())}.
         *
         * @param dataSources the databases by name, in the map's order
         * @param config      the configuration of the target with that DataSource
         * @return this builder
         */
        public Builder targets(Map<String, ? extends DataSource> dataSources,
                               Function<? super DataSource, QuerkConfig> config) {
            if (dataSources == null || config == null) {
                throw new QuerkConfigException("targets(dataSources, config) needs both, got "
                        + (dataSources == null ? "no dataSources" : "no config function") + ".");
            }
            dataSources.forEach((name, ds) -> target(name, config.apply(ds)));
            return this;
        }

        /**
         * @param n how many targets run at once, 1 to {@link #MAX_PARALLELISM}
         * @return this builder
         */
        public Builder parallelism(int n) {
            if (n < 1 || n > MAX_PARALLELISM) {
                throw new QuerkConfigException("parallelism must be between 1 and " + MAX_PARALLELISM + ", got " + n
                        + ". Each running target holds two connections to its database.");
            }
            this.parallelism = n;
            return this;
        }

        /**
         * @param policy what a failure does
         * @return this builder
         */
        public Builder onFailure(FailurePolicy policy) {
            if (policy == null) {
                throw new QuerkConfigException("onFailure must not be null.");
            }
            this.onFailure = policy;
            return this;
        }

        /** @return the configuration; a fleet needs at least one target */
        public FleetConfig build() {
            if (targets.isEmpty()) {
                throw new QuerkConfigException("A fleet needs at least one target: target(name, config) or"
                        + " targets(dataSources, base).");
            }
            return new FleetConfig(this);
        }
    }
}
