package io.querk.maven;

import io.querk.cli.internal.Workspace;
import io.querk.review.HypotheticalIndexes;
import io.querk.review.QueryReview;
import io.querk.review.QueryReviewReport;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * {@code mvn querk:review -Dquerk.query="SELECT ..." -Dquerk.url=...}: Querk's query review of one
 * slow query, read-only: findings, index proposals with their write-path impact and verification,
 * printed to the log and written as {@code review.md} and {@code review.json} to {@code target/querk}.
 */
@Mojo(name = "review", threadSafe = true, requiresProject = false)
public class ReviewMojo extends QuerkMojo {

    /** The query to review. */
    @Parameter(property = "querk.query")
    String query;

    /** A file holding the query, instead of {@code querk.query}. */
    @Parameter(property = "querk.queryFile")
    File queryFile;

    /** {@code AUTO}, {@code REQUIRE} or {@code OFF}: prove the proposals with HypoPG. */
    @Parameter(property = "querk.hypotheticalIndexes", defaultValue = "AUTO")
    HypotheticalIndexes hypotheticalIndexes;

    /** Where review.md and review.json go. */
    @Parameter(property = "querk.outputDirectory", defaultValue = "${project.build.directory}/querk")
    File outputDirectory;

    /** Creates the goal; Maven calls it. */
    public ReviewMojo() {
    }

    @Override
    void run() throws MojoExecutionException {
        if ((query == null || query.isBlank()) == (queryFile == null)) {
            throw new MojoExecutionException("Give the query to review as -Dquerk.query=\"SELECT ...\" or"
                    + " -Dquerk.queryFile=slow.sql (one of them).");
        }
        try {
            String sql = query != null && !query.isBlank() ? query : Files.readString(queryFile.toPath(), StandardCharsets.UTF_8);
            QueryReviewReport r = QueryReview.of(sql).hypotheticalIndexes(hypotheticalIndexes).build()
                    .run(Workspace.dataSource(url, user, password));
            log(r.toText().stripTrailing());
            Files.createDirectories(outputDirectory.toPath());
            Files.writeString(outputDirectory.toPath().resolve("review.md"), r.toMarkdown(), StandardCharsets.UTF_8);
            Files.writeString(outputDirectory.toPath().resolve("review.json"), r.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not read the query or write the review: " + e.getMessage(), e);
        }
    }
}
