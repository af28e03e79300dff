package io.querk.review;

import io.querk.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a proposed index costs the writes on its table, and what building it costs.
 *
 * @param table               the table
 * @param inserts             rows inserted since the statistics were reset ({@code pg_stat_user_tables})
 * @param updates             rows updated since then
 * @param hotUpdates          of those, HOT updates (which wrote no index)
 * @param deletes             rows deleted since then
 * @param window              how long those counters cover
 * @param existingIndexes     the indexes the table has now; every INSERT and non-HOT UPDATE writes each
 * @param existingIndexBytes  their size together
 * @param estimatedSizeBytes  the new index's size: HypoPG's estimate when proven, else Querk's from {@code pg_stats}
 * @param sizeFromHypoPg      whether HypoPG estimated the size
 * @param estimatedBuildTime  a rough time for {@code CREATE INDEX CONCURRENTLY}: two scans of the table and a sort
 * @param newlyIndexedColumns the index's columns no existing index holds: an UPDATE that changes one of them
 *                            is no longer a HOT update once the index exists
 * @param updatedByStatements of those, the ones UPDATE statements recorded by {@code pg_stat_statements} set;
 *                            empty when none do or the extension is not installed
 * @param statementsKnown     whether {@code pg_stat_statements} was there to ask
 * @param setByReviewed       of the index's columns, those the reviewed statement itself sets (an UPDATE's
 *                            SET list): that UPDATE is no longer a HOT update once the index exists
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record WriteImpact(String table, long inserts, long updates, long hotUpdates, long deletes, Duration window,
                          List<String> existingIndexes, long existingIndexBytes, long estimatedSizeBytes,
                          boolean sizeFromHypoPg, Duration estimatedBuildTime, List<String> newlyIndexedColumns,
                          List<String> updatedByStatements, boolean statementsKnown, List<String> setByReviewed) {

    /**
     * Copies the lists.
     *
     * @param table               the table
     * @param inserts             rows inserted
     * @param updates             rows updated
     * @param hotUpdates          HOT updates
     * @param deletes             rows deleted
     * @param window              the counters' window
     * @param existingIndexes     the table's indexes
     * @param existingIndexBytes  their size
     * @param estimatedSizeBytes  the new index's size
     * @param sizeFromHypoPg      whether HypoPG estimated it
     * @param estimatedBuildTime  the build time
     * @param newlyIndexedColumns columns newly indexed
     * @param updatedByStatements of those, the ones recorded UPDATEs set
     * @param statementsKnown     whether pg_stat_statements answered
     * @param setByReviewed       of the index's columns, those the reviewed UPDATE sets
     */
    public WriteImpact {
        existingIndexes = List.copyOf(existingIndexes);
        newlyIndexedColumns = List.copyOf(newlyIndexedColumns);
        updatedByStatements = List.copyOf(updatedByStatements);
        setByReviewed = List.copyOf(setByReviewed);
    }

    /** @return rows written per second over the counters' window */
    public double writesPerSecond() {
        double s = window.toMillis() / 1000.0;
        return s <= 0 ? 0 : (inserts + updates + deletes) / s;
    }

    /** @return the share of updates that were HOT, 0 to 1, or NaN without updates */
    public double hotShare() {
        return updates == 0 ? Double.NaN : (double) hotUpdates / updates;
    }

    /** @return the impact as a few sentences, one a line */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%s takes %s rows written/s (%,d inserted, %,d updated%s, %,d deleted in %s of"
                        + " statistics)", table, rate(writesPerSecond()), inserts, updates,
                updates == 0 ? "" : String.format(Locale.ROOT, ", %.0f%% of them HOT", hotShare() * 100), deletes,
                duration(window)));
        out.add(existingIndexes.isEmpty() ? "it has no index yet; every INSERT and UPDATE will write this one"
                : String.format(Locale.ROOT, "it has %d index%s (%s; %s): every INSERT, and every UPDATE that is not HOT,"
                        + " writes each of them, and will write this one too", existingIndexes.size(),
                existingIndexes.size() == 1 ? "" : "es", String.join(", ", existingIndexes), bytes(existingIndexBytes)));
        out.add("the new index: about " + bytes(estimatedSizeBytes) + (sizeFromHypoPg ? " (HypoPG's estimate)" : " (estimated)")
                + "; CREATE INDEX CONCURRENTLY takes about " + duration(estimatedBuildTime)
                + " (rough: two scans of the table and a sort), blocking neither reads nor writes");
        if (newlyIndexedColumns.isEmpty()) {
            out.add("HOT updates: unchanged, every column it holds is indexed already");
        } else {
            String cols = String.join(", ", newlyIndexedColumns);
            String now = updates == 0 ? "" : String.format(Locale.ROOT, " (%.0f%% of updates are HOT now)", hotShare() * 100);
            String recorded = !statementsKnown ? "; whether your UPDATEs change " + (newlyIndexedColumns.size() == 1 ? "it" : "them")
                    + " is not known (pg_stat_statements is not installed)"
                    : updatedByStatements.isEmpty() ? "; no UPDATE recorded by pg_stat_statements sets "
                    + (newlyIndexedColumns.size() == 1 ? "it" : "them")
                    : "; UPDATEs recorded by pg_stat_statements set " + String.join(", ", updatedByStatements);
            out.add("HOT updates: " + cols + (newlyIndexedColumns.size() == 1 ? " is" : " are") + " not indexed yet, so an"
                    + " UPDATE that changes " + (newlyIndexedColumns.size() == 1 ? "it" : "one of them")
                    + " will no longer be a HOT update" + now + recorded);
        }
        if (!setByReviewed.isEmpty()) {
            out.add("the reviewed UPDATE sets " + String.join(", ", setByReviewed) + ", which the index holds: it will no"
                    + " longer be a HOT update, and each of its rows writes the index");
        }
        return out;
    }

    static String rate(double perSecond) {
        return perSecond >= 10 ? String.format(Locale.ROOT, "%,.0f", perSecond) : String.format(Locale.ROOT, "%.2f", perSecond);
    }

    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.0f MB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.0f kB", b / 1024.0);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s >= 7200) {
            return String.format(Locale.ROOT, "%.0f h", s / 3600.0);
        }
        if (s >= 120) {
            return String.format(Locale.ROOT, "%.0f min", s / 60.0);
        }
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
