package io.querk.testkit;

import io.querk.Api;
import io.querk.jdbc.Blocker;
import io.querk.plan.LockMode;
import io.querk.testkit.trace.LockInterval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A stall as the application feels it: a contiguous stretch of time during which a step (all of
 * its sessions, parallel workers included) kept the application from reading, or writing, a table,
 * by waiting in the lock queue or by holding a lock, merged. A statement that queued 749 ms for
 * ACCESS EXCLUSIVE and then held it 598 ms is one stretch of 1,347 ms.
 *
 * @param number   its number in the report, from 1 in order of start (the timeline's {@code stretch-<n>})
 * @param step     the step, or null for a Querk session no step could be matched to
 * @param table    the table, schema-qualified as SQL names it
 * @param access   what it blocked
 * @param start    when it began
 * @param end      when it ended
 * @param locks    the lock intervals it is made of, in order of start
 * @param blockers the sessions the step waited behind during it, as the engine saw them
 * @param observed the longest latency of a traffic operation of that access on the table that was
 *                 in flight during the stretch: the independent probe's view, for cross-checking
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Stretch(int number, StepRun step, String table, Access access, Instant start, Instant end,
                      List<LockInterval> locks, List<Blocker> blockers, Optional<Duration> observed) {

    /**
     * Copies the lists.
     *
     * @param number   its number in the report
     * @param step     the step, or null
     * @param table    the table
     * @param access   what it blocked
     * @param start    when it began
     * @param end      when it ended
     * @param locks    its lock intervals
     * @param blockers who the step waited behind
     * @param observed the traffic's longest latency meanwhile
     */
    public Stretch {
        locks = List.copyOf(locks);
        blockers = List.copyOf(blockers);
    }

    /** What a stretch kept the application from doing. */
    public enum Access {
        /** Plain reads: only ACCESS EXCLUSIVE, held or queued, blocks them. */
        READS,
        /** Inserts, updates and deletes: SHARE and stronger block them. */
        WRITES;

        /** @return "reads of" or "writes to" */
        public String phrase() {
            return this == READS ? "reads of" : "writes to";
        }

        /**
         * @param mode a lock mode
         * @return true if the mode, held or waited for, blocks this access
         */
        public boolean blockedBy(LockMode mode) {
            return this == READS ? mode.blocksReads() : mode.blocksWrites();
        }
    }

    /** @return how long the application was kept waiting at a stretch */
    public Duration duration() {
        return Duration.between(start, end);
    }

    /** @return how much of the stretch the step spent queued for its lock rather than holding it */
    public Duration waited() {
        List<LockInterval> waits = locks.stream().filter(i -> !i.granted()).sorted(Comparator.comparing(LockInterval::start))
                .toList();
        Duration total = Duration.ZERO;
        Instant covered = null;
        for (LockInterval w : waits) {
            Instant from = covered == null || w.start().isAfter(covered) ? w.start() : covered;
            if (w.end().isAfter(from)) {
                total = total.plus(Duration.between(from, w.end()));
                covered = w.end();
            }
        }
        return total.compareTo(duration()) > 0 ? duration() : total;
    }

    /** @return the strongest mode among its locks */
    public LockMode mode() {
        return locks.stream().map(LockInterval::mode).max(Comparator.naturalOrder()).orElseThrow();
    }

    /** @return the sessions it is made of, leaders and workers, in order of first appearance */
    public List<Integer> pids() {
        List<Integer> out = new ArrayList<>();
        locks.forEach(i -> {
            if (!out.contains(i.pid())) {
                out.add(i.pid());
            }
        });
        return out;
    }

    /** @return the statement its first lock was seen under */
    public String query() {
        return locks.get(0).query();
    }

    /** @return true if any of its locks was read by the engine inside the transaction rather than sampled */
    public boolean captured() {
        return locks.stream().anyMatch(i -> i.source() == LockInterval.Source.CAPTURED);
    }
}
