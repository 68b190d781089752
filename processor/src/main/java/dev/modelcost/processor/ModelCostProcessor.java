package dev.modelcost.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.modelcost.processor.analysis.Analyzer;
import dev.modelcost.processor.analysis.BudgetCheck;
import dev.modelcost.processor.counters.CounterBudget;
import dev.modelcost.processor.counters.Reading;
import dev.modelcost.processor.counters.Readings;
import dev.modelcost.processor.memory.Liveness;
import dev.modelcost.processor.memory.MemoryBudget;
import dev.modelcost.processor.memory.MemoryFit;
import dev.modelcost.processor.roofline.Bound;
import dev.modelcost.processor.training.TrainingStep;
import dev.modelcost.processor.roofline.LatencyBudget;
import dev.modelcost.processor.roofline.Rooflines;
import dev.modelcost.processor.sizes.ClosedForms;
import dev.modelcost.processor.sizes.RangeBudget;
import dev.modelcost.processor.sizes.SizeForms;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Reporter;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.layers.OpRegistry;
import dev.modelcost.processor.spec.Mirrors;
import dev.modelcost.processor.spec.SpecReader;
import dev.modelcost.processor.write.CostClassWriter;
import dev.modelcost.processor.write.LayerTableText;
import dev.modelcost.processor.write.Reports;
import dev.modelcost.processor.write.Results;
import java.io.IOException;
import javax.annotation.processing.FilerException;
import javax.tools.JavaFileObject;
import java.io.Writer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The modelcost annotation processor: for every {@code @Model} class it reads the spec, validates
 * it, infers shapes, computes costs, checks the budget and writes {@code <Model>Cost}.
 */
@AutoService(Processor.class)
public final class ModelCostProcessor extends AbstractProcessor {
    /** Option that adds the stack trace to an internal error. */
    public static final String DEBUG_OPTION = "modelcost.debug";
    /** Option that prints, per model, a note with its leaf count, block analyses and processing time. */
    public static final String STATS_OPTION = "modelcost.stats";
    /** Option that prints a one-line summary note per model. */
    public static final String SUMMARY_OPTION = "modelcost.summary";
    /** Option that picks the reports: {@code all} (the default), {@code none} ({@code false}), or a list such as {@code json,html}. */
    public static final String REPORTS_OPTION = "modelcost.reports";
    /** Option that sets how deep the report tables go (default 3). */
    public static final String DEPTH_OPTION = "modelcost.depth";

    private final OpRegistry registry;
    private SpecReader reader;
    private BlockIndex index;
    /** The models processed in this compilation, by qualified name. */
    private final Set<String> processed = new java.util.HashSet<>();
    /**
     * Models whose annotations named what did not exist yet (a constant of a class generated in this round, {@code ACost.MACS}),
     * by qualified name: read again in the next round, when it may.
     */
    private final Set<String> deferred = new java.util.LinkedHashSet<>();
    /** Whether a file could not be written in this compilation (MC160, told once). */
    private boolean writeFailed;
    /** Whether this is the last round, after which nothing more is generated. */
    private boolean lastRound;
    private Analyzer analyzer;
    private Reporter reporter;
    private CostClassWriter writer;
    private boolean debug;
    private boolean stats;
    private boolean summary;
    private Set<Reports.Format> reports;
    private int depth;

    /** The processor with the built-in operation kinds, as the compiler loads it. */
    public ModelCostProcessor() {
        this(OpRegistry.builtIns());
    }

    /**
     * A processor that knows the operation kinds of {@code registry}: the built-ins and more
     * (see the README's "Adding a layer kind").
     */
    public ModelCostProcessor(OpRegistry registry) {
        this.registry = registry;
    }

    @Override
    public synchronized void init(ProcessingEnvironment environment) {
        super.init(environment);
        String name = ModelCostProcessor.class.getCanonicalName();
        reader = new SpecReader(environment, registry, name);
        index = new BlockIndex(environment.getFiler());
        analyzer = new Analyzer(reader::fromSource, reader::suppressed);
        reporter = Reporter.of(environment, !SpecReader.isEclipse(environment), reader::suppressed);
        writer = new CostClassWriter(name, registry);
        debug = flagOption(DEBUG_OPTION, environment.getOptions());
        stats = flagOption(STATS_OPTION, environment.getOptions());
        summary = flagOption(SUMMARY_OPTION, environment.getOptions());
        // javac gives -Amodelcost.reports= (and the option alone) as a null value: an empty one, not an absent one.
        Map<String, String> options = environment.getOptions();
        reports = reportsOption(options.containsKey(REPORTS_OPTION) && options.get(REPORTS_OPTION) == null ? "" : options.get(REPORTS_OPTION));
        depth = depthOption(options.containsKey(DEPTH_OPTION) && options.get(DEPTH_OPTION) == null ? "" : options.get(DEPTH_OPTION));
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        // @Generated on the classes it writes too, so that -Xlint:processing finds every annotation claimed.
        return Set.of(Mirrors.DSL + ".*", javax.annotation.processing.Generated.class.getCanonicalName());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(DEBUG_OPTION, STATS_OPTION, SUMMARY_OPTION, REPORTS_OPTION, DEPTH_OPTION);
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        try {
            reader.addSources(round.getRootElements());
            Placement.check(annotations, round).forEach(reporter::report);
            List<TypeElement> blocks = sorted(round, Mirrors.DSL + ".Block");
            for (TypeElement block : blocks) {
                List<Problem> problems = new ArrayList<>();
                guarded(block, () -> reader.readBlock(block, problems));
                problems.forEach(reporter::report);
                guarded(block, () -> recordFieldOrder(block));
                guarded(block, () -> recordSourceOnly(block));
            }
            lastRound = round.processingOver();
            List<TypeElement> models = new ArrayList<>();
            for (String name : List.copyOf(deferred)) {
                TypeElement model = processingEnv.getElementUtils().getTypeElement(name);
                if (model != null) {
                    models.add(model);
                }
            }
            deferred.clear();
            List<TypeElement> roundModels = sorted(round, Mirrors.DSL + ".Model");
            roundModels.forEach(model -> guarded(model, () -> recordSourceOnly(model)));
            models.addAll(roundModels);
            // A @LayerOf may name a kind any model's field declares with @LayerKind, whichever model is analysed first.
            models.forEach(model -> guarded(model, () -> reader.learnDeclaredKinds(model)));
            for (TypeElement model : models) {
                guarded(model, () -> processModel(model, problem -> problem));
            }
            for (TypeElement block : blocks) {
                guarded(block, () -> analyseEarlierUsers(block));
            }
            if (round.processingOver()) {
                index.write(name -> {
                    TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
                    return type != null && Mirrors.mirror(type, Mirrors.DSL + ".Model") != null;
                }, name -> processingEnv.getElementUtils().getTypeElement(name));
            }
        } catch (IOException e) {
            notWritten(null, e, problem -> problem);
        } catch (RuntimeException | LinkageError | OutOfMemoryError | StackOverflowError e) {
            internalError(null, e);
        }
        // The DSL's annotations are this processor's: claiming them keeps -Xlint:processing quiet.
        return true;
    }

    /**
     * Analyses again the models that earlier builds recorded as users of a block compiled from
     * source, where this compilation does not compile them: their problems go on the block, naming
     * the model, and their Cost classes are written again.
     */
    private void analyseEarlierUsers(TypeElement block) {
        String blockName = block.getQualifiedName().toString();
        for (String name : index.earlierUsers(blockName)) {
            TypeElement model = processingEnv.getElementUtils().getTypeElement(name);
            if (model == null && !processed.contains(name)) {
                // The output holds the model's class, but the class path does not: its figures would go stale unsaid. A model
                // deleted since (its class gone too) is dropped from the record when a build compiles its blocks with their users.
                if (inClassOutput(name)) {
                    reporter.report(new Problem(Diagnostic.UNREACHABLE_USER, Site.of(block), name, blockName));
                }
                continue;
            }
            if (processed.contains(name) || model == null || Mirrors.mirror(model, Mirrors.DSL + ".Model") == null || reader.fromSource(model)
                    || !reader.knowsFieldOrder(model)) {
                // Under the Eclipse compiler a model's class file does not keep its field order: such a model is left as it is.
                continue;
            }
            String context = " [in model " + name + ", not compiled with block " + block.getSimpleName()
                    + " but analysed again with it, from the class file of an earlier build]";
            // A problem on an element of this compilation's sources (a field of the block) stays there; one on the model, read from
            // its class file, goes on the block.
            guarded(model, () -> processModel(model, problem -> problem.at(problem.site() != null && problem.site().element() != null
                    && reader.fromSource(problem.site().element()) ? problem.site() : Site.of(block), context)));
        }
    }

    private void processModel(TypeElement type, java.util.function.UnaryOperator<Problem> place) {
        processed.add(type.getQualifiedName().toString());
        SourceVersion release = processingEnv.getSourceVersion();
        if (release.compareTo(SourceVersion.RELEASE_17) < 0) {
            // The generated class is a record's user and holds one: javac would refuse it line by line.
            reporter.report(place.apply(new Problem(Diagnostic.RELEASE_BEFORE_17, Site.of(type, Mirrors.mirror(type, Mirrors.DSL + ".Model")),
                    release.name().substring("RELEASE_".length()))));
            return;
        }
        long start = System.nanoTime();
        long analysesBefore = analyzer.blockAnalyses();
        List<Problem> problems = new ArrayList<>();
        Optional<ModelSpec> spec = reader.readModel(type, problems);
        problems.stream().map(place).forEach(reporter::report);
        if (spec.isEmpty()) {
            if (problems.isEmpty() && !lastRound) {
                // Rejected for javac's own error, an annotation value it could not resolve: a class generated in this round may
                // resolve it in the next, where javac reports nothing.
                deferred.add(type.getQualifiedName().toString());
            }
            return;
        }
        spec.get().network().blocks().forEach(block -> index.uses(block.name(), type.getQualifiedName().toString()));
        Optional<Problem> unknownCounter = CounterBudget.unknownCounter(spec.get());
        if (unknownCounter.isPresent()) {
            reporter.report(place.apply(unknownCounter.get()));
            return;
        }
        try {
            ModelCosts costs = analyzer.analyze(spec.get());
            analyzer.warnings().stream().map(place).forEach(reporter::report);
            List<Reading> readings = Readings.of(costs);
            List<Bound> bounds = Rooflines.of(costs);
            Liveness liveness = Liveness.of(costs);
            long formsStart = System.nanoTime();
            SizeForms sizes = spec.get().sizes().isEmpty() ? null : ClosedForms.of(costs, analyzer, readings, liveness);
            long formsTime = System.nanoTime() - formsStart;
            Results results = new Results(costs, readings, bounds, Rooflines.decode(costs, bounds), liveness, TrainingStep.of(costs, analyzer.fresh()), sizes);
            List<Problem> overBudget = new ArrayList<>(BudgetCheck.check(costs));
            List<Problem> overOthers = new ArrayList<>(CounterBudget.check(costs, readings));
            overOthers.addAll(LatencyBudget.check(costs, bounds, results.decodeBounds()));
            overOthers.addAll(MemoryBudget.check(costs, results.memory(), results.training()));
            if (sizes != null) {
                // A bound broken at the declared sizes is told there, once: not again at the first size of the range that breaks it.
                java.util.Set<Site> broken = java.util.stream.Stream.concat(overBudget.stream(), overOthers.stream()).map(Problem::site)
                        .collect(java.util.stream.Collectors.toSet());
                RangeBudget.check(spec.get(), sizes, analyzer).stream()
                        .filter(problem -> problem.diagnostic() != Diagnostic.RANGE_OVER_BUDGET && problem.diagnostic() != Diagnostic.RANGE_LATENCY_OVER_BUDGET
                                || !broken.contains(problem.site()))
                        .forEach(overBudget::add);
            }
            overBudget.addAll(overOthers);
            if (!overBudget.isEmpty()) {
                overBudget.stream().map(place).forEach(reporter::report);
                return;
            }
            MemoryFit.check(costs, results.memory()).stream().map(place).forEach(reporter::report);
            BudgetCheck.nothingBounded(costs).stream().map(place).forEach(reporter::report);
            if (sizes != null) {
                RangeBudget.nothingBounded(costs, sizes).stream().map(place).forEach(reporter::report);
            }
            LatencyBudget.nothingBounded(costs, results.decodeBounds()).stream().map(place).forEach(reporter::report);
            // Both outputs are built in memory first, so a failure never leaves half a file.
            String table = LayerTableText.of(costs);
            JavaFile file = writer.build(results, reader.packageOf(type), table, reader.kinds(),
                    GeneratedMark.visibleFrom(processingEnv.getElementUtils(), type));
            Map<String, String> files = Reports.of(results, table, reports, depth);
            // The reports first and the class last, so that a failure to write a file never leaves a Cost class behind;
            // the Filer refuses the class if a type of that name is already generated or compiled.
            for (Map.Entry<String, String> entry : files.entrySet()) {
                write(processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", entry.getKey(), type), entry.getValue());
            }
            String qualified = file.packageName().isEmpty() ? file.typeSpec().name() : file.packageName() + "." + file.typeSpec().name();
            if (libraryClass(file.packageName(), file.typeSpec().name())) {
                // The generated class would hide a library's class of that name from every other class compiled here.
                reporter.report(place.apply(new Problem(Diagnostic.COST_CLASS_CLASH, Site.of(type, Mirrors.mirror(type, Mirrors.DSL + ".Model")),
                        qualified, "a class of that name is on the class path, which the generated one would hide")));
                return;
            }
            String text = CostClassWriter.render(file, table);
            if (reader.isSourceType(qualified)) {
                // A type of that name is compiled here (the reader let through only an earlier build's Cost class, which Maven passes
                // back after a build that failed): where its file holds this very class, javac compiles it as it is; asking the Filer
                // for it again would only be refused, with a warning.
                Problem refused = earlierOutput(qualified, text);
                if (refused != null) {
                    reporter.report(place.apply(refused.at(Site.of(type, Mirrors.mirror(type, Mirrors.DSL + ".Model")), "")));
                    return;
                }
            } else {
                try {
                    write(processingEnv.getFiler().createSourceFile(qualified, type), text);
                } catch (FilerException e) {
                    // another processor's class of that name, generated in this round
                    reporter.report(place.apply(new Problem(Diagnostic.COST_CLASS_CLASH, Site.of(type, Mirrors.mirror(type, Mirrors.DSL + ".Model")),
                            qualified, "a type of that name already exists")));
                    return;
                }
            }
            if (summary) {
                reporter.note(Reports.summary(results), type);
            }
            if (stats) {
                reporter.note(String.format(java.util.Locale.ROOT, "[modelcost] %s: %,d leaves, %,d block analyses, %.1f ms",
                        type.getQualifiedName(), costs.leafCount(), analyzer.blockAnalyses() - analysesBefore,
                        (System.nanoTime() - start) / 1e6) + (sizes == null ? "" : String.format(java.util.Locale.ROOT,
                        "; closed forms %.1f ms of it, with %,d analyses at other sizes (%.1f ms, their counters and memory included)", formsTime / 1e6,
                        sizes.analyses(), sizes.analysisNanos() / 1e6)), type);
            }
        } catch (Problem problem) {
            // The warnings of an analysis that stopped at an error are the model's too, told with it rather than with a later model.
            analyzer.warnings().stream().map(place).forEach(reporter::report);
            reporter.report(place.apply(problem));
        } catch (IOException e) {
            notWritten(type, e, place);
        }
    }

    /**
     * Why the Cost class {@code qualified}, compiled here from a file an earlier build generated (the reader refuses any other class
     * of that name, MC105), cannot stand for the one this build writes ({@code text}): MC159 where the file holds another class;
     * MC105 where its file is not known (the Eclipse compiler). Null where it holds this very class. The problem has no site yet.
     */
    private Problem earlierOutput(String qualified, String text) {
        TypeElement existing = processingEnv.getElementUtils().getTypeElement(qualified);
        JavaFileObject file = existing == null ? null : reader.sourceFileOf(existing);
        if (file == null) {
            return new Problem(Diagnostic.COST_CLASS_CLASH, null, qualified, "a type of that name already exists");
        }
        try {
            if (sameInAnyEncoding(text, file.getCharContent(true).toString())) {
                return null;
            }
        } catch (IOException unreadable) {
            // told as out of date: the file cannot be compared
        }
        return new Problem(Diagnostic.STALE_COST_CLASS, null, qualified, file.toUri().getPath() == null ? file.getName() : file.toUri().getPath());
    }

    /**
     * Whether {@code read}, a file read back, holds {@code written} as the Filer wrote it: the same text, but where the source
     * encoding (ASCII, Latin-1) has no character for one of the Javadoc's ({@code ·}, {@code ᵀ}), it holds a {@code ?}.
     */
    static boolean sameInAnyEncoding(String written, String read) {
        if (written.length() != read.length()) {
            return false;
        }
        for (int i = 0; i < written.length(); i++) {
            char w = written.charAt(i);
            if (w != read.charAt(i) && !(w > 0x7F && read.charAt(i) == '?')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the class path holds a class file of that name that no earlier build of this processor wrote: a Cost class has its
     * constants' names in its constant pool. Read through the Filer, as bytes: looking the name up as a type before the class is
     * generated would make javac complete it too early.
     */
    private boolean libraryClass(String packageName, String simpleName) {
        byte[] bytes = classFile(StandardLocation.CLASS_PATH, packageName, simpleName);
        if (bytes == null) {
            return false;
        }
        String pool = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        return !SpecReader.COST_CLASS_CONSTANTS.stream().allMatch(pool::contains);
    }

    /** Whether the class output holds the class file of a top-level class of this qualified name. */
    private boolean inClassOutput(String qualified) {
        int dot = qualified.lastIndexOf('.');
        return classFile(StandardLocation.CLASS_OUTPUT, dot < 0 ? "" : qualified.substring(0, dot), qualified.substring(dot + 1)) != null;
    }

    /** The bytes of a class file at {@code location}, read through the Filer, or null where there is none. */
    private byte[] classFile(StandardLocation location, String packageName, String simpleName) {
        try (java.io.InputStream in = processingEnv.getFiler().getResource(location, packageName, simpleName + ".class").openInputStream()) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException absent) {
            return null;
        }
    }

    private static void write(FileObject file, String text) throws IOException {
        try (Writer out = file.openWriter()) {
            out.write(text);
        }
    }

    /** Records beside the class files what Java keeps in source only: the file's imports and its {@code @SuppressWarnings}. */
    private void recordSourceOnly(TypeElement type) {
        try {
            reader.recordImports(type);
            reader.recordSuppressions(type);
        } catch (IOException e) {
            notWritten(type, e, problem -> problem);
        }
    }

    private void recordFieldOrder(TypeElement block) {
        try {
            reader.recordFieldOrder(block);
        } catch (IOException e) {
            notWritten(block, e, problem -> problem);
        }
    }

    private Set<Reports.Format> reportsOption(String value) {
        return Reports.Format.parse(value).orElseGet(() -> {
            processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.WARNING,
                    written(REPORTS_OPTION, value) + " is not all, none or a list of json, md and html; writing all reports");
            return java.util.EnumSet.allOf(Reports.Format.class);
        });
    }

    /** An option as the user wrote it: {@code -Amodelcost.depth=x}, or {@code -Amodelcost.depth} without a value. */
    private static String written(String option, String value) {
        return value.isEmpty() ? "-A" + option + " without a value" : "-A" + option + "=" + value;
    }

    private int depthOption(String value) {
        if (value == null) {
            return 3;
        }
        int depth;
        try {
            // 0 to 9 only, as every other number modelcost reads
            String digits = value.trim();
            depth = digits.matches("[0-9]+") ? Integer.parseInt(digits) : 0;
        } catch (NumberFormatException e) {
            depth = 0;
        }
        if (depth < 1) {
            processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.WARNING,
                    written(DEPTH_OPTION, value) + " is not a whole number from 1 to 2147483647; using 3");
            return 3;
        }
        return depth;
    }

    /** An option that is true or false (any case); true written alone ({@code -Amodelcost.stats}), false when absent; any other value warns. */
    private boolean flagOption(String name, Map<String, String> options) {
        String value = options.get(name);
        if (value == null) {
            return options.containsKey(name);
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.WARNING, "-A" + name + "=" + value + " is not true or false; using false");
        return false;
    }

    private void guarded(TypeElement type, Runnable work) {
        try {
            work.run();
        } catch (Problem problem) {
            reporter.report(problem);
        } catch (OutOfMemoryError e) {
            // What this model's analysis held is garbage now (the blocks analysed whole stay shared with later models).
            long most = Runtime.getRuntime().maxMemory();
            reporter.report(new Problem(Diagnostic.OUT_OF_MEMORY, Site.of(type), type.toString(),
                    most == Long.MAX_VALUE ? "no limit set" : String.format(java.util.Locale.ROOT, "%,d MiB", most >> 20)));
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            internalError(type, e);
        }
    }

    /**
     * A file the processor writes that javac's Filer cannot write (an output directory that cannot be created or written): MC160 on
     * {@code element}, placed by {@code place}, or on the compilation where null (the record of blocks' users, written last), once a
     * compilation; the files of later models fail alike.
     */
    private void notWritten(Element element, IOException e, java.util.function.UnaryOperator<Problem> place) {
        if (!writeFailed) {
            writeFailed = true;
            String what = element == null ? "this compilation" : element.toString();
            String why = (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + outputDirectories();
            if (element == null) {
                processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR, Diagnostic.NOT_WRITTEN.format(what, why));
            } else {
                reporter.report(place.apply(new Problem(Diagnostic.NOT_WRITTEN, Site.of(element), what, why)));
            }
        }
    }

    /**
     * The output directories of this compilation, as javac's Filer places files in them ({@code "; javac writes classes to /a and
     * generated sources to /b"}), for MC160; empty where it places them elsewhere than in directories (in memory).
     */
    private String outputDirectories() {
        String classes = directory(javax.tools.StandardLocation.CLASS_OUTPUT);
        String sources = directory(javax.tools.StandardLocation.SOURCE_OUTPUT);
        return classes == null || sources == null ? "" : "; javac writes classes to " + classes + " and generated sources to " + sources;
    }

    /** The directory of {@code location}, where javac's Filer would write a file at its top: asked of the Filer, nothing created. */
    private String directory(javax.tools.StandardLocation location) {
        try {
            return java.nio.file.Path.of(processingEnv.getFiler().getResource(location, "", "file").toUri()).getParent().toString();
        } catch (IOException | RuntimeException e) {
            return null; // not a directory on disk (an in-memory file manager), or none the Filer gives
        }
    }

    private void internalError(Element element, Throwable e) {
        String what = element == null ? "this compilation" : element.toString();
        String failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (debug) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            failure += "\n" + trace;
        }
        if (element == null) {
            processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR, Diagnostic.INTERNAL_ERROR.format(what, failure));
        } else {
            reporter.report(new Problem(Diagnostic.INTERNAL_ERROR, Site.of(element), what, failure));
        }
    }

    private static List<TypeElement> sorted(RoundEnvironment round, String annotation) {
        List<TypeElement> types = new ArrayList<>();
        for (TypeElement type : ElementFilter.typesIn(round.getRootElements())) {
            collect(type, annotation, types);
        }
        types.sort(Comparator.comparing(t -> t.getQualifiedName().toString()));
        return types;
    }

    private static void collect(TypeElement type, String annotation, List<TypeElement> into) {
        if (Mirrors.mirror(type, annotation) != null) {
            into.add(type);
        }
        for (TypeElement nested : ElementFilter.typesIn(type.getEnclosedElements())) {
            collect(nested, annotation, into);
        }
    }
}
