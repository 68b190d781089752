package dev.modelcost.processor.analysis;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.Operation.OpStep;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Evaluation of the expressions a network holds, each failure a catalogued problem on the expression's site. */
final class Evaluation {
    private Evaluation() {}

    static Attrs attributes(OpStep op, Scope scope, String path) {
        Map<String, Long> numbers = new LinkedHashMap<>();
        Map<String, Boolean> flags = new LinkedHashMap<>();
        Map<String, List<Long>> lists = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        Set<String> given = new HashSet<>();
        for (AttrSpec attr : op.attrs()) {
            try {
                switch (attr.type()) {
                    case FLAG -> flags.put(attr.name(), attr.value().truth(scope));
                    case NUMBER -> numbers.put(attr.name(), attr.name().equals(PADDING) ? padding(attr.value(), scope) : attr.value().number(scope));
                    case LIST -> lists.put(attr.name(), attr.value().list(scope));
                    default -> texts.put(attr.name(), attr.text());
                }
                if (attr.type() != AttrSpec.Type.TEXT) {
                    requireSkippedNames(attr.value(), scope, path + " " + attr.name(), attr.site(), attr.text());
                }
            } catch (ExprException e) {
                // where it is named only on a failure: the attributes are evaluated once per layer at every size analysed
                throw expressionProblem(e, scope, path + " " + attr.name(), attr.site(), attr.text());
            }
            if (attr.given()) {
                given.add(attr.name());
            }
        }
        return new Attrs(op.kind().name(), numbers, flags, lists, texts, given);
    }

    /**
     * {@code attrs}, the attributes of {@code op} as an analysis evaluated them, with those named in {@code scopes} evaluated again,
     * each in its own scope (a text attribute is the same in every scope, and is kept).
     *
     * @throws ExprException where one cannot be evaluated there
     */
    static Attrs reevaluated(OpStep op, Attrs attrs, Map<String, Scope> scopes) {
        Attrs again = attrs;
        for (AttrSpec attr : op.attrs()) {
            Scope scope = scopes.get(attr.name());
            if (scope == null) {
                continue;
            }
            again = switch (attr.type()) {
                case FLAG -> again.withFlag(attr.name(), attr.value().truth(scope));
                case NUMBER -> again.withNumber(attr.name(), attr.name().equals(PADDING) ? padding(attr.value(), scope) : attr.value().number(scope));
                case LIST -> again.withList(attr.name(), attr.value().list(scope));
                default -> again;
            };
        }
        return again;
    }

    /** The attribute that takes PyTorch's {@code 'same'} and {@code 'valid'} as texts ({@link #padding}). */
    private static final String PADDING = "padding";

    /**
     * A {@code padding}: a number, or PyTorch's spelling of a convolution's {@code padding='same'} and {@code padding='valid'}, a
     * text ({@code with = "padding = 'same'"}, or a {@code String} parameter given it), which is {@code Conv2d.SAME} or {@code
     * Conv2d.VALID}; a layer that takes neither refuses them as it refuses those constants.
     */
    private static long padding(Expr expr, Scope scope) {
        Value value = expr.eval(scope);
        if (!value.isText()) {
            return expr.number(scope);
        }
        return switch (value.text()) {
            case "same" -> dev.modelcost.Conv2d.SAME;
            case "valid" -> dev.modelcost.Conv2d.VALID;
            default -> throw new ExprException(ExprException.Reason.TYPE, "padding takes a number, 'same' or 'valid', not '" + value.text() + "'");
        };
    }

    static long number(Expr expr, Scope scope, String where, Site site, String text) {
        try {
            long number = expr.number(scope);
            requireSkippedNames(expr, scope, where, site, text);
            return number;
        } catch (ExprException e) {
            throw expressionProblem(e, scope, where, site, text);
        }
    }

    /** Refuses a number an {@code int} field cannot hold: "{@code takes} from ... to ..., as its field {@code declares}, not n". */
    private static void requireInt(long number, String takes, String declares) {
        if (number != (int) number) {
            throw new ExprException(ExprException.Reason.TYPE, String.format(java.util.Locale.ROOT, "%s from -2,147,483,648 to 2,147,483,647, "
                    + "as its field %s, not %,d", takes, declares, number));
        }
    }

    /**
     * A parameter's value as its declared type takes it: an integer; any number, as a decimal, for a
     * {@code double}; a condition for a {@code boolean}. A decimal for an {@code int}, or a number for
     * a {@code boolean} and the other way round, is refused, and so is an integer past an {@code int} for an {@code int} or {@code int[]}.
     */
    static Value parameter(ParamSpec.Type type, Expr expr, Scope scope, java.util.function.Supplier<String> where, Site site, String text) {
        Value value = parameterValue(type, expr, scope, where, site, text);
        requireSkippedNames(expr, scope, where.get(), site, text);
        return value;
    }

    private static Value parameterValue(ParamSpec.Type type, Expr expr, Scope scope, java.util.function.Supplier<String> where, Site site,
            String text) {
        try {
            if (type == ParamSpec.Type.BOOLEAN) {
                return Value.of(expr.truth(scope));
            }
            if (type == ParamSpec.Type.TEXT) {
                Value value = expr.eval(scope);
                if (!value.isText()) {
                    throw new ExprException(ExprException.Reason.TYPE, "a String parameter takes a text such as 'SiLU', not " + value);
                }
                return value;
            }
            if (type == ParamSpec.Type.LIST) {
                Value value = expr.eval(scope);
                if (!value.isList()) {
                    throw new ExprException(ExprException.Reason.TYPE, "an int[] parameter takes a list such as [3, 4, 6, 3], not " + value);
                }
                for (long item : value.items()) {
                    requireInt(item, "an int[] parameter takes integers", "declares them ints");
                }
                return value;
            }
            Value value = expr.numeric(scope);
            if (type == ParamSpec.Type.DOUBLE) {
                return value.isDecimal() ? value : Value.decimal(value.number());
            }
            if (value.isDecimal()) {
                throw new ExprException(ExprException.Reason.TYPE, "an int parameter takes an integer, not the decimal " + value.decimal()
                        + " (declare it double, or round it with ceil, floor, round or int)");
            }
            // As Java holds the field: no wider number reaches the block's expressions through it.
            requireInt(value.number(), "an int parameter takes an integer", "declares it an int");
            return value;
        } catch (ExprException e) {
            throw expressionProblem(e, scope, where.get(), site, text);
        }
    }

    /** Any value of an expression. */
    static Value value(Expr expr, Scope scope, String where, Site site, String text) {
        try {
            Value value = expr.eval(scope);
            requireSkippedNames(expr, scope, where, site, text);
            return value;
        } catch (ExprException e) {
            throw expressionProblem(e, scope, where, site, text);
        }
    }

    static List<Long> list(Expr expr, Scope scope, String where, Site site, String text) {
        try {
            List<Long> list = expr.list(scope);
            requireSkippedNames(expr, scope, where, site, text);
            return list;
        } catch (ExprException e) {
            throw expressionProblem(e, scope, where, site, text);
        }
    }

    static boolean truth(Expr expr, Scope scope, String where, Site site, String text) {
        try {
            boolean truth = expr.truth(scope);
            requireSkippedNames(expr, scope, where, site, text);
            return truth;
        } catch (ExprException e) {
            throw expressionProblem(e, scope, where, site, text);
        }
    }

    /** What an unknown name's message adds where the name is in a part of the expression that was not evaluated. */
    private static final String IN_SKIPPED_PART = " (in a part of the expression not evaluated here: a branch of ?: not taken, or the right of "
            + "&& or || where the left decides; a name that means nothing is refused wherever it is written)";

    /**
     * Refuses a name that a part of {@code expr} left unevaluated reads (a branch of {@code ?:} not taken, the right of {@code &&}
     * or {@code ||}) where it means nothing whatever the sizes and values, as {@link #requireKnownNames} does; called after {@code
     * expr} was evaluated in {@code scope}.
     */
    private static void requireSkippedNames(Expr expr, Scope scope, String where, Site site, String text) {
        if (expr.skipsParts()) {
            requireKnownNames(expr, scope, where, site, text, IN_SKIPPED_PART);
        }
    }

    /**
     * Refuses, as MC202 on {@code site}, a name that {@code expr} reads which {@code scope} does not know and which no size or use
     * could make known: not an axis of a step's input, of a field's output or of a block's input, nor a block's {@code h} or {@code
     * w} ({@link Scope#mayVary}). For an expression, or a part of one, that is not evaluated (a step its {@code @When} leaves out),
     * whose message ends with {@code context}. Evaluates nothing: a division by zero there may be what the condition guards.
     */
    static void requireKnownNames(Expr expr, Scope scope, String where, Site site, String text, String context) {
        for (String name : expr.names()) {
            int dot = name.indexOf('.');
            if (scope.lookup(name) == null && (scope.whyUnknown(name) != null || !scope.mayVary(dot > 0 ? name.substring(0, dot) : name))) {
                throw expressionProblem(new ExprException(ExprException.Reason.UNKNOWN_NAME, name), scope, where, site, text).followedBy(context);
            }
        }
    }

    /**
     * The names like an unknown one, and where it reads an axis of a known tensor ({@code x.D}), the axes that has ({@code "x has
     * the axes L, d2"}) and how a reshape without a layout names them.
     */
    private static String suggested(String name, Scope scope) {
        String like = Suggestions.didYouMean(name, scope.names());
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return like;
        }
        String tensor = name.substring(0, dot + 1);
        List<String> axes = scope.names().stream().filter(n -> n.startsWith(tensor) && n.indexOf('.', tensor.length()) < 0)
                .map(n -> n.substring(tensor.length())).distinct().toList();
        if (axes.isEmpty()) {
            String owner = name.substring(0, dot);
            String separator = like.endsWith("?") ? " " : "; ";
            // A model's Cost class is written while this compilation runs, after the expressions that would read it.
            String generated = owner.endsWith("Cost") ? "if " + owner.substring(owner.lastIndexOf('.') + 1) + " is a model's Cost class "
                    + "generated in this same compilation, it cannot be read in an expression (compile that model first, or write the number)"
                    : null;
            if (!Character.isUpperCase(owner.charAt(owner.lastIndexOf('.') + 1))) {
                return like;
            }
            if (owner.contains(".")) {
                return generated == null ? like : like + separator + generated;
            }
            // A class's constant (Sizes.WIDTH) whose class is not found: imports are followed only where javac shows them.
            return like + separator + "no class " + owner + " is found from here: " + (generated == null ? "" : generated + "; else ")
                    + "name it with its package (the.package." + name + "), as imports are followed under javac only, for a class from a class "
                    + "file where its compilation recorded them";
        }
        return like + (like.endsWith("?") ? " " : "; ") + name.substring(0, dot) + " has the axes " + String.join(", ", axes)
                + (axes.stream().anyMatch(axis -> axis.matches("d\\d+")) ? " (a reshape without a layout names a new axis d and its position, "
                + "the batch's being 0)" : "")
                + (axes.stream().anyMatch(axis -> axis.contains("*")) ? " (a flattened axis, named by the axes it joins, is no name an "
                + "expression reads: give the flatten a layout, @Flatten(startDim = 2, layout = \"D,L\"), or reshape with one)" : "");
    }

    /**
     * Whether a name unknown here may be known at other sizes ({@link Scope#mayVary}: the name, or the tensor before its dot). One
     * whose reason is known ({@link Scope#whyUnknown}) is unknown for that reason at every size, and is not asked about.
     */
    private static boolean mayBeKnownElsewhere(String name, Scope scope) {
        int dot = name.indexOf('.');
        return scope.mayVary(dot > 0 ? name.substring(0, dot) : name);
    }

    static Problem expressionProblem(ExprException e, Scope scope, String where, Site site, String text) {
        switch (e.reason()) {
            case UNKNOWN_NAME:
                String why = scope.whyUnknown(e.detail());
                Problem unknown = new Problem(Diagnostic.UNKNOWN_NAME, site, where, e.detail(), text,
                        why != null ? ": " + e.detail() + " " + why : suggested(e.detail(), scope));
                return why != null || !mayBeKnownElsewhere(e.detail(), scope) ? unknown.atAnySize() : unknown;
            case DIVISION_BY_ZERO:
                return new Problem(Diagnostic.DIVISION_BY_ZERO, site, where, text, e.detail());
            case OVERFLOW:
                return new Problem(Diagnostic.OVERFLOW, site, where, "'" + text + "' (" + e.detail() + ")");
            default:
                return new Problem(Diagnostic.EXPRESSION_TYPE, site, where, e.detail(), text);
        }
    }
}
