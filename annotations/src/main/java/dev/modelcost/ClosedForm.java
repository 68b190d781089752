package dev.modelcost;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One figure of a model as an exact polynomial in its size variables ({@link Model#sizes()}), as
 * the processor established it: {@code (c₁·m₁ + c₂·m₂ + …) / d}, with integer coefficients
 * {@code c} of monomials {@code m} in the variables and one positive denominator {@code d}; or, for
 * a maximum over the layers (the activation peak: the live bytes while each layer runs, the largest
 * of them), the largest of several such polynomials, its {@link #parts()} (a part may be the smallest of
 * polynomials: a step whose live bytes take another form at a size's smallest; or a step's form there that
 * is at most 0 elsewhere); or, for a figure that takes
 * a minimum (the bytes an embedding moves: at most its table), the smallest of several. Evaluation is exact, in
 * arbitrary precision; a value that is not an integer or does not fit in 64 bits is an
 * {@link ArithmeticException}. Immutable and thread-safe.
 *
 * <p>The generated classes hold each form as text, {@code "(123532032*L + 18432*L^2) / 1"} or
 * {@code "max((8*L) / 1, (4096 + 2*L) / 1)"} or {@code "min(..)"}, which {@link #parse} reads; {@link #toString()}
 * prints it as the reports do: {@code MACS(L) = 123,532,032·L + 18,432·L²},
 * {@code PEAK_ACTIVATION_BYTES(L) = max(8·L, 4,096 + 2·L)}.
 */
public final class ClosedForm {
    private final String figure;
    private final List<String> variables;
    private final BigInteger[] coefficients;
    private final int[][] exponents;
    private final BigInteger denominator;
    /** The polynomials of a maximum or a minimum; empty for a polynomial. */
    private final List<ClosedForm> parts;
    /** Whether the parts' smallest value is the figure, not their largest. */
    private final boolean minimum;

    private ClosedForm(String figure, List<String> variables, BigInteger[] coefficients, int[][] exponents, BigInteger denominator) {
        this.figure = figure;
        this.variables = List.copyOf(variables);
        this.coefficients = coefficients;
        this.exponents = exponents;
        this.denominator = denominator;
        this.parts = List.of();
        this.minimum = false;
    }

    private ClosedForm(String figure, List<String> variables, List<ClosedForm> parts, boolean minimum) {
        this.figure = figure;
        this.variables = List.copyOf(variables);
        this.coefficients = null;
        this.exponents = null;
        this.denominator = null;
        this.parts = List.copyOf(parts);
        this.minimum = minimum;
    }

    /**
     * Reads a form: terms {@code c}, {@code c*V} or {@code c*V^e*W} joined by {@code " + "} or
     * {@code " - "}, in parentheses, then {@code " / d"}; or {@code max(f, g, …)} or
     * {@code min(f, g, …)} of two or more such polynomials, joined by {@code ", "}, where a part of a
     * maximum may be a minimum of polynomials, or a part of a minimum a maximum ({@code max(f, min(g, h))}).
     *
     * @param figure the figure's name, e.g. {@code MACS}
     * @param variables the size variables, in the order {@link #at} takes them
     * @param text the form
     * @throws IllegalArgumentException if the text is not such a form in those variables
     */
    public static ClosedForm parse(String figure, List<String> variables, String text) {
        java.util.Objects.requireNonNull(figure, "figure");
        java.util.Objects.requireNonNull(variables, "variables");
        java.util.Objects.requireNonNull(text, "text");
        try {
            return parsed(figure, variables, text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a closed form: " + text + " (" + e.getMessage() + ")", e);
        }
    }

    private static ClosedForm parsed(String figure, List<String> variables, String text) {
        return extremum(figure, variables, text, true);
    }

    /** A polynomial, or a maximum or minimum of parts; {@code nested} where a part may itself be the other of the two. */
    private static ClosedForm extremum(String figure, List<String> variables, String text, boolean nested) {
        if ((text.startsWith("max(") || text.startsWith("min(")) && text.endsWith(")")) {
            boolean minimum = text.startsWith("min(");
            List<ClosedForm> parts = new ArrayList<>();
            for (String part : topLevel(text.substring(4, text.length() - 1))) {
                String trimmed = part.trim();
                boolean other = trimmed.startsWith(minimum ? "max(" : "min(");
                if (other && !nested || trimmed.startsWith(minimum ? "min(" : "max(")) {
                    throw new IllegalArgumentException("not a closed form: " + text + " (" + trimmed.substring(0, 3) + " inside a " + text.substring(0, 3)
                            + ")");
                }
                parts.add(other ? extremum(figure, variables, trimmed, false) : polynomial(figure, variables, trimmed));
            }
            if (parts.size() < 2) {
                throw new IllegalArgumentException("a " + text.substring(0, 3) + " of fewer than two polynomials: " + text);
            }
            return new ClosedForm(figure, variables, parts, minimum);
        }
        return polynomial(figure, variables, text);
    }

    /** The parts of a list joined by {@code ", "}, outside parentheses; its parentheses must balance. */
    private static List<String> topLevel(String list) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int c = 0; c < list.length(); c++) {
            char ch = list.charAt(c);
            if (ch == '(') {
                depth++;
            } else if (ch == ')' && --depth < 0) {
                throw new IllegalArgumentException("not a closed form: unbalanced parentheses in " + list);
            } else if (depth == 0 && list.startsWith(", ", c)) {
                parts.add(list.substring(from, c));
                from = c + 2;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("not a closed form: unbalanced parentheses in " + list);
        }
        parts.add(list.substring(from));
        return parts;
    }

    private static ClosedForm polynomial(String figure, List<String> variables, String text) {
        int slash = text.lastIndexOf(" / ");
        if (!text.startsWith("(") || slash < 0 || text.charAt(slash - 1) != ')') {
            throw new IllegalArgumentException("not a closed form: " + text);
        }
        BigInteger denominator = new BigInteger(text.substring(slash + 3).trim());
        if (denominator.signum() <= 0) {
            throw new IllegalArgumentException("the denominator of " + text + " is not positive");
        }
        String body = text.substring(1, slash - 1).trim().replace(" - ", " + -");
        List<BigInteger> coefficients = new ArrayList<>();
        List<int[]> exponents = new ArrayList<>();
        for (String term : body.split(" \\+ ")) {
            String[] factors = term.trim().split("\\*");
            int[] powers = new int[variables.size()];
            for (int i = 1; i < factors.length; i++) {
                String[] power = factors[i].split("\\^");
                int variable = variables.indexOf(power[0]);
                if (variable < 0) {
                    throw new IllegalArgumentException(power[0] + " is not one of " + variables + " in " + text);
                }
                int exponent = power.length > 1 ? Integer.parseInt(power[1]) : 1;
                if (exponent < 1 || power.length > 2) {
                    throw new IllegalArgumentException("not a closed form: " + text + " (" + factors[i] + " is no positive power of a variable)");
                }
                powers[variable] += exponent;
            }
            coefficients.add(new BigInteger(factors[0]));
            exponents.add(powers);
        }
        return new ClosedForm(figure, variables, coefficients.toArray(new BigInteger[0]), exponents.toArray(new int[0][]), denominator);
    }

    /**
     * The forms whose largest value (or smallest, for a minimum) the form is: the form itself
     * where it is one polynomial, two or more for a maximum or a minimum. Each part is a form of the
     * same figure and variables: a polynomial (the live bytes of a step, or where a step's live bytes rise
     * at a size's smallest, its form there, at most 0 elsewhere), or, in a maximum, a minimum of polynomials
     * (the live bytes of a step that holds a copy at every size but at a size's smallest, {@code min(f, g)}),
     * and the other way round.
     */
    public List<ClosedForm> parts() {
        return parts.isEmpty() ? List.of(this) : parts;
    }

    /** Whether the form is the largest of several polynomials. */
    public boolean isMaximum() {
        return !parts.isEmpty() && !minimum;
    }

    /** Whether the form is the smallest of several polynomials. */
    public boolean isMinimum() {
        return minimum;
    }

    /**
     * How many terms the polynomial has.
     *
     * @throws IllegalStateException if the form is a maximum or a minimum (its {@link #parts()} have terms)
     */
    public int terms() {
        return polynomial().coefficients.length;
    }

    /**
     * The integer coefficient of term {@code t}, before the division by {@link #denominator()}.
     *
     * @throws IllegalStateException if the form is a maximum or a minimum
     */
    public BigInteger coefficient(int t) {
        return polynomial().coefficients[t];
    }

    /**
     * The power of each variable in term {@code t}, in the order of {@link #variables()}.
     *
     * @throws IllegalStateException if the form is a maximum or a minimum
     */
    public int[] exponents(int t) {
        return polynomial().exponents[t].clone();
    }

    /**
     * The positive denominator every term is divided by.
     *
     * @throws IllegalStateException if the form is a maximum or a minimum
     */
    public BigInteger denominator() {
        return polynomial().denominator;
    }

    private ClosedForm polynomial() {
        if (!parts.isEmpty()) {
            throw new IllegalStateException(figure + " is the " + (minimum ? "smallest" : "largest") + " of " + parts.size()
                    + " polynomials: read each of parts()");
        }
        return this;
    }

    /** The figure's name, e.g. {@code MACS}. */
    public String figure() {
        return figure;
    }

    /** The size variables, in the order {@link #at} takes them. */
    public List<String> variables() {
        return variables;
    }

    /**
     * The figure at the given sizes, exactly. The generated {@code at(...)} checks that the sizes lie
     * where the form holds ({@link SizeDomain}); this method evaluates the polynomial wherever asked.
     *
     * @param sizes one value per variable, in the order of {@link #variables()}
     * @throws IllegalArgumentException if the number of values is wrong
     * @throws ArithmeticException if the value is not an integer or exceeds 64 bits, or it is a dimension of the output
     *     ({@code OUTPUT_0}, ...) above 32 bits
     */
    public long at(long... sizes) {
        BigInteger value = exact(sizes);
        if (value.bitLength() > 63) {
            throw new ArithmeticException(figure + " at " + where(sizes) + " is " + value + ", which exceeds 64 bits");
        }
        if (figure.startsWith("OUTPUT_") && value.longValue() > Integer.MAX_VALUE) {
            // A dimension of the output: the processor takes none above 32 bits, and refuses the model at such sizes.
            throw new ArithmeticException(figure + " at " + where(sizes) + " is " + value + ", above 2,147,483,647, the largest dimension the "
                    + "processor takes (it refuses the model at these sizes)");
        }
        return value.longValue();
    }

    /** The sizes with their variables' names: {@code L = 1024}, {@code H = 512, W = 512}. */
    String where(long[] sizes) {
        StringBuilder text = new StringBuilder();
        for (int v = 0; v < sizes.length; v++) {
            text.append(v == 0 ? "" : ", ").append(variables.get(v)).append(" = ").append(sizes[v]);
        }
        return text.toString();
    }

    /**
     * Each form at the same sizes, in order: what a generated {@code at(...)} gives its record. One
     * call in the generated class rather than one per form keeps it quick for javac to compile.
     *
     * @param forms forms of the same variables
     * @param sizes one value per variable, in the order of each form's {@link #variables()}
     * @return one value per form, in the order of {@code forms}
     * @throws IllegalArgumentException if the number of values is wrong
     * @throws ArithmeticException if a value is not an integer or exceeds 64 bits, or it is a dimension of the output above 32 bits,
     *     as {@link #at} throws
     */
    public static long[] each(List<ClosedForm> forms, long... sizes) {
        long[] values = new long[forms.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = forms.get(i).at(sizes);
        }
        return values;
    }

    /** The figure at the given sizes as an exact integer of any size; see {@link #at}. */
    public BigInteger exact(long... sizes) {
        if (sizes.length != variables.size()) {
            throw new IllegalArgumentException(figure + " takes " + variables + ", not " + sizes.length + " values");
        }
        if (!parts.isEmpty()) {
            BigInteger chosen = null;
            for (ClosedForm part : parts) {
                BigInteger value = part.exact(sizes);
                chosen = chosen == null ? value : minimum ? chosen.min(value) : chosen.max(value);
            }
            return chosen;
        }
        BigInteger sum = BigInteger.ZERO;
        for (int t = 0; t < coefficients.length; t++) {
            BigInteger term = coefficients[t];
            for (int v = 0; v < sizes.length; v++) {
                if (exponents[t][v] > 0) {
                    term = term.multiply(BigInteger.valueOf(sizes[v]).pow(exponents[t][v]));
                }
            }
            sum = sum.add(term);
        }
        BigInteger[] quotient = sum.divideAndRemainder(denominator);
        if (quotient[1].signum() != 0) {
            throw new ArithmeticException(figure + " at " + where(sizes) + " is not an integer: the sizes lie off the form's lattice");
        }
        return quotient[0];
    }

    /** The form as {@link #parse} reads it. */
    public String text() {
        if (!parts.isEmpty()) {
            List<String> texts = new ArrayList<>();
            parts.forEach(part -> texts.add(part.text()));
            return (minimum ? "min(" : "max(") + String.join(", ", texts) + ")";
        }
        StringBuilder text = new StringBuilder("(");
        for (int t = 0; t < coefficients.length; t++) {
            BigInteger c = coefficients[t];
            if (t > 0) {
                text.append(c.signum() < 0 ? " - " : " + ");
                c = c.abs();
            }
            text.append(c);
            for (int v = 0; v < variables.size(); v++) {
                if (exponents[t][v] > 0) {
                    text.append('*').append(variables.get(v));
                    if (exponents[t][v] > 1) {
                        text.append('^').append(exponents[t][v]);
                    }
                }
            }
        }
        return text.append(") / ").append(denominator).toString();
    }

    /**
     * The form as the reports print it, terms in the order given, each coefficient reduced:
     * {@code MACS(L) = 123,532,032·L + 18,432·L²}, {@code X(H, W) = 1/2·H·W}; a maximum as
     * {@code PEAK_ACTIVATION_BYTES(L) = max(8·L, 4,096 + 2·L)}, a minimum as {@code min(..)}.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(figure).append('(').append(String.join(", ", variables)).append(") = ");
        return text.append(right()).toString();
    }

    /** The right-hand side of {@link #toString()}. */
    private String right() {
        if (!parts.isEmpty()) {
            List<String> rights = new ArrayList<>();
            parts.forEach(part -> rights.add(part.right()));
            return (minimum ? "min(" : "max(") + String.join(", ", rights) + ")";
        }
        StringBuilder text = new StringBuilder();
        if (coefficients.length == 0) {
            return "0";
        }
        for (int t = 0; t < coefficients.length; t++) {
            BigInteger gcd = coefficients[t].gcd(denominator);
            BigInteger numerator = coefficients[t].divide(gcd);
            BigInteger below = denominator.divide(gcd);
            if (t > 0) {
                text.append(numerator.signum() < 0 ? " − " : " + ");
            } else if (numerator.signum() < 0) {
                text.append('−');
            }
            boolean constant = Arrays.stream(exponents[t]).allMatch(e -> e == 0);
            String magnitude = Grouping.of(numerator.abs());
            boolean one = numerator.abs().equals(BigInteger.ONE) && below.equals(BigInteger.ONE) && !constant;
            if (!one) {
                text.append(magnitude);
                if (!below.equals(BigInteger.ONE)) {
                    text.append('/').append(Grouping.of(below));
                }
            }
            boolean first = one;
            for (int v = 0; v < variables.size(); v++) {
                if (exponents[t][v] > 0) {
                    text.append(first ? "" : "\u00b7").append(variables.get(v)).append(power(exponents[t][v]));
                    first = false;
                }
            }
        }
        return text.toString();
    }

    private static String power(int exponent) {
        switch (exponent) {
            case 1: return "";
            case 2: return "\u00b2";
            case 3: return "\u00b3";
            default: return "^" + exponent;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClosedForm && figure.equals(((ClosedForm) other).figure) && variables.equals(((ClosedForm) other).variables)
                && text().equals(((ClosedForm) other).text());
    }

    @Override
    public int hashCode() {
        return figure.hashCode() * 31 + text().hashCode();
    }
}
