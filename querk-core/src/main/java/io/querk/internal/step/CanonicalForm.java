package io.querk.internal.step;

/** Something with a canonical text that enters a checksum. */
public interface CanonicalForm {

    /** @return the canonical text; see {@link Canonical} */
    String canonical();
}
