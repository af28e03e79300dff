package io.querk.jdbc.internal.store;

import java.util.List;

/**
 * One contiguous key range of a backfill, walked by one worker at a time: the keys in
 * {@code (lower, upper]}, each bound absent at the table's ends.
 *
 * @param rangeNo     its number within the step, from 1
 * @param lower       the exclusive lower bound, or null from the first key
 * @param upper       the inclusive upper bound, or null to the last key
 * @param cursor      the last key a committed batch reached, or null before the first batch
 * @param rowsUpdated rows changed in this range so far
 * @param rowsScanned rows walked in this range so far
 * @param done        true once the walk reached the range's end
 */
public record RangeRecord(int rangeNo, List<String> lower, List<String> upper, List<String> cursor, long rowsUpdated,
                          long rowsScanned, boolean done) {

    /** @return where the next batch starts: after the cursor, or after the lower bound */
    public List<String> from() {
        return cursor != null ? cursor : lower;
    }
}
