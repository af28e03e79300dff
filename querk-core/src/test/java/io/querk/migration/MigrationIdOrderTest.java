package io.querk.migration;

import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SeededRandomExtension.class)
class MigrationIdOrderTest {

    private static final Comparator<String> ORDER = Migration.ID_ORDER;

    private static void assertBefore(String a, String b) {
        assertTrue(ORDER.compare(a, b) < 0, () -> a + " should sort before " + b);
        assertTrue(ORDER.compare(b, a) > 0, () -> b + " should sort after " + a);
    }

    @Test
    void comparesDigitRunsByValue() {
        assertBefore("V2", "V10");
        assertBefore("V9__add", "V10__drop");
        assertBefore("1", "2");
        assertBefore("99", "100");
    }

    @Test
    void datesSortByDate() {
        assertBefore("2026-11-02.a", "2026-11-23.a");
        assertBefore("2026-9-30.a", "2026-10-01.a");
        assertBefore("2025-12-31.z", "2026-01-01.a");
    }

    @Test
    void comparesOtherTextAsIs() {
        assertBefore("a", "b");
        assertBefore("V1.a", "V1.b");
        assertBefore("V1", "V1.a");
        assertBefore("A", "a");
    }

    @Test
    void leadingZerosCompareByValue() {
        assertBefore("V01", "V2");
        assertBefore("V2", "V010");
        assertBefore("V007.a", "V7.b");
    }

    @Test
    void leadingZerosTieBreakDeterministically() {
        int c = ORDER.compare("V01", "V1");
        assertNotEquals(0, c, "different ids never compare equal");
        assertEquals(-Integer.signum(c), Integer.signum(ORDER.compare("V1", "V01")));
        assertEquals(c, ORDER.compare("V01", "V1"));
        assertBefore("V001", "V01");
        assertBefore("V01", "V1");
    }

    @Test
    void equalIdsCompareEqual() {
        assertEquals(0, ORDER.compare("2026-11-23.x", "2026-11-23.x"));
        assertEquals(0, ORDER.compare("", ""));
    }

    @Test
    void orderIsTransitiveWithDigitsOfOtherScripts() {
        // Character.isDigit is true for Arabic-Indic digits; ids may contain them.
        String arabicThree = "V\u0663";     // V٣
        String letter = "Va";
        String oneArabicThree = "V1\u0663"; // V1٣
        assertTrue(ORDER.compare(oneArabicThree, letter) < 0);
        assertTrue(ORDER.compare(letter, arabicThree) < 0);
        assertTrue(ORDER.compare(oneArabicThree, arabicThree) < 0,
                "V1٣ < Va and Va < V٣, so V1٣ < V٣ must hold");
    }

    private static final String ALPHABET = "0000123456789abcVZ._- é";

    private static String randomId(SeededRandom random) {
        return random.string(ALPHABET, random.between(0, 8));
    }

    @Test
    void orderIsAntisymmetricAndConsistentWithEquals(SeededRandom random) {
        for (int i = 0; i < 20_000; i++) {
            String a = randomId(random);
            String b = random.chance(0.1) ? a : randomId(random);
            int ab = ORDER.compare(a, b);
            int ba = ORDER.compare(b, a);
            assertEquals(Integer.signum(ab), -Integer.signum(ba), () -> "'" + a + "' vs '" + b + "'");
            assertEquals(a.equals(b), ab == 0, () -> "'" + a + "' vs '" + b + "' compared " + ab);
        }
    }

    @Test
    void orderIsTransitive(SeededRandom random) {
        for (int round = 0; round < 200; round++) {
            List<String> ids = new ArrayList<>();
            int n = random.between(2, 40);
            for (int i = 0; i < n; i++) {
                ids.add(randomId(random));
            }
            ids.sort(ORDER);
            // A sorted list of a transitive order is ordered pairwise, not only neighbour to neighbour.
            for (int i = 0; i < ids.size(); i++) {
                for (int j = i + 1; j < ids.size(); j++) {
                    String a = ids.get(i);
                    String b = ids.get(j);
                    assertTrue(ORDER.compare(a, b) <= 0, () -> "'" + a + "' sorted before '" + b + "' in " + ids);
                }
            }
        }
    }

    @Test
    void orderIsTransitiveOnTriples(SeededRandom random) {
        for (int i = 0; i < 50_000; i++) {
            String a = randomId(random);
            String b = randomId(random);
            String c = randomId(random);
            if (ORDER.compare(a, b) <= 0 && ORDER.compare(b, c) <= 0) {
                assertTrue(ORDER.compare(a, c) <= 0, () -> "'" + a + "' <= '" + b + "' <= '" + c + "'");
            }
        }
    }
}
