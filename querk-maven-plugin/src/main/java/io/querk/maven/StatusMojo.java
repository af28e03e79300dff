package io.querk.maven;

import io.querk.cli.internal.Reports;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn querk:status -Dquerk.url=...}: where every phase of every migration stands in the database. */
@Mojo(name = "status", threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class StatusMojo extends QuerkMojo {

    /** Creates the goal; Maven calls it. */
    public StatusMojo() {
    }

    @Override
    void run() throws MojoExecutionException {
        log(Reports.statusText(querk(null, false).status()).stripTrailing());
    }
}
