package io.querk.internal.step;

import io.querk.internal.sql.Token;

import java.util.List;

/**
 * The few facts about a raw statement the engine needs before the safety planner runs:
 * whether it removes something and whether it can run inside a transaction block.
 */
public final class RawSqlShapes {

    private RawSqlShapes() {
    }

    public static boolean isDestructive(List<Token> t) {
        if (t.isEmpty()) {
            return false;
        }
        if (t.get(0).isWord("drop") || t.get(0).isWord("truncate")) {
            return true;
        }
        if (t.get(0).isWord("alter")) {
            for (int i = 1; i < t.size(); i++) {
                Token k = t.get(i);
                if (k.isWord("rename")) {
                    return true;
                }
                // ALTER TABLE ... DROP [COLUMN|CONSTRAINT] removes; DROP DEFAULT / DROP NOT NULL do not.
                if (k.isWord("drop") && i + 1 < t.size()) {
                    Token next = t.get(i + 1);
                    if (!next.isWord("default") && !next.isWord("not") && !next.isWord("identity")
                            && !next.isWord("expression")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public static boolean cannotRunInTransaction(List<Token> t) {
        if (t.isEmpty()) {
            return false;
        }
        Token first = t.get(0);
        boolean onDatabase = t.size() > 1 && t.get(1).isWord("database");
        if (first.isWord("vacuum") || (first.isWord("create") || first.isWord("drop")) && onDatabase) {
            return true;
        }
        if (first.isWord("alter") && t.size() > 2 && t.get(1).isWord("system")) {
            return true;
        }
        for (Token k : t) {
            if (k.isWord("concurrently")) {
                return true;
            }
        }
        return false;
    }
}
