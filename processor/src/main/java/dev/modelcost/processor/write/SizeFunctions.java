package dev.modelcost.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.modelcost.ClosedForm;
import dev.modelcost.SizeDomain;
import dev.modelcost.SizeProgram;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.sizes.SizeForms;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;

/**
 * The members of a generated class that give its figures at other sizes: the closed forms
 * ({@code MACS_FORM}), where they hold ({@code SIZES}), the record {@code Figures} and
 * {@code at(...)}.
 */
final class SizeFunctions {
    private static final ClassName LIST = ClassName.get(List.class);
    private static final ClassName FORM = ClassName.get(ClosedForm.class);
    private static final ClassName DOMAIN = ClassName.get(SizeDomain.class);
    private static final ClassName PROGRAM = ClassName.get(SizeProgram.class);
    private static final Modifier[] CONSTANT = {Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL};

    private SizeFunctions() {}

    /** Why a maximum's form has parts for steps whose live bytes take another form at a size's smallest, for its Javadoc. */
    static final String AT_SMALLEST = "where a step's live bytes take another form at a size's smallest (where a tensor's axis is 1, a transposed "
            + "tensor is contiguous, so that PyTorch copies nothing there, or views what it copies elsewhere), the smallest of the step's form and "
            + "forms that are the step's live bytes where they fall, and forms that are its live bytes where they rise and at most 0 elsewhere";

    /**
     * What kind of form a figure has, for its Javadoc: a polynomial, the largest of the live bytes of the steps that can hold the peak
     * (with parts for steps that take another form at a size's smallest where {@code atSmallest}), or the smallest of the bytes moved
     * over the choices of table or rows read.
     */
    static String kind(ClosedForm form, boolean atSmallest) {
        if (atSmallest) {
            return " as the largest of exact polynomials in the sizes: the live bytes of each step of the forward pass that can hold the peak and, "
                    + AT_SMALLEST + ",";
        }
        if (form.isMaximum()) {
            return " as the largest of exact polynomials in the sizes, the live bytes of each step of the forward pass that can hold the peak,";
        }
        return form.isMinimum() ? " as the smallest of exact polynomials in the sizes, one per choice of table or rows read for each layer that gathers "
                + "weights by token ids," : " as an exact polynomial in the sizes,";
    }

    /** Adds the members to {@code type} for a model with size variables; nothing without. */
    static void add(TypeSpec.Builder type, String costClass, String model, String reference, SizeForms forms) {
        if (forms == null) {
            return;
        }
        List<String> parameters = parameters(forms);
        ClassName figures = ClassName.get("", "Figures");
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, DOMAIN), "SIZES", CONSTANT)
                .addJavadoc("$L", "Where the closed forms hold, one domain per size variable of {@code @Model(sizes)}, in order: "
                        + String.join("; ", domains(forms)) + ".\n")
                .initializer(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(domainInitializers(forms), ", ")))
                .build());
        // One list of the variables' names for every form: javac resolves each List.of call anew, which a fresh javac pays for.
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, ClassName.get(String.class)), "SIZE_VARIABLES", Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                .initializer(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(forms.names().stream().map(n -> CodeBlock.of("$S", n)).toList(), ", ")))
                .build());
        CodeBlock names = CodeBlock.of("SIZE_VARIABLES");
        if (forms.program() != null) {
            type.addField(FieldSpec.builder(PROGRAM, "OFF_LATTICE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("$L", "Every figure of {@link Figures} at sizes off the lattices of {@link #SIZES}: each tensor's sizes followed through "
                            + "the layers' shape rules, and each figure a linear combination of their products, established and checked by the "
                            + "processor.\n")
                    .initializer("$T.parse($S, $L, $L)", PROGRAM, model, names, Literals.string(forms.program()))
                    .build());
        }
        boolean pieces = forms.pieces().size() > 1;
        for (Map.Entry<String, ClosedForm> form : forms.forms().entrySet()) {
            String what = form.getKey().startsWith("OUTPUT_") ? "dimension " + form.getKey().substring("OUTPUT_".length()) + " of {@link #OUTPUT}"
                    : "{@link #" + form.getKey() + "}";
            type.addField(FieldSpec.builder(FORM, form.getKey() + "_FORM", CONSTANT)
                    .addJavadoc("$L", Javadoc.code(form.getValue().toString()) + ": " + what
                            + kind(form.getValue(), forms.atSmallest().contains(form.getKey()))
                            + " established and checked by the processor"
                            + (forms.pastTurn() != null ? ", past a test that turns just above the declared sizes (not at them: {@link #at} gives "
                            + "their own figures)" : "")
                            + (pieces ? ", on the piece of sizes that holds the declared one ({@link #" + form.getKey() + "_FORMS} has every piece)" : "")
                            + "; see {@link #at}.\n")
                    .initializer("$T.parse($S, $L, $L)", FORM, form.getKey(), names, Literals.string(form.getValue().text()))
                    .build());
            if (pieces) {
                List<CodeBlock> parts = forms.pieces().stream().map(piece -> CodeBlock.of("$T.parse($S, $L, $L)", FORM, form.getKey(), names,
                        Literals.string(piece.forms().get(form.getKey()).text()))).toList();
                type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, FORM), form.getKey() + "_FORMS", CONSTANT)
                        .addJavadoc("$L", "The closed form of " + what + " on each piece of {@link #PIECE_STARTS}, in order.\n")
                        .initializer(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(parts, ", ")))
                        .build());
            }
        }
        if (pieces) {
            String name = forms.names().get(0);
            type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, ClassName.get(Long.class)), "PIECE_STARTS", CONSTANT)
                    .addJavadoc("$L", "Where each piece of sizes starts: the forms change at these sizes of " + Javadoc.code(name) + " ("
                            + Javadoc.safe(String.join("; ", forms.pieces().stream().map(p -> Numbers.grouped(p.from()) + " to " + Numbers.grouped(p.to())).toList()))
                            + "), where a part of the network stops growing with it (a sliding window caps the KV cache).\n")
                    .initializer(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(forms.pieces().stream().map(p -> CodeBlock.of("$LL", p.from())).toList(),
                            ", ")))
                    .build());
        }
        TypeSpec.Builder record = TypeSpec.recordBuilder("Figures")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("$L", "The figures of " + reference + " at the sizes {@link #at} was given, each computed as the processor computes it "
                        + "had the model been compiled at those sizes.\n");
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        for (String parameter : parameters) {
            constructor.addParameter(TypeName.INT, parameter);
            record.addJavadoc("\n@param $L the size {@code $L}", parameter, forms.names().get(parameters.indexOf(parameter)));
        }
        // The record's figures are one array, from the forms or the size program, in one order: the figures, then the output's dimensions.
        List<CodeBlock> arguments = new ArrayList<>();
        parameters.forEach(p -> arguments.add(CodeBlock.of("$L", p)));
        List<String> order = new ArrayList<>();
        List<CodeBlock> output = new ArrayList<>();
        for (String figure : forms.forms().keySet()) {
            if (!figure.startsWith("OUTPUT_")) {
                String component = component(figure);
                constructor.addParameter(TypeName.LONG, component);
                record.addJavadoc("\n@param $L {@link #$L} at these sizes", component, figure);
                arguments.add(CodeBlock.of("figures[$L]", order.size()));
                order.add(figure);
            }
        }
        for (String figure : forms.forms().keySet()) {
            if (figure.startsWith("OUTPUT_")) {
                output.add(CodeBlock.of("$T.toIntExact(figures[$L])", Math.class, order.size()));
                order.add(figure);
            }
        }
        if (output.size() == outputRank(forms)) {
            constructor.addParameter(ParameterizedTypeName.get(LIST, ClassName.get(Integer.class)), "output");
            record.addJavadoc("\n@param output the output shape without the batch, as {@link #OUTPUT}");
            arguments.add(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(output, ", ")));
        }
        // One call evaluates every form: a call per form, each resolved anew against a method of variable arity, costs a fresh javac more.
        FieldSpec.Builder ordered;
        if (pieces) {
            List<CodeBlock> onPieces = new ArrayList<>();
            for (int p = 0; p < forms.pieces().size(); p++) {
                int piece = p;
                onPieces.add(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(order.stream().map(f -> CodeBlock.of("$L_FORMS.get($L)", f, piece)).toList(), ", ")));
            }
            ordered = FieldSpec.builder(ParameterizedTypeName.get(LIST, ParameterizedTypeName.get(LIST, FORM)), "FORMS", Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(onPieces, ", ")));
        } else {
            ordered = FieldSpec.builder(ParameterizedTypeName.get(LIST, FORM), "FORMS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(order.stream().map(f -> CodeBlock.of("$L_FORM", f)).toList(), ", ")));
        }
        type.addField(ordered.build());
        if (order.containsAll(List.of("FLOPS", "OTHER_OPS", "BYTES_MOVED"))) {
            // The same double arithmetic as the constant's (RooflineText.intensity), so the same double.
            record.addMethod(MethodSpec.methodBuilder("arithmeticIntensity")
                    .addModifiers(Modifier.PUBLIC)
                    .returns(TypeName.DOUBLE)
                    .addJavadoc("$L", "{@link #ARITHMETIC_INTENSITY} at these sizes: {@code (flops + otherOps) / bytesMoved} in double precision, as the "
                            + "processor computes it; 0 when nothing moves.\n\n@return FLOPs and other ops per byte moved\n")
                    .addStatement("return bytesMoved == 0 ? 0 : ((double) flops + otherOps) / bytesMoved")
                    .build());
        }
        record.addJavadoc("\n");
        record.recordConstructor(constructor.build());
        type.addType(record.build());
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, ClassName.get(String.class)), "WITHOUT_CLOSED_FORM", CONSTANT)
                .addJavadoc("$L", "The figures that have no closed form in the sizes (so no component of {@link Figures}), by their constants' names; "
                        + "each has its value at the declared sizes only. The Javadoc of {@link #at} says why for each.\n")
                .initializer(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(forms.missing().keySet().stream().map(f -> CodeBlock.of("$S", f)).toList(), ", ")))
                .build());
        if (!forms.axes().isEmpty()) {
            type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, FORM), "JOINT_AXES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("$L", "The positions on each layer's output axis that holds several sizes (their product, or their sum), on the lattices: "
                            + "{@link #at} refuses sizes at which one passes 2,147,483,647, as the processor does.\n")
                    .initializer(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(forms.axes().stream().map(a -> CodeBlock.of("$T.parse($L, $L, $L)", FORM,
                            Literals.string(a.layer()), "SIZE_VARIABLES", Literals.string(a.size().text()))).toList(), ", ")))
                    .build());
            type.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, ClassName.get(String.class)), "JOINT_AXIS_NAMES", Modifier.PRIVATE,
                            Modifier.STATIC, Modifier.FINAL)
                    .initializer(CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(forms.axes().stream().map(a -> Literals.string(a.axis())).toList(), ", ")))
                    .build());
        }
        MethodSpec.Builder at = MethodSpec.methodBuilder("at")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(figures)
                .addJavadoc("$L", atJavadoc(forms));
        CodeBlock.Builder body = CodeBlock.builder();
        parameters.forEach(p -> at.addParameter(TypeName.INT, p));
        CodeBlock sizes = CodeBlock.of("$L", String.join(", ", parameters));
        SizeForms.PastTurn pastTurn = forms.pastTurn();
        String assign = forms.program() == null && pastTurn == null ? "long[] figures" : "figures";
        if (forms.program() != null || pastTurn != null) {
            body.addStatement("long[] figures");
        }
        if (pastTurn != null) {
            // The declared sizes lie below the forms' domains, past a test that turns: their own figures, as the constants give them.
            type.addField(FieldSpec.builder(long[].class, "DECLARED_FIGURES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("{$L}", CodeBlock.join(order.stream().map(f -> CodeBlock.of("$LL", pastTurn.declared().get(f))).toList(), ", "))
                    .build());
            List<CodeBlock> declared = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                declared.add(CodeBlock.of("$L == $L", parameters.get(i), forms.domains().get(i).fallback()));
            }
            body.beginControlFlow("if ($L)", CodeBlock.join(declared, " && ")).addStatement("figures = DECLARED_FIGURES.clone()");
            if (forms.program() == null) {
                body.nextControlFlow("else");
            }
        }
        if (forms.program() != null) {
            List<CodeBlock> off = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                if (forms.domains().get(i).period() > 1) {
                    off.add(CodeBlock.of("!SIZES.get($L).onLattice($L)", i, parameters.get(i)));
                }
                off.add(CodeBlock.of("SIZES.get($L).below($L)", i, parameters.get(i)));
            }
            if (pastTurn != null) {
                body.nextControlFlow("else if ($L)", CodeBlock.join(off, " || "));
            } else {
                body.beginControlFlow("if ($L)", CodeBlock.join(off, " || "));
            }
            for (int i = 0; i < parameters.size(); i++) {
                body.addStatement("SIZES.get($L).notAbove($L)", i, parameters.get(i));
            }
            body.addStatement("figures = OFF_LATTICE.at($L)", sizes).nextControlFlow("else");
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (forms.program() == null && forms.noProgram() != null && forms.domains().get(i).period() > 1) {
                // Off the lattice the exception says why no program answers there, as the Javadoc of at does.
                body.addStatement("SIZES.get($L).check($L, $L)", i, parameters.get(i), Literals.string("the model " + forms.noProgram()));
            } else {
                body.addStatement("SIZES.get($L).check($L)", i, parameters.get(i));
            }
        }
        if (pieces) {
            body.addStatement("int piece = 0");
            body.beginControlFlow("while (piece + 1 < PIECE_STARTS.size() && $L >= PIECE_STARTS.get(piece + 1))", parameters.get(0))
                    .addStatement("piece++")
                    .endControlFlow();
        }
        if (!forms.axes().isEmpty()) {
            body.addStatement("$T.checkAxes($S, JOINT_AXES, JOINT_AXIS_NAMES, $L)", DOMAIN, forms.domains().get(0).model(), sizes);
        }
        if (parameters.size() > 1 && !SizesText.whereStepsDiffer(forms).isEmpty()) {
            // Forms of several sizes come in one piece, where every @When holds as declared: the program's boxes of the tests say where.
            body.addStatement("OFF_LATTICE.checkTests($L)", sizes);
        }
        body.addStatement("$L = $T.each($L, $L)", assign, FORM, pieces ? "FORMS.get(piece)" : "FORMS", sizes);
        if (forms.program() != null || pastTurn != null) {
            body.endControlFlow();
        }
        body.addStatement("return new $T($L)", figures, CodeBlock.join(arguments, ", "));
        type.addMethod(at.addCode(body.build()).build());
    }

    private static int outputRank(SizeForms forms) {
        return (int) forms.forms().keySet().stream().filter(k -> k.startsWith("OUTPUT_")).count()
                + (int) forms.missing().keySet().stream().filter(k -> k.startsWith("OUTPUT_")).count();
    }

    private static String atJavadoc(SizeForms forms) {
        StringBuilder doc = new StringBuilder("Every figure with a closed form at other sizes, exactly as the processor computes it had the model "
                + "been compiled at them: ");
        doc.append(String.join("; ", domains(forms))).append(".\n");
        if (forms.pastTurn() != null) {
            doc.append("\n<p>").append(Javadoc.html(SizesText.pastTurn(forms))).append('\n');
        }
        if (forms.program() != null) {
            doc.append("\n<p>Off those lattices, and below their smallest sizes, every figure comes from the model's size program: each "
                    + "tensor's sizes followed from these through the layers' shape rules (PyTorch's floors and ceilings), and each figure an "
                    + "exact linear combination of the products of each tensor's sizes, solved by the processor from the model compiled at sizes "
                    + "off the lattice and checked at every size it compiled, the smallest where the network exists included. Where the "
                    + "network does not exist, the message names the layer.\n");
            String steps = SizesText.whereStepsDiffer(forms).strip();
            if (!steps.isEmpty()) {
                doc.append(Javadoc.html(steps)).append('\n');
            }
        } else if (forms.noProgram() != null) {
            doc.append("\n<p>Sizes off those lattices are refused: the model ").append(Javadoc.html(forms.noProgram())).append(".\n");
            String notFiner = SizesText.notFiner(forms).strip();
            if (!notFiner.isEmpty()) {
                doc.append(Javadoc.html(notFiner)).append('\n');
            }
        }
        for (SizeForms.Piece piece : forms.pieces()) {
            doc.append("\n<p>Closed forms").append(forms.pieces().size() > 1 ? " for " + Javadoc.html(forms.names().get(0)) + " from " + Numbers.grouped(piece.from())
                    + " to " + Numbers.grouped(piece.to()) : "").append(":\n<ul>\n");
            for (Map.Entry<String, ClosedForm> form : piece.forms().entrySet()) {
                doc.append("<li>").append(Javadoc.code(form.getValue().toString())).append("\n");
            }
            doc.append("</ul>\n");
        }
        if (!forms.missing().isEmpty()) {
            doc.append("\n<p>No closed form (these figures are at the declared sizes only):\n<ul>\n");
            forms.missing().forEach((figure, why) -> doc.append("<li>{@code ").append(figure).append("} ").append(Javadoc.html(why)).append('\n'));
            doc.append("</ul>\n");
        }
        doc.append("\n");
        for (int i = 0; i < forms.variables().size(); i++) {
            doc.append("@param ").append(parameters(forms).get(i)).append(" the size {@code ").append(forms.names().get(i)).append("}\n");
        }
        doc.append("@return the figures at those sizes\n")
                .append(forms.program() != null
                        ? "@throws IllegalArgumentException if a size lies above the largest of {@link #SIZES} or below 1, or the network does "
                        + "not exist at those sizes (the message names the layer that fails)\n"
                        : "@throws IllegalArgumentException if a size lies outside {@link #SIZES}: below the smallest size at which the network exists "
                        + "or above the largest (the message names the layer that fails, or the form that changes), or off the lattice of the "
                        + "network's total stride\n")
                .append("@throws ArithmeticException if a figure exceeds 64 bits, or a dimension of the output 32 bits"
                        + (forms.axes().isEmpty() ? "" : ", or a layer's axis that holds several sizes (their product or their sum) 32 bits (the message names the layer: "
                        + String.join(", ", forms.axes().stream().map(a -> Javadoc.code(a.layer()) + "'s " + Javadoc.html(a.axis())).toList()) + ")")
                        + " (the processor refuses the model there)\n");
        return doc.toString();
    }

    private static List<String> domains(SizeForms forms) {
        return forms.domains().stream().map(d -> Javadoc.code(d.toString())).toList();
    }

    private static List<CodeBlock> domainInitializers(SizeForms forms) {
        // Why no finer lattice holds, and the largest size off the lattice, are written only where known or above the lattice's, so
        // that the others read as the shorter factories read.
        return forms.domains().stream().map(d -> d.programMax() > d.max() || !d.aboveProgramMax().equals(d.aboveMax())
                ? CodeBlock.of("$T.of($S, $S, $L, $L, $L, $L, $L, $L, $L, $L, $L)", DOMAIN, d.model(), d.name(), d.fallback(), d.period(),
                        Literals.string(d.notFiner()), d.min(), Literals.string(d.belowMin()), d.max(), Literals.string(d.aboveMax()), d.programMax(),
                        Literals.string(d.aboveProgramMax()))
                : d.notFiner().isEmpty()
                ? CodeBlock.of("$T.of($S, $S, $L, $L, $L, $L, $L, $L)", DOMAIN, d.model(), d.name(), d.fallback(),
                        d.period(), d.min(), Literals.string(d.belowMin()), d.max(), Literals.string(d.aboveMax()))
                : CodeBlock.of("$T.of($S, $S, $L, $L, $L, $L, $L, $L, $L)", DOMAIN, d.model(), d.name(), d.fallback(),
                        d.period(), Literals.string(d.notFiner()), d.min(), Literals.string(d.belowMin()), d.max(), Literals.string(d.aboveMax())))
                .toList();
    }

    /**
     * The variables as Java parameter names (and the record's first components): the axis name where it is an identifier the
     * generated class does not use itself, else prefixed with {@code size_} until it is none and no other variable's.
     */
    private static List<String> parameters(SizeForms forms) {
        List<String> names = forms.parameters().stream().map(name -> name.replaceAll("[^A-Za-z0-9_$]", "_")).toList();
        List<String> parameters = new ArrayList<>();
        for (String name : names) {
            String parameter = reserved(name) ? "size_" + name : name;
            while (parameters.contains(parameter) || !parameter.equals(name) && names.contains(parameter)) {
                parameter = "size_" + parameter;
            }
            parameters.add(parameter);
        }
        return parameters;
    }

    /**
     * Names the generated class uses itself: record components, constants (all capitals), the local piece, package roots, the
     * simple names of the types it imports (which a parameter would obscure in {@code List.of(...)}), the record's own method
     * ({@code arithmeticIntensity()}, which a component of that name would clash with), and the names a record component may not take.
     */
    private static boolean reserved(String name) {
        return !SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name) || isComponent(name)
                || name.length() > 1 && name.matches("[A-Z0-9_$]+") || RESERVED.contains(name);
    }

    /** See {@link #reserved}; {@code HostileSpecsTest} compiles a size named as each type a generated class imports. */
    static final java.util.Set<String> RESERVED = java.util.Set.of("piece", "figures", "java", "javax", "dev",
            "ClosedForm", "LayerCost", "SizeDomain", "SizeProgram", "Figures", "Double", "Integer", "Long", "Math", "String", "List", "Generated",
            "arithmeticIntensity", "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

    private static boolean isComponent(String name) {
        return name.equals("output") || java.util.Arrays.stream(Figure.values()).anyMatch(f -> f.key().equals(name));
    }

    /** The record component of a figure's constant: {@code macs} for {@code MACS}, {@code peakActivationBytes} for {@code PEAK_ACTIVATION_BYTES}. */
    static String component(String constant) {
        for (Figure figure : Figure.values()) {
            if (figure.name().equals(constant)) {
                return figure.key();
            }
        }
        StringBuilder name = new StringBuilder();
        for (String part : constant.toLowerCase(Locale.ROOT).split("_")) {
            name.append(name.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return name.toString();
    }
}
