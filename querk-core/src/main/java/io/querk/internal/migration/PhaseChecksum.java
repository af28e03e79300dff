package io.querk.internal.migration;

import io.querk.internal.step.StepDefinition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The checksum of a phase: SHA-256 over the canonical text of the steps the user declared in
 * it. Implied steps are left out on purpose: they follow from declared ones, and a later Querk
 * version that renders them differently must not make applied migrations look edited.
 */
public final class PhaseChecksum {

    private static final String VERSION = "querk-checksum-v1";

    private PhaseChecksum() {
    }

    /** @return the checksum of one step, recorded with its history row */
    public static String ofStep(StepDefinition step) {
        return of(List.of(step));
    }

    /** @return the lower-case hex SHA-256 of the steps' canonical forms */
    public static String of(List<StepDefinition> declared) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(VERSION.getBytes(StandardCharsets.UTF_8));
            for (StepDefinition s : declared) {
                md.update((byte) '\n');
                md.update(s.canonical().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
