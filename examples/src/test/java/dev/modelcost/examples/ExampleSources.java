package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.modelcost.processor.ModelCostProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;

/** Compiles an example's source, changed, with the example types it names, and reads the generated constants. */
final class ExampleSources {
    /** The examples' sources, from the module's folder. */
    static final Path SOURCES = Path.of("src/main/java/dev/modelcost/examples");
    private static final Pattern TYPE_NAME = Pattern.compile("\\b([A-Z][A-Za-z0-9_]*)\\b");

    private ExampleSources() {}

    /** {@code text} as the example {@code file}, with every example type it names, compiled with the processor and no reports. */
    static Compilation compile(String file, String text) {
        try {
            List<JavaFileObject> files = new ArrayList<>();
            files.add(JavaFileObjects.forSourceString("dev.modelcost.examples." + file, text));
            for (String type : uses(file)) {
                files.add(JavaFileObjects.forSourceString("dev.modelcost.examples." + type, Files.readString(SOURCES.resolve(type + ".java"))));
            }
            return Compiler.javac().withProcessors(new ModelCostProcessor()).withOptions("-Amodelcost.reports=none").compile(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every example type the file names, directly or through the types it names. */
    private static Set<String> uses(String file) throws IOException {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(file));
        while (!todo.isEmpty()) {
            Matcher names = TYPE_NAME.matcher(Files.readString(SOURCES.resolve(todo.pop() + ".java")));
            while (names.find()) {
                String name = names.group(1);
                if (!name.equals(file) && Files.exists(SOURCES.resolve(name + ".java")) && found.add(name)) {
                    todo.push(name);
                }
            }
        }
        return found;
    }

    /** The source of a generated class, e.g. {@code ResNet50Cost}. */
    static String generated(Compilation compilation, String costClass) {
        try {
            return compilation.generatedSourceFile("dev.modelcost.examples." + costClass).orElseThrow(() -> new AssertionError(costClass))
                    .getCharContent(false).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code long} constant of a generated source. */
    static long constant(String generated, String name) {
        Matcher matcher = Pattern.compile("\\b" + name + " = (-?\\d+)L;").matcher(generated);
        assertTrue(matcher.find(), name);
        return Long.parseLong(matcher.group(1));
    }

    /** A {@code double} constant of a generated source. */
    static double doubleConstant(String generated, String name) {
        Matcher matcher = Pattern.compile("\\b" + name + " = ([-0-9.Ee]+);").matcher(generated);
        assertTrue(matcher.find(), name);
        return Double.parseDouble(matcher.group(1));
    }

    /** The size program of a generated source, read for the model {@code model} of {@code variables}, or null where it has none. */
    static dev.modelcost.SizeProgram program(String generated, String model, List<String> variables) {
        int start = generated.indexOf("SizeProgram.parse(");
        if (start < 0) {
            return null;
        }
        int from = generated.indexOf("SIZE_VARIABLES, ", start) + "SIZE_VARIABLES, ".length();
        int to = generated.indexOf(");\n", from);
        StringBuilder text = new StringBuilder();
        Matcher literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(generated.substring(from, to));
        while (literal.find()) {
            text.append(literal.group(1).replace("\\t", "\t").replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return dev.modelcost.SizeProgram.parse(model, variables, text.toString());
    }

    /** The {@code OUTPUT} list of a generated source. */
    static List<Integer> output(String generated) {
        Matcher matcher = Pattern.compile("\\bOUTPUT = List\\.of\\(([^)]*)\\);").matcher(generated);
        assertTrue(matcher.find(), "OUTPUT");
        return Arrays.stream(matcher.group(1).split(",\\s*")).map(Integer::valueOf).toList();
    }
}
