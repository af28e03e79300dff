/**
 * The {@code querk} command line ({@link io.querk.cli.QuerkCli}). Its verbs are the engine's, the
 * planner's and the query review's public API; {@code io.querk.cli.internal} (the verbs' options
 * and reports, shared with the Maven plugin) is not API.
 */
module io.querk.cli {
    requires io.querk.jdbc;
    requires io.querk.review;
    requires info.picocli;
    requires org.postgresql.jdbc;
    requires java.naming;

    exports io.querk.cli;

    opens io.querk.cli.internal to info.picocli;
}
