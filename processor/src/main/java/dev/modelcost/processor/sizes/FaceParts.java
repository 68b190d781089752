package dev.modelcost.processor.sizes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A part of the peak where its live bytes take another form at sizes' smallest: the smallest of {@code falling} ({@code G} and
 * the forms that fall at faces), and beside it each smallest of a {@code rising} list (a form that rises at a face and its
 * corrections); its value is the largest of those.
 *
 * <p>Built by {@code ClosedForms.edgeForms} from a part's form off the faces and its form on each face, where a face is a set of
 * size variables at their smallest sizes {@code lows}, over the box of sizes up to {@code highs}, on lattices of {@code period}.
 */
record FaceParts(List<Polynomial> falling, List<List<Polynomial>> rising) {
    /** The part's value at {@code sizes}: the largest of the smallest of {@code falling} and of each {@code rising} list. */
    Fraction at(long[] sizes) {
        Fraction value = smallest(falling, sizes);
        for (List<Polynomial> rose : rising) {
            Fraction there = smallest(rose, sizes);
            value = there.minus(value).signum() > 0 ? there : value;
        }
        return value;
    }

    /**
     * The forms of one part from its form {@code g} off the faces and {@code onFaces}, its form on each face (larger sets of
     * variables after smaller ones), as {@code ClosedForms.edgeForms} builds them; null where a face's form is neither below nor above
     * {@code g} over the box, where the inference memory besides the peak ({@code besides}) would need a face, or where faces of
     * several variables are not proven to meet.
     */
    static FaceParts of(Polynomial g, Map<Integer, Polynomial> onFaces, int faceable, boolean besides, long[] lows, long[] highs,
            long[] period) {
        int n = lows.length;
        Polynomial zero = Polynomial.constant(n, Fraction.ZERO);
        List<Polynomial> falling = new ArrayList<>(List.of(g));
        // The forms where the live bytes rise, each the smallest of its form R and its corrections on larger faces, by face.
        Map<Integer, List<Polynomial>> rising = new LinkedHashMap<>();
        List<Integer> fallen = new ArrayList<>();
        for (Map.Entry<Integer, Polynomial> onFace : onFaces.entrySet()) {
            int face = onFace.getKey();
            Polynomial e = onFace.getValue();
            Polynomial gOnFace = onFace(g, face, lows);
            boolean same = gOnFace.minus(e).terms().isEmpty();
            boolean below = !same && Extrema.neverBelow(gOnFace, e, lows, highs);
            boolean rises = !same && !below;
            if (rises && !(Extrema.neverBelow(e, gOnFace, lows, highs) && Extrema.neverBelow(e, zero, lows, highs)) || (below || rises) && besides) {
                return null;
            }
            // E below G on the face (a copy that vanishes there): H = G + (E − G|face)·(1 − t) joins G's smallest, E on the face and
            // at least G off it, unless a smaller set's face already gives E here. E − G there depends on the other variables only,
            // its sign proven over their box.
            if (below && fallen.stream().noneMatch(smaller -> (smaller & face) == smaller
                    && onFace(onFaces.get(smaller), face, lows).minus(e).terms().isEmpty())) {
                falling.add(g.plus(e.minus(gOnFace).times(offFace(face, lows, period))));
                fallen.add(face);
            }
            // A form that rose on a smaller set's face and lies above E here is brought down to E here: its correction
            // R + (E − E_T|face)·(1 − t over the face's other variables) is E here and at least R elsewhere on that face.
            boolean given = false;
            for (Map.Entry<Integer, List<Polynomial>> rose : rising.entrySet()) {
                int smaller = rose.getKey();
                if ((smaller & face) != smaller) {
                    continue;
                }
                Polynomial there = onFace(onFaces.get(smaller), face, lows);
                if (there.minus(e).terms().isEmpty()) {
                    given = true;
                } else if (Extrema.neverBelow(there, e, lows, highs)) {
                    rose.getValue().add(rose.getValue().get(0).plus(e.minus(there).times(offFace(face & ~smaller, lows, period))));
                    given = true;
                }
            }
            // E above G (a view that keeps a larger tensor alive there): R = E·(1 − t) beside G's smallest, E on the face and at most 0
            // off it, so that it lifts no other face's form.
            if (rises && !given) {
                rising.put(face, new ArrayList<>(List.of(e.times(offFace(face, lows, period)))));
            }
        }
        // Where several variables are at their smallest, the others free, the forms of the smaller sets' faces meet: proven, not only
        // sampled, to give E there.
        List<List<Polynomial>> lists = new ArrayList<>(List.of(falling));
        lists.addAll(rising.values());
        for (Map.Entry<Integer, Polynomial> onFace : onFaces.entrySet()) {
            if (Integer.bitCount(onFace.getKey()) > 1 && !meets(lists, onFace.getValue(), onFace.getKey(), faceable, lows, highs, period)) {
                return null;
            }
        }
        return new FaceParts(List.copyOf(falling), rising.values().stream().map(List::copyOf).toList());
    }

    /**
     * Whether the largest of the smallest of each list is {@code e} on a face (its variables at their smallest), off the faces of
     * more variables (each other variable that can be a face a lattice step above its smallest at least), proven over that box:
     * every list has a form never above {@code e} there, and one list has every form never below it.
     */
    private static boolean meets(List<List<Polynomial>> lists, Polynomial e, int face, int faceable, long[] lows, long[] highs, long[] period) {
        int n = lows.length;
        long[] from = lows.clone();
        for (int j = 0; j < n; j++) {
            if ((face >> j & 1) == 0 && (faceable >> j & 1) == 1) {
                from[j] = lows[j] + period[j];
            }
        }
        boolean reached = false;
        for (List<Polynomial> list : lists) {
            List<Polynomial> there = list.stream().map(form -> onFace(form, face, lows)).toList();
            if (there.stream().noneMatch(form -> Extrema.neverBelow(e, form, from, highs))) {
                return false;
            }
            reached |= there.stream().allMatch(form -> Extrema.neverBelow(form, e, from, highs));
        }
        return reached;
    }

    /** The smallest of the forms at {@code sizes}. */
    private static Fraction smallest(List<Polynomial> forms, long[] sizes) {
        return forms.stream().map(form -> form.at(sizes)).min((a, b) -> a.minus(b).signum()).orElseThrow();
    }

    /**
     * {@code 1 − t}, where {@code t = Σ (x_i − m_i)/p_i} over the face's variables: 0 on the face, a whole number of lattice steps,
     * at least 1, off it; so {@code 1 − t} is 1 on the face and at most 0 off it.
     */
    private static Polynomial offFace(int face, long[] lows, long[] period) {
        int n = lows.length;
        Polynomial t = Polynomial.constant(n, Fraction.ZERO);
        for (int i = 0; i < n; i++) {
            if ((face >> i & 1) == 1) {
                Fraction step = Fraction.of(1, period[i]);
                t = t.plus(Polynomial.linear(n, i, step, Fraction.of(-lows[i]).times(step)));
            }
        }
        return Polynomial.constant(n, Fraction.ONE).minus(t);
    }

    /** A form on a face: each of the face's variables at its smallest size. */
    private static Polynomial onFace(Polynomial form, int face, long[] lows) {
        int n = lows.length;
        Polynomial[] replacements = new Polynomial[n];
        for (int j = 0; j < n; j++) {
            replacements[j] = (face >> j & 1) == 1 ? Polynomial.constant(n, Fraction.of(lows[j])) : Polynomial.linear(n, j, Fraction.ONE, Fraction.ZERO);
        }
        return form.substitute(replacements);
    }
}
