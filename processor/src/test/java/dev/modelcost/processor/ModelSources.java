package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/** Compiles test sources with the processor, and finds where in them a diagnostic should point. */
public final class ModelSources {
    private ModelSources() {}

    /** The source of {@code test.Net} with the given class annotations ({@code header}) and fields, one per line. */
    static String model(String header, String... fields) {
        return "package test;\n\nimport dev.modelcost.*;\n\n" + header + "\npublic class Net {\n    "
                + String.join("\n    ", fields) + "\n}\n";
    }

    /** A source file of the given qualified class name. */
    static JavaFileObject source(String qualifiedName, String text) {
        return JavaFileObjects.forSourceString(qualifiedName, text);
    }

    /** Compiles the files with javac and a fresh {@link ModelCostProcessor}, as a user's build does. */
    static Compilation compile(JavaFileObject... files) {
        return Compiler.javac().withProcessors(new ModelCostProcessor()).compile(files);
    }

    /** Compiles {@code text} as {@code test.Net} and asserts that it succeeded. */
    static Compilation compiled(String text) {
        Compilation compilation = compile(source("test.Net", text));
        assertThat(compilation).succeeded();
        return compilation;
    }

    /**
     * Asserts that the compilation failed with exactly one error, containing {@code message}, in
     * {@code file} on the only line containing {@code line}, at {@code column}.
     */
    static void assertOnlyError(Compilation compilation, JavaFileObject file, String message, String line, long column) {
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLine(lineOf(file, line)).atColumn(column);
    }

    /** Compiles {@code text} as {@code test.Net} and asserts its only error, as {@link #assertOnlyError} does. */
    static void expectOnly(String text, String message, String line, long column) {
        JavaFileObject file = source("test.Net", text);
        assertOnlyError(compile(file), file, message, line, column);
    }

    /**
     * Compiles {@code text} as {@code test.Net} and asserts that its only problem is one inside a block the model applies: two errors
     * containing {@code message} and naming the model, one on the only line containing {@code line}, at {@code column} (in the
     * block), the other on the model's field, on the only line containing {@code field}.
     */
    static void expectInBlock(String text, String message, String line, long column, String field) {
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLine(lineOf(file, line)).atColumn(column);
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLine(lineOf(file, field));
        assertThat(compilation).hadErrorContaining("[in model test.Net, through its field ");
    }

    /** A {@code long} constant of a generated class, e.g. {@code MACS} of {@code test.NetCost}. */
    static long constant(Compilation compilation, String type, String name) {
        return Long.parseLong(initializer(compilation, type, name, "(\\d+)L"));
    }

    /** A {@code double} constant of a generated class, e.g. {@code LATENCY_BOUND_SECONDS_L4} of {@code test.NetCost}. */
    static double doubleConstant(Compilation compilation, String type, String name) {
        return Double.parseDouble(initializer(compilation, type, name, "([-0-9.E+]+)"));
    }

    /** The text of a constant's initializer that {@code value}'s group matches. */
    private static String initializer(Compilation compilation, String type, String name, String value) {
        try {
            String source = compilation.generatedSourceFile(type).orElseThrow().getCharContent(false).toString();
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\\b" + name + " = " + value + ";").matcher(source);
            if (!matcher.find()) {
                throw new AssertionError("no constant " + name + " in " + type);
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 1-based number of the only line of the file that contains {@code line}. */
    static long lineOf(JavaFileObject file, String line) {
        return lineOf(content(file), line);
    }

    /** The 1-based number of the only line of {@code text} that contains {@code line}. */
    static long lineOf(String text, String line) {
        List<String> lines = text.lines().toList();
        long found = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(line)) {
                if (found != 0) {
                    throw new IllegalArgumentException("more than one line contains '" + line + "'");
                }
                found = i + 1L;
            }
        }
        if (found == 0) {
            throw new IllegalArgumentException("no line contains '" + line + "'");
        }
        return found;
    }

    /** The generated source of a class of a successful compilation, as text. */
    static String generated(Compilation compilation, String qualifiedName) {
        return content(compilation.generatedSourceFile(qualifiedName)
                .orElseThrow(() -> new AssertionError(qualifiedName + " was not generated")));
    }

    /**
     * A figure's closed form in the generated {@code test.NetCost} ({@code MACS_FORM}), parsed over {@code variables}; fails the
     * test where it has none.
     */
    static dev.modelcost.ClosedForm closedForm(Compilation compilation, String figure, String... variables) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(figure + "_FORM = ClosedForm\\.parse\\(\"" + figure
                + "\", SIZE_VARIABLES, \"([^\"]+)\"\\);").matcher(generated(compilation, "test.NetCost"));
        if (!matcher.find()) {
            throw new AssertionError("no closed form of " + figure);
        }
        return dev.modelcost.ClosedForm.parse(figure, List.of(variables), matcher.group(1));
    }

    /** The text of a source file. */
    static String content(JavaFileObject file) {
        try {
            return file.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sources the processor generates, as paths such as {@code test/NetCost.java}, compiling
     * into real directories under {@code dir}: unlike compile-testing, this shows what a failed
     * compilation generated.
     */
    static List<String> generatedSources(Path dir, JavaFileObject... files) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager manager = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            Path sources = Files.createDirectories(dir.resolve("generated-sources"));
            manager.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(sources));
            manager.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(Files.createDirectories(dir.resolve("classes"))));
            JavaCompiler.CompilationTask task = javac.getTask(null, manager, diagnostic -> { }, List.of(), null, List.of(files));
            task.setProcessors(List.of(new ModelCostProcessor()));
            task.call();
            try (Stream<Path> walk = Files.walk(sources)) {
                return walk.filter(Files::isRegularFile)
                        .map(path -> sources.relativize(path).toString().replace(File.separatorChar, '/'))
                        .sorted()
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The 1-based column, as javac counts it, just after {@code before} on the only line of
     * {@code text} that contains {@code line}: where a diagnostic on an annotation value points.
     */
    static long columnAfter(String text, String line, String before) {
        String found = text.lines().toList().get((int) lineOf(text, line) - 1);
        int at = found.indexOf(before);
        if (at < 0) {
            throw new IllegalArgumentException("'" + before + "' is not on the line '" + found + "'");
        }
        return at + before.length() + 1L;
    }

    /**
     * The 1-based column of the first {@code token} on the only line of {@code text} that contains
     * {@code line}: where a diagnostic on an annotation ({@code "@Conv2d"}) or a field name points.
     */
    static long columnOf(String text, String line, String token) {
        return columnAfter(text, line, token) - token.length();
    }

    /** The compilation's class output as a class loader: the generated classes, and the resources beside them (a long layer table). */
    public static ClassLoader classes(Compilation compilation) {
        return new ClassLoader(ModelSources.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                try (java.io.InputStream in = getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }

            @Override
            public java.io.InputStream getResourceAsStream(String name) {
                try {
                    JavaFileObject file = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, name).orElse(null);
                    return file == null ? super.getResourceAsStream(name) : file.openInputStream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
