package io.querk.testkit.random;

import java.util.List;
import java.util.Random;

/**
 * A {@link Random} whose seed is known, so that a property-based test that fails can be
 * replayed exactly. Obtain one through {@link SeededRandomExtension}, which prints the seed
 * when the test fails.
 */
public final class SeededRandom extends Random {

    private static final long serialVersionUID = 1L;

    /** The seed, kept to be printed when a test fails. */
    private final long seed;

    /** @param seed the seed */
    public SeededRandom(long seed) {
        super(seed);
        this.seed = seed;
    }

    /** @return the seed this generator started from */
    public long seed() {
        return seed;
    }

    /**
     * @param min the smallest value
     * @param max the largest value, at least {@code min}
     * @return an int in [min, max], both inclusive
     */
    public int between(int min, int max) {
        return min + nextInt(max - min + 1);
    }

    /**
     * @param probability from 0.0 (never) to 1.0 (always)
     * @return true with the given probability
     */
    public boolean chance(double probability) {
        return nextDouble() < probability;
    }

    /**
     * @param <T>     the element type
     * @param options a non-empty list
     * @return one element of the list, each equally likely
     */
    public <T> T pick(List<T> options) {
        return options.get(nextInt(options.size()));
    }

    /**
     * @param alphabet the characters to draw from, non-empty
     * @param length   the length of the result
     * @return a string of the given length from the given alphabet
     */
    public String string(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
