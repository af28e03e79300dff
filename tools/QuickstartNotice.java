/**
 * The Quick start's first line: mvn -q hides Maven's own output, and on a first run the sample
 * starts only after the modules it needs are compiled and their dependencies downloaded. Run by
 * the root pom's run-sample profile at the start of the build (java's source-file mode, JDK only).
 */
public class QuickstartNotice {
    public static void main(String[] args) {
        System.out.println("Querk sample: compiling querk-core, querk-jdbc and the sample, then starting an embedded"
                + " PostgreSQL " + (args.length > 0 ? args[0] : "") + ".");
        System.out.println("  A first run also downloads the build plugins, the JDBC driver and the PostgreSQL binaries"
                + " from Maven Central (see docs/benchmarks.md, Quick start); later runs start in seconds.");
        System.out.flush();
    }
}
