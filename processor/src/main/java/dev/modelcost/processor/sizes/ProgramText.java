package dev.modelcost.processor.sizes;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a size program's figures and ties ({@link OffLattice}) from the coefficients solved for them: each figure's line, a
 * maximum's parts that no other part is always above, and each product tied to the independent ones as a combination that is 0.
 */
final class ProgramText {
    private ProgramText() {}

    /**
     * The program's text: the shape lines, then each figure's combination of products (a maximum's parts one line each, and the bytes
     * moved's, a minimum, where layers gather weights by token ids: {@code gathered} names their tables and rows read, solved as parts
     * beside {@link Probe#BESIDES_GATHERS}; empty where none do).
     */
    static String of(String shapes, List<String> figures, List<String> steps, List<String> gathered, Map<String, Fraction[]> bySolved) {
        StringBuilder text = new StringBuilder(shapes);
        for (String figure : figures) {
            List<Fraction[]> parts = new ArrayList<>();
            if (ClosedForms.MAXIMA.contains(figure)) {
                for (String step : steps) {
                    Fraction[] part = bySolved.get(step).clone();
                    if (figure.equals("INFERENCE_MEMORY_BYTES")) {
                        part = plus(part, bySolved.get(Probe.BESIDES_PEAK));
                    }
                    parts.add(part);
                }
                parts = undominated(parts, true);
            } else if (figure.equals("BYTES_MOVED") && !gathered.isEmpty()) {
                parts = undominated(ClosedForms.gatherings(gathered, bySolved::get, ProgramText::plus), false);
                text.append("smallest\t").append(figure).append('\n');
            } else {
                parts.add(bySolved.get(figure));
            }
            for (Fraction[] part : parts) {
                text.append(line(figure, part));
            }
        }
        return text.toString();
    }

    /** The sum of two parts, coefficient by coefficient. */
    private static Fraction[] plus(Fraction[] a, Fraction[] b) {
        Fraction[] sum = new Fraction[a.length];
        for (int c = 0; c < a.length; c++) {
            sum[c] = a[c].plus(b[c]);
        }
        return sum;
    }

    /**
     * The parts of a maximum ({@code largest}) but those another part is never below, or of a minimum but those another part is never
     * above (every product of sizes is positive, so coefficients decide), each once: compared as integers over one denominator.
     */
    private static List<Fraction[]> undominated(List<Fraction[]> parts, boolean largest) {
        BigInteger denominator = BigInteger.ONE;
        for (Fraction[] part : parts) {
            denominator = Fraction.lcm(denominator, denominator(part));
        }
        List<BigInteger[]> scaled = new ArrayList<>();
        List<Fraction[]> distinct = new ArrayList<>();
        java.util.Set<List<BigInteger>> seen = new java.util.HashSet<>();
        for (Fraction[] part : parts) {
            BigInteger[] integers = integers(part, denominator);
            if (seen.add(Arrays.asList(integers))) {
                scaled.add(integers);
                distinct.add(part);
            }
        }
        List<Fraction[]> kept = new ArrayList<>();
        for (int i = 0; i < scaled.size(); i++) {
            boolean dominated = false;
            for (int j = 0; j < scaled.size() && !dominated; j++) {
                dominated = j != i && (largest ? atLeast(scaled.get(j), scaled.get(i)) : atLeast(scaled.get(i), scaled.get(j)));
            }
            if (!dominated) {
                kept.add(distinct.get(i));
            }
        }
        return kept;
    }

    private static boolean atLeast(BigInteger[] a, BigInteger[] b) {
        for (int c = 0; c < a.length; c++) {
            if (a[c].compareTo(b[c]) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The products that are no product of their own, ascending: those of the {@code products} not among the {@code independent} ones. */
    static List<Integer> tied(int[] independent, int products) {
        List<Integer> tied = new ArrayList<>();
        for (int m = 0, i = 0; m < products; m++) {
            if (i < independent.length && independent[i] == m) {
                i++;
            } else {
                tied.add(m);
            }
        }
        return tied;
    }

    /**
     * The program's {@code tie} lines: each {@code tied} product as the combination of the {@code independent} ones it is at every size
     * seen, solved on the chosen sizes (column {@code from + t} of {@code solved} for the t-th). Where the sizes scattered around the
     * declared ones separate too few products, a size may part such a product from its combination; the program refuses that size
     * rather than answer from coefficients solved without it.
     */
    static Ties ties(List<Integer> tied, Fraction[][] solved, int from, int[] independent, int products) {
        List<BigInteger[]> ties = new ArrayList<>();
        for (int t = 0; t < tied.size(); t++) {
            // d·m = c₁·m₁ + c₂·m₂ + …, written as one row over every product that sums to zero
            Fraction[] tie = new Fraction[products];
            Arrays.fill(tie, Fraction.ZERO);
            tie[tied.get(t)] = Fraction.ONE;
            for (int c = 0; c < independent.length; c++) {
                tie[independent[c]] = solved[c][from + t].negate();
            }
            ties.add(integers(tie, denominator(tie)));
        }
        return new Ties(tied, ties);
    }

    /** Each product tied to the others ({@code tied}), and its tie: integers over every product, whose combination is 0. */
    record Ties(List<Integer> tied, List<BigInteger[]> ties) {
        /** Whether every tie holds at each row of products. */
        boolean holdAt(List<BigInteger[]> rows) {
            for (BigInteger[] tie : ties) {
                for (BigInteger[] row : rows) {
                    BigInteger sum = BigInteger.ZERO;
                    for (int m = 0; m < tie.length; m++) {
                        if (tie[m].signum() != 0) {
                            sum = sum.add(tie[m].multiply(row[m]));
                        }
                    }
                    if (sum.signum() != 0) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** The program's {@code tie} lines. */
        String text() {
            StringBuilder text = new StringBuilder();
            for (int t = 0; t < ties.size(); t++) {
                text.append("tie\t").append(tied.get(t)).append('\t')
                        .append(String.join(",", Arrays.stream(ties.get(t)).map(BigInteger::toString).toList())).append('\n');
            }
            return text.toString();
        }
    }

    /** The least common denominator of the fractions. */
    static BigInteger denominator(Fraction[] fractions) {
        BigInteger denominator = BigInteger.ONE;
        for (Fraction c : fractions) {
            denominator = Fraction.lcm(denominator, c.denominator());
        }
        return denominator;
    }

    /** The fractions times {@code denominator}, a multiple of theirs. */
    static BigInteger[] integers(Fraction[] fractions, BigInteger denominator) {
        return Arrays.stream(fractions).map(c -> c.numerator().multiply(denominator.divide(c.denominator()))).toArray(BigInteger[]::new);
    }

    /** One part of a figure: its coefficients over one denominator. */
    private static String line(String figure, Fraction[] part) {
        BigInteger denominator = denominator(part);
        return "figure\t" + figure + "\t" + denominator + "\t" + String.join(",", Arrays.stream(integers(part, denominator)).map(BigInteger::toString).toList()) + "\n";
    }
}
