package io.querk.internal.sql;

import io.querk.corpus.FragmentFuzz;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random fragments full of commas, semicolons, comments, quotes, dollar quotes and early
 * brackets: whatever the reader accepts, spliced into the statement Querk renders around it,
 * stays exactly that fragment, in its one place, in one statement. (What the server then makes of
 * it is the integration test's: querk-jdbc's FragmentFuzzIT runs every accepted fragment.)
 */
@ExtendWith(SeededRandomExtension.class)
class SqlFragmentsFuzzTest {

    private static final String BEFORE_VALUE = "UPDATE fuzz SET c = ";
    private static final String AFTER_VALUE = " WHERE id > 0";
    private static final String BEFORE_TYPE = "ALTER TABLE fuzz ADD COLUMN x ";

    @Test
    void anAcceptedValueStaysOneExpressionInItsPlace(SeededRandom random) {
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 5_000; i++) {
            String f = FragmentFuzz.value(random);
            if (SqlFragments.problem(f, SqlFragments.Role.EXPRESSION) != null) {
                refused++;
                continue;
            }
            accepted++;
            String sql = BEFORE_VALUE + f + AFTER_VALUE;
            assertEquals(1, SqlStatements.split(sql).size(), sql);
            List<Token> tokens = SqlLexer.tokenize(sql);
            List<Token> own = SqlLexer.tokenize(f);
            int start = SqlLexer.tokenize(BEFORE_VALUE).size();
            // The statement is the prefix, the fragment's own tokens, and the suffix: nothing merges across.
            assertEquals(texts(own), texts(tokens.subList(start, start + own.size())), sql);
            assertEquals(List.of("WHERE", "id", ">", "0"), texts(tokens.subList(start + own.size(), tokens.size())), sql);
            assertEquals(0, topLevelCommas(own), sql);
        }
        assertTrue(accepted > 200 && refused > 200, "the generator must exercise both sides: " + accepted + "/" + refused);
    }

    @Test
    void anAcceptedTypeIsOnlyAType(SeededRandom random) {
        int accepted = 0;
        for (int i = 0; i < 5_000; i++) {
            String f = FragmentFuzz.type(random);
            if (SqlFragments.problem(f, SqlFragments.Role.TYPE) != null) {
                continue;
            }
            accepted++;
            String sql = BEFORE_TYPE + f;
            assertEquals(1, SqlStatements.split(sql).size(), sql);
            int depth = 0;
            for (Token t : SqlLexer.tokenize(f)) {
                depth += t.is("(") || t.is("[") ? 1 : t.is(")") || t.is("]") ? -1 : 0;
                if (depth > 0 || t.is(")") || t.is("]")) {
                    continue; // modifiers and array sizes: numbers and names only, read by the grammar
                }
                assertTrue(t.type() != Token.Type.STRING && !t.is(",") && !t.is(";")
                        && !(t.type() == Token.Type.WORD && List.of("default", "not", "null", "generated", "check",
                        "references", "unique", "primary", "drop", "using").contains(t.folded())), "in " + f + ": " + t);
            }
        }
        assertTrue(accepted > 200, "accepted " + accepted);
    }

    private static List<String> texts(List<Token> tokens) {
        List<String> out = new ArrayList<>();
        tokens.forEach(t -> out.add(t.text()));
        return out;
    }

    private static int topLevelCommas(List<Token> tokens) {
        int depth = 0;
        int commas = 0;
        for (Token t : tokens) {
            depth += t.is("(") || t.is("[") ? 1 : t.is(")") || t.is("]") ? -1 : 0;
            commas += depth == 0 && t.is(",") ? 1 : 0;
        }
        return commas;
    }
}
