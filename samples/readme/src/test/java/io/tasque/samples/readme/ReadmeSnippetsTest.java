package io.tasque.samples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the project's README.md compiles as shown, against the test class path (the tasque
 * modules, Spring's annotations, Micrometer, SLF4J): a README edit that breaks a snippet fails the build, naming the
 * snippet by its line in README.md.
 *
 * <p>The convention the snippets follow, with nothing added to them but what is said here:
 * <ul>
 *   <li>A snippet is its {@code import} lines followed by either whole type declarations or statements.</li>
 *   <li>Its first code line is the first line after the imports that is neither blank nor a {@code //} comment. When
 *       that line starts with {@code @} or one of the words {@code public}, {@code final}, {@code abstract},
 *       {@code sealed}, {@code class}, {@code interface}, {@code enum} or {@code record}, the snippet is type
 *       declarations: it is compiled as it is, as a compilation unit in the default package named after its first
 *       top-level type.</li>
 *   <li>Otherwise it is statements: they become the body of {@code static void snippet() throws Exception} in a class
 *       {@code Snippet<line>} (the line of its opening fence), after the snippet's imports.</li>
 *   <li>What a snippet needs beyond that (a logger, a client, a helper) is declared in the snippet itself.</li>
 * </ul>
 */
class ReadmeSnippetsTest {

    /** The opening fence of a Java block; the closing fence is a line of three backticks. */
    private static final String JAVA_FENCE = "```java";
    private static final String FENCE = "```";

    /** The first code line of a snippet made of type declarations. */
    private static final Pattern DECLARATION_START =
            Pattern.compile("^(@|(public|final|abstract|sealed|class|interface|enum|record)\\b)");
    /** The name of a snippet's first top-level type: the first type declaration from its first code line on. */
    private static final Pattern TYPE_NAME = Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Za-z_$][\\w$]*)");

    @TempDir
    Path classes;

    /** One test per {@code ```java} block, named by its line in README.md and its first code line. */
    @TestFactory
    Stream<DynamicTest> everyJavaSnippetOfTheReadmeCompilesAsShown() throws IOException {
        return snippets(readme()).stream()
                .map(s -> DynamicTest.dynamicTest("README.md:" + s.line() + " " + s.firstCodeLine(), () -> compile(s)));
    }

    @Test
    void everyJavaFenceOfTheReadmeIsFoundAsASnippet() throws IOException {
        String readme = readme();
        List<Snippet> found = snippets(readme);
        int fences = readme.split(Pattern.quote(JAVA_FENCE), -1).length - 1;
        assertFalse(found.isEmpty(), "no ```java block found in README.md");
        assertEquals(fences, found.size(), "README.md has " + fences + " ```java fences but " + found.size()
                + " snippets were extracted: is a fence indented, unclosed or followed by more than `java`?");
    }

    /** README.md of the project, two levels up from this module (samples/readme). */
    private static String readme() throws IOException {
        Path file = Path.of(System.getProperty("basedir", ".")).resolve("../../README.md").normalize();
        if (!Files.isRegularFile(file)) {
            fail("README.md not found at " + file.toAbsolutePath() + "; this test runs from samples/readme");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Every block between a {@code ```java} line and the next {@code ```} line, with its fence's line number. */
    static List<Snippet> snippets(String readme) {
        List<Snippet> snippets = new ArrayList<>();
        String[] lines = readme.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].equals(JAVA_FENCE)) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < lines.length && !lines[end].equals(FENCE)) {
                end++;
            }
            if (end == lines.length) {
                fail("README.md:" + (i + 1) + ": the ```java block is never closed");
            }
            snippets.add(new Snippet(i + 1, List.of(lines).subList(start, end)));
            i = end;
        }
        return snippets;
    }

    private void compile(Snippet snippet) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler: run the tests on a JDK, not a JRE");
        Path out = Files.createDirectories(classes.resolve("snippet-" + snippet.line()));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        List<String> options = List.of("--release", "17", "-proc:none", "-implicit:none",
                "-classpath", System.getProperty("java.class.path"), "-d", out.toString());
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavaFileObject source = new Source(snippet.className(), snippet.source());
            boolean compiled = javac.getTask(output, files, diagnostics, options, null, List.of(source)).call();
            if (!compiled) {
                fail("README.md:" + snippet.line() + ": the snippet does not compile as " + snippet.className()
                        + ".java (" + (snippet.declarations() ? "type declarations" : "statements in snippet()")
                        + "):\n" + describe(diagnostics, snippet) + output + "\n--- as compiled:\n"
                        + numbered(snippet.source()));
            }
        }
    }

    /** javac's errors and warnings, each with the README line it points at. */
    private static String describe(DiagnosticCollector<JavaFileObject> diagnostics, Snippet snippet) {
        StringBuilder text = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            long line = d.getLineNumber();
            text.append(d.getKind()).append(' ');
            if (line > 0) {
                text.append(snippet.className()).append(".java:").append(line);
                int readmeLine = snippet.readmeLine((int) line);
                if (readmeLine > 0) {
                    text.append(" (README.md:").append(readmeLine).append(')');
                }
                text.append(": ");
            }
            text.append(d.getMessage(Locale.ROOT)).append('\n');
        }
        return text.toString();
    }

    private static String numbered(String source) {
        StringBuilder text = new StringBuilder();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            text.append(String.format(Locale.ROOT, "%3d  %s%n", i + 1, lines[i]));
        }
        return text.toString();
    }

    /**
     * One {@code ```java} block.
     *
     * @param line the line of its opening fence in README.md (1-based)
     * @param lines the lines between the fences
     */
    record Snippet(int line, List<String> lines) {

        /** The index of the first line after the imports that is neither blank nor a {@code //} comment. */
        int firstCodeIndex() {
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (!l.isEmpty() && !l.startsWith("//") && !l.startsWith("import ")) {
                    return i;
                }
            }
            return lines.size();
        }

        String firstCodeLine() {
            int i = firstCodeIndex();
            return i < lines.size() ? lines.get(i).strip() : "(no code)";
        }

        boolean declarations() {
            return DECLARATION_START.matcher(firstCodeLine()).find();
        }

        /** The snippet's first top-level type for declarations; {@code Snippet<line>} for statements. */
        String className() {
            if (!declarations()) {
                return "Snippet" + line;
            }
            String code = String.join("\n", lines.subList(firstCodeIndex(), lines.size()));
            Matcher m = TYPE_NAME.matcher(code);
            if (!m.find()) {
                fail("README.md:" + line + ": the snippet starts like a type declaration but declares no type");
            }
            return m.group(1);
        }

        /** The lines before the wrapped body: its imports and the lines between them, kept as they are. */
        private int bodyStart() {
            int start = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().startsWith("import ")) {
                    start = i + 1;
                }
            }
            return start;
        }

        /** The compilation unit: the snippet itself, or its statements wrapped as described on the test class. */
        String source() {
            if (declarations()) {
                return String.join("\n", lines) + "\n";
            }
            List<String> unit = new ArrayList<>(lines.subList(0, bodyStart()));
            unit.add("class " + className() + " { static void snippet() throws Exception {");
            unit.addAll(lines.subList(bodyStart(), lines.size()));
            unit.add("} }");
            return String.join("\n", unit) + "\n";
        }

        /** The README.md line of line {@code sourceLine} (1-based) of {@link #source()}, or 0 for a wrapper line. */
        int readmeLine(int sourceLine) {
            int index = sourceLine - 1;
            if (!declarations()) {
                if (index == bodyStart() || index > lines.size()) {
                    return 0;
                }
                if (index > bodyStart()) {
                    index--;
                }
            }
            return index >= 0 && index < lines.size() ? line + 1 + index : 0;
        }
    }

    /** A source held in memory, named as javac wants a public type's file to be named. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
