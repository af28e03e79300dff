import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one Querk module, written as text and checked against the baseline recorded
 * in the repository, so that no change to it goes unnoticed: run by every library module's build
 * (see the root pom, {@code api-baseline}), and by hand to record a deliberate change.
 *
 * <pre>
 * java -cp CLASSPATH tools/ApiBaseline.java check  MODULE/target/classes MODULE/api/MODULE.api
 * java -cp CLASSPATH tools/ApiBaseline.java update MODULE/target/classes MODULE/api/MODULE.api
 * </pre>
 *
 * The API is every public or protected member of every public type outside the {@code internal}
 * packages, with its generic signature; member order does not matter, so members are sorted.
 * Each top-level type must also carry {@code io.querk.Api}. A removed or changed line breaks
 * users' builds (binary or source compatibility); an added line does not, but is recorded too.
 * Kept a plain Java program (JDK only) so that no module depends on it.
 */
public class ApiBaseline {

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !Set.of("check", "update").contains(args[0])) {
            System.err.println("usage: ApiBaseline check|update CLASSES_DIR BASELINE_FILE");
            System.exit(2);
        }
        Path classes = Path.of(args[1]);
        Path baseline = Path.of(args[2]);
        List<String> problems = new ArrayList<>();
        List<String> now = dump(classes, problems);
        if (!problems.isEmpty()) {
            System.err.println("[api] public types without @io.querk.Api (give each a status and a since):");
            problems.forEach(p -> System.err.println("[api]   " + p));
            System.exit(1);
        }
        if (args[0].equals("update")) {
            Files.createDirectories(baseline.getParent());
            Files.write(baseline, now, StandardCharsets.UTF_8);
            System.out.println("[api] recorded " + now.size() + " lines in " + baseline);
            return;
        }
        if (!Files.exists(baseline)) {
            fail(baseline, List.of(), now, "no baseline is recorded yet");
        }
        List<String> recorded = Files.readAllLines(baseline, StandardCharsets.UTF_8);
        if (!recorded.equals(now)) {
            fail(baseline, recorded, now, "the public API differs from the recorded baseline");
        }
        System.out.println("[api] " + baseline.getFileName() + ": the public API matches the baseline (" + now.size()
                + " lines)");
    }

    private static void fail(Path baseline, List<String> recorded, List<String> now, String why) {
        Set<String> before = new LinkedHashSet<>(recorded);
        Set<String> after = new LinkedHashSet<>(now);
        System.err.println("[api] " + baseline + ": " + why + ".");
        for (String line : recorded) {
            if (!after.contains(line)) {
                System.err.println("[api]   - " + line + "    <- removed or changed: breaks users' builds");
            }
        }
        for (String line : now) {
            if (!before.contains(line)) {
                System.err.println("[api]   + " + line);
            }
        }
        System.err.println("[api] If the change is deliberate, record it with mvn package -Dquerk.api=update (from"
                + " the root) and say what changed and how to adapt in CHANGELOG.md.");
        System.exit(1);
    }

    static List<String> dump(Path classes, List<String> problems) throws IOException, ClassNotFoundException {
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.equals("module-info.class") && !n.endsWith("package-info.class"))
                    .filter(n -> !n.contains("/internal/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
        ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ApiBaseline.class.getClassLoader());
        Class<? extends Annotation> api = apiAnnotation(loader);
        List<String> out = new ArrayList<>();
        for (String n : names) {
            Class<?> c = Class.forName(n, false, loader);
            if (!visible(c) || c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
                continue;
            }
            if (c.getEnclosingClass() == null && api != null && !c.isAnnotationPresent(api)) {
                problems.add(c.getName());
            }
            out.add(header(c) + " {");
            Set<String> members = new TreeSet<>();
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k) && !k.isSynthetic()) {
                    members.add(strip(k.toGenericString(), c));
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
                    members.add(strip(m.toGenericString(), c));
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f) && !f.isSynthetic()) {
                    members.add(strip(f.toGenericString(), c));
                }
            }
            members.forEach(m -> out.add("  " + m));
            out.add("}");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Annotation> apiAnnotation(ClassLoader loader) {
        try {
            return (Class<? extends Annotation>) Class.forName("io.querk.Api", false, loader);
        } catch (ClassNotFoundException e) {
            return null; // a module that does not see querk-core has nothing to mark
        }
    }

    /** Public, or protected in a type that can be extended: what a user's code can reach. */
    private static boolean visible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) && !Modifier.isProtected(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(Member m) {
        int mod = m.getModifiers();
        return Modifier.isPublic(mod) || (Modifier.isProtected(mod) && !Modifier.isFinal(m.getDeclaringClass().getModifiers()));
    }

    private static String header(Class<?> c) {
        String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
                : c.isRecord() ? "record" : "class";
        int mods = c.getModifiers() & (c.isInterface() ? Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
                : ~Modifier.INTERFACE);
        if (c.isEnum() || c.isRecord()) {
            mods &= ~(Modifier.FINAL | Modifier.STATIC | Modifier.ABSTRACT);
        }
        StringBuilder sb = new StringBuilder(Modifier.toString(mods)).append(' ').append(kind).append(' ')
                .append(c.getTypeName());
        if (c.getTypeParameters().length > 0) {
            sb.append(Arrays.stream(c.getTypeParameters()).map(t -> t.getName() + bounds(t.getBounds()))
                    .collect(Collectors.joining(", ", "<", ">")));
        }
        if (c.getGenericSuperclass() != null && c.getSuperclass() != Object.class && !c.isEnum() && !c.isRecord()) {
            sb.append(" extends ").append(c.getGenericSuperclass().getTypeName());
        }
        if (c.getGenericInterfaces().length > 0 && !c.isAnnotation()) {
            sb.append(c.isInterface() ? " extends " : " implements ").append(Arrays.stream(c.getGenericInterfaces())
                    .map(java.lang.reflect.Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (c.isSealed()) {
            sb.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses()).map(Class::getName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        return sb.toString().strip();
    }

    private static String bounds(java.lang.reflect.Type[] bounds) {
        if (bounds.length == 1 && bounds[0] == Object.class) {
            return "";
        }
        return " extends " + Arrays.stream(bounds).map(java.lang.reflect.Type::getTypeName)
                .collect(Collectors.joining(" & "));
    }

    /** Drops the declaring type's name before a member's name: {@code Querk.create(...)} reads {@code create(...)}. */
    private static String strip(String member, Class<?> c) {
        return member.replace(c.getTypeName() + ".", "");
    }
}
