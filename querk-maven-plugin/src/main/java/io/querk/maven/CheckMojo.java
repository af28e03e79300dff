package io.querk.maven;

import io.querk.plan.MigrationPlans;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn querk:check}: fails the build when the safety planner refuses a step on any server
 * version, naming the migration, the file and line, the hazard, what to write instead and the
 * override marker that accepts it with a reason. Bind it to {@code verify} to check every build.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class CheckMojo extends PlanMojo {

    /** Creates the goal; Maven calls it. */
    public CheckMojo() {
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        MigrationPlans plans = plans();
        int steps = plans.plans().get(0).steps().size();
        String versions = String.join(", ", plans.plans().stream().map(p -> String.valueOf(p.serverMajor())).toList());
        if (plans.refused()) {
            plans.requireAccepted(); // throws with every refusal, its fix and its override; execute() reports it
        }
        getLog().info("querk: " + steps + (steps == 1 ? " step" : " steps") + " on PostgreSQL " + versions
                + ": none refused");
    }
}
