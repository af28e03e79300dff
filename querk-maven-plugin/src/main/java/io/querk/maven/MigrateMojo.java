package io.querk.maven;

import io.querk.cli.internal.Reports;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn querk:migrate -Dquerk.url=...}: runs the pending expand and backfill phases and the
 * released contracts under the lock guard, after the plan of that work is accepted.
 */
@Mojo(name = "migrate", threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class MigrateMojo extends QuerkMojo {

    /** Releases the contract phases of migrations up to and including this id. */
    @Parameter(property = "querk.contractThrough")
    String contractThrough;

    /** Runs every phase, contract included, without a release: for tests and development. */
    @Parameter(property = "querk.allPhases", defaultValue = "false")
    boolean allPhases;

    /** Runs a migration new to the database that sorts before an applied one; refused by default. */
    @Parameter(property = "querk.outOfOrder", defaultValue = "false")
    boolean outOfOrder;

    /** Creates the goal; Maven calls it. */
    public MigrateMojo() {
    }

    @Override
    void run() throws MojoExecutionException {
        Querk querk = querk(contractThrough, outOfOrder);
        MigrationReport report = allPhases ? querk.migrateAllPhases() : querk.migrate();
        log("querk: " + Reports.runText(report).strip());
    }
}
