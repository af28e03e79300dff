package io.querk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How far you may rely on a public type of Querk: every type in an exported package carries it,
 * and the build checks both that and the API's signatures against a recorded baseline, so that a
 * change to the public API is always deliberate (see {@code CHANGELOG.md} and
 * {@code docs/decisions/0015-enforced-api-boundary.md}).
 *
 * <pre>{@code
 * @Api(status = Api.Status.STABLE, since = "0.1")
 * public final class Querk { ... }
 * }</pre>
 *
 * <p>Nested types share the status of the type they are declared in. Packages named
 * {@code internal} are not API at all: the module system hides them.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Api {

    /** @return how stable the type is */
    Status status();

    /** @return the Querk version that introduced the type in its current form, e.g. {@code "0.1"} */
    String since();

    /** The promise a public type comes with. */
    enum Status {
        /**
         * Kept compatible: before 1.0 it changes only in a minor release (0.x), listed in the
         * changelog with the way to adapt; from 1.0 only in a major release.
         */
        STABLE,
        /** New and still settling: it may change in any release, said in the changelog. */
        EXPERIMENTAL
    }
}
