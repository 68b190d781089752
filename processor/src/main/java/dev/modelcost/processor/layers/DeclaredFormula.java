package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The formula of a layer kind declared with {@code @LayerKind}: its output shape and costs as
 * expressions over the annotation's attributes ({@code beta}), the input's axes ({@code x.C},
 * {@code x.numel}) and, for the costs, the output's ({@code out.C}, {@code out.numel}). MACs, FLOPs
 * and other ops are per sample, times the batch (once for an input without a batch axis, as a
 * parameter's tensor). A failure of an expression is the catalogued
 * problem of an expression, naming the formula; a size below 1 is refused.
 *
 * @param kind the kind's name, for messages
 * @param output the output shape as a list expression, or null for the input's shape
 * @param layout the output's axis names, or empty for the input's (same rank) or the rank's default
 * @param costs the expressions of {@code params}, {@code buffers}, {@code macs}, {@code flops} (null:
 *     twice the MACs) and {@code otherOps}, by those names
 * @param texts each expression as written, by the same names and {@code output}
 * @param ints the annotation's {@code int} attributes, whose values (a {@code with} expression's included) must fit an {@code int}
 */
public record DeclaredFormula(String kind, Expr output, List<String> layout, Map<String, Expr> costs, Map<String, String> texts,
        java.util.Set<String> ints) implements OpKind.Formula {

    /** Copies the parts. */
    public DeclaredFormula {
        layout = List.copyOf(layout);
        costs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(costs));
        texts = Map.copyOf(texts);
        ints = java.util.Set.copyOf(ints);
    }

    @Override
    public LayerResult apply(Attrs a, Inputs in) {
        for (String name : ints) {
            Long value = a.numbers().get(name);
            if (value != null && value != (int) (long) value) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, name, kind, name, value,
                        "from -2,147,483,648 to 2,147,483,647, as its annotation declares it an int");
            }
        }
        Shape x = in.shape();
        Scope input = scope(a, x, null);
        Shape out = x;
        if (output != null) {
            List<Long> dims = evaluate("output", input, output::list);
            if (dims.isEmpty()) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, written(output, a), kind, "output", dims,
                        "of at least one axis (its @LayerKind output is '" + texts.get("output") + "')");
            }
            List<Integer> sizes = new ArrayList<>();
            for (long dim : dims) {
                if (dim < 1) {
                    throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, written(output, a), kind, "output", dims,
                            "at least 1 on every axis (its @LayerKind output is '" + texts.get("output") + "')");
                }
                sizes.add(Checks.fit(dim));
            }
            List<String> axes = !layout.isEmpty() ? layout : sizes.size() == x.rank() ? x.axes() : Shape.defaultAxes(sizes.size());
            if (axes.size() != sizes.size()) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, written(output, a), kind, "output", dims,
                        "of as many axes as its @LayerKind layout " + layout + " names");
            }
            out = x.reshaped(sizes, axes);
        }
        Scope both = scope(a, x, out);
        long macs = perSample("macs", both, in, a);
        Expr flopsExpr = costs.get("flops");
        long flops = flopsExpr == null ? Math.multiplyExact(2, macs) : perSample("flops", both, in, a);
        Costs result = Costs.of(Figure.MACS, macs).with(Figure.FLOPS, flops)
                .with(Figure.PARAMS, whole("params", both, a)).with(Figure.BUFFERS, whole("buffers", both, a))
                .with(Figure.OTHER_OPS, perSample("otherOps", both, in, a));
        return new LayerResult(out, result);
    }

    /**
     * The attribute the field writes that {@code formula} reads, where it reads one only, where a value the formula gives is
     * refused: the value written is then the likelier mistake than the formula. Null where it reads none or several (the field
     * is pointed at), as which of several is at fault the value alone does not say.
     */
    private static String written(Expr formula, Attrs a) {
        List<String> written = formula.names().stream().filter(a::given).toList();
        return written.size() == 1 ? written.get(0) : null;
    }

    /** A cost per sample, times the batch; once where the input has no batch axis (a parameter's or a buffer's tensor, read once). */
    private long perSample(String name, Scope scope, Inputs in, Attrs a) {
        return Math.multiplyExact(whole(name, scope, a), in.shape().batched() ? in.batch() : 1);
    }

    private long whole(String name, Scope scope, Attrs a) {
        long value = evaluate(name, scope, s -> costs.get(name).number(s));
        if (value < 0) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, written(costs.get(name), a), kind, name, value,
                    "at least 0 (its @LayerKind " + name + " is '" + texts.get(name) + "')");
        }
        return value;
    }

    /** Evaluates one expression; its failure is the catalogued problem of an expression, naming the formula. */
    private <T> T evaluate(String name, Scope scope, java.util.function.Function<Scope, T> evaluation) {
        try {
            T value = evaluation.apply(scope);
            // A name without a dot in a part not evaluated (a branch of ?: not taken) is an attribute whatever the sizes, or nothing.
            Expr expr = name.equals("output") ? output : costs.get(name);
            if (expr.skipsParts()) {
                for (String read : expr.names()) {
                    if (read.indexOf('.') < 0 && scope.lookup(read) == null) {
                        throw new ExprException(ExprException.Reason.UNKNOWN_NAME, read);
                    }
                }
            }
            return value;
        } catch (ExprException e) {
            String text = texts.get(name);
            String which = "the " + name + " of @LayerKind " + kind;
            switch (e.reason()) {
                case UNKNOWN_NAME:
                    String why = scope.whyUnknown(e.detail());
                    String hint = why != null ? ": " + e.detail() + " " + why : Suggestions.didYouMean(e.detail(), scope.names());
                    LayerFailure unknown = new LayerFailure(Diagnostic.UNKNOWN_NAME, null, e.detail(), text, " (" + which + ")" + hint);
                    // A name without a dot is one of the annotation's attributes, whatever the sizes; the input's axes are not.
                    throw why == null && e.detail().indexOf('.') < 0 ? unknown.atAnySize() : unknown;
                case DIVISION_BY_ZERO:
                    throw new LayerFailure(Diagnostic.DIVISION_BY_ZERO, null, text, e.detail() + "; " + which);
                case OVERFLOW:
                    throw new LayerFailure(Diagnostic.OVERFLOW, null, "'" + text + "' (" + which + ")");
                default:
                    throw new LayerFailure(Diagnostic.EXPRESSION_TYPE, null, e.detail() + " (" + which + ")", text);
            }
        }
    }

    /** Every expression of the formula, by its name ({@code output}, {@code macs}, ...), in that order; a missing one left out. */
    public Map<String, Expr> expressions() {
        Map<String, Expr> all = new java.util.LinkedHashMap<>();
        if (output != null) {
            all.put("output", output);
        }
        costs.forEach((name, expr) -> {
            if (expr != null) {
                all.put(name, expr);
            }
        });
        return all;
    }

    /**
     * The names an expression sees: the annotation's numbers and flags, {@code x.<axis>}, {@code x.numel} and, where {@code out}
     * is given, {@code out.*}.
     */
    public static Scope scope(Attrs a, Shape x, Shape out) {
        return new Scope() {
            @Override
            public String whyUnknown(String name) {
                return a.hasOtherAttribute(name) ? "is an attribute of a type an expression cannot read: only int, long and boolean ones are" : null;
            }

            @Override
            public Value lookup(String name) {
                Value tensor = tensor(name, "x.", x);
                if (tensor == null && out != null) {
                    tensor = tensor(name, "out.", out);
                }
                if (tensor != null) {
                    return tensor;
                }
                Long number = a.numbers().get(name);
                if (number != null) {
                    return Value.of(number);
                }
                Boolean flag = a.flags().get(name);
                return flag == null ? null : Value.of(flag);
            }

            @Override
            public Collection<String> names() {
                List<String> names = new ArrayList<>(a.numbers().keySet());
                names.addAll(a.flags().keySet());
                x.axes().forEach(axis -> names.add("x." + axis));
                names.add("x.numel");
                if (out != null) {
                    out.axes().forEach(axis -> names.add("out." + axis));
                    names.add("out.numel");
                }
                return names;
            }
        };
    }

    private static Value tensor(String name, String prefix, Shape shape) {
        if (!name.startsWith(prefix)) {
            return null;
        }
        String axis = name.substring(prefix.length());
        if (axis.equals("numel")) {
            return Value.of(shape.elements());
        }
        int index = shape.axes().indexOf(axis);
        return index < 0 ? null : Value.of(shape.dim(index));
    }
}
