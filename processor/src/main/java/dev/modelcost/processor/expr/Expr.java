package dev.modelcost.processor.expr;

import dev.modelcost.processor.expr.ExprException.Reason;
import java.util.List;

/** A parsed integer or boolean expression; evaluation is exact and fails on overflow. */
public sealed interface Expr {

    /** Evaluates the expression in a scope. */
    Value eval(Scope scope);

    /** Evaluates to an integer, failing if the expression is boolean. */
    default long number(Scope scope) {
        Value value = eval(scope);
        if (value.isBoolean()) {
            throw new ExprException(Reason.TYPE, "expected a number but found a condition");
        }
        return value.number();
    }

    /** Evaluates to a boolean, failing if the expression is a number. */
    default boolean truth(Scope scope) {
        Value value = eval(scope);
        if (!value.isBoolean()) {
            throw new ExprException(Reason.TYPE, "expected a condition but found the number " + value.number());
        }
        return value.truth();
    }

    /**
     * Evaluates to a list of integers: a list literal {@code [a, b]}, or a single number as a list
     * of one (as PyTorch takes {@code normalized_shape = 768} for {@code (768,)}).
     */
    default java.util.List<Long> list(Scope scope) {
        return java.util.List.of(number(scope));
    }

    /** A list literal {@code [a, b, c]}, for attributes that take a list. */
    record ListOf(List<Expr> items) implements Expr {
        @Override
        public Value eval(Scope scope) {
            throw new ExprException(Reason.TYPE, "a list [..] is only allowed for an attribute that takes a list");
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
            return Value.of(Operations.negate(operand.number(scope)));
        }
    }

    /** A binary operator. */
    record Binary(String op, Expr left, Expr right) implements Expr {
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
                    return Value.of(a.equals(b) == op.equals("=="));
                default:
                    return Operations.apply(op, left.number(scope), right.number(scope));
            }
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
            long[] values = new long[args.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = args.get(i).number(scope);
            }
            return Value.of(Operations.call(function, values));
        }
    }
}
