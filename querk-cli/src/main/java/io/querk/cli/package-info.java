/**
 * The {@code querk} command line ({@link io.querk.cli.QuerkCli}). Its verbs are the engine's, the
 * planner's and the query review's public API; {@code io.querk.cli.internal} (the verbs' options and
 * reports, shared with the Maven plugin) is not API. An application, run on the class path from its
 * shaded jar: it has an {@code Automatic-Module-Name} ({@code io.querk.cli}) rather than a module
 * descriptor, like {@code querk-review}, whose module it reads.
 */
package io.querk.cli;
