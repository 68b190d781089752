package dev.modelcost.processor.expr;

import dev.modelcost.processor.expr.ExprException.Reason;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the expression language of {@code with}, {@code @Args}, {@code @When} and
 * {@code @Param(expr)}: integers, names, {@code + - * / %} ({@code /} and {@code %} floor, as
 * Python's {@code //} and {@code %}), comparisons, {@code && || !}, {@code ?:}, parentheses and the
 * functions {@code min}, {@code max} and {@code divisible}.
 */
public final class ExprParser {
    /** A number as Java groups its digits: underscores between digits only ({@code 1_000_000}, {@code 0.000_1}); Python takes them one at a time. */
    private static final java.util.regex.Pattern GROUPED = java.util.regex.Pattern.compile("[0-9]+(?:_+[0-9]+)*(?:\\.[0-9]+(?:_+[0-9]+)*)?");

    /** How deep parentheses, unary operators and conditionals may nest. */
    static final int MAX_NESTING = 200;
    /** How many operations deep the parsed tree may be (a flat {@code 1 + 1 + ...} is as deep as it is long). */
    static final int MAX_HEIGHT = 1_000;

    private final String text;
    private int pos;
    private int nesting;
    /** The height of every operation node built, so that a too deep tree is refused as it grows. */
    private final Map<Expr, Integer> heights = new IdentityHashMap<>();

    private ExprParser(String text) {
        this.text = text;
    }

    /** Parses one expression. */
    public static Expr parse(String text) {
        ExprParser parser = new ExprParser(text);
        Expr expr = parser.conditional();
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected '" + text.charAt(parser.pos) + "'");
        }
        return expr;
    }

    /** Parses a comma-separated list of {@code name = expression} assignments; blank text gives none. */
    public static List<Assignment> parseAssignments(String text) {
        ExprParser parser = new ExprParser(text);
        List<Assignment> assignments = new ArrayList<>();
        parser.skipSpace();
        while (parser.pos < text.length()) {
            int start = parser.pos;
            String name = parser.identifier("a name");
            parser.skipSpace();
            parser.expect('=');
            Expr value = parser.conditional();
            assignments.add(new Assignment(name, value, text.substring(start, parser.pos).trim()));
            parser.skipSpace();
            if (parser.pos < text.length()) {
                parser.expect(',');
                parser.skipSpace();
            }
        }
        return assignments;
    }

    /**
     * One {@code name = expression} of an assignment list.
     *
     * @param name the name assigned
     * @param value the expression
     * @param text the assignment as written, for messages
     */
    public record Assignment(String name, Expr value, String text) {}

    private Expr conditional() {
        enter();
        Expr condition = binary(0);
        if (accept("?")) {
            Expr then = conditional();
            expect(':');
            Expr otherwise = conditional();
            condition = node(new Expr.Conditional(condition, then, otherwise), condition, then, otherwise);
        }
        nesting--;
        return condition;
    }

    private void enter() {
        if (++nesting > MAX_NESTING) {
            throw error(Reason.TOO_DEEP, "the expression nests more than " + MAX_NESTING + " levels deep");
        }
    }

    /** Records the height of a new operation node over its operands; refuses a tree too deep to evaluate. */
    private Expr node(Expr node, Expr... operands) {
        int height = 0;
        for (Expr operand : operands) {
            height = Math.max(height, heights.getOrDefault(operand, 0));
        }
        if (height + 1 > MAX_HEIGHT) {
            throw error(Reason.TOO_DEEP, "the expression is more than " + MAX_HEIGHT + " operations deep");
        }
        heights.put(node, height + 1);
        return node;
    }

    /** Binary operators by precedence level, loosest first. */
    private static final String[][] LEVELS = {
        {"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"},
    };

    private Expr binary(int level) {
        if (level == LEVELS.length) {
            return unary();
        }
        Expr left = binary(level + 1);
        while (true) {
            String op = acceptAny(LEVELS[level]);
            if (op == null) {
                return left;
            }
            Expr right = binary(level + 1);
            left = node(new Expr.Binary(op, left, right), left, right);
        }
    }

    /** A unary operator nests one level, as a parenthesis does; a chain of them is as deep as it is long. */
    private Expr unary() {
        skipSpace();
        if (accept("!")) {
            return unaryOperand('!');
        }
        if (accept("-")) {
            return unaryOperand('-');
        }
        if (accept("+")) {
            enter();
            Expr operand = unary();
            nesting--;
            return operand;
        }
        return primary();
    }

    private Expr unaryOperand(char op) {
        enter();
        Expr operand = unary();
        nesting--;
        return node(new Expr.Unary(op, operand), operand);
    }

    /** A primary, then any number of indexes: {@code layers[0]}, {@code (a)[i]}. */
    private Expr primary() {
        Expr expr = atom();
        while (pos < text.length() && text.charAt(pos) == '[') {
            pos++;
            Expr index = conditional();
            expect(']');
            expr = node(new Expr.Index(expr, index), expr, index);
        }
        return expr;
    }

    private Expr atom() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("the expression ends too early");
        }
        char c = text.charAt(pos);
        if (accept("(")) {
            Expr inner = conditional();
            expect(')');
            return inner;
        }
        if (accept("[")) {
            List<Expr> items = new ArrayList<>();
            skipSpace();
            if (!accept("]")) {
                do {
                    items.add(conditional());
                } while (accept(","));
                expect(']');
            }
            return new Expr.ListOf(List.copyOf(items));
        }
        if (c >= '0' && c <= '9') {
            return number();
        }
        if (c == '\'') {
            // A text, such as a layer kind's name: 'SiLU'.
            int end = text.indexOf('\'', pos + 1);
            if (end < 0) {
                throw error("the text ends without its closing quote");
            }
            String value = text.substring(pos + 1, end);
            pos = end + 1;
            return new Expr.Literal(Value.text(value));
        }
        if (Character.isJavaIdentifierStart(c)) {
            String name = identifier("a name");
            if (name.equals("true") || name.equals("false")) {
                return new Expr.Literal(Value.of(name.equals("true")));
            }
            if (pos + 1 < text.length() && text.charAt(pos) == '.' && Character.isJavaIdentifierStart(text.charAt(pos + 1))) {
                // A dimension of a named tensor (input.C, x.D, memory.L) or another class's constant (Sizes.WIDTH, com.acme.Sizes.WIDTH).
                StringBuilder dotted = new StringBuilder(name);
                while (pos + 1 < text.length() && text.charAt(pos) == '.' && Character.isJavaIdentifierStart(text.charAt(pos + 1))) {
                    pos++;
                    dotted.append('.').append(identifier("a name"));
                }
                noNumberedPart(dotted);
                return new Expr.Name(dotted.toString());
            }
            noNumberedPart(new StringBuilder(name));
            skipSpace();
            if (accept("(")) {
                return call(name);
            }
            return new Expr.Name(name);
        }
        throw error("unexpected '" + c + "'");
    }

    /**
     * Refuses a name followed by a dot and a number ({@code u.1.c.C}, a repetition's step), which is no name: an expression reads an
     * earlier field's output as {@code field.axis}, not a step inside a block.
     */
    private void noNumberedPart(StringBuilder name) {
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && asciiDigit(text.charAt(pos + 1))) {
            int end = pos;
            while (end < text.length() && (Character.isJavaIdentifierPart(text.charAt(end)) || text.charAt(end) == '.')) {
                end++;
            }
            String path = name + text.substring(pos, end);
            // u.1.c.C: the step u.1.c and its axis C; u.1.c: a step, whose axis is to be named.
            String last = path.substring(path.lastIndexOf('.') + 1);
            boolean axis = !last.isEmpty() && Character.isJavaIdentifierStart(last.charAt(0)) && path.indexOf('.') != path.lastIndexOf('.');
            String step = axis ? path.substring(0, path.lastIndexOf('.')) : path;
            String read = axis ? last : "<axis>";
            throw error("'" + path + "' is not a name (an expression reads an earlier field's output by its axis, "
                    + name.toString().split("\\.")[0] + "." + read + ", not a step inside a block by its path: give that step a field of its own, "
                    + "@From(\"" + step + "\") @Functional @Identity Layer tap, which takes no number in an indexed network, and read tap."
                    + read + ")");
        }
    }

    private Expr call(String function) {
        if (!Operations.FUNCTIONS.contains(function)) {
            throw error("unknown function '" + function + "'; there are min, max, divisible, exact, ceil, floor, round, int and len");
        }
        List<Expr> args = new ArrayList<>();
        skipSpace();
        if (!accept(")")) {
            do {
                args.add(conditional());
            } while (accept(","));
            expect(')');
        }
        boolean single = List.of("ceil", "floor", "round", "int", "len").contains(function);
        int min = function.equals("divisible") || function.equals("exact") || function.equals("min") || function.equals("max") ? 2 : 1;
        int max = function.equals("divisible") ? 3 : function.equals("exact") ? 2 : single ? 1 : Integer.MAX_VALUE;
        if (args.size() < min || args.size() > max) {
            throw error(function + " takes " + (function.equals("divisible") ? "2 or 3 arguments" : function.equals("exact") ? "2 arguments"
                    : single ? "one argument" : "at least two arguments") + ", not " + args.size());
        }
        return node(new Expr.Call(function, List.copyOf(args)), args.toArray(new Expr[0]));
    }

    private Expr number() {
        int start = pos;
        while (pos < text.length() && (asciiDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && asciiDigit(text.charAt(pos + 1))) {
            // A decimal, as Python writes a float: 1.1, 0.25.
            pos++;
            while (pos < text.length() && (asciiDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            noExponent(start);
            groupedBetweenDigits(start);
            return new Expr.Literal(Value.decimal(Double.parseDouble(text.substring(start, pos).replace("_", ""))));
        }
        noExponent(start);
        groupedBetweenDigits(start);
        String digits = text.substring(start, pos).replace("_", "");
        try {
            return new Expr.Literal(Value.of(Long.parseLong(digits)));
        } catch (NumberFormatException e) {
            throw error("the number " + digits + " is too large");
        }
    }

    /** A number whose underscores do not each stand between digits ({@code 1_000_}, {@code 1_.5}), which neither Java nor Python reads. */
    private void groupedBetweenDigits(int start) {
        String written = text.substring(start, pos);
        if (!GROUPED.matcher(written).matches()) {
            throw error("the number " + written + " has an underscore that is not between two digits: write " + written.replaceAll("_+(?![0-9])", ""));
        }
    }

    /** Whether {@code c} is a digit a number is written with: 0 to 9 (not another script's, which no number parses). */
    private static boolean asciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A number followed by a letter: 1e30 and 2.5e-3 are Python's, but not this language's, and 3L is Java's. */
    private void noExponent(int start) {
        if (pos < text.length() && Character.isJavaIdentifierStart(text.charAt(pos))) {
            int end = pos + 1;
            boolean exponent = (text.charAt(pos) == 'e' || text.charAt(pos) == 'E') && end < text.length()
                    && (asciiDigit(text.charAt(end)) || (text.charAt(end) == '-' || text.charAt(end) == '+') && end + 1 < text.length()
                    && asciiDigit(text.charAt(end + 1)));
            if (exponent && !asciiDigit(text.charAt(end))) {
                end++;
            }
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                end++;
            }
            String written = text.substring(start, end);
            String digits = exponent ? digitsOf(written) : null;
            throw error(exponent
                    ? "the number " + written + " has an exponent, which expressions do not take: write its digits"
                            + (digits == null ? "" : " (" + digits + ")") + ", or a product"
                    : "the number " + written + " runs into letters: a number is digits, with _ between them and one decimal point");
        }
    }

    /** The digits of a number written with an exponent ({@code 1_000} for {@code 1e3}, {@code 0.0025} for {@code 2.5e-3}); null where they are too many to show. */
    private static String digitsOf(String written) {
        try {
            java.math.BigDecimal value = new java.math.BigDecimal(written.replace("_", "")).stripTrailingZeros();
            if (value.precision() - value.scale() > 19 || value.scale() > 19
                    || value.scale() <= 0 && value.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                return null; // too many digits to show, or a whole number beyond 64 bits, which an expression cannot hold either
            }
            return value.scale() <= 0 ? String.format(java.util.Locale.ROOT, "%,d", value.toBigIntegerExact()).replace(',', '_') : value.toPlainString();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private String identifier(String what) {
        skipSpace();
        int start = pos;
        if (pos < text.length() && Character.isJavaIdentifierStart(text.charAt(pos))) {
            pos++;
            while (pos < text.length() && Character.isJavaIdentifierPart(text.charAt(pos))) {
                pos++;
            }
        }
        if (start == pos) {
            throw error("expected " + what);
        }
        return text.substring(start, pos);
    }

    private String acceptAny(String[] ops) {
        for (String op : ops) {
            if (accept(op)) {
                return op;
            }
        }
        return null;
    }

    /** Consumes {@code op} if it comes next and is not the start of a longer operator. */
    private boolean accept(String op) {
        skipSpace();
        if (!text.startsWith(op, pos)) {
            return false;
        }
        int end = pos + op.length();
        if (end < text.length()) {
            char next = text.charAt(end);
            boolean longer = (op.equals("<") || op.equals(">") || op.equals("!")) && next == '='
                    || op.equals("&") && next == '&' || op.equals("|") && next == '|';
            if (longer) {
                return false;
            }
        }
        pos = end;
        return true;
    }

    private void expect(char c) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private ExprException error(String message) {
        return error(Reason.SYNTAX, message);
    }

    /** A failure of {@code reason} at the current position, which the message names from 1. */
    private ExprException error(Reason reason, String message) {
        return new ExprException(reason, message + " at position " + (pos + 1), pos);
    }
}
