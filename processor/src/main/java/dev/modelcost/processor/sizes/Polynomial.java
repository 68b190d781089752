package dev.modelcost.processor.sizes;

import dev.modelcost.ClosedForm;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exact polynomial with rational coefficients in a fixed number of variables: a map from each
 * monomial's exponents to its nonzero coefficient. Immutable.
 */
final class Polynomial {
    /** Monomials by total degree, then by exponents from the first variable on. */
    private static final Comparator<List<Integer>> ORDER = (a, b) -> {
        int degrees = Integer.compare(degree(a), degree(b));
        if (degrees != 0) {
            return degrees;
        }
        for (int i = 0; i < a.size(); i++) {
            int exponents = Integer.compare(b.get(i), a.get(i));
            if (exponents != 0) {
                return exponents;
            }
        }
        return 0;
    };

    /** A monomial's total degree. */
    private static int degree(List<Integer> exponents) {
        int sum = 0;
        for (int i = 0; i < exponents.size(); i++) {
            sum += exponents.get(i);
        }
        return sum;
    }

    private final int variables;
    private final Map<List<Integer>, Fraction> terms;
    /** The terms over one common denominator, for {@link #matches}; built on first use. */
    private BigInteger[] scaled;
    private int[][] powers;
    private BigInteger common;
    /** The same in 64 bits where every one fits, for a faster check that falls back to the exact one on overflow; else null. */
    private long[] small;
    private long smallCommon;

    private Polynomial(int variables, Map<List<Integer>, Fraction> terms) {
        this.variables = variables;
        this.terms = terms;
    }

    /** The constant {@code value} in {@code variables} variables. */
    static Polynomial constant(int variables, Fraction value) {
        Map<List<Integer>, Fraction> terms = new TreeMap<>(ORDER);
        if (!value.isZero()) {
            terms.put(zero(variables), value);
        }
        return new Polynomial(variables, terms);
    }

    /** {@code scale·x_i + offset}. */
    static Polynomial linear(int variables, int variable, Fraction scale, Fraction offset) {
        Map<List<Integer>, Fraction> terms = new TreeMap<>(ORDER);
        if (!offset.isZero()) {
            terms.put(zero(variables), offset);
        }
        if (!scale.isZero()) {
            List<Integer> exponents = new ArrayList<>(zero(variables));
            exponents.set(variable, 1);
            terms.put(List.copyOf(exponents), scale);
        }
        return new Polynomial(variables, terms);
    }

    /** The polynomial with these coefficients (zero ones left out), by each monomial's exponents. */
    static Polynomial of(int variables, Map<List<Integer>, Fraction> coefficients) {
        Map<List<Integer>, Fraction> terms = new TreeMap<>(ORDER);
        coefficients.forEach((monomial, c) -> {
            if (!c.isZero()) {
                terms.put(monomial, c);
            }
        });
        return new Polynomial(variables, terms);
    }

    /** Each monomial's exponents and its coefficient. */
    Map<List<Integer>, Fraction> terms() {
        return java.util.Collections.unmodifiableMap(terms);
    }

    private static List<Integer> zero(int variables) {
        return List.copyOf(java.util.Collections.nCopies(variables, 0));
    }

    /** A closed form as a polynomial in its variables. */
    static Polynomial of(ClosedForm form) {
        int variables = form.variables().size();
        Polynomial sum = constant(variables, Fraction.ZERO);
        for (int t = 0; t < form.terms(); t++) {
            Map<List<Integer>, Fraction> term = new TreeMap<>(ORDER);
            term.put(Arrays.stream(form.exponents(t)).boxed().toList(), new Fraction(form.coefficient(t), form.denominator()));
            sum = sum.plus(new Polynomial(variables, term));
        }
        return sum;
    }

    /** The polynomial with each variable {@code i} replaced by {@code replacements[i]}, all in the same variables. */
    Polynomial substitute(Polynomial... replacements) {
        int target = replacements[0].variables;
        Polynomial sum = constant(target, Fraction.ZERO);
        for (Map.Entry<List<Integer>, Fraction> term : terms.entrySet()) {
            Polynomial product = constant(target, term.getValue());
            for (int i = 0; i < variables; i++) {
                for (int e = 0; e < term.getKey().get(i); e++) {
                    product = product.times(replacements[i]);
                }
            }
            sum = sum.plus(product);
        }
        return sum;
    }

    /** Whether no coefficient is negative: then a polynomial in one variable never decreases from 0 up. */
    boolean nonnegative() {
        return terms.values().stream().allMatch(c -> c.signum() >= 0);
    }

    Polynomial minus(Polynomial other) {
        return plus(other.times(Fraction.of(-1)));
    }

    Polynomial plus(Polynomial other) {
        Map<List<Integer>, Fraction> sum = new TreeMap<>(ORDER);
        sum.putAll(terms);
        other.terms.forEach((monomial, c) -> {
            Fraction total = sum.getOrDefault(monomial, Fraction.ZERO).plus(c);
            if (total.isZero()) {
                sum.remove(monomial);
            } else {
                sum.put(monomial, total);
            }
        });
        return new Polynomial(variables, sum);
    }

    Polynomial times(Polynomial other) {
        Polynomial product = constant(variables, Fraction.ZERO);
        for (Map.Entry<List<Integer>, Fraction> a : terms.entrySet()) {
            Map<List<Integer>, Fraction> part = new TreeMap<>(ORDER);
            for (Map.Entry<List<Integer>, Fraction> b : other.terms.entrySet()) {
                List<Integer> exponents = new ArrayList<>();
                for (int i = 0; i < variables; i++) {
                    exponents.add(a.getKey().get(i) + b.getKey().get(i));
                }
                part.put(List.copyOf(exponents), a.getValue().times(b.getValue()));
            }
            product = product.plus(new Polynomial(variables, part));
        }
        return product;
    }

    Polynomial times(Fraction factor) {
        return times(constant(variables, factor));
    }

    /** The value at integer points. */
    Fraction at(long... values) {
        Fraction sum = Fraction.ZERO;
        for (Map.Entry<List<Integer>, Fraction> term : terms.entrySet()) {
            BigInteger product = BigInteger.ONE;
            for (int i = 0; i < variables; i++) {
                product = product.multiply(BigInteger.valueOf(values[i]).pow(term.getKey().get(i)));
            }
            sum = sum.plus(term.getValue().times(new Fraction(product, BigInteger.ONE)));
        }
        return sum;
    }

    /** Whether the polynomial's value at integer points is {@code value}: the terms over one denominator, no fraction reduced. */
    boolean matches(long value, long... values) {
        if (scaled == null) {
            BigInteger denominator = BigInteger.ONE;
            for (Fraction c : terms.values()) {
                denominator = Fraction.lcm(denominator, c.denominator());
            }
            BigInteger[] coefficients = new BigInteger[terms.size()];
            int[][] exponents = new int[terms.size()][];
            int t = 0;
            for (Map.Entry<List<Integer>, Fraction> term : terms.entrySet()) {
                coefficients[t] = term.getValue().numerator().multiply(denominator.divide(term.getValue().denominator()));
                exponents[t++] = term.getKey().stream().mapToInt(Integer::intValue).toArray();
            }
            powers = exponents;
            common = denominator;
            scaled = coefficients;
            boolean fits = denominator.bitLength() < 64;
            for (BigInteger c : coefficients) {
                fits &= c.bitLength() < 64;
            }
            if (fits) {
                small = Arrays.stream(coefficients).mapToLong(BigInteger::longValue).toArray();
                smallCommon = denominator.longValue();
            }
        }
        if (small != null) {
            try {
                long sum = 0;
                for (int t = 0; t < small.length; t++) {
                    long term = small[t];
                    for (int i = 0; i < variables; i++) {
                        for (int e = 0; e < powers[t][i]; e++) {
                            term = Math.multiplyExact(term, values[i]);
                        }
                    }
                    sum = Math.addExact(sum, term);
                }
                return sum == Math.multiplyExact(smallCommon, value);
            } catch (ArithmeticException beyond64Bits) {
                // the exact sum below
            }
        }
        BigInteger sum = BigInteger.ZERO;
        for (int t = 0; t < scaled.length; t++) {
            BigInteger term = scaled[t];
            for (int i = 0; i < variables; i++) {
                for (int e = 0; e < powers[t][i]; e++) {
                    term = term.multiply(BigInteger.valueOf(values[i]));
                }
            }
            sum = sum.add(term);
        }
        return sum.equals(common.multiply(BigInteger.valueOf(value)));
    }

    /** The highest power of {@code variable} in any term. */
    int degree(int variable) {
        return terms.keySet().stream().mapToInt(e -> e.get(variable)).max().orElse(0);
    }

    /** The coefficients in {@code variable} alone when it is the only one that varies: every coefficient, by power, of a one-variable polynomial. */
    Fraction[] coefficients() {
        if (variables != 1) {
            throw new IllegalStateException("not a polynomial in one variable");
        }
        Fraction[] coefficients = new Fraction[degree(0) + 1];
        Arrays.fill(coefficients, Fraction.ZERO);
        terms.forEach((monomial, c) -> coefficients[monomial.get(0)] = c);
        return coefficients;
    }

    /** Whether its terms together read two or more of the variables: a product of sizes, or a sum of two ({@code p.L + q.L}). */
    boolean readsSeveral() {
        java.util.BitSet read = new java.util.BitSet();
        for (List<Integer> exponents : terms.keySet()) {
            for (int v = 0; v < exponents.size(); v++) {
                if (exponents.get(v) > 0) {
                    read.set(v);
                }
            }
        }
        return read.cardinality() > 1;
    }

    /** The polynomial as a {@link ClosedForm} of {@code figure} in the named variables. */
    ClosedForm form(String figure, List<String> names) {
        BigInteger denominator = BigInteger.ONE;
        for (Fraction c : terms.values()) {
            denominator = Fraction.lcm(denominator, c.denominator());
        }
        StringBuilder text = new StringBuilder("(");
        boolean first = true;
        for (Map.Entry<List<Integer>, Fraction> term : terms.entrySet()) {
            BigInteger c = term.getValue().numerator().multiply(denominator.divide(term.getValue().denominator()));
            text.append(first ? (c.signum() < 0 ? "-" : "") : c.signum() < 0 ? " - " : " + ").append(c.abs());
            for (int i = 0; i < variables; i++) {
                int power = term.getKey().get(i);
                if (power > 0) {
                    text.append('*').append(names.get(i)).append(power > 1 ? "^" + power : "");
                }
            }
            first = false;
        }
        if (first) {
            text.append('0');
        }
        return ClosedForm.parse(figure, names, text.append(") / ").append(denominator).toString());
    }
}
