package io.querk.maven;

import io.querk.cli.internal.Reports;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn querk:abort -Dquerk.migration=ID -Dquerk.url=...}: undoes what a migration's expand
 * added, while its contract has not run, so that it can be fixed and run again.
 */
@Mojo(name = "abort", threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class AbortMojo extends OneMigrationMojo {

    /** Creates the goal; Maven calls it. */
    public AbortMojo() {
    }

    @Override
    void run() throws MojoExecutionException {
        log(Reports.abortText(querk(null, false).abort(migration)).stripTrailing());
    }
}
