package io.querk.corpus;

import io.querk.migration.Phase;
import io.querk.plan.LockMode;
import io.querk.plan.TableEffect;
import io.querk.plan.TableFacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The raw-SQL safety corpus ({@value #RESOURCE}): the fixture that the statements run against,
 * what a live database reports about it, and each statement with its expected verdict. The
 * file itself documents its format. Shared with the integration tests of other modules through
 * querk-core's test-jar.
 *
 * @param fixtureSql the SQL creating the fixture, statements separated by ';'
 * @param facts      live facts per table, by catalog name ({@code t}, {@code app.accounts}, {@code Order Items})
 * @param entries    the statements and their verdicts, in file order
 */
public record Corpus(String fixtureSql, Map<String, TableFacts> facts, List<Entry> entries) {

    /** Where the corpus lives on the test class path. */
    public static final String RESOURCE = "/io/querk/plan/raw-sql-corpus.txt";

    public Corpus {
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        entries = List.copyOf(entries);
    }

    /**
     * One statement and the verdict expected for it.
     *
     * @param id             unique, stable name
     * @param phase          where the raw step sits
     * @param minVersion     lowest PostgreSQL major version the verdict holds for
     * @param maxVersion     highest PostgreSQL major version the verdict holds for
     * @param sql            the statement
     * @param locks          the strongest lock per relation, relation as the statement writes it
     * @param effect         the effect on the table
     * @param hazards        the hazard codes expected
     * @param mustRunAlone   whether it cannot run inside a transaction block
     * @param runnable       whether it can run on the fixture on every version of its range
     * @param online         whether the analysis gets the corpus facts (else it is offline)
     * @param newRelfilenode whether the tables among {@code locks} get a new relfilenode
     * @param note           why, or empty
     * @param line           where the entry starts in the file, for messages
     */
    public record Entry(String id, Phase phase, int minVersion, int maxVersion, String sql,
                        Map<String, LockMode> locks, TableEffect effect, Set<String> hazards,
                        boolean mustRunAlone, boolean runnable, boolean online, boolean newRelfilenode,
                        String note, int line) {
        public Entry {
            locks = Collections.unmodifiableMap(new LinkedHashMap<>(locks));
            hazards = Collections.unmodifiableSet(new LinkedHashSet<>(hazards));
        }

        /** @return true if the verdict holds on {@code major} */
        public boolean appliesTo(int major) {
            return major >= minVersion && major <= maxVersion;
        }
    }

    /** Reads the corpus from the class path. */
    public static Corpus load() {
        try (InputStream in = Corpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The corpus " + RESOURCE + " is not on the class path.");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the facts about {@code table}, by catalog name, as the analyzer's facts function wants them */
    public Optional<TableFacts> factsFor(String table) {
        TableFacts f = facts.get(table);
        if (f == null && table.startsWith("public.")) {
            f = facts.get(table.substring("public.".length()));
        }
        return Optional.ofNullable(f);
    }

    /** @return the facts function an entry's analysis gets: the corpus facts online, nothing offline */
    public Function<String, Optional<TableFacts>> factsFunction(Entry e) {
        return e.online() ? this::factsFor : table -> Optional.empty();
    }

    /**
     * Parses corpus text.
     *
     * @throws IllegalArgumentException naming the line of the first malformed part
     */
    public static Corpus parse(String text) {
        return new Parser(text).parse();
    }

    private static final class Parser {
        private final String[] lines;
        private final StringBuilder fixture = new StringBuilder();
        private final Map<String, TableFacts> facts = new LinkedHashMap<>();
        private final List<Entry> entries = new ArrayList<>();
        private Map<String, String> block;
        private int blockLine;

        Parser(String text) {
            this.lines = text.split("\r?\n", -1);
        }

        Corpus parse() {
            String section = "";
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                int lineNo = i + 1;
                String trimmed = line.strip();
                if (trimmed.startsWith("== ") && trimmed.endsWith(" ==")) {
                    flush();
                    section = trimmed.substring(3, trimmed.length() - 3).strip();
                    continue;
                }
                switch (section) {
                    case "fixture" -> {
                        if (!trimmed.startsWith("#")) {
                            fixture.append(line).append('\n');
                        }
                    }
                    case "facts" -> {
                        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                            factsLine(trimmed, lineNo);
                        }
                    }
                    case "entries" -> entryLine(trimmed, lineNo);
                    default -> {
                        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                            throw bad(lineNo, "text outside any section");
                        }
                    }
                }
            }
            flush();
            return new Corpus(fixture.toString().strip(), facts, entries);
        }

        private void factsLine(String line, int lineNo) {
            String[] f = line.split("\\|", -1);
            if (f.length != 4) {
                throw bad(lineNo, "a facts line needs 4 fields separated by '|'");
            }
            String table = f[0].strip();
            long rows = Long.parseLong(f[1].strip());
            Set<String> proven = new LinkedHashSet<>();
            if (!f[2].strip().equals("-")) {
                for (String c : f[2].split(",")) {
                    proven.add(c.strip());
                }
            }
            Map<String, String> types = new LinkedHashMap<>();
            for (String pair : f[3].split(";")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw bad(lineNo, "column types are column=type pairs: '" + pair.strip() + "'");
                }
                types.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            facts.put(table, new TableFacts(table, rows, 0, 0, 0, types, proven));
        }

        private void entryLine(String line, int lineNo) {
            if (line.isEmpty()) {
                flush();
                return;
            }
            if (line.startsWith("#")) {
                return;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw bad(lineNo, "expected 'key: value'");
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("id")) {
                flush();
                block = new LinkedHashMap<>();
                blockLine = lineNo;
            } else if (block == null) {
                throw bad(lineNo, "an entry must start with 'id:'");
            }
            if (block.put(key, value) != null) {
                throw bad(lineNo, "'" + key + "' given twice");
            }
        }

        private void flush() {
            if (block == null) {
                return;
            }
            Map<String, String> b = block;
            block = null;
            for (String required : List.of("id", "phase", "versions", "facts", "runnable", "sql", "locks", "effect",
                    "hazards", "alone")) {
                if (!b.containsKey(required)) {
                    throw bad(blockLine, "entry " + b.get("id") + " has no '" + required + "'");
                }
            }
            String[] versions = b.get("versions").split("\\.\\.");
            if (versions.length != 2) {
                throw bad(blockLine, "versions must be min..max: " + b.get("versions"));
            }
            TableEffect effect = TableEffect.valueOf(b.get("effect"));
            boolean newFile = b.containsKey("relfilenode") ? yes(b.get("relfilenode"), "new", "same")
                    : effect == TableEffect.REWRITE;
            entries.add(new Entry(b.get("id"), Phase.of(b.get("phase")), Integer.parseInt(versions[0].strip()),
                    Integer.parseInt(versions[1].strip()), b.get("sql"), locks(b.get("locks")), effect,
                    hazards(b.get("hazards")), yes(b.get("alone"), "yes", "no"), yes(b.get("runnable"), "yes", "no"),
                    yes(b.get("facts"), "online", "offline"), newFile, b.getOrDefault("note", ""), blockLine));
        }

        private boolean yes(String value, String yes, String no) {
            if (value.equalsIgnoreCase(yes)) {
                return true;
            }
            if (value.equalsIgnoreCase(no)) {
                return false;
            }
            throw bad(blockLine, "expected " + yes + " or " + no + ", not '" + value + "'");
        }

        private Map<String, LockMode> locks(String value) {
            Map<String, LockMode> locks = new LinkedHashMap<>();
            if (value.equals("-")) {
                return locks;
            }
            for (String item : splitOutsideQuotes(value)) {
                int eq = item.lastIndexOf('=');
                if (eq < 0) {
                    throw bad(blockLine, "a lock is relation=MODE: '" + item + "'");
                }
                String mode = item.substring(eq + 1).strip().toUpperCase(Locale.ROOT);
                locks.put(item.substring(0, eq).strip(), LockMode.valueOf(mode));
            }
            return locks;
        }

        private static Set<String> hazards(String value) {
            Set<String> codes = new LinkedHashSet<>();
            if (!value.equals("-")) {
                for (String c : value.split(",")) {
                    codes.add(c.strip());
                }
            }
            return codes;
        }

        /** Splits at commas that are not inside a double-quoted name. */
        private static List<String> splitOutsideQuotes(String value) {
            List<String> parts = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (char ch : value.toCharArray()) {
                if (ch == '"') {
                    quoted = !quoted;
                }
                if (ch == ',' && !quoted) {
                    parts.add(cur.toString().strip());
                    cur.setLength(0);
                } else {
                    cur.append(ch);
                }
            }
            parts.add(cur.toString().strip());
            return parts;
        }

        private static IllegalArgumentException bad(int line, String why) {
            return new IllegalArgumentException("Corpus line " + line + ": " + why);
        }
    }
}
