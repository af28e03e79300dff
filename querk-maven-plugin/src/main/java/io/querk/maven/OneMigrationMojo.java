package io.querk.maven;

import org.apache.maven.plugins.annotations.Parameter;

/** The goals about one migration: abort and repair. */
abstract class OneMigrationMojo extends QuerkMojo {

    /** The migration's id (a SQL file's version). */
    @Parameter(property = "querk.migration", required = true)
    String migration;
}
