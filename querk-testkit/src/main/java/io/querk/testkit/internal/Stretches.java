package io.querk.testkit.internal;

import io.querk.jdbc.Blocker;
import io.querk.jdbc.event.LockWaiting;
import io.querk.jdbc.event.StepRetrying;
import io.querk.testkit.StepRun;
import io.querk.testkit.Stretch;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.TrafficOp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns lock intervals into stretches: per step run, table and access, every interval whose mode
 * blocks that access, from any of the step's sessions, merged where they touch or overlap. A wait
 * that turns into a hold is one stretch, since the sampled wait ends exactly where the hold begins;
 * a parallel worker's lock lies within its leader's.
 */
public final class Stretches {

    /** Intervals closer than this are one stretch: the rounding of two estimates, not a gap the application could use. */
    static final Duration TOUCHING = Duration.ofMillis(1);
    /** A blocker reported this long after a stretch ended still belongs to it: the engine looks at intervals of 25 ms or more. */
    static final Duration BLOCKER_SLACK = Duration.ofMillis(100);

    private Stretches() {
    }

    /**
     * @param locks  every lock interval
     * @param stepOf the step of an interval, or null
     * @param ops    the traffic, for each stretch's observed latency
     * @return every stretch, numbered from 1 in order of start
     */
    public static List<Stretch> of(List<LockInterval> locks, Function<LockInterval, StepRun> stepOf, List<TrafficOp> ops) {
        record Key(StepRun step, String session, String table, Stretch.Access access) {
        }
        Map<Key, List<LockInterval>> groups = new LinkedHashMap<>();
        for (LockInterval i : locks) {
            StepRun step = stepOf.apply(i);
            for (Stretch.Access a : Stretch.Access.values()) {
                if (a.blockedBy(i.mode())) {
                    groups.computeIfAbsent(new Key(step, step == null ? i.application() : null, i.relation(), a),
                            k -> new ArrayList<>()).add(i);
                }
            }
        }
        record Raw(StepRun step, String table, Stretch.Access access, Instant start, Instant end, List<LockInterval> parts) {
        }
        List<Raw> raw = new ArrayList<>();
        groups.forEach((k, list) -> {
            list.sort(Comparator.comparing(LockInterval::start));
            List<LockInterval> parts = new ArrayList<>();
            Instant start = null;
            Instant end = null;
            for (LockInterval i : list) {
                if (start != null && i.start().isAfter(end.plus(TOUCHING))) {
                    raw.add(new Raw(k.step(), k.table(), k.access(), start, end, parts));
                    parts = new ArrayList<>();
                    start = null;
                }
                if (start == null) {
                    start = i.start();
                    end = i.end();
                }
                parts.add(i);
                if (i.end().isAfter(end)) {
                    end = i.end();
                }
            }
            raw.add(new Raw(k.step(), k.table(), k.access(), start, end, parts));
        });
        raw.sort(Comparator.comparing(Raw::start).thenComparing(r -> r.access().ordinal()));
        List<Stretch> out = new ArrayList<>();
        for (Raw r : raw) {
            out.add(new Stretch(out.size() + 1, r.step(), r.table(), r.access(), r.start(), r.end(), r.parts(),
                    r.step() == null ? List.of() : blockers(r.step(), r.start(), r.end()),
                    observed(ops, r.table(), r.access(), r.start(), r.end())));
        }
        return out;
    }

    /** The sessions the engine saw in the step's way during the stretch, one per pid, the latest sighting. */
    static List<Blocker> blockers(StepRun step, Instant from, Instant to) {
        Map<Integer, Blocker> byPid = new LinkedHashMap<>();
        Instant until = to.plus(BLOCKER_SLACK);
        for (LockWaiting w : step.waits()) {
            if (!w.at().isBefore(from) && !w.at().isAfter(until)) {
                w.blockers().forEach(b -> byPid.put(b.pid(), b));
            }
        }
        for (StepRetrying r : step.retries()) {
            if (!r.at().isBefore(from) && !r.at().isAfter(until)) {
                r.blockers().forEach(b -> byPid.putIfAbsent(b.pid(), b));
            }
        }
        return List.copyOf(byPid.values());
    }

    static Optional<Duration> observed(List<TrafficOp> ops, String table, Stretch.Access access, Instant from, Instant to) {
        TrafficOp.Kind kind = access == Stretch.Access.READS ? TrafficOp.Kind.READ : TrafficOp.Kind.WRITE;
        return ops.stream().filter(o -> o.kind() == kind && o.touches(table) && !o.end().isBefore(from)
                        && !o.start().isAfter(to)).map(TrafficOp::latency).filter(Objects::nonNull)
                .max(Comparator.naturalOrder());
    }
}
