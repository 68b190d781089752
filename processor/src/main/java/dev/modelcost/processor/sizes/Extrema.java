package dev.modelcost.processor.sizes;

import dev.modelcost.ClosedForm;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The largest or the smallest of several polynomials over a box of sizes, as one closed form
 * ({@code max(...)}, {@code min(...)}): the activation peak over the steps of the memory timeline,
 * the bytes moved over the choices of table or rows read. A part that is provably never the
 * largest (never the smallest) anywhere in the box is left out. A part of a maximum may itself be the
 * smallest of polynomials ({@code min(G, H₁, …)}: a step whose live bytes are {@code G} but at a size's
 * smallest; or {@code min(R, …)}, a step's form where its live bytes rise there, brought down where they
 * fall back), which is weighed by its first polynomial, never below it.
 */
final class Extrema {
    private Extrema() {}

    /**
     * The largest of the candidates (or the smallest, for a {@code minimum}) as one form, in their
     * order: a candidate is left out where another is never below it (never above it, for a minimum)
     * at sizes from {@code lows} to {@code highs} (their difference, in each size less its smallest or
     * its largest less the size, at one of the box's corners, has no negative coefficient).
     */
    static ClosedForm of(String figure, List<Polynomial> candidates, List<String> names, long[] lows, long[] highs, boolean minimum) {
        return ofParts(figure, candidates.stream().map(List::of).toList(), names, lows, highs, minimum);
    }

    /**
     * The largest of the parts as one form, as {@link #of}, where each part is the smallest of its polynomials: one polynomial, or
     * several, the first at least as large as the part everywhere in the box ({@code G} and the forms that take over from it at sizes'
     * smallest, or a form {@code R} where a step rises there and its corrections). A part of several polynomials is left out where a
     * polynomial part is never below its first, and leaves out no other.
     *
     * @throws IllegalArgumentException if a minimum is given a part of several polynomials
     */
    static ClosedForm ofParts(String figure, List<List<Polynomial>> parts, List<String> names, long[] lows, long[] highs, boolean minimum) {
        if (minimum && parts.stream().anyMatch(part -> part.size() > 1)) {
            throw new IllegalArgumentException(figure + ": a minimum of minima");
        }
        List<BigInteger[][]> corners = atCorners(parts.stream().map(part -> part.get(0)).toList(), lows, highs);
        List<List<Polynomial>> kept = new ArrayList<>();
        List<BigInteger[][]> shifted = new ArrayList<>();
        for (int c = 0; c < parts.size(); c++) {
            boolean exact = parts.get(c).size() == 1;
            BigInteger[][] moved = corners.get(c);
            // For a maximum, a part never above a kept one is left out; for a minimum, one never below. A part of several
            // polynomials may lie below its first anywhere: it is weighed by it, and leaves no other out.
            boolean dominated = false;
            for (int k = 0; k < kept.size() && !dominated; k++) {
                dominated = kept.get(k).size() == 1 && (minimum ? atLeast(moved, shifted.get(k)) : atLeast(shifted.get(k), moved));
            }
            if (dominated) {
                continue;
            }
            for (int k = kept.size() - 1; k >= 0 && exact; k--) {
                if (minimum ? atLeast(shifted.get(k), moved) : atLeast(moved, shifted.get(k))) {
                    kept.remove(k);
                    shifted.remove(k);
                }
            }
            kept.add(parts.get(c));
            shifted.add(moved);
        }
        List<String> texts = kept.stream().map(part -> text(figure, part, names)).toList();
        return ClosedForm.parse(figure, names, texts.size() == 1 ? texts.get(0) : (minimum ? "min(" : "max(") + String.join(", ", texts) + ")");
    }

    /** A part's form as text: its polynomial, or the smallest of its polynomials. */
    private static String text(String figure, List<Polynomial> part, List<String> names) {
        List<String> texts = part.stream().map(p -> p.form(figure, names).text()).toList();
        return texts.size() == 1 ? texts.get(0) : "min(" + String.join(", ", texts) + ")";
    }

    /** Whether {@code a ≥ b} at every size from {@code lows} to {@code highs}, as {@link #of} proves it (else it is not known). */
    static boolean neverBelow(Polynomial a, Polynomial b, long[] lows, long[] highs) {
        List<BigInteger[][]> corners = atCorners(List.of(a, b), lows, highs);
        return atLeast(corners.get(0), corners.get(1));
    }

    /**
     * Each polynomial's coefficients at each corner of the box of sizes, over one common denominator: at a corner, with
     * {@code x_i = lows_i + y_i} or {@code x_i = highs_i − y_i}, {@code y_i ≥ 0}, the coefficient of each monomial in {@code y}. A
     * difference with no negative coefficient at some corner is never negative in the box.
     */
    private static List<BigInteger[][]> atCorners(List<Polynomial> candidates, long[] lows, long[] highs) {
        int v = lows.length;
        // Every candidate over one denominator, on the box of monomials up to the highest power of each variable.
        int[] most = new int[v];
        BigInteger common = BigInteger.ONE;
        for (Polynomial candidate : candidates) {
            for (Map.Entry<List<Integer>, Fraction> term : candidate.terms().entrySet()) {
                for (int i = 0; i < v; i++) {
                    most[i] = Math.max(most[i], term.getKey().get(i));
                }
                common = Fraction.lcm(common, term.getValue().denominator());
            }
        }
        int size = 1;
        for (int m : most) {
            size *= m + 1;
        }
        int[][] box = new int[size][];
        for (int index = 0; index < size; index++) {
            box[index] = GridInterpolation.unflatten(index, most);
        }
        // The coefficient of y^e gathers c_f · Π C(f_i, e_i) · corner_i^(f_i − e_i) · (±1)^e_i over f ≥ e.
        int corners = 1 << v;
        BigInteger[][][] shift = new BigInteger[corners][size][size];
        for (int corner = 0; corner < corners; corner++) {
            for (int e = 0; e < size; e++) {
                for (int f = 0; f < size; f++) {
                    BigInteger factor = BigInteger.ONE;
                    for (int i = 0; i < v && factor.signum() != 0; i++) {
                        boolean high = (corner >> i & 1) == 1;
                        factor = box[f][i] < box[e][i] ? BigInteger.ZERO
                                : factor.multiply(choose(box[f][i], box[e][i])).multiply(BigInteger.valueOf(high ? highs[i] : lows[i]).pow(box[f][i] - box[e][i]));
                        if (high && box[e][i] % 2 == 1) {
                            factor = factor.negate();
                        }
                    }
                    shift[corner][e][f] = factor;
                }
            }
        }
        List<BigInteger[][]> all = new ArrayList<>();
        for (Polynomial candidate : candidates) {
            BigInteger[] scaled = new BigInteger[size];
            Arrays.fill(scaled, BigInteger.ZERO);
            for (Map.Entry<List<Integer>, Fraction> term : candidate.terms().entrySet()) {
                int index = 0;
                for (int i = 0; i < v; i++) {
                    index = index * (most[i] + 1) + term.getKey().get(i);
                }
                scaled[index] = term.getValue().numerator().multiply(common.divide(term.getValue().denominator()));
            }
            BigInteger[][] moved = new BigInteger[corners][size];
            for (int corner = 0; corner < corners; corner++) {
                for (int e = 0; e < size; e++) {
                    BigInteger sum = BigInteger.ZERO;
                    for (int f = 0; f < size; f++) {
                        if (shift[corner][e][f].signum() != 0 && scaled[f].signum() != 0) {
                            sum = sum.add(scaled[f].multiply(shift[corner][e][f]));
                        }
                    }
                    moved[corner][e] = sum;
                }
            }
            all.add(moved);
        }
        return all;
    }

    /** Whether at some corner of the box every coefficient of {@code a} is at least {@code b}'s: then {@code a ≥ b} in the box. */
    private static boolean atLeast(BigInteger[][] a, BigInteger[][] b) {
        for (int corner = 0; corner < a.length; corner++) {
            boolean all = true;
            for (int m = 0; m < a[corner].length && all; m++) {
                all = a[corner][m].compareTo(b[corner][m]) >= 0;
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** The binomial coefficient C(n, k). */
    private static BigInteger choose(int n, int k) {
        BigInteger c = BigInteger.ONE;
        for (int j = 0; j < k; j++) {
            c = c.multiply(BigInteger.valueOf(n - j)).divide(BigInteger.valueOf(j + 1));
        }
        return c;
    }
}
