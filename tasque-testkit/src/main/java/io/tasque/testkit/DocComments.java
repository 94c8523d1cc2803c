package io.tasque.testkit;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import jdk.javadoc.doclet.Doclet;
import jdk.javadoc.doclet.DocletEnvironment;
import jdk.javadoc.doclet.Reporter;

/**
 * Finds the public and protected types and members of a module's sources that have no doc comment, with the JDK's
 * own Javadoc tool and a doclet of this class, so a module's test can require that everything published is
 * documented. Members the compiler makes (default constructors, enum {@code values}, record accessors) and methods
 * marked {@code @Override} (they inherit the overridden method's comment) are not asked for one.
 */
public final class DocComments implements Doclet {

    private static final List<String> found = new ArrayList<>();

    /**
     * The elements under {@code sourceRoot} (a {@code src/main/java}) that need a doc comment and have none, as
     * {@code type} or {@code type#member}; the class path is this JVM's (a test's), so every import resolves.
     *
     * @throws IllegalStateException if Javadoc cannot read the sources
     */
    public static synchronized List<String> missing(Path sourceRoot) {
        DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
        List<File> files;
        try (Stream<Path> paths = Files.walk(sourceRoot)) {
            files = paths.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals("module-info.java"))
                    .map(Path::toFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager fm = tool.getStandardFileManager(null, Locale.ROOT, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromFiles(files);
            found.clear();
            boolean ok = tool.getTask(log, fm, null, DocComments.class,
                    List.of("-classpath", classPath, "-quiet"), units).call();
            if (!ok) {
                throw new IllegalStateException("javadoc could not read " + sourceRoot + ":\n" + log);
            }
            return List.copyOf(found);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean run(DocletEnvironment env) {
        for (TypeElement type : javax.lang.model.util.ElementFilter.typesIn(env.getIncludedElements())) {
            if (!published(type)) {
                continue;
            }
            check(env, type, type.getQualifiedName().toString());
            for (Element member : type.getEnclosedElements()) {
                // a member with no source of its own (a default constructor, a record's accessors, an enum's values) was
                // made by the compiler and is documented by its type
                if (member.getKind().isClass() || member.getKind().isInterface() || !published(member)
                        || env.getDocTrees().getPath(member) == null
                        || env.getElementUtils().getOrigin(member) != javax.lang.model.util.Elements.Origin.EXPLICIT || overrides(member)
                        || (type.getKind() == ElementKind.RECORD && member.getKind() == ElementKind.FIELD)
                        || canonical(type, member)) {
                    continue;
                }
                check(env, member, type.getQualifiedName() + "#" + member.getSimpleName());
            }
        }
        return true;
    }

    private static void check(DocletEnvironment env, Element e, String name) {
        if (env.getDocTrees().getDocCommentTree(e) == null) {
            found.add(name);
        }
    }

    /** Public or protected, in a type that is itself published all the way out. */
    private static boolean published(Element e) {
        for (Element cur = e; cur != null && cur.getKind() != ElementKind.PACKAGE; cur = cur.getEnclosingElement()) {
            Set<Modifier> m = cur.getModifiers();
            boolean inInterface = cur.getEnclosingElement() != null && cur.getEnclosingElement().getKind().isInterface();
            if (!m.contains(Modifier.PUBLIC) && !m.contains(Modifier.PROTECTED) && !(inInterface && !m.contains(Modifier.PRIVATE))) {
                return false;
            }
        }
        return true;
    }

    /** A record's canonical constructor (compact or not): the record's own comment documents it. */
    private static boolean canonical(TypeElement type, Element member) {
        if (type.getKind() != ElementKind.RECORD || member.getKind() != ElementKind.CONSTRUCTOR) {
            return false;
        }
        List<String> components = type.getRecordComponents().stream().map(c -> c.asType().toString()).toList();
        List<String> params = ((javax.lang.model.element.ExecutableElement) member).getParameters().stream()
                .map(p -> p.asType().toString()).toList();
        return components.equals(params);
    }

    private static boolean overrides(Element e) {
        return e.getAnnotationMirrors().stream().anyMatch(a -> a.getAnnotationType().toString().equals("java.lang.Override"));
    }

    @Override
    public void init(Locale locale, Reporter reporter) {
        // nothing to set up
    }

    @Override
    public String getName() {
        return "DocComments";
    }

    @Override
    public Set<? extends Option> getSupportedOptions() {
        return Set.of();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latest();
    }
}
