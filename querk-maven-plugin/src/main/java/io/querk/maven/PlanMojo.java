package io.querk.maven;

import io.querk.cli.internal.Workspace;
import io.querk.jdbc.Baseline;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import io.querk.plan.MigrationPlans;
import io.querk.plan.Planner;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * {@code mvn querk:plan}: plans the project's migrations offline for each server version (or, with
 * {@code querk.url}, the pending work of that database) and writes {@code plan.txt}, {@code plan.md}
 * (for a pull-request comment) and {@code plan.json} (an array of {@code querk-plan/1} plans) to
 * {@code target/querk}. A refused step is shown, not failed on: {@code querk:check} does that.
 */
@Mojo(name = "plan", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class PlanMojo extends QuerkMojo {

    /** The PostgreSQL major versions to plan for, e.g. {@code 14,18}. Default: every supported one. */
    @Parameter(property = "querk.serverVersions")
    List<Integer> serverVersions = new ArrayList<>();

    /** Where the plan files go. */
    @Parameter(property = "querk.outputDirectory", defaultValue = "${project.build.directory}/querk")
    File outputDirectory;

    /** Creates the goal; Maven calls it. */
    public PlanMojo() {
    }

    /** @return the plans the goal is about: offline for each version, or of the database at {@code url} */
    MigrationPlans plans() throws MojoExecutionException {
        List<Migration> all = migrations();
        if (url != null && !url.isBlank()) {
            QuerkConfig.Builder b = QuerkConfig.custom().dataSource(Workspace.dataSource(url, user, password))
                    .migrations(all);
            if (baseline != null && !baseline.isBlank()) {
                b.baseline(Baseline.parse(baseline));
            }
            return new MigrationPlans(List.of(Querk.create(b.build()).plan()));
        }
        List<Integer> versions = serverVersions.isEmpty()
                ? IntStream.rangeClosed(Planner.OLDEST_SUPPORTED, Planner.NEWEST_KNOWN).boxed().toList() : serverVersions;
        return MigrationPlans.of(Workspace.afterBaseline(all, baseline), versions);
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        MigrationPlans plans = plans();
        Path dir = outputDirectory.toPath();
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("plan.txt"), plans.toText(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("plan.md"), plans.toMarkdown(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("plan.json"), plans.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not write the plan to " + dir + ": " + e.getMessage(), e);
        }
        int steps = plans.plans().get(0).steps().size();
        long refused = plans.refusals().stream().map(r -> r.migrationId() + r.where()).distinct().count();
        getLog().info("querk: planned " + steps + (steps == 1 ? " step" : " steps") + " on PostgreSQL "
                + String.join(", ", plans.plans().stream().map(p -> String.valueOf(p.serverMajor())).toList()) + ": "
                + (refused == 0 ? "none refused" : refused + " REFUSED (querk:check fails on them)"));
        getLog().info("querk: wrote " + dir.resolve("plan.md") + " (for a pull request), plan.txt and plan.json");
    }
}
