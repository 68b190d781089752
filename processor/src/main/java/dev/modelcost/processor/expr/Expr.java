package dev.modelcost.processor.expr;

import dev.modelcost.processor.expr.ExprException.Reason;
import java.util.List;

/** A parsed integer, decimal or boolean expression; integer arithmetic is exact and fails on overflow. */
public sealed interface Expr {

    /** Evaluates the expression in a scope. */
    Value eval(Scope scope);

    /** Evaluates to an integer, failing if the expression is boolean or a decimal. */
    default long number(Scope scope) {
        Value value = numeric(scope);
        if (value.isDecimal()) {
            throw new ExprException(Reason.TYPE, "expected an integer but found the decimal " + value.decimal()
                    + "; round it with ceil, floor, round or int");
        }
        return value.number();
    }

    /** Evaluates to an integer or a decimal, failing if the expression is boolean or a list. */
    default Value numeric(Scope scope) {
        Value value = eval(scope);
        if (value.isBoolean()) {
            throw new ExprException(Reason.TYPE, "expected a number but found a condition");
        }
        if (value.isList()) {
            throw new ExprException(Reason.TYPE, "a list " + value + " is only allowed for an attribute that takes a list, or indexed: layers[0]");
        }
        if (value.isText()) {
            throw new ExprException(Reason.TYPE, "expected a number but found the text " + value);
        }
        return value;
    }

    /** Evaluates to a boolean, failing if the expression is a number. */
    default boolean truth(Scope scope) {
        Value value = eval(scope);
        if (!value.isBoolean()) {
            throw new ExprException(Reason.TYPE, "expected a condition but found the " + (value.isText() ? "text " : "number ") + value);
        }
        return value.truth();
    }

    /**
     * Evaluates to a list of integers: a list literal {@code [a, b]}, or a single number as a list
     * of one (as PyTorch takes {@code normalized_shape = 768} for {@code (768,)}).
     */
    default java.util.List<Long> list(Scope scope) {
        Value value = eval(scope);
        return value.isList() ? value.items() : java.util.List.of(number(scope));
    }

    /** Every name the expression reads ({@code cout}, {@code x2.W}), in order of first appearance. */
    default java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        collectNames(this, names);
        return names;
    }

    private static void collectNames(Expr expr, java.util.Set<String> names) {
        // The parts walked in place, as parts() lists them: expressions are read in every analysis, and most are a name or a literal.
        if (expr instanceof Name name) {
            names.add(name.name());
        } else if (expr instanceof Binary binary) {
            collectNames(binary.left(), names);
            collectNames(binary.right(), names);
        } else if (expr instanceof Unary unary) {
            collectNames(unary.operand(), names);
        } else if (!(expr instanceof Literal)) {
            for (Expr part : expr.parts()) {
                collectNames(part, names);
            }
        }
    }

    /** The expressions this one is made of, in order ({@code a} and {@code b} of {@code a + b}); none for a name or a literal. */
    default java.util.List<Expr> parts() {
        return this instanceof ListOf list ? list.items()
                : this instanceof Unary unary ? java.util.List.of(unary.operand())
                : this instanceof Binary binary ? java.util.List.of(binary.left(), binary.right())
                : this instanceof Index index ? java.util.List.of(index.list(), index.index())
                : this instanceof Conditional conditional ? java.util.List.of(conditional.condition(), conditional.then(), conditional.otherwise())
                : this instanceof Call call ? call.args() : java.util.List.of();
    }

    /** This expression with every name that {@code names} maps (to a non-null expression) replaced by what it maps to. */
    default Expr substitute(java.util.function.Function<String, Expr> names) {
        java.util.function.UnaryOperator<Expr> sub = e -> e.substitute(names);
        if (this instanceof Name name) {
            Expr replaced = names.apply(name.name());
            return replaced == null ? this : replaced;
        }
        return this instanceof ListOf list ? new ListOf(list.items().stream().map(sub).toList())
                : this instanceof Unary unary ? new Unary(unary.op(), sub.apply(unary.operand()))
                : this instanceof Binary binary ? new Binary(binary.op(), sub.apply(binary.left()), sub.apply(binary.right()))
                : this instanceof Index index ? new Index(sub.apply(index.list()), sub.apply(index.index()))
                : this instanceof Conditional conditional ? new Conditional(sub.apply(conditional.condition()), sub.apply(conditional.then()),
                        sub.apply(conditional.otherwise()))
                : this instanceof Call call ? new Call(call.function(), call.args().stream().map(sub).toList()) : this;
    }

    /**
     * Whether the expression branches anywhere in it, so that its form can change with what it reads: a comparison, for order or
     * equality ({@link Binary#COMPARISONS}), a {@code min} or {@code max} of several values ({@link #choices()}), a remainder,
     * which wraps, or a floor division, which steps.
     */
    default boolean branches() {
        return this instanceof Binary binary && (Binary.COMPARISONS.contains(binary.op()) || binary.op().equals("%") || binary.op().equals("/"))
                || !choices().isEmpty()
                || parts().stream().anyMatch(Expr::branches);
    }

    /**
     * Whether an evaluation may leave a part of the expression unevaluated: a branch of {@code ?:}, or the right side of
     * {@code &&} or {@code ||}, which Python's {@code and} and {@code or} skip as Java's do.
     */
    default boolean skipsParts() {
        if (this instanceof Literal || this instanceof Name) {
            // asked of every attribute at every size analysed: most are these
            return false;
        }
        if (this instanceof Conditional || this instanceof Binary binary && (binary.op().equals("&&") || binary.op().equals("||"))) {
            return true;
        }
        for (Expr part : parts()) {
            if (part.skipsParts()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The comparisons whose truth decides which argument a {@code min} or {@code max} of several values gives ({@code a > b} for
     * each pair of them); none for any other expression.
     */
    default List<Expr> choices() {
        if (!(this instanceof Call call && (call.function().equals("min") || call.function().equals("max")) && call.args().size() > 1)) {
            return List.of();
        }
        List<Expr> choices = new java.util.ArrayList<>();
        for (int i = 0; i < call.args().size(); i++) {
            for (int j = i + 1; j < call.args().size(); j++) {
                choices.add(new Binary(">", call.args().get(i), call.args().get(j)));
            }
        }
        return choices;
    }

    /** A list literal {@code [a, b, c]}, for attributes that take a list. */
    record ListOf(List<Expr> items) implements Expr {
        @Override
        public Value eval(Scope scope) {
            return Value.list(list(scope));
        }

        @Override
        public java.util.List<Long> list(Scope scope) {
            java.util.List<Long> values = new java.util.ArrayList<>();
            for (Expr item : items) {
                values.add(item.number(scope));
            }
            return java.util.List.copyOf(values);
        }
    }

    /** A literal. */
    record Literal(Value value) implements Expr {
        @Override
        public Value eval(Scope scope) {
            return value;
        }
    }

    /** A name: a parameter, a constant or an input dimension. */
    record Name(String name) implements Expr {
        @Override
        public Value eval(Scope scope) {
            Value value = scope.lookup(name);
            if (value == null) {
                throw new ExprException(Reason.UNKNOWN_NAME, name);
            }
            return value;
        }
    }

    /** A unary operator: {@code -} or {@code !}. */
    record Unary(char op, Expr operand) implements Expr {
        @Override
        public Value eval(Scope scope) {
            if (op == '!') {
                return Value.of(!operand.truth(scope));
            }
            Value value = operand.numeric(scope);
            return value.isDecimal() ? Operations.finite(-value.decimal(), "-" + value) : Value.of(Operations.negate(value.number()));
        }
    }

    /** A binary operator. */
    record Binary(String op, Expr left, Expr right) implements Expr {
        /** The operators that compare for order. */
        public static final java.util.Set<String> ORDER = java.util.Set.of("<", "<=", ">", ">=");
        /** The operators that compare, for order or equality. */
        public static final java.util.Set<String> COMPARISONS = java.util.Set.of("<", "<=", ">", ">=", "==", "!=");

        @Override
        public Value eval(Scope scope) {
            switch (op) {
                case "&&":
                    return Value.of(left.truth(scope) && right.truth(scope));
                case "||":
                    return Value.of(left.truth(scope) || right.truth(scope));
                case "==":
                case "!=":
                    Value a = left.eval(scope);
                    Value b = right.eval(scope);
                    if (a.isBoolean() != b.isBoolean()) {
                        throw new ExprException(Reason.TYPE, "cannot compare a number with a condition");
                    }
                    if (a.isList() || b.isList()) {
                        if (!(a.isList() && b.isList())) {
                            throw new ExprException(Reason.TYPE, "cannot compare the list " + (a.isList() ? a : b) + " with " + (a.isList() ? b : a));
                        }
                        return Value.of(a.items().equals(b.items()) == op.equals("=="));
                    }
                    if (a.isText() || b.isText()) {
                        if (!(a.isText() && b.isText())) {
                            throw new ExprException(Reason.TYPE, "cannot compare the text " + (a.isText() ? a : b) + " with " + (a.isText() ? b : a));
                        }
                        return Value.of(a.text().equals(b.text()) == op.equals("=="));
                    }
                    // Numbers compare by value, as Python's 2 == 2.0.
                    boolean equal = a.isBoolean() ? a.truth() == b.truth() : Operations.compare(a, b) == 0;
                    return Value.of(equal == op.equals("=="));
                default:
                    return Operations.apply(op, left.numeric(scope), right.numeric(scope));
            }
        }
    }

    /** An element of a list, {@code layers[i]}; a negative index counts from the end, as Python's. */
    record Index(Expr list, Expr index) implements Expr {
        @Override
        public Value eval(Scope scope) {
            Value value = list.eval(scope);
            if (!value.isList()) {
                throw new ExprException(Reason.TYPE, "only a list can be indexed, not " + value);
            }
            long i = index.number(scope);
            int size = value.items().size();
            long at = i < 0 ? i + size : i;
            if (at < 0 || at >= size) {
                throw new ExprException(Reason.TYPE, "index " + i + " is out of range for the list " + value);
            }
            return Value.of(value.items().get((int) at));
        }
    }

    /** The conditional operator {@code c ? a : b}. */
    record Conditional(Expr condition, Expr then, Expr otherwise) implements Expr {
        @Override
        public Value eval(Scope scope) {
            return condition.truth(scope) ? then.eval(scope) : otherwise.eval(scope);
        }
    }

    /** A call of a built-in function. */
    record Call(String function, List<Expr> args) implements Expr {
        @Override
        public Value eval(Scope scope) {
            if (function.equals("len")) {
                Value value = args.get(0).eval(scope);
                if (!value.isList()) {
                    throw new ExprException(Reason.TYPE, "len takes a list, not " + value);
                }
                return Value.of(value.items().size());
            }
            Value[] values = new Value[args.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = args.get(i).numeric(scope);
            }
            return Operations.call(function, values);
        }
    }
}
