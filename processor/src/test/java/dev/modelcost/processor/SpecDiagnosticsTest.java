package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.assertOnlyError;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.columnOf;
import static dev.modelcost.processor.ModelSources.compile;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static dev.modelcost.processor.ModelSources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The catalogue entries of reading a spec, MC101 to MC117, and of writing its class, MC159 to MC161: each with its tag and place. */
class SpecDiagnosticsTest {

    /** Compiles {@code text} as {@code test.Net} and asserts its only error. */
    @Test
    void mc101ModelOnAnInterface() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public interface Net {}
                """;
        expectOnly(text, "[MC101] @Model must be on a plain class, but Net is an interface", "@Model", 1);
    }

    @Test
    void mc101BlockOnARecordIsReportedOnceAndFailsTheModelThatUsesIt() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 5) Layer fc;
                    Part part;

                    @Block
                    record Part(int size) {}
                }
                """;
        expectOnly(text, "[MC101] @Block must be on a plain class, but Part is a record", "@Block",
                columnOf(text, "@Block", "@Block"));
    }

    @Test
    void mc102GenericModel() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net<T> {
                    @Linear(out = 5) Layer fc;
                }
                """;
        expectOnly(text, "[MC102] @Model class Net has type parameters", "@Model", 1);
    }

    @Test
    void mc103NeitherInputNorInputs() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(batch = 2)
                public class Net {
                    @Linear(out = 5) Layer fc;
                }
                """;
        expectOnly(text, "[MC103] @Model has neither input nor inputs (fix: give one of them)", "@Model", columnAfter(text, "@Model", ""));
    }

    @Test
    void mc103EmptyInput() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {})
                public class Net {
                    @Linear(out = 5) Layer fc;
                }
                """;
        expectOnly(text, "[MC103] @Model has an empty shape for input", "@Model", columnAfter(text, "@Model", "input = "));
    }

    @Test
    void mc104BatchOfZero() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10}, batch = 0)
                public class Net {
                    @Linear(out = 5) Layer fc;
                }
                """;
        expectOnly(text, "[MC104] @Model: batch must be at least 1, but is 0", "@Model", columnAfter(text, "@Model", "batch = "));
    }

    @Test
    void mc104InputDimensionOfZero() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 0, 8})
                public class Net {
                    @ReLU Layer relu;
                }
                """;
        expectOnly(text, "[MC104] @Model: input dimension 1 (H, counted from 0 without the batch) must be at least 1, but is 0", "@Model",
                columnAfter(text, "@Model", "input = {3, "));
    }

    @Test
    void mc118BudgetOnAClassThatIsNotAModel() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Budget(maxParams = 1_000)
                public class Net {
                    static final int WIDTH = 4;
                }
                """;
        expectOnly(text, "[MC118] @Budget on Net, which is not a @Model", "@Budget", 1);
    }

    @Test
    void mc118BudgetOnABlock() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {8})
                public class Net {
                    Head head;

                    @Block
                    @Budget(maxMacs = 10)
                    public static class Head {
                        @Linear(out = 10) Layer fc;
                    }
                }
                """;
        expectOnly(text, "[MC118] @Budget on Head, which is not a @Model", "@Budget(maxMacs = 10)", 5);
    }

    @Test
    void mc104NegativeLayerSize() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = -1) Layer fc;
                }
                """;
        expectOnly(text, "[MC104] fc: Linear out must be at least 1, but is -1", "Layer fc;", columnAfter(text, "Layer fc;", "out = "));
    }

    @Test
    void mc105CostClassNameTaken() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 5) Layer fc;
                }
                """;
        JavaFileObject file = source("test.Net", text);
        Compilation compilation = compile(file, source("test.NetCost", "package test; public class NetCost {}"));
        assertOnlyError(compilation, file, "[MC105] cannot write test.NetCost: a type of that name already exists", "@Model", 1);
    }

    /** A model of one linear layer of {@code out} features, for the tests of an earlier build's Cost class. */
    private static String linearNet(int out) {
        return """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = %d) Layer fc;
                }
                """.formatted(out);
    }

    /** The Cost class the processor generates for {@link #linearNet}, as its file holds it. */
    private static String generatedFor(int out) throws java.io.IOException {
        Compilation compilation = compile(source("test.Net", linearNet(out)));
        assertThat(compilation).succeededWithoutWarnings();
        return compilation.generatedSourceFile("test.NetCost").orElseThrow().getCharContent(true).toString();
    }

    @Test
    void anEarlierBuildsCostClassThatIsTheClassOfTheModelNowIsCompiledAsItIs() throws java.io.IOException {
        // A build that failed after writing NetCost.java leaves the file, and Maven (useIncrementalCompilation=false) compiles it again
        // with the model: where the model has not changed, the file holds the very class the processor would write.
        // Under -Werror too: the Filer is not asked for the class again, which it would refuse with a warning.
        Compilation compilation = com.google.testing.compile.Compiler.javac().withProcessors(new ModelCostProcessor())
                .withOptions("-Xlint:all,-processing", "-Werror").compile(source("test.Net", linearNet(5)), source("test.NetCost", generatedFor(5)));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedFile(javax.tools.StandardLocation.CLASS_OUTPUT, "test/NetCost.class");
    }

    @Test
    void anEarlierBuildsCostClassWrittenInAnEncodingWithoutItsJavadocsCharactersIsStillTheClass(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path work) throws java.io.IOException {
        // Under -encoding US-ASCII the Filer writes the Javadoc's middle dots and minus signs as '?': read back, the file is still
        // the class this build would write.
        java.nio.file.Path net = java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(work.resolve("src/test")).resolve("Net.java"),
                linearNet(5));
        java.nio.file.Path generated = work.resolve("generated");
        List<String> first = javacErrors(work, List.of("-encoding", "US-ASCII", "-d", work.resolve("classes").toString(), "-s", generated.toString()), net);
        assertEquals(List.of(), first);
        java.nio.file.Path cost = generated.resolve("test/NetCost.java");
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.readString(cost, java.nio.charset.StandardCharsets.US_ASCII).contains("?"));
        java.nio.file.Files.delete(work.resolve("classes/test/NetCost.class"));
        List<String> again = javacErrors(work, List.of("-encoding", "US-ASCII", "-d", work.resolve("classes").toString(), "-s", generated.toString()),
                net, cost);
        assertEquals(List.of(), again);
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.exists(work.resolve("classes/test/NetCost.class")));
    }

    @Test
    void aHandWrittenClassWithTheConstantsOfACostClassIsNoEarlierBuildsOutput() {
        // Without the processor's @Generated mark, a class of the Cost class's name is another type, whatever its constants.
        JavaFileObject file = source("test.Net", linearNet(5));
        Compilation compilation = compile(file, source("test.NetCost", "package test; public class NetCost { public static final String INPUT_SHAPE "
                + "= \"\", OUTPUT_SHAPE = \"\"; public static final long MACS = 0, PARAMS = 0; }"));
        assertOnlyError(compilation, file, "[MC105] cannot write test.NetCost: a type of that name already exists", "@Model", 1);
    }

    /** The processor's helper that compares a file read back with the text written, whatever characters its encoding lacks. */
    @Test
    void aFileReadBackIsTheTextWrittenUpToTheCharactersItsEncodingLacks() {
        org.junit.jupiter.api.Assertions.assertTrue(ModelCostProcessor.sameInAnyEncoding("a\u00b7b", "a\u00b7b"));
        org.junit.jupiter.api.Assertions.assertTrue(ModelCostProcessor.sameInAnyEncoding("a\u00b7b \u2212 c", "a?b ? c"));
        org.junit.jupiter.api.Assertions.assertFalse(ModelCostProcessor.sameInAnyEncoding("a\u00b7b", "a-b"));
        org.junit.jupiter.api.Assertions.assertFalse(ModelCostProcessor.sameInAnyEncoding("ab", "a?"));
        org.junit.jupiter.api.Assertions.assertFalse(ModelCostProcessor.sameInAnyEncoding("a\u00b7b", "a?b "));
    }

    /** The errors of a javac run on files on disk, with the processor, as a build runs it. */
    private static List<String> javacErrors(java.nio.file.Path work, List<String> options, java.nio.file.Path... sources) throws java.io.IOException {
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        javax.tools.DiagnosticCollector<JavaFileObject> diagnostics = new javax.tools.DiagnosticCollector<>();
        try (javax.tools.StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, java.nio.charset.StandardCharsets.US_ASCII)) {
            List<String> all = new java.util.ArrayList<>(options);
            all.addAll(List.of("-classpath", System.getProperty("java.class.path")));
            javax.tools.JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, all, null, files.getJavaFileObjects(sources));
            // Given, not found on the class path: JDK 23 and later run no processor found there by default.
            task.setProcessors(List.of(new ModelCostProcessor()));
            task.call();
            return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                    .map(d -> d.getMessage(java.util.Locale.ROOT)).toList();
        }
    }

    @Test
    void mc159AnEarlierBuildsCostClassThatDiffersFromTheClassOfTheModelNow() throws java.io.IOException {
        // The model's layer has changed since that build (5 features, 6 then): compiling the old file would give the old figures.
        JavaFileObject file = source("test.Net", linearNet(5));
        Compilation compilation = compile(file, source("test.NetCost", generatedFor(6)));
        assertOnlyError(compilation, file, "[MC159] cannot write test.NetCost: javac is compiling ", "@Model", 1);
        assertThat(compilation).hadErrorContaining("NetCost.java, which an earlier build generated for this model, and the class it would "
                + "write now differs from it (fix: delete that file (mvn clean), and build again");
    }

    @Test
    void mc160AnOutputDirectoryThatCannotBeCreatedIsToldOnceForEveryModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path work)
            throws java.io.IOException {
        // -d, then -s, under a regular file: javac's Filer cannot create the directories of the records, the reports and the class.
        // Two models, one error: the second model's files fail alike.
        java.nio.file.Path blocked = java.nio.file.Files.createFile(work.resolve("blocked"));
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(work.resolve("src/test"));
        java.nio.file.Path net = java.nio.file.Files.writeString(dir.resolve("Net.java"), linearNet(5));
        java.nio.file.Path other = java.nio.file.Files.writeString(dir.resolve("Other.java"), linearNet(5).replace("class Net", "class Other"));
        for (List<String> outputs : List.of(List.of("-d", blocked.resolve("classes").toString(), "-s", work.resolve("generated").toString()),
                List.of("-d", work.resolve("classes").toString(), "-s", blocked.resolve("generated").toString()))) {
            List<String> errors = javacErrors(work, outputs, net, other);
            assertEquals(1, errors.size(), errors.toString());
            org.junit.jupiter.api.Assertions.assertTrue(errors.get(0).startsWith("[MC160] cannot write the files of test."), errors.get(0));
            // the directories javac was given, as it places files in them
            org.junit.jupiter.api.Assertions.assertTrue(errors.get(0).contains("; javac writes classes to " + outputs.get(1) + " and generated "
                    + "sources to " + outputs.get(3) + " (fix: "), errors.get(0));
            org.junit.jupiter.api.Assertions.assertTrue(errors.get(0).contains("(fix: javac writes class files and reports to its class output "
                    + "directory (-d) and generated sources to its source output directory (-s)"), errors.get(0));
        }
    }

    @Test
    void mc161AReleaseBeforeJava17() {
        JavaFileObject file = source("test.Net", linearNet(5));
        Compilation compilation = com.google.testing.compile.Compiler.javac().withProcessors(new ModelCostProcessor())
                .withOptions("--release", "11").compile(file);
        // Java 16 has records, but not dev.modelcost's class files, which are Java 17's: refused too.
        assertThat(com.google.testing.compile.Compiler.javac().withProcessors(new ModelCostProcessor()).withOptions("--release", "16").compile(file))
                .hadErrorContaining("[MC161] @Model needs Java 17 or later: ");
        assertOnlyError(compilation, file, "[MC161] @Model needs Java 17 or later: the class it generates uses dev.modelcost's types, which "
                + "are Java 17 class files, and a record, but this compilation is for release 11 (fix: compile with --release 17 or later)", "@Model", 1);
    }

    @Test
    void mc105CostClassAlreadyGeneratedByAnotherProcessor() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 5) Layer fc;
                }
                """;
        JavaFileObject file = source("test.Net", text);
        // Runs before modelcost in the same round and writes test.NetCost itself; the Filer then refuses ours.
        javax.annotation.processing.Processor other = new javax.annotation.processing.AbstractProcessor() {
            private boolean done;

            @Override
            public java.util.Set<String> getSupportedAnnotationTypes() {
                return java.util.Set.of("*");
            }

            @Override
            public javax.lang.model.SourceVersion getSupportedSourceVersion() {
                return javax.lang.model.SourceVersion.latestSupported();
            }

            @Override
            public boolean process(java.util.Set<? extends javax.lang.model.element.TypeElement> annotations,
                    javax.annotation.processing.RoundEnvironment round) {
                if (!done) {
                    done = true;
                    try (java.io.Writer out = processingEnv.getFiler().createSourceFile("test.NetCost").openWriter()) {
                        out.write("package test; public class NetCost {}");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return false;
            }
        };
        Compilation compilation = com.google.testing.compile.Compiler.javac().withProcessors(other, new ModelCostProcessor()).compile(file);
        assertOnlyError(compilation, file, "[MC105] cannot write test.NetCost: a type of that name already exists", "@Model", 1);
    }

    @Test
    void mc105TwoModelsWhoseCostClassesWouldShareAName() {
        // A.B and A_B both map to A_BCost; the second (in name order) is refused rather than crashing the Filer.
        String nested = """
                package test;

                import dev.modelcost.*;

                public class A {
                    @Model(input = {10})
                    public static class B {
                        @Linear(out = 5) Layer fc;
                    }
                }
                """;
        String flat = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class A_B {
                    @Linear(out = 5) Layer fc;
                }
                """;
        JavaFileObject flatFile = source("test.A_B", flat);
        assertOnlyError(compile(source("test.A", nested), flatFile), flatFile,
                "[MC105] cannot write test.A_BCost: model test.A.B writes a class of that name", "@Model", 1);
    }

    @Test
    void mc148ACostClassWhoseFileNameIsTooLong() {
        // 245 letters + "Cost.class" is 255 bytes, which file systems take; 246 letters is one too many. With sizes, the record of
        // figures' class file, NCost$Figures.class, is 8 bytes longer: 238 letters are too many there.
        String fits = "N".repeat(245);
        Compilation written = compile(source("test." + fits, "package test; import dev.modelcost.*; @Model(input = {8}) public class " + fits
                + " { @Linear(out = 5) Layer fc; }"));
        assertThat(written).succeeded();
        assertThat(written).generatedSourceFile("test." + fits + "Cost");
        for (String[] model : new String[][] {{"N".repeat(246), "@Model(input = {8})", "Cost.class", "256"},
                {"N".repeat(238), "@Model(input = {8}, layout = \"L\", sizes = \"L\")", "Cost$Figures.class", "256"}}) {
            JavaFileObject file = source("test." + model[0], "package test;\nimport dev.modelcost.*;\n" + model[1] + "\npublic class " + model[0]
                    + " { @Linear(out = 5) Layer fc; }");
            Compilation compilation = compile(file);
            assertOnlyError(compilation, file, "[MC148] cannot write test." + model[0] + "Cost: its class file " + model[0] + model[2]
                    + " would have a name of " + model[3] + " bytes, more than the 255 a file name may have on most file systems", "@Model", 1);
        }
    }

    @Test
    void mc106TwoLayerAnnotations() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @ReLU @Tanh Layer act;
                }
                """;
        expectOnly(text, "[MC106] field act has more than one layer annotation (@ReLU, @Tanh)", "Layer act;",
                columnOf(text, "Layer act;", "@Tanh"));
    }

    @Test
    void mc154ParamWithALayerAnnotation() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Args("size = 4") Part part;

                    @Block
                    public static class Part {
                        @Param @ReLU int size;
                        @ReLU Layer relu;
                    }
                }
                """;
        expectOnly(text, "[MC154] @Param field size also has @ReLU: a parameter is a value the block receives (from @Args or its default), not a "
                + "step of the network, and takes no other modelcost annotation (fix: keep @Param alone on the field, and write the step in a "
                + "field of its own)", "int size;", columnOf(text, "int size;", "@Param"));
        // @From, @When, @Repeat: no layer annotations, none a parameter takes
        for (String other : new String[] {"@From(\"input\")", "@When(\"true\")", "@Repeat(2)"}) {
            String with = text.replace("@Param @ReLU int size;", "@Param " + other + " int size;");
            expectOnly(with, "[MC154] @Param field size also has " + other.substring(0, other.indexOf('(')) + ": a parameter is a value",
                    "int size;", columnOf(with, "int size;", "@Param"));
        }
    }

    @Test
    void mc155ABlockOfNoInputs() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    @Conv2d(k = 1, cout = 4) Layer a;
                    Part part;

                    @Block(inputs = {})
                    public static class Part {
                        @Conv2d(k = 1, cout = 2) Layer c;
                    }
                }
                """;
        expectOnly(text, "[MC155] @Block(inputs = {}) leaves Part without an input: every block takes at least one tensor (fix: name its inputs, "
                + "or leave inputs out for the one input named input)", "@Block", columnAfter(text, "@Block", "@Block(inputs = "));
    }

    @Test
    void mc119AModelInputNamedLikeTheRepetitionsNumber() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(inputs = {@Input(name = "index", shape = {3, 8, 8}), @Input(name = "len", shape = {3, 8, 8})})
                public class Net {
                    @From("index") @Conv2d(k = 1, cout = 3) Layer a;
                    @From("len") @Conv2d(k = 1, cout = 3) Layer b;
                    @Add({"a", "b"}) Layer s;
                }
                """;
        expectOnly(text, "[MC119] input name 'index' is reserved: it stands for a repetition's number in the arguments of a repeated block "
                + "(fix: rename the input: each name once, one a field could have, and none of the names expressions reserve (in, h, w, x, index))",
                "@Model", columnAfter(text, "@Model", "@Model(inputs = {@Input(name = "));
    }

    @Test
    void mc121ABaseOfParametersOnly() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    Child u;

                    @Block
                    public static class Base {
                        static final int W = 7;
                        @Param(3) int n;
                    }

                    @Block
                    public static class Child extends Base {
                        @Conv2d(k = 1, with = "cout = W + n") Layer c;
                    }
                }
                """;
        com.google.testing.compile.Compilation compilation = ModelSources.compile(ModelSources.source("test.Net", text));
        com.google.testing.compile.CompilationSubject.assertThat(compilation).hadErrorContaining(
                "[MC121] Child extends Base, which declares parameters (n); a model or block does not inherit them");
    }

    @Test
    void mc107StaticLayer() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @ReLU static Layer relu;
                    @Linear(out = 5) Layer fc;
                }
                """;
        expectOnly(text, "[MC107] static field relu has a modelcost annotation; layers and parameters are instance fields", "Layer relu;",
                columnOf(text, "Layer relu;", "@ReLU"));
    }

    @Test
    void aStaticParameterIsRefusedAsALayerIs() {
        String text = model("@Model(input = {10})", "@Args(\"n = 5\") Head head;",
                "@Block static class Head { @Param static int n; @Linear(with = \"out = n\") Layer fc; }");
        expectOnly(text, "[MC107] static field n has a modelcost annotation; layers and parameters are instance fields", "@Param static int n;",
                columnOf(text, "@Param static int n;", "@Param"));
    }

    @Test
    void mc108LayerAnnotationOnAnInt() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @ReLU int relu;
                }
                """;
        expectOnly(text, "[MC108] field relu has @ReLU but is declared as int (fix: declare it as dev.modelcost.Layer)", "int relu;",
                columnOf(text, "int relu;", "@ReLU"));
    }

    @Test
    void mc109LayerWithoutAnnotation() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 5) Layer fc;
                    Layer forgotten;
                }
                """;
        expectOnly(text, "[MC109] field forgotten is a Layer without a layer annotation", "Layer forgotten;",
                columnOf(text, "Layer forgotten;", "forgotten"));
        // In a block, read by a later field's path into it: the block's own error only, no MC210 on the path.
        String inBlock = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10, 16})
                public class Net {
                    @Repeat(2) Blk blocks;
                    @From("blocks.1.fc") @Linear(out = 2) Layer head;

                    @Block
                    static class Blk {
                        @Linear(out = 16) Layer fc;
                        Layer forgotten;
                    }
                }
                """;
        expectOnly(inBlock, "[MC109] field forgotten is a Layer without a layer annotation", "Layer forgotten;",
                columnOf(inBlock, "Layer forgotten;", "forgotten"));
    }

    @Test
    void mc110FieldThatIsNeitherLayerNorBlock() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 5) Layer fc;
                    String name;
                }
                """;
        expectOnly(text, "[MC110] field name of type java.lang.String is neither a Layer nor a @Block; every instance field of a"
                + " model or block is part of the network (fix: make it static if it is a constant, or remove it)", "String name;",
                columnOf(text, "String name;", "name"));
    }

    @Test
    void mc110SuggestsMakingAClassOfTheProjectABlock() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 5) Layer fc;
                    Head head;

                    public static class Head {
                        static final int CLASSES = 2;
                    }
                }
                """;
        expectOnly(text, "(fix: make it static if it is a constant, or annotate Head with @Block if it is a sub-network)",
                "Head head;", columnOf(text, "Head head;", "head;"));
    }

    @Test
    void mc110AFieldOfTheModelsOwnTypeSaysANetworkCannotContainItself() {
        // @Block on the model would not help: a network that holds itself has no end
        String text = ModelSources.model("@Model(input = {10})", "@Linear(out = 5) Layer fc;", "Net again;");
        expectOnly(text, "(fix: make it static if it is a constant, or remove it: a network cannot contain itself)", "Net again;",
                columnOf(text, "Net again;", "again;"));
    }

    @Test
    void mc111LayerAnnotationOutsideAModel() {
        String text = """
                package test;

                import dev.modelcost.*;

                public class Net {
                    @ReLU Layer relu;
                }
                """;
        expectOnly(text, "[MC111] @ReLU on field relu, but Net is neither a @Model nor a @Block", "Layer relu;",
                columnOf(text, "Layer relu;", "@ReLU"));
        // One missing @Model is one error, on the first annotation of the first annotated field, however many follow.
        String many = text.replace("    @ReLU Layer relu;\n", "    @Conv2d(cout = 6, k = 5) Layer conv1;\n    @When(\"true\") @From(\"conv1\") @ReLU Layer relu;\n");
        expectOnly(many, "[MC111] @Conv2d on field conv1, but Net is neither a @Model nor a @Block", "Layer conv1;",
                columnOf(many, "Layer conv1;", "@Conv2d"));
    }

    @Test
    void mc112ModelWithoutLayers() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    static final int WIDTH = 4;
                }
                """;
        expectOnly(text, "[MC112] Net has no layers", "@Model", 1);
    }

    @Test
    void mc150ModelWhoseEveryLayerIsLeftOut() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    static final int DEPTH = 0;
                    @When("DEPTH > 0") @Conv2d(k = 3, cout = 4) Layer conv;
                    @When("DEPTH > 1") @ReLU Layer relu;
                }
                """;
        expectOnly(text, "[MC150] Net runs no layers: every layer is left out by a @When that is false (conv: @When(\"DEPTH > 0\"), "
                + "relu: @When(\"DEPTH > 1\"))", "@Model", 1);
        // Inside blocks too: a block may leave its layers out, the model may not run none.
        String nested = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    Stage stage;

                    @Block
                    public static class Stage {
                        @Param(0) int depth;
                        @When("depth > 0") @Conv2d(k = 3, cout = 4) Layer conv;
                    }
                }
                """;
        expectOnly(nested, "[MC150] Net runs no layers: every layer is left out by a @When that is false (stage.conv: @When(\"depth > 0\"))",
                "@Model", 1);
        // The @Whens found false only, not one that holds.
        String held = """
                package test;

                import dev.modelcost.*;

                @Model(input = {3, 8, 8})
                public class Net {
                    static final int DEPTH = 0;
                    @When("DEPTH >= 0") Stage stage;

                    @Block
                    public static class Stage {
                        @When("DEPTH > 0") @Conv2d(k = 3, cout = 4) Layer conv;
                    }
                }
                """;
        expectOnly(held, "[MC150] Net runs no layers: every layer is left out by a @When that is false (stage.conv: @When(\"DEPTH > 0\"))",
                "@Model", 1);
        // A second model that applies the same block, whose analysis it shares: its own error names the same @When at its own path.
        JavaFileObject net = source("test.Net", held);
        JavaFileObject other = source("test.Other", "package test;\n\nimport dev.modelcost.*;\n\n@Model(input = {3, 8, 8})\n"
                + "public class Other {\n    Net.Stage body;\n}\n");
        Compilation both = compile(net, other);
        assertThat(both).hadErrorContaining("[MC150] Other runs no layers: every layer is left out by a @When that is false "
                + "(body.conv: @When(\"DEPTH > 0\"))").inFile(other).onLineContaining("@Model");
        assertThat(both).hadErrorContaining("[MC150] Net runs no layers").inFile(net).onLineContaining("@Model");
        // One layer that runs is a network.
        ModelSources.compiled(text.replace("DEPTH = 0", "DEPTH = 1"));
    }

    @Test
    void mc151ParamWithAJavaInitializer() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {4, 8, 8})
                public class Net {
                    Part part;

                    @Block
                    public static class Part {
                        @Param final int width = 5;
                        @Conv2d(k = 1, with = "cout = width") Layer conv;
                    }
                }
                """;
        expectOnly(text, "[MC151] @Param field width is initialized in Java (= 5), which is not its default: an @Args value replaces it, and "
                + "without one the block has none (fix: write the default in the annotation, @Param(5), and remove the initializer)",
                "int width = 5;", columnOf(text, "int width = 5;", "width"));
        // Not final, and of another type: the same.
        String scale = text.replace("@Param final int width = 5;", "@Param double scale = 0.5;").replace("cout = width", "cout = 8 * scale");
        expectOnly(scale, "[MC151] @Param field scale is initialized in Java (= 0.5), which is not its default: an @Args value replaces it, and "
                + "without one the block has none (fix: write the default in the annotation, @Param(expr = \"0.5\"), and remove the initializer)",
                "double scale = 0.5;", columnOf(scale, "double scale = 0.5;", "scale"));
        // With a default in the annotation too: that one holds, the initializer goes.
        String both = text.replace("@Param final int width = 5;", "@Param(6) int width = 5;");
        expectOnly(both, "[MC151] @Param field width is initialized in Java (= 5), which is not its default: its default is the one its "
                + "annotation gives (fix: remove the initializer)", "int width = 5;", columnOf(both, "int width = 5;", "width"));
        // An initializer that is no literal: the fix does not copy it into the annotation.
        String computed = text.replace("@Param final int width = 5;", "@Param int width = Integer.parseInt(\"5\");");
        expectOnly(computed, "[MC151] @Param field width is initialized in Java (= Integer.parseInt(\"5\")), which is not its default: an @Args "
                + "value replaces it, and without one the block has none (fix: write the default in the annotation, @Param(expr = \"...\"), and "
                + "remove the initializer)", "int width = Integer", columnOf(computed, "int width = Integer", "width"));
    }

    @Test
    void mc113ParamThatIsNotAnInt() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    Part part;

                    @Block
                    public static class Part {
                        @Param(2) long size;
                        @ReLU Layer relu;
                    }
                }
                """;
        expectOnly(text, "[MC113] @Param field size is declared as long (fix: declare parameters as int, double (a multiplier), boolean (a flag), int[] (a list) or String (a layer kind's name))", "long size;",
                columnOf(text, "long size;", "@Param"));
    }

    @Test
    void mc114ParamInAModel() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Param int size;
                    @Linear(out = 5) Layer fc;
                }
                """;
        expectOnly(text, "[MC114] @Param field size is in Net, which is not a @Block", "int size;", columnOf(text, "int size;", "@Param"));
    }

    @Test
    void mc115ArgsOnALayer() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Args("size = 4") @Linear(out = 5) Layer fc;
                }
                """;
        expectOnly(text, "[MC115] @Args on field fc, which is not a block", "Layer fc;", columnOf(text, "Layer fc;", "@Args"));
    }

    @Test
    void mc115RepeatOnALayer() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Repeat(2) @ReLU Layer relu;
                }
                """;
        expectOnly(text, "[MC115] @Repeat on field relu, which is not a block", "Layer relu;", columnOf(text, "Layer relu;", "@Repeat"));
    }

    @Test
    void mc116FromOnAMerge() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @Linear(out = 10) Layer a;
                    @Linear(out = 10) Layer b;
                    @From("a") @Add({"a", "b"}) Layer sum;
                }
                """;
        expectOnly(text, "[MC116] @From on merge field sum; a merge names its inputs itself", "Layer sum;",
                columnOf(text, "Layer sum;", "@From"));
    }

    @Test
    void mc117FieldCalledInput() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    @ReLU Layer input;
                }
                """;
        expectOnly(text, "[MC117] a field may not be called 'input': the name stands for the block input", "Layer input;",
                columnOf(text, "Layer input;", "input;"));
    }

    @Test
    void mc117ParamCalledIn() {
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    Part part;

                    @Block
                    public static class Part {
                        @Param(1) int in;
                        @ReLU Layer relu;
                    }
                }
                """;
        expectOnly(text, "[MC117] a @Param may not be called 'in'", "int in;", columnOf(text, "int in;", "@Param"));
    }

    @Test
    void aCorrectSpecOfTheSameShapesCompiles() {
        // The control for this class: the fields above, written correctly, give no diagnostic at all.
        Compilation compilation = compile(source("test.Net", """
                package test;

                import dev.modelcost.*;

                @Model(input = {10})
                public class Net {
                    static final int WIDTH = 4;
                    @Args("size = WIDTH") Part part;
                    @Linear(out = 10) Layer a;
                    @Linear(out = 10) Layer b;
                    @Add({"a", "b"}) Layer sum;

                    @Block
                    public static class Part {
                        @Param int size;
                        @Param(expr = "size * 2") int wide;
                        @Linear(with = "out = wide") Layer fc;
                        @ReLU Layer relu;
                    }
                }
                """));
        assertThat(compilation).succeededWithoutWarnings();
    }
}
