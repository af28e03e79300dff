package io.querk.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn querk:repair -Dquerk.migration=ID -Dquerk.url=...}: accepts the edited definition of an
 * applied migration whose edit changes nothing in the database (a comment, reformatted SQL).
 */
@Mojo(name = "repair", threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class RepairMojo extends OneMigrationMojo {

    /** Creates the goal; Maven calls it. */
    public RepairMojo() {
    }

    @Override
    void run() throws MojoExecutionException {
        int n = querk(null, false).repairChecksums(migration);
        getLog().info("querk: accepted the current definition of " + n + " applied phase(s) of " + migration);
    }
}
