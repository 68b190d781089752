package dev.modelcost.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.modelcost.LayerCost;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Counter;
import dev.modelcost.processor.counters.Reading;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.layers.OpRegistry;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.roofline.Bound;
import dev.modelcost.processor.spec.ModelSpec;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Generated;
import javax.lang.model.element.Modifier;

/** Builds the {@code <Model>Cost} class of an analysed model (constants and Javadoc) and its per-layer table. */
public final class CostClassWriter {
    private static final Modifier[] CONSTANT = {Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL};
    private static final ClassName LIST = ClassName.get(List.class);
    private static final ClassName LAYER_COST = ClassName.get(LayerCost.class);

    private final String generator;
    private final OpRegistry registry;

    /** A writer that names {@code generator} in {@code @Generated} and documents the kinds of {@code registry}. */
    public CostClassWriter(String generator, OpRegistry registry) {
        this.generator = generator;
        this.registry = registry;
    }

    /** The Java file for a model in the given package, with its per-layer {@code table} (see {@link LayerTableText}). */
    public JavaFile build(Results results, String packageName, String table) {
        return build(results, packageName, table, registry.kinds());
    }

    /**
     * The Java file for a model whose Javadoc lists the rules of {@code kinds} it uses (the
     * registry's and those declared with {@code @LayerKind}).
     */
    public JavaFile build(Results results, String packageName, String table, java.util.Collection<OpKind> kinds) {
        return build(results, packageName, table, kinds, true);
    }

    /**
     * The Java file for a model, {@code @Generated} only where {@code marked}: its annotation type is in module
     * {@code java.compiler}, which a model in a named module that does not read it could not name.
     */
    public JavaFile build(Results results, String packageName, String table, java.util.Collection<OpKind> kinds, boolean marked) {
        ModelCosts costs = results.costs();
        List<Reading> readings = results.readings();
        List<Bound> bounds = results.bounds();
        ModelSpec spec = costs.spec();
        Costs totals = costs.totals();
        ClassName model = ClassName.get(spec.network().element());
        TypeSpec.Builder type = TypeSpec.classBuilder(spec.costClass())
                .addOriginatingElement(spec.network().element())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL);
        if (marked) {
            type.addAnnotation(com.palantir.javapoet.AnnotationSpec.builder(Generated.class).addMember("value", "$S", generator).build());
        }
        type.addJavadoc("$L", Javadoc.header(costs, spec.network().element(), kinds))
                .addField(constant(TypeName.INT, "BATCH", "The batch size every figure is computed for.", CodeBlock.of("$L", spec.batch())))
                .addField(constant(ClassName.get(String.class), "INPUT_SHAPE", "The input shape with the batch, as PyTorch prints it.",
                        Literals.string(spec.inputShapes())))
                .addField(constant(ClassName.get(String.class), "OUTPUT_SHAPE", "The output shape with the batch (1 for a tensor without a batch axis), as PyTorch prints it.",
                        Literals.string(withBatch(spec.batch(), costs.output()))))
                .addField(constant(integers(), "INPUT", "The (first) input shape without the batch.", shapeList(spec.input())))
                .addField(constant(ParameterizedTypeName.get(LIST, ClassName.get(String.class)), "INPUT_NAMES",
                        "The names of the inputs, in order ({@code input} for a model of one).",
                        CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(spec.network().inputs().stream().map(Literals::string).toList(), ", "))))
                .addField(constant(ParameterizedTypeName.get(LIST, integers()), "INPUTS", "Every input shape without the batch, in the order of {@link #INPUT_NAMES}.",
                        CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(spec.inputs().stream().map(CostClassWriter::shapeList).toList(), ", "))))
                .addField(constant(integers(), "OUTPUT", "The output shape without the batch.", shapeList(costs.output())))
                .addField(constant(ParameterizedTypeName.get(LIST, ClassName.get(String.class)), "OUTPUT_NAMES",
                        "The names of the tensors the model returns, in order ({@code @Model(output)}; the last field's for a model of one): "
                        + "the first is {@link #OUTPUT}.",
                        CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(costs.outputNames().stream().map(Literals::string).toList(), ", "))))
                .addField(constant(ParameterizedTypeName.get(LIST, integers()), "OUTPUTS", "Every output shape without the batch, in the order of {@link #OUTPUT_NAMES}.",
                        CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(costs.outputs().stream().map(CostClassWriter::shapeList).toList(), ", "))))
                .addFields(figures(totals))
                .addField(budget(spec, Figure.MACS))
                .addField(budget(spec, Figure.FLOPS))
                .addField(budget(spec, Figure.PARAMS))
                .addField(budget(spec, Figure.ACTIVE_PARAMS))
                .addField(budget(spec, Figure.KV_CACHE_BYTES))
                .addField(budget(spec, Figure.DECODE_MACS))
                .addField(budget(spec, Figure.WEIGHT_BYTES))
                .addField(budget(spec, Figure.BYTES_MOVED))
                .addField(constant(ClassName.get(String.class), "BUDGET_COUNTER", "The counter whose convention {@link #MAX_MACS} and "
                        + "{@link #MAX_PARAMS} are stated in ({@code @Budget(counter)}); empty for modelcost's own figures.",
                        CodeBlock.of("$S", spec.budget().stream().filter(b -> b.limit() < Long.MAX_VALUE).map(b -> b.counter()).filter(c -> !c.isEmpty())
                                .findFirst().orElse(""))))
                .addField(constant(TypeName.DOUBLE, "MAX_LATENCY_SECONDS", "The {@code @Budget} bound on the roofline latency bound on "
                        + "{@link #LATENCY_HARDWARE}, in seconds; {@code Double.POSITIVE_INFINITY} when unbounded." + others(spec.roofline().latencies()),
                        spec.roofline().latency() == null ? CodeBlock.of("$T.POSITIVE_INFINITY", Double.class)
                                : CodeBlock.of("$L", Numbers.exact(spec.roofline().latency().seconds()))))
                .addField(constant(ClassName.get(String.class), "LATENCY_HARDWARE", "The hardware profile {@link #MAX_LATENCY_SECONDS} is "
                        + "checked on; empty when unbounded.",
                        CodeBlock.of("$S", spec.roofline().latency() == null ? "" : spec.roofline().latency().hardware().id())))
                .addField(constant(TypeName.DOUBLE, "MAX_DECODE_LATENCY_SECONDS", "The {@code @Budget} bound on the roofline latency bound of one "
                        + "decoding step on " + (spec.roofline().decodeLatency() == null ? "its hardware" : Javadoc.code(spec.roofline().decodeLatency().hardware().id())) + ", in seconds; {@code Double.POSITIVE_INFINITY} when unbounded." + others(spec.roofline().decodeLatencies()),
                        spec.roofline().decodeLatency() == null ? CodeBlock.of("$T.POSITIVE_INFINITY", Double.class)
                                : CodeBlock.of("$L", Numbers.exact(spec.roofline().decodeLatency().seconds()))))
                .addFields(counters(readings))
                .addField(constant(TypeName.DOUBLE, "ARITHMETIC_INTENSITY", "Arithmetic intensity of the whole forward pass: {@link #FLOPS} "
                        + "and {@link #OTHER_OPS} per byte of {@link #BYTES_MOVED}; 0 when nothing moves.",
                        CodeBlock.of("$L", Numbers.exact(RooflineText.intensity(totals)))))
                .addFields(RooflineText.constants(bounds))
                .addFields(RooflineText.decodeConstants(results.decodeBounds(), costs))
                .addField(constant(TypeName.LONG, "PEAK_ACTIVATION_BYTES", "The most bytes of activations alive at once in a forward pass, "
                        + "as eager PyTorch holds them: an output lives from the layer that writes it to its last reader, a block's inputs while "
                        + "the block runs, the model's inputs throughout; views, dropout and in-place layers allocate nothing, but a reshape PyTorch "
                        + "cannot view copies, and a Linear or matmul holds the copy it makes of an operand it cannot fold; max pooling holds "
                        + "its int64 indices while it runs; a tensor read by path from inside a block lives from the layer that writes it, and a "
                        + "mixture of experts holds one expert's peak over every token. At each layer's activation dtype; "
                        + Numbers.grouped(results.memory().bytes())
                        + " bytes while " + Javadoc.code(results.memory().at()) + " runs.",
                        CodeBlock.of("$LL", results.memory().bytes())))
                .addField(constant(ClassName.get(String.class), "PEAK_ACTIVATION_LAYER", "The layer running when "
                        + "{@link #PEAK_ACTIVATION_BYTES} are alive.", Literals.string(results.memory().at())))
                .addField(constant(TypeName.LONG, "INFERENCE_MEMORY_BYTES", "Memory for inference, in bytes: {@link #WEIGHT_BYTES}, the "
                        + "buffers at the activation dtype (" + Numbers.grouped(results.memory().bufferBytes(costs)) + "), "
                        + "{@link #PEAK_ACTIVATION_BYTES} and {@link #KV_CACHE_BYTES}. Allocator overhead, workspaces inside kernels and "
                        + "the framework's own memory are not counted.", CodeBlock.of("$LL", results.memory().inference(costs))))
                .addField(memoryBudget(spec, "maxPeakActivationBytes", "MAX_PEAK_ACTIVATION_BYTES", "PEAK_ACTIVATION_BYTES"))
                .addField(memoryBudget(spec, "maxInferenceMemoryBytes", "MAX_INFERENCE_MEMORY_BYTES", "INFERENCE_MEMORY_BYTES"))
                .addFields(TrainingText.constants(spec, results.training()))
                .addField(constant(TypeName.INT, "LAYER_COUNT", "How many leaves {@link #LAYERS} lists.", CodeBlock.of("$L", costs.leafCount())))
                .addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, LAYER_COST), "LAYERS", CONSTANT)
                        .addJavadoc("Every leaf in execution order, with its path, kind, output shape and costs.\n")
                        .initializer(LayerTableText.inline(table)
                                ? CodeBlock.of("$T.table($L, $S)", LAYER_COST, TABLE, spec.costClass())
                                : CodeBlock.of("$T.load($L.class, $S)", LAYER_COST, spec.costClass(), layerTableName(spec)))
                        .build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addJavadoc("Not instantiable: the class holds constants only.\n").build());
        SizeFunctions.add(type, spec.costClass(), spec.network().simpleName(), Javadoc.reference(spec.network().element()), results.sizes());
        // Every type by a single-type import, java.lang's too: an import shadows a class of the model's package named String, List, ...,
        // and a class named java, javax or dev, which would hide those packages from a qualified name, is out of scope in imports.
        return JavaFile.builder(packageName, type.build()).skipJavaLangImports(false).build();
    }

    /**
     * Stands for the per-layer table's string literal while JavaPoet lays out the class (it lays a
     * file out twice, the first time to collect imports, escaping every character of a {@code $S}
     * each time); {@link #render} puts the literal in.
     */
    private static final String TABLE = "MODELCOST$LAYER$TABLE";

    /** A field initializer's continuation lines: the class body's indent and JavaPoet's double indent of a wrapped literal. */
    private static final String CONTINUATION = "      + ";

    /** The source text of a file that {@link #build} made, with its per-layer {@code table} in place. */
    public static String render(JavaFile file, String table) {
        String text = file.toString();
        // imported, or qualified where the generated class is itself named LayerCost (a model named Layer): the call ends so
        String call = LAYER_COST.simpleName() + ".table(";
        int at = text.indexOf(call + TABLE);
        return at < 0 ? text : text.substring(0, at) + call + literal(table, CONTINUATION) + text.substring(at + call.length() + TABLE.length());
    }

    /**
     * A Java string literal of {@code value} as JavaPoet writes one: escaped, and split after each
     * line break into {@code "line\n"} pieces joined by {@code +} on continuation lines that start
     * with {@code continuation}.
     */
    static String literal(String value, String continuation) {
        StringBuilder out = new StringBuilder(value.length() + value.length() / 8 + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
            if (c == '\n' && i + 1 < value.length()) {
                out.append("\"\n").append(continuation).append('"');
            }
        }
        return out.append('"').toString();
    }

    /** The resource, in the class output, that holds a model's per-layer table when the class does not. */
    static String layerTableName(ModelSpec spec) {
        return Reports.baseName(spec) + ".layers.tsv";
    }

    static FieldSpec constant(TypeName type, String name, String doc, CodeBlock value) {
        return FieldSpec.builder(type, name, CONSTANT).addJavadoc("$L", doc + "\n").initializer(value).build();
    }

    /** Where several {@code @Budget}s bound a latency on other profiles, what the first's constant leaves out: the others, each checked. */
    private static String others(List<dev.modelcost.processor.spec.RooflineSpec.LatencyLimit> limits) {
        if (limits.size() < 2) {
            return "";
        }
        return " The first of " + limits.size() + " bounds, each on its profile and each checked: " + limits.stream()
                .map(limit -> dev.modelcost.processor.roofline.Seconds.of(limit.seconds()) + " on " + Javadoc.code(limit.hardware().id()))
                .collect(java.util.stream.Collectors.joining(", ")) + ".";
    }

    /** {@code MAX_MACS} and so on: the {@code @Budget} bound, {@code Long.MAX_VALUE} where none is set. */
    private static FieldSpec budget(ModelSpec spec, Figure figure) {
        // A bound stated in a counter's convention bounds that counter's figure, and is written with BUDGET_COUNTER.
        // The bound in force: a default written out (Long.MAX_VALUE) beside it in another @Budget bounds nothing.
        long limit = spec.budget().stream().filter(b -> b.figure() == figure).mapToLong(b -> b.limit()).min().orElse(Long.MAX_VALUE);
        String counter = figure == Figure.MACS || figure == Figure.PARAMS ? " (with {@link #BUDGET_COUNTER}, on that counter's figure)" : "";
        return constant(TypeName.LONG, "MAX_" + figure, "The {@code @Budget} bound on {@link #" + figure + "}" + counter + "; {@code Long.MAX_VALUE} when unbounded.",
                limit == Long.MAX_VALUE ? CodeBlock.of("$T.MAX_VALUE", Long.class) : CodeBlock.of("$LL", limit));
    }

    /** {@code MAX_PEAK_ACTIVATION_BYTES} and the other memory bounds: the bound, {@code Long.MAX_VALUE} where none is set. */
    static FieldSpec memoryBudget(ModelSpec spec, String attribute, String name, String figure) {
        long limit = spec.roofline().memory().stream().filter(m -> m.attribute().equals(attribute)).mapToLong(m -> m.limit()).min()
                .orElse(Long.MAX_VALUE);
        return constant(TypeName.LONG, name, "The {@code @Budget} bound on {@link #" + figure + "}; {@code Long.MAX_VALUE} when unbounded.",
                limit == Long.MAX_VALUE ? CodeBlock.of("$T.MAX_VALUE", Long.class) : CodeBlock.of("$LL", limit));
    }

    /** One constant per figure, documented by the figure itself. */
    private static List<FieldSpec> figures(Costs totals) {
        return java.util.Arrays.stream(Figure.values())
                .map(figure -> constant(TypeName.LONG, figure.name(), figure.description(), CodeBlock.of("$LL", totals.get(figure))))
                .toList();
    }

    /**
     * Per counter: its figure and parameter count as constants, or, where the tool fails on the
     * model or its figure is not reproduced, a {@code _UNAVAILABLE} string for each that says why.
     */
    private static List<FieldSpec> counters(List<Reading> readings) {
        List<FieldSpec> fields = new java.util.ArrayList<>();
        for (Reading reading : readings) {
            Counter counter = reading.counter();
            String call = Javadoc.code(counter.call()) + " of " + Javadoc.html(counter.tool());
            String what = "What " + call + " prints for this network";
            if (!reading.reproduced()) {
                fields.add(constant(ClassName.get(String.class), counter.constant() + "_UNAVAILABLE", "Why there is no {@code "
                        + counter.constant() + "}: " + what + " is not given here.", Literals.string(reading.instead())));
                if (counter.reportsParams()) {
                    fields.add(constant(ClassName.get(String.class), counter.paramsConstant() + "_UNAVAILABLE", "Why there is no {@code "
                            + counter.paramsConstant() + "}: the parameter count that " + call + " prints for this network is not given here.",
                            Literals.string(reading.failure() != null ? reading.instead()
                                    : "given only beside " + counter.constant() + ", which is " + reading.instead())));
                }
                continue;
            }
            StringBuilder doc = new StringBuilder(what).append(": it differs from {@link #MACS} by ").append(Numbers.signed(reading.difference()));
            if (!reading.differences().isEmpty()) {
                doc.append(" (").append(String.join(", ", reading.differences().entrySet().stream()
                        .map(e -> e.getKey().label() + " " + Numbers.signed(e.getValue())).toList())).append(')');
            }
            doc.append('.');
            reading.unseen().forEach((reason, macs) -> doc.append(macs == 0 ? " Note: " : " It does not see " + Numbers.grouped(macs) + " MACs: ")
                    .append(Javadoc.html(reason)).append('.'));
            fields.add(constant(TypeName.LONG, counter.constant(), doc.toString(), CodeBlock.of("$LL", reading.value())));
            if (counter.reportsParams()) {
                fields.add(constant(TypeName.LONG, counter.paramsConstant(), "The parameter count that " + call + " prints for this network.",
                        CodeBlock.of("$LL", reading.params())));
            }
        }
        return fields;
    }

    private static TypeName integers() {
        return ParameterizedTypeName.get(LIST, ClassName.get(Integer.class));
    }

    private static CodeBlock shapeList(Shape shape) {
        return CodeBlock.of("$T.of($L)", LIST, String.join(", ", shape.dims().stream().map(String::valueOf).toList()));
    }

    /**
     * A shape with the batch, as PyTorch prints it: {@code 1x3x224x224}; a tensor without a batch axis (a window bias, positions of
     * {@code arange}) with a leading 1 whatever the batch, as PyTorch broadcasts it; a recurrent layer's state with the batch second
     * ({@code 2x4x64}: two layers at batch 4), as {@link LayerCost#outputShape(int)} prints a layer's.
     */
    static String withBatch(int batch, Shape shape) {
        return new LayerCost("", "", shape.dims(), Map.of(), shape.batched(), shape.batchSecond()).outputShape(batch);
    }

    /**
     * The shapes the model returns with the batch, as {@link #withBatch} writes each: the output's alone for a model of one, else
     * each after its name ({@code cls 1x10x32x32, box 1x4x32x32}).
     */
    static String outputShapes(ModelCosts costs) {
        List<Shape> outputs = costs.outputs();
        if (outputs.size() == 1) {
            return withBatch(costs.spec().batch(), outputs.get(0));
        }
        List<String> named = new java.util.ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            named.add(costs.outputNames().get(k) + " " + withBatch(costs.spec().batch(), outputs.get(k)));
        }
        return String.join(", ", named);
    }

    /** {@code "output"}, or {@code "outputs"} for a model that returns several tensors. */
    static String outputWord(ModelCosts costs) {
        return costs.outputs().size() > 1 ? "outputs" : "output";
    }
}
