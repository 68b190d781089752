package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.Analyzer;
import dev.modelcost.processor.analysis.LayerReplay;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprParser;
import dev.modelcost.processor.expr.Scope;
import dev.modelcost.processor.expr.Value;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.SizeVariable;
import dev.modelcost.processor.spec.Step;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Bounds the sizes at which a model's expressions that read a size can turn, which the checks of the
 * closed forms reach past, and finds a decimal that scales a size inexactly in double precision.
 */
final class Thresholds {
    private Thresholds() {}

    /** The absolute value, {@link Long#MAX_VALUE} for {@link Long#MIN_VALUE}. */
    static long magnitude(long value) {
        return value == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(value);
    }

    /**
     * Where a model's expressions can turn, from one reading of them: {@link #largest} and {@link #unfollowedPast}.
     *
     * @param largest the bound on the numbers at which an expression reading a size can change its form
     * @param turns how many times the tests of size variables may turn past {@value #FOLLOWED}, up to 2: one turn here and one of
     *     a test of a size the layers derive ({@link #turnsOfEvaluated}) may make a band together
     * @param first the first test that may turn past {@value #FOLLOWED}, or null
     * @param counted the comparisons and remainders counted in {@code turns}, and the {@code min}s and {@code max}es whose choices
     *     are, by identity: {@link #turnsOfEvaluated} counts them not again
     * @param batchTurns {@code turns} of the expressions that may read the batch where it is a size variable (its name, or a
     *     parameter given a size): no tensor's axis holds the batch, so a test of one cannot turn with it
     * @param batchFirst the first of those, or null
     * @param batchRead whether any expression may read the batch (its name, or a parameter given a size)
     */
    record Reach(long largest, int turns, String first, Set<Expr> counted, int batchTurns, String batchFirst, boolean batchRead) {}

    /** How many times tests may turn past {@value #FOLLOWED}, up to 2, and the first of them (null if none). */
    private record Past(int turns, String first) {}

    /** The reach of a model's expressions, a tensor's axis counting as {@code largest} or any input's size at the declared sizes. */
    static Reach reach(ModelSpec spec, long largest) {
        SizeReads reads = SizeReads.of(spec);
        Bounds bounds = bounds(spec, reads, largest);
        List<SizeReads.Located> all = SizeReads.expressions(spec, reads);
        Set<Expr> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        Past past = unfollowedPast(all, reads, bounds, counted);
        String batch = spec.sizes().stream().filter(SizeVariable::batch).map(SizeVariable::name).findFirst().orElse(null);
        List<SizeReads.Located> readingBatch = batch == null ? List.of() : all.stream().filter(located -> located.expr() != null
                && located.expr().names().stream().anyMatch(name -> name.equals(batch) || bounds.sized.contains(name))).toList();
        Past batchPast = unfollowedPast(readingBatch, reads, bounds, Collections.newSetFromMap(new IdentityHashMap<>()));
        return new Reach(largest(all, bounds), past.turns(), past.first(), Collections.unmodifiableSet(counted), batchPast.turns(),
                batchPast.first(), !readingBatch.isEmpty());
    }

    /**
     * A bound on the numbers at which an expression that may read a varying size can change its form
     * (a floor division, a {@code max}, a comparison): the largest, over the expressions of the model
     * that name a size or a parameter given one anywhere, of the product of what each of their other
     * parts can be at most, each counted as at least 2: past 5,000 for {@code L / BIG + 1} with
     * {@code static final int BIG = 5000}, past 7⁵ for {@code L / 7 / 7 / 7 / 7 / 7 + 1}. A
     * parameter counts the largest of its default and every argument passed to it, a decimal the power
     * of ten it is written over, and a tensor's axis ({@code input.W}, {@code x.D}, {@code h}) counts as
     * {@code largest}, the largest number the layers are given, or any input's size at the declared
     * sizes: a channel count, or how far a map may have shrunk from the input ({@code x.L / 1000} after
     * a reshape by 64 turns at 64,000). The checks at other sizes reach past it; 0 where no expression
     * reads a size.
     */
    private static long largest(List<SizeReads.Located> all, Bounds bounds) {
        long threshold = 0;
        for (SizeReads.Located located : all) {
            if (located.expr() != null && bounds.readsSize(located.expr())) {
                threshold = Math.max(threshold, bounds.of(located.expr()));
            }
        }
        return threshold;
    }

    /** The bounds of a model's expressions, a tensor's axis counting as {@code largest} or any input's size at the declared sizes. */
    private static Bounds bounds(ModelSpec spec, SizeReads reads, long largest) {
        long axes = Math.max(2, largest);
        for (Shape input : spec.inputs()) {
            for (int dim : input.dims()) {
                axes = Math.max(axes, dim);
            }
        }
        return new Bounds(reads, spec.network(), axes);
    }

    /**
     * Where a model's expressions may turn on and back off past {@value #FOLLOWED} unseen, or null. A comparison of a size
     * variable (or its remainder by a number) with a number ({@code L >= 100000}, {@code H % 61 == 0}) is followed at any size
     * ({@link #comparedAt}, {@link #pointwise}); any other test, choice of a {@code min} or {@code max}, or remainder of a size
     * is followed up to {@value #FOLLOWED} only ({@link #flips}, {@link #turnsOfEvaluated}). Past that, one comparison for order
     * turns once at most, where the checks of the closed forms past every turn ({@link #largest}) see a change of form; two, or
     * one that can turn twice (an equality, a remainder, a {@code min} inside a {@code max}), can switch a layer on and back
     * off between those checks ({@code @When("L / 100000 == 1")} from 100,000 to 199,999), so the forms' range ends at
     * {@value #FOLLOWED}. Each is counted where its own bound lies past {@value #FOLLOWED}.
     *
     * @return how many turns past it, up to 2, and the first such expression's place, as {@link SizeReads.Located#where()} gives it
     */
    private static Past unfollowedPast(List<SizeReads.Located> all, SizeReads reads, Bounds bounds, Set<Expr> counted) {
        int turns = 0;
        String first = null;
        for (SizeReads.Located located : all) {
            if (located.expr() != null && bounds.readsSize(located.expr())) {
                int found = unfollowedTurns(located.expr(), reads, bounds, counted);
                if (found > 0 && first == null) {
                    first = located.where();
                }
                turns += found;
            }
        }
        return new Past(Math.min(turns, 2), first);
    }

    /** How many times the parts of an expression followed up to {@value #FOLLOWED} only can turn past it, at most, up to 2. */
    private static int unfollowedTurns(Expr expr, SizeReads reads, Bounds bounds, Set<Expr> counted) {
        int turns = 0;
        if (expr instanceof Expr.Binary binary && bounds.readsVariable(binary) && bounds.of(binary) > FOLLOWED) {
            if (Expr.Binary.COMPARISONS.contains(binary.op()) && sizeAgainstNumber(binary, reads, Thresholds::sizeOrRemainder) == null) {
                // an order turns once, unless a side multiplies two sizes ((L - a) * (b - L) > 0 is a band)
                turns += Expr.Binary.ORDER.contains(binary.op()) && !productOfSizes(binary, bounds) ? 1 : 2;
                counted.add(binary);
            } else if (binary.op().equals("%") && sizeAgainstNumber(binary, reads, Thresholds::sizeVariable) == null) {
                turns += 2;
                counted.add(binary);
            }
        }
        for (Expr choice : expr.choices()) {
            if (bounds.readsVariable(choice) && bounds.of(choice) > FOLLOWED && sizeAgainstNumber((Expr.Binary) choice, reads, Thresholds::sizeVariable) == null) {
                turns++;
                counted.add(expr);
            }
        }
        for (Expr part : expr.parts()) {
            turns += unfollowedTurns(part, reads, bounds, counted);
        }
        return Math.min(turns, 2);
    }

    /** Whether an expression multiplies or divides two parts that each read a size variable. */
    private static boolean productOfSizes(Expr expr, Bounds bounds) {
        if (expr instanceof Expr.Binary binary && (binary.op().equals("*") || binary.op().equals("/"))
                && bounds.readsVariable(binary.left()) && bounds.readsVariable(binary.right())) {
            return true;
        }
        return expr.parts().stream().anyMatch(part -> productOfSizes(part, bounds));
    }

    /** The size variable an expression is, or takes the remainder of by a number ({@code H % 61}); null for anything else. */
    private static String sizeOrRemainder(Expr expr, SizeReads reads) {
        if (expr instanceof Expr.Binary binary && binary.op().equals("%") && number(binary.right(), reads) != null) {
            return sizeVariable(binary.left(), reads);
        }
        return sizeVariable(expr, reads);
    }

    /**
     * The first decimal, with the expression it is in, that a size is multiplied by in double precision
     * where the products are not exact ({@code 1.1} in {@code int(L * 1.1)}, or passed to a parameter such
     * an expression names); null where there is none. Rounding then moves a floor by one at sizes no
     * lattice foresees, so such a model gets no closed forms.
     */
    static String inexactDecimal(ModelSpec spec) {
        SizeReads reads = SizeReads.of(spec);
        List<SizeReads.Located> all = SizeReads.expressions(spec, reads);
        Bounds bounds = new Bounds(reads, spec.network(), 2);
        for (SizeReads.Located located : all) {
            if (located.expr() != null && bounds.readsSize(located.expr())) {
                Double decimal = bounds.inexact(located.expr(), false, new HashSet<>());
                if (decimal != null) {
                    return decimal + " in " + located.where();
                }
            }
        }
        return null;
    }

    /** The largest divisor of a remainder of a size that the consecutive samples of a lattice always tell from a polynomial. */
    static final long SMALL_MODULUS = 4;

    /**
     * A test of a size variable that changes at single sizes: {@code H % 61} (a remainder by a number above
     * {@value #SMALL_MODULUS}) or {@code H == 100} (an equality, or its negation), where {@code H} is the variable itself or the model
     * input's axis of that name ({@code input.H}).
     *
     * @param variable the size variable's name
     * @param modulus the divisor of a remainder, or 0
     * @param equalTo the number of an equality (where {@code modulus} is 0)
     * @param text what it is, for messages: "a remainder by 61 (%) in @When(...) of extra"
     */
    record Pointwise(String variable, long modulus, long equalTo, String text) {}

    /**
     * Every test of a size variable that changes at single sizes, in the model's expressions. The closed forms are sampled on a
     * few consecutive sizes and checked at a few others: such a change can fall between every one of them, unless the lattice
     * avoids it (a period that the divisor divides, or a number off the lattice), which {@link ClosedForms} checks once the
     * lattices are known. A test of a size the layers have derived ({@code x.H % 61}) is not found here.
     */
    static List<Pointwise> pointwise(ModelSpec spec) {
        SizeReads reads = SizeReads.of(spec);
        List<Pointwise> found = new ArrayList<>();
        for (SizeReads.Located located : SizeReads.expressions(spec, reads)) {
            if (located.expr() != null) {
                pointwise(located.expr(), reads, located.where(), found);
            }
        }
        return found;
    }

    private static void pointwise(Expr expr, SizeReads reads, String where, List<Pointwise> found) {
        Map.Entry<String, Long> test = expr instanceof Expr.Binary binary ? sizeAgainstNumber(binary, reads, Thresholds::sizeVariable) : null;
        if (test != null) {
            Expr.Binary binary = (Expr.Binary) expr;
            String variable = test.getKey();
            long number = test.getValue();
            if (binary.op().equals("%") && binary.left() instanceof Expr.Name && number > SMALL_MODULUS) {
                found.add(new Pointwise(variable, number, 0, "a remainder by " + number + " (%) in " + where));
            } else if (binary.op().equals("==") || binary.op().equals("!=")) {
                found.add(new Pointwise(variable, 0, number, "a test for equality (" + binary.op() + ") with " + number + " in " + where));
            }
        }
        for (Expr part : expr.parts()) {
            pointwise(part, reads, where, found);
        }
    }

    /**
     * The sizes next to each number a size variable is compared with for order ({@code L > 15} and {@code input.L < 24}: 14, 15,
     * 16, 23, 24 and 25; an equality is {@link #pointwise}), by variable: a layer switched on there ({@code @When}) or an attribute that turns there can change the closed forms
     * on a band of sizes that neither their samples nor the searches for the ends of their range meet (two switches whose ranges
     * overlap), which {@link ClosedForms} checks them at. A comparison of a size the layers have derived ({@code x.L > 15}) is
     * found from what the analyses read ({@link #turnsOfEvaluated}).
     */
    static Map<String, java.util.TreeSet<Long>> comparedAt(ModelSpec spec) {
        SizeReads reads = SizeReads.of(spec);
        Map<String, java.util.TreeSet<Long>> found = new HashMap<>();
        for (SizeReads.Located located : SizeReads.expressions(spec, reads)) {
            if (located.expr() != null) {
                compared(located.expr(), reads, found);
            }
        }
        return found;
    }

    /**
     * The first test of the model that compares {@code variable} with a number from {@code from} to {@code to} ({@code L > 4}), as
     * where it is and the number ({@code @When("L > 4") of b} and 4); null where none does.
     */
    static Map.Entry<String, Long> comparedWithin(ModelSpec spec, String variable, long from, long to) {
        SizeReads reads = SizeReads.of(spec);
        for (SizeReads.Located located : SizeReads.expressions(spec, reads)) {
            Long number = located.expr() == null ? null : comparedWithin(located.expr(), reads, variable, from, to);
            if (number != null) {
                return Map.entry(located.where(), number);
            }
        }
        return null;
    }

    private static Long comparedWithin(Expr expr, SizeReads reads, String variable, long from, long to) {
        // an equality changes a form there too (L != 16 declared at 16)
        if (expr instanceof Expr.Binary binary && Expr.Binary.COMPARISONS.contains(binary.op())) {
            Map.Entry<String, Long> test = sizeAgainstNumber(binary, reads, Thresholds::sizeVariable);
            if (test != null && test.getKey().equals(variable) && test.getValue() >= from && test.getValue() <= to) {
                return test.getValue();
            }
        }
        for (Expr part : expr.parts()) {
            Long number = comparedWithin(part, reads, variable, from, to);
            if (number != null) {
                return number;
            }
        }
        return null;
    }

    private static void compared(Expr expr, SizeReads reads, Map<String, java.util.TreeSet<Long>> found) {
        if (expr instanceof Expr.Binary binary && Expr.Binary.ORDER.contains(binary.op())) {
            Map.Entry<String, Long> test = sizeAgainstNumber(binary, reads, Thresholds::sizeVariable);
            if (test != null) {
                long number = test.getValue();
                java.util.TreeSet<Long> sizes = found.computeIfAbsent(test.getKey(), v -> new java.util.TreeSet<>());
                for (long near = -1; near <= 1; near++) {
                    if (number + near >= 1 && number + near <= Integer.MAX_VALUE) {
                        sizes.add(number + near);
                    }
                }
            } else {
                flips(binary, reads, found);
            }
        }
        for (Expr part : expr.parts()) {
            compared(part, reads, found);
        }
    }

    /** How far {@link #flips} follows a comparison of an expression of a size: every size up to this. */
    static final long FOLLOWED = 1 << 16;

    /**
     * A comparison of an expression of one size variable and numbers alone ({@code L - 1 > 14}, {@code 2 * input.L > 30},
     * {@code L / 4 < 6}): the sizes next to every size up to {@value #FOLLOWED} where its truth changes, found by evaluating it at
     * each. One that reads anything else (a tensor's size, a parameter) is not followed.
     */
    private static void flips(Expr.Binary comparison, SizeReads reads, Map<String, java.util.TreeSet<Long>> found) {
        String variable = null;
        for (String name : comparison.names()) {
            String size = sizeVariable(new Expr.Name(name), reads);
            if (size != null && (variable == null || variable.equals(size))) {
                variable = size;
            } else if (size != null || !reads.isConstant(name)) {
                return;
            }
        }
        if (variable == null) {
            return;
        }
        String named = variable;
        long[] at = {1};
        Scope scope = new Scope() {
            @Override
            public Value lookup(String name) {
                return name.equals(named) || name.equals("input." + named) ? Value.of(at[0]) : reads.isConstant(name) ? Value.of(reads.constant(name)) : null;
            }

            @Override
            public java.util.Collection<String> names() {
                return List.of(named);
            }
        };
        java.util.TreeSet<Long> sizes = null;
        Boolean before = null;
        for (at[0] = 1; at[0] <= FOLLOWED; at[0]++) {
            boolean truth;
            try {
                truth = comparison.eval(scope).truth();
            } catch (RuntimeException e) {
                return;
            }
            if (before != null && truth != before) {
                sizes = sizes != null ? sizes : found.computeIfAbsent(variable, v -> new java.util.TreeSet<>());
                for (long near = at[0] - 2; near <= at[0] + 1; near++) {
                    if (near >= 1) {
                        sizes.add(near);
                    }
                }
            }
            before = truth;
        }
    }

    /**
     * The lattice sizes next to every size up to {@value #FOLLOWED} where a test the analyses evaluated turns (two each way),
     * found from what it read at samples along one variable's lattice (the other variables at their defaults). This follows what
     * {@link #comparedAt} cannot see from the text alone: a size the layers derive ({@code @When("x.L > 15")} after a strided
     * convolution, or {@code x.H % 61 == 0}), a parameter given a size ({@code @Args("n = L / 2")} and {@code n > 15} inside the
     * block), an attribute that rises and falls back ({@code max(1, min(L - 5000, 6000 - L))}). On the lattice every tensor's size
     * grows by a constant a step, and so does every integer a test reads where it follows them alone; a name given by an
     * argument or default is followed through it ({@link Follower}). Each comparison in a test, and each that decides a {@code
     * min} or {@code max} of several values, is then evaluated at every lattice step whose size is from 1 to {@value #FOLLOWED};
     * one whose parts cannot be evaluated at a step (a division by zero) is not compared across it, and a test that reads a name
     * followed neither way is not followed.
     *
     * @param model the model's simple name, under which its own parameters' defaults are kept ({@code "Net @Param n"})
     * @param variables the size variables' names: a test of them alone is followed past {@value #FOLLOWED} from the text
     *     ({@link #reach}), not here
     * @param counted the parts of tests {@link #reach} counted ({@link Reach#counted()}), by identity, which are not counted again
     * @param steps the lattice steps of the samples, ascending
     * @param samples what the model gave at each, with what its analysis evaluated (a failed sample has nothing)
     * @param size the size of a lattice step
     * @param fromStep the first lattice step whose size is at least 1
     * @param toStep the last lattice step whose size is at most {@value #FOLLOWED}
     * @param lastStep the last lattice step where the network may still be costed by these forms or later pieces: where a value a
     *     layer uses stops growing evenly is looked for up to it only
     * @param ruled the places of layers run by their rules along the lattice even where no value of theirs varies or one alone does
     *     as a line ({@link #replayTurns}): those given other values at another variable's turn, whose rule may turn along this
     *     lattice where it did not at the declared sizes (a chunk count against its axis)
     */
    static Evaluated turnsOfEvaluated(String model, Set<String> variables, Set<Expr> counted, long[] steps, List<Probe.Outcome> samples,
            java.util.function.LongUnaryOperator size, long fromStep, long toStep, long lastStep, Set<String> ruled) {
        Follower follower = new Follower(model, steps, samples);
        java.util.TreeSet<Long> sizes = new java.util.TreeSet<>();
        // Tests that read the same values the same way turn at the same sizes: a block's test at every place it is used.
        Set<List<Object>> followed = new HashSet<>();
        int past = 0;
        String first = null;
        // a value followed up to FOLLOWED only, which falls there or cannot be followed at all
        String firstValue = null;
        // the varying values of each layer, and the arguments of each block use, by where they are
        Map<String, List<Map.Entry<Expr, Follower.Values>>> together = new java.util.LinkedHashMap<>();
        Set<String> modelLevel = withInputs(variables);
        java.util.TreeSet<Long> masked = new java.util.TreeSet<>();
        for (String where : follower.seen.keySet()) {
            Expr expr = follower.kept(where).expr();
            Follower.Values values = follower.values(where, 0);
            if (values != null && values.varies() && followed.add(List.of("masked", expr, values.how()))) {
                maskedTurns(expr, values, variables, size, fromStep, toStep, lastStep, masked);
            }
            if (values != null && values.varies()) {
                // a list item by item (a pad's, a reshape's shape), as a layer compares each
                Value sampled = follower.kept(where).valueOf(expr);
                List<Map.Entry<Expr, Follower.Values>> layer = together.computeIfAbsent(where.substring(0, where.lastIndexOf(' ')), w -> new ArrayList<>());
                if (sampled != null && sampled.isList()) {
                    for (int item = 0; item < sampled.items().size(); item++) {
                        // each item that reads a name that varies: one that keeps one value is a constant of the layer, as one given alone is
                        if (itemVaries(expr, item, values.how(), 0)) {
                            layer.add(Map.entry(new Expr.Index(expr, new Expr.Literal(Value.of(item))), values));
                        }
                    }
                } else {
                    layer.add(Map.entry(expr, values));
                }
            }
            if (expr.branches()) {
                if (values == null && follower.varies(where)) {
                    // What it reads changes along the lattice in a way no line or argument gives: nothing tells where it turns.
                    past += 2;
                    first = first == null ? where : first;
                }
                if (values != null && values.varies() && followed.add(List.of(expr, values.how()))) {
                    turns(expr, values.scope(), size, fromStep, toStep, sizes);
                    if (!where.contains(" argument ") && !where.contains(" @Param ") && !affineAlong(expr, values)) {
                        // What a layer uses (an attribute, a formula, a count), not an argument whose use may smooth its steps.
                        steps(expr, values.scope(), size, fromStep, Math.min(toStep, lastStep), sizes);
                    }
                    if (valueTurns(expr, values, size, fromStep, toStep, lastStep, padding(where), sizes) && firstValue == null) {
                        firstValue = where;
                    }
                    int found = turnsPast(expr, values, counted, where.substring(0, where.indexOf(' ')).contains(".") ? variables : modelLevel,
                            toStep);
                    if (found > 0 && first == null) {
                        first = where;
                    }
                    past += found;
                }
            } else {
                // what a layer uses, or a parameter is given, which rises and falls back where a layer may get nothing ((x.H - 50)^2
                // features at H = 50)
                if (values != null && values.varies() && followed.add(List.of(expr, values.how()))
                        && valueTurns(expr, values, size, fromStep, toStep, lastStep, padding(where), sizes) && firstValue == null) {
                    firstValue = where;
                }
            }
        }
        // a layer's values, or a block use's arguments, that a layer may compare (an expert's topK against its count, a slice's start
        // against the length of its axis): their differences and sums, and each against twice the other, where they pass 0 or 1 and turn; two sizes of the layer's inputs are
        // left to its shape rules, and its output's sizes are followed alone (a crop's rest)
        for (List<Map.Entry<Expr, Follower.Values>> values : together.values()) {
            for (int a = 0; a < values.size(); a++) {
                for (int b = a + 1; b < values.size(); b++) {
                    Expr left = values.get(a).getKey();
                    Expr right = values.get(b).getKey();
                    Follower.Values one = values.get(a).getValue();
                    Follower.Values other = values.get(b).getValue();
                    if (tensorSize(left) && tensorSize(right) || outputSize(left) || outputSize(right) || itemsOfOne(left, right)
                            || !followed.add(List.of(left, right, one.how(), other.how()))) {
                        continue; // two sizes of tensors, an output's, two items of one list, or a pair followed at another place (a block's repetitions)
                    }
                    Map<String, List<Object>> how = new HashMap<>(other.how());
                    how.putAll(one.how());
                    Follower.Values both = new Follower.Values(step -> either(one.scope().apply(step), other.scope().apply(step)), how, true);
                    Expr two = new Expr.Literal(Value.of(2));
                    // a start against a length, a negative index or padding index against minus one, a padding against half a window
                    for (Expr combined : List.of(new Expr.Binary("-", left, right), new Expr.Binary("+", left, right),
                            new Expr.Binary("-", new Expr.Binary("*", two, left), right), new Expr.Binary("-", left, new Expr.Binary("*", two, right)))) {
                        valueTurns(combined, both, size, fromStep, toStep, lastStep, false, sizes);
                    }
                }
            }
        }
        // a layer that uses several such values, whose own rule decides what they give together (a window against its padded input)
        long[] replayed = replayTurns(follower, samples, size, fromStep, Math.min(toStep, lastStep), sizes, ruled);
        if (first == null && firstValue != null) {
            // a value that falls as the size nears the end of what is followed may touch 0 and rise again past it
            return new Evaluated(sizes, 2, "the value at " + firstValue + ", which falls at " + String.format(java.util.Locale.ROOT, "%,d", FOLLOWED)
                    + " or moves both ways, and may turn past it,", replayed[0], replayed[1], masked);
        }
        return new Evaluated(sizes, Math.min(past, 2), first == null ? null : "the test at " + first + ", of a size the layers derive,", replayed[0],
                replayed[1], masked);
    }

    /**
     * The sizes off a variable's lattice next to where a value a layer uses turns or passes 0 or 1 (as {@link #valueTurns}), for a
     * value that reads the variable itself ({@code input.L}, or {@code L}) and numbers that keep one value, whose value at every
     * size is therefore known, lattice or not: {@code start = 15 + input.L / 101 - input.L / 102} empties a slice at L = 101 alone,
     * which a lattice of the even sizes passes over. A program that answers off the lattice is checked there, as the model is
     * analysed there.
     *
     * @param model the model's simple name ({@link #turnsOfEvaluated})
     * @param steps the lattice steps of the samples, ascending
     * @param samples what the model gave at each
     * @param fallback the variable's declared size, lattice step 0
     * @param period the lattice's period, above 1
     * @param lowest the smallest size followed, at least 1
     * @param highest the largest size followed
     */
    static java.util.TreeSet<Long> offLatticeTurns(String model, long[] steps, List<Probe.Outcome> samples, long fallback, long period, long lowest,
            long highest) {
        Follower follower = new Follower(model, steps, samples);
        java.util.TreeSet<Long> sizes = new java.util.TreeSet<>();
        Set<List<Object>> followed = new HashSet<>();
        for (String where : follower.seen.keySet()) {
            Expr expr = follower.kept(where).expr();
            Follower.Values values = follower.values(where, 0);
            if (values == null || !values.varies() || tensorSize(expr)) {
                continue;
            }
            // each name the variable itself plus a number (a line that grows by the period a step), or one value
            Map<String, Value> constants = new HashMap<>();
            Map<String, Long> atDeclared = new HashMap<>();
            Map<String, List<Object>> how = new HashMap<>();
            boolean bySize = true;
            for (Map.Entry<String, List<Object>> name : values.how().entrySet()) {
                List<Object> way = name.getValue();
                if (way.get(0).equals("value")) {
                    constants.put(name.getKey(), (Value) way.get(1));
                    how.put(name.getKey(), way);
                } else if (way.get(0).equals("line") && (Long) way.get(2) == period) {
                    atDeclared.put(name.getKey(), (Long) way.get(1));
                    how.put(name.getKey(), List.of("line", (Long) way.get(1), 1L));
                } else {
                    bySize = false;
                }
            }
            if (!bySize || atDeclared.isEmpty() || !followed.add(List.of(expr, how))) {
                continue;
            }
            // indexed by the size less the declared one, so that the turns nearest it are those checked
            Follower.Values atSizes = new Follower.Values(t -> new Scope() {
                @Override
                public Value lookup(String name) {
                    Long start = atDeclared.get(name);
                    return start != null ? Value.of(start + t) : constants.get(name);
                }

                @Override
                public java.util.Collection<String> names() {
                    return how.keySet();
                }
            }, how, true);
            java.util.TreeSet<Long> near = new java.util.TreeSet<>();
            valueTurns(expr, atSizes, t -> fallback + t, lowest - fallback, Math.min(FOLLOWED, highest) - fallback, highest - fallback, padding(where),
                    near);
            near.stream().filter(size -> Math.floorMod(size - fallback, period) != 0).forEach(sizes::add);
        }
        return sizes;
    }

    /** Whether a kept expression is the size of a layer's input or output ({@code x.shape[2]}, kept beside the layer's values). */
    static boolean tensorSize(Expr expr) {
        return expr instanceof Expr.Name name && name.name().contains(".shape[");
    }

    /** Whether a kept expression is the size of a layer's output ({@code output.shape[2]}), which is followed alone. */
    private static boolean outputSize(Expr expr) {
        return expr instanceof Expr.Name name && name.name().startsWith("output.shape[");
    }

    /** Whether two kept expressions are items of one list ({@code pad[0]} and {@code pad[1]}). */
    private static boolean itemsOfOne(Expr one, Expr other) {
        return one instanceof Expr.Index a && other instanceof Expr.Index b && a.list() == b.list();
    }

    /** A scope that reads a name from {@code first}, else from {@code second}. */
    private static Scope either(Scope first, Scope second) {
        return new Scope() {
            @Override
            public Value lookup(String name) {
                Value value = first.lookup(name);
                return value != null ? value : second.lookup(name);
            }

            @Override
            public java.util.Collection<String> names() {
                Set<String> names = new java.util.LinkedHashSet<>(first.names());
                names.addAll(second.names());
                return names;
            }
        };
    }

    /** How many turns of a value a layer uses, on each side of the declared size, the sizes next to which are checked. */
    static final int MOST_VALUE_TURNS = 4;

    /**
     * Whether {@code where} is a padding or a roll's shifts, which take 0: such a value rises and falls back along the lattice (a
     * pad to a window's multiple) and leaves the layer something at every size where it is not negative.
     */
    private static boolean padding(String where) {
        String name = where.substring(where.lastIndexOf(' ') + 1);
        return name.toLowerCase(java.util.Locale.ROOT).contains("pad") || name.equals("shifts");
    }

    /**
     * Adds to {@code sizes} the lattice sizes next to each step where a value a layer uses or a parameter is given (an attribute, a
     * formula, a count, an argument; a list item by item) turns, rising then falling or falling then rising, for the
     * {@value #MOST_VALUE_TURNS} turns nearest the declared size on each side, up to step {@code lastStep} (the range's end) or
     * {@code toStep} ({@value #FOLLOWED}), and where it passes 0 or 1: the forms are checked there, and where the layer gets nothing
     * at a turn ({@code out = (x.H - 50) * (x.H - 50)} at H = 50) or beside a band ({@code (x.H - 50) * (x.H - 60)}, below 1 from 50
     * to 60), or its forms change (a slice whose end falls below the channels and rises again), the range ends beside it, so that the turns further on lie outside it. A padding ({@code padding}), which takes 0 and
     * rises and falls with every window, is followed only where it is negative somewhere (a crop, which can leave nothing).
     *
     * @return whether the range may reach past {@code toStep}, where the value is not followed, and the value falls at
     *     {@code toStep} (it may touch 0 and rise again past it) or, not growing by a constant a step, is not followed at all (the
     *     declared size past {@value #FOLLOWED})
     */
    private static boolean valueTurns(Expr expr, Follower.Values values, java.util.function.LongUnaryOperator size, long fromStep, long toStep,
            long lastStep, boolean padding, java.util.TreeSet<Long> sizes) {
        long end = Math.min(toStep, lastStep);
        if (end < fromStep) {
            return lastStep > toStep && !padding && !affineAlong(expr, values);
        }
        java.util.TreeSet<Long> turns = new java.util.TreeSet<>();
        List<Long> previous = null;
        long[] directions = null;
        boolean negative = false;
        List<long[]> lines = lines(expr, values, fromStep, end);
        if (lines != null) {
            // a + b·k item by item: no turn, and where it passes 0 or 1 found without following it
            for (long[] line : lines) {
                negative |= line[0] + line[1] * fromStep < 0 || line[0] + line[1] * end < 0;
                for (long edge : new long[] {0, 1}) {
                    long below = passes(line, edge, fromStep, end);
                    if (below != Long.MIN_VALUE) {
                        turns.add(below);
                    }
                }
            }
        }
        // whether the step before could not be evaluated (a division by zero there): the layer may get nothing at that size
        boolean unevaluated = false;
        for (long step = lines != null ? end + 1 : fromStep; step <= end; step++) {
            List<Long> value = integersAt(expr, values.scope(), step); // null where not evaluable: no turn is seen across it
            if (value == null && previous != null || value != null && unevaluated) {
                // the edge of sizes where it cannot be evaluated between sizes where it can: checked beside it
                turns.add(step - 1);
            }
            unevaluated = value == null && (previous != null || unevaluated);
            if (value == null || previous != null && value.size() != previous.size()) {
                previous = null;
                directions = null;
                continue;
            }
            negative |= value.stream().anyMatch(item -> item < 0);
            if (previous != null) {
                directions = directions == null ? new long[value.size()] : directions;
                for (int i = 0; i < value.size(); i++) {
                    long direction = Long.signum(Long.compare(value.get(i), previous.get(i)));
                    if (direction != 0 && directions[i] != 0 && direction != directions[i]) {
                        turns.add(step - 1);
                    }
                    // where it passes 0 or 1, the least a layer takes (a count, an output's size; a pad of 0): the edges of a band
                    // where the layer gets nothing, which the turn inside it does not tell
                    if ((value.get(i) < 1) != (previous.get(i) < 1) || (value.get(i) < 0) != (previous.get(i) < 0)) {
                        turns.add(step - 1);
                    }
                    directions[i] = direction != 0 ? direction : directions[i];
                }
            }
            previous = value;
        }
        if (padding && !negative) {
            return false;
        }
        List<Long> nearest = new ArrayList<>(turns.headSet(0L, true).descendingSet().stream().limit(MOST_VALUE_TURNS).toList());
        nearest.addAll(turns.tailSet(0L, false).stream().limit(MOST_VALUE_TURNS).toList());
        for (long turn : nearest) {
            for (long near = Math.max(fromStep, turn - 1); near <= Math.min(end, turn + 1); near++) {
                sizes.add(size.applyAsLong(near));
            }
        }
        boolean falls = lines != null ? end > fromStep && lines.stream().anyMatch(line -> line[1] < 0)
                : directions != null && previous != null && java.util.Arrays.stream(directions).anyMatch(direction -> direction < 0);
        return lastStep > toStep && end == toStep && (falls || lines == null && bothWays(expr, values));
    }

    /**
     * Whether a value may move both ways along the lattice as its form shows it ({@link Monotone}): {@code 4 * (x.L / 70000) - 4 *
     * (x.L / 70001)}, 4 at L = 70,000 alone, or a product of sizes less numbers, past the sizes it is followed at. A name that grows by
     * a constant a step moves one way, one that keeps one value none, any other either.
     */
    private static boolean bothWays(Expr expr, Follower.Values values) {
        Function<String, Monotone> named = name -> {
            List<Object> way = values.how().get(name);
            if (way != null && way.get(0).equals("value") && way.get(1) instanceof Value value && integer(value)) {
                return Monotone.constant(value.number());
            }
            if (way != null && way.get(0).equals("line")) {
                long slope = (Long) way.get(2);
                return slope == 0 ? Monotone.constant((Long) way.get(1)) : new Monotone(Map.of(STEP, slope > 0 ? Monotone.UP : Monotone.DOWN),
                        Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            }
            return new Monotone(Map.of(STEP, Monotone.ANY), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        };
        for (Expr item : expr instanceof Expr.ListOf list ? list.items() : List.of(expr)) {
            Integer direction = Monotone.of(item, named).directions().get(STEP);
            if (direction != null && direction == Monotone.ANY) {
                return true;
            }
        }
        return false;
    }

    /** The name {@link #bothWays} gives the lattice step among a value's variables. */
    private static final String STEP = "lattice step";

    /**
     * The value at step 0 and the growth a step of each item of a value that grows by a constant a lattice step ({@link #affine}),
     * one item where it is no list; null where it does not, or passes 64 bits between steps {@code from} and {@code to}.
     */
    private static List<long[]> lines(Expr expr, Follower.Values values, long from, long to) {
        List<long[]> lines = new ArrayList<>();
        for (Expr item : expr instanceof Expr.ListOf list ? list.items() : List.of(expr)) {
            long[] line = affine(item, values);
            if (line == null) {
                return null;
            }
            try {
                for (long k : new long[] {from, to}) {
                    Math.addExact(Math.addExact(line[0], Math.multiplyExact(line[1], k)), 2);
                }
            } catch (ArithmeticException beyond64Bits) {
                return null;
            }
            lines.add(line);
        }
        return lines;
    }

    /**
     * The step {@code k} in {@code [from, to)} after which {@code a + b·k} passes {@code edge} (below it at one of {@code k} and
     * {@code k + 1}, not at the other), or {@link Long#MIN_VALUE} where it does not there.
     */
    static long passes(long[] line, long edge, long from, long to) {
        if (line[1] == 0 || from >= to) {
            return Long.MIN_VALUE;
        }
        // the last step below edge where it rises (a + b·k <= edge - 1), or at or above it where it falls (a + b·k >= edge)
        long k = line[1] > 0 ? Math.floorDiv(edge - 1 - line[0], line[1]) : Math.floorDiv(line[0] - edge, -line[1]);
        return k >= from && k < to ? k : Long.MIN_VALUE;
    }

    /** The size variables' names, and the model's input's axes of those names ({@code input.L}), which are the variables at its level. */
    private static Set<String> withInputs(Set<String> variables) {
        Set<String> names = new HashSet<>(variables);
        variables.forEach(name -> names.add("input." + name));
        return names;
    }

    /**
     * What the tests the analyses evaluated give along one variable's lattice ({@link #turnsOfEvaluated}).
     *
     * @param turns the lattice sizes next to every size up to {@value #FOLLOWED} where one turns
     * @param turnsPast how many times they may turn past {@value #FOLLOWED} unseen, up to 2: two (an equality or a remainder of a
     *     size the layers derive, {@code x.L == 70000}, or two comparisons, a band), with those of the size variables' own tests
     *     ({@link Reach#turns()}), end the range there
     * @param firstPast the first that may turn past it, or null
     * @param replayedFrom the lowest lattice step down to which the layers run by their rules were run ({@link #MOST_REPLAYED}), or
     *     {@link Long#MIN_VALUE} where every step followed was
     * @param replayedTo the highest step up to which they were, or {@link Long#MAX_VALUE}
     * @param masked the lattice sizes next to where a part of a value turns that the value does not, as a part that reads another
     *     size masks it there ({@link #maskedTurns}): the others are followed along their lattices at these ({@link JointDomain})
     */
    record Evaluated(java.util.TreeSet<Long> turns, int turnsPast, String firstPast, long replayedFrom, long replayedTo,
            java.util.TreeSet<Long> masked) {}

    /**
     * Adds to {@code masked} the lattice sizes next to where a part of a value turns or passes 0 or 1 ({@link #valueTurns}) and the
     * value does not, where that part varies along the lattice beside a part that reads a size which does not (another variable's,
     * at its default here): {@code 30 * (x.H / 100 - x.H / 101) * (x.W / 30 - x.W / 31)} is 0 along H at the declared W, though
     * its first factor turns at H = 100, and 30 at H = 100 and W = 30, where no turn of either size alone shows it.
     */
    private static void maskedTurns(Expr expr, Follower.Values values, Set<String> variables, java.util.function.LongUnaryOperator size,
            long fromStep, long toStep, long lastStep, java.util.TreeSet<Long> masked) {
        List<Expr> parts = new ArrayList<>();
        besideFixedSizes(expr, values, variables, false, parts);
        if (parts.isEmpty()) {
            return;
        }
        java.util.TreeSet<Long> whole = new java.util.TreeSet<>();
        valueTurns(expr, values, size, fromStep, toStep, lastStep, false, whole);
        for (Expr part : parts) {
            java.util.TreeSet<Long> turns = new java.util.TreeSet<>();
            valueTurns(part, values, size, fromStep, toStep, lastStep, false, turns);
            turns.removeAll(whole);
            masked.addAll(turns);
        }
    }

    /**
     * Adds to {@code found} each part of {@code expr}, at any depth, that varies along the lattice beside one that reads a size which
     * does not, where that one may hide it: not as a summand ({@code x.H / 2 + x.W / 2} turns wherever its first part does) or another
     * item of a list, which each keep their own turns, unless the sum is inside what may hide it ({@code (x.H / 100 + x.W / 30) / 2}:
     * the floor of half of 1 + 2 and of 0 + 2 is 1, of 1 + 3 and of 0 + 3 not), {@code inside}.
     */
    private static void besideFixedSizes(Expr expr, Follower.Values values, Set<String> variables, boolean inside, List<Expr> found) {
        List<Expr> parts = expr.parts();
        boolean keepsTurns = expr instanceof Expr.ListOf || expr instanceof Expr.Binary binary && (binary.op().equals("+") || binary.op().equals("-"));
        boolean hides = inside || !keepsTurns;
        boolean fixed = hides && parts.size() > 1 && parts.stream().anyMatch(part -> !varies(part, values)
                && part.names().stream().anyMatch(name -> readsSize(name, values.how().get(name), variables)));
        for (Expr part : parts) {
            if (fixed && varies(part, values) && !(part instanceof Expr.Name)) {
                found.add(part);
            }
            besideFixedSizes(part, values, variables, inside || !keepsTurns && parts.size() > 1, found);
        }
    }

    /**
     * Whether a name followed as {@code how} may read a size: a size variable, {@code h} or {@code w}, a tensor's axis but a fixed
     * one ({@link SizeReads#FIXED_AXES}), or a name given an expression that reads one.
     */
    @SuppressWarnings("unchecked")
    private static boolean readsSize(String name, List<Object> how, Set<String> variables) {
        int dot = name.lastIndexOf('.');
        if (variables.contains(name) || name.equals("h") || name.equals("w") || name.contains(".shape[")
                || dot > 0 && !SizeReads.FIXED_AXES.contains(name.substring(dot + 1))) {
            return true;
        }
        return how != null && "given".equals(how.get(0))
                && ((Map<String, List<Object>>) how.get(2)).entrySet().stream().anyMatch(given -> readsSize(given.getKey(), given.getValue(), variables));
    }

    /**
     * How many times the comparisons, remainders and choices of a test followed along the lattice can turn past step {@code
     * toStep}, at most, up to 2: none where a comparison of one size that grows a step with a value that does not turns by then
     * (or never); one for such a comparison for order turning later, which then stays; two for an equality turning later (on at
     * one size, off at the next), a remainder of a growing size that the growth does not keep, and anything else that reads a
     * growing value in any other way (a product of two, a floor division), which is not followed past {@code toStep}. A test whose
     * growing values are size variables alone is left to {@link #reach}.
     */
    private static int turnsPast(Expr expr, Follower.Values values, Set<Expr> counted, Set<String> variables, long toStep) {
        int turns = 0;
        if (expr instanceof Expr.Binary binary && (Expr.Binary.COMPARISONS.contains(binary.op()) || binary.op().equals("%")
                || binary.op().equals("/")) && !counted.contains(binary) && derivedVaries(binary, values, variables)) {
            turns += turnsPastOf(binary, values, toStep);
        }
        for (Expr choice : counted.contains(expr) ? List.<Expr>of() : expr.choices()) {
            if (derivedVaries(choice, values, variables)) {
                turns += turnsPastOf((Expr.Binary) choice, values, toStep);
            }
        }
        for (Expr part : expr.parts()) {
            turns += turnsPast(part, values, counted, variables, toStep);
        }
        return Math.min(turns, 2);
    }

    /** Whether an expression reads a value that changes along the lattice other than a size variable itself. */
    private static boolean derivedVaries(Expr expr, Follower.Values values, Set<String> variables) {
        return expr.names().stream().anyMatch(name -> !variables.contains(name) && varies(values.how().get(name)));
    }

    private static int turnsPastOf(Expr.Binary binary, Follower.Values values, long toStep) {
        if (binary.op().equals("/")) {
            // A floor division steps up where the growth does not keep it whole: once for the checks past its numbers, as an order
            // does, but two of them (x.L / 70000 - x.L / 70001) make a band.
            return affine(binary, values) != null ? 0 : 1;
        }
        if (binary.op().equals("%")) {
            // (a + b·k) % m keeps one value along the lattice where m divides the growth b; a growing divisor is followed nowhere.
            return affine(binary, values) != null ? 0 : 2;
        }
        long[] left = affine(binary.left(), values);
        long[] right = affine(binary.right(), values);
        if (left == null || right == null) {
            return 2;
        }
        try {
            // The sides' difference, a + b·k, against 0.
            long a = Math.subtractExact(left[0], right[0]);
            long b = Math.subtractExact(left[1], right[1]);
            if (b == 0) {
                return 0; // the growths cancel: one value along the lattice
            }
            // The step where a + b·k meets 0: the comparison turns there at most once for order, on and off for equality.
            long gap = Math.negateExact(a);
            if (!Expr.Binary.ORDER.contains(binary.op()) && gap % b != 0) {
                return 0; // never equal on the lattice
            }
            boolean seen = Math.addExact(Math.floorDiv(gap, b), 1) < toStep;
            return seen ? 0 : Expr.Binary.ORDER.contains(binary.op()) ? 1 : 2;
        } catch (ArithmeticException e) {
            return 2;
        }
    }

    /** Whether an expression reads a name whose value changes along the lattice. */
    private static boolean varies(Expr expr, Follower.Values values) {
        return varies(expr, values.how());
    }

    /** Whether an expression reads a name whose value changes along the lattice, each name followed as {@code how} gives it. */
    private static boolean varies(Expr expr, Map<String, List<Object>> how) {
        return expr.names().stream().anyMatch(name -> varies(how.get(name)));
    }

    /**
     * Whether item {@code item} of a list may change along the lattice: an item of a list written out ({@code [input.L, heads, 64]})
     * or of one a name is given by an argument or default ({@code s = [input.L, 2, 64]}) that reads a name that varies; any item of
     * a list given otherwise.
     */
    @SuppressWarnings("unchecked")
    private static boolean itemVaries(Expr list, int item, Map<String, List<Object>> how, int depth) {
        if (list instanceof Expr.ListOf written) {
            return item >= written.items().size() || varies(written.items().get(item), how);
        }
        List<Object> given = list instanceof Expr.Name name ? how.get(name.name()) : null;
        if (given != null && given.get(0).equals("given") && depth < 32) {
            return itemVaries((Expr) given.get(1), item, (Map<String, List<Object>>) given.get(2), depth + 1);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static boolean varies(List<Object> how) {
        if (how == null) {
            return false;
        }
        return switch ((String) how.get(0)) {
            case "line" -> (Long) how.get(2) != 0;
            case "curve" -> true; // of degree 1 or more: a name whose values are one is followed as that value
            case "given" -> ((Map<String, List<Object>>) how.get(2)).values().stream().anyMatch(Thresholds::varies);
            default -> false;
        };
    }

    /**
     * The value at step 0 and the growth a step of an expression of names followed as lines, values that do not change, {@code +},
     * {@code -} and products by such values ({@code x.L - 1}, {@code 2 * x.L}), a name given such an expression by an argument or
     * default ({@code n = x.L}, an item of {@code d = [x.L, 4]}); null for anything else or past 64 bits.
     */
    private static long[] affine(Expr expr, Follower.Values values) {
        if (!varies(expr, values)) {
            Long value = constant(expr, values);
            return value == null ? null : new long[] {value, 0};
        }
        return affine(expr, values.how(), 0, values.scope().apply(0));
    }

    @SuppressWarnings("unchecked")
    private static long[] affine(Expr expr, Map<String, List<Object>> how, int depth, Scope atStep0) {
        try {
            if (expr instanceof Expr.Literal literal) {
                Value value = literal.value();
                return integer(value) ? new long[] {value.number(), 0} : null;
            }
            if (expr instanceof Expr.Name name) {
                List<Object> followed = how.get(name.name());
                if (followed == null) {
                    return null;
                }
                if (atStep0 != null && !varies(followed)) {
                    // one value all along (a parameter given exact(in, heads) of a fixed width): the value it reads
                    Value value;
                    try {
                        value = atStep0.lookup(name.name());
                    } catch (RuntimeException unreadable) {
                        return null;
                    }
                    return value != null && integer(value) ? new long[] {value.number(), 0} : null;
                }
                return switch ((String) followed.get(0)) {
                    case "value" -> integer((Value) followed.get(1)) ? new long[] {((Value) followed.get(1)).number(), 0} : null;
                    case "line" -> new long[] {(Long) followed.get(1), (Long) followed.get(2)};
                    case "curve" -> null;
                    default -> depth < 32 ? affine((Expr) followed.get(1), (Map<String, List<Object>>) followed.get(2), depth + 1, null) : null;
                };
            }
            if (expr instanceof Expr.Index index && index.list() instanceof Expr.Name name && index.index() instanceof Expr.Literal at
                    && integer(at.value()) && how.get(name.name()) != null && how.get(name.name()).get(0).equals("given")
                    && how.get(name.name()).get(1) instanceof Expr.ListOf list && depth < 32) {
                long i = at.value().number() < 0 ? at.value().number() + list.items().size() : at.value().number();
                return i < 0 || i >= list.items().size() ? null
                        : affine(list.items().get((int) i), (Map<String, List<Object>>) how.get(name.name()).get(2), depth + 1, null);
            }
            if (expr instanceof Expr.Index index && index.list() instanceof Expr.ListOf list && index.index() instanceof Expr.Literal at
                    && integer(at.value())) {
                long i = at.value().number() < 0 ? at.value().number() + list.items().size() : at.value().number();
                return i < 0 || i >= list.items().size() ? null : affine(list.items().get((int) i), how, depth, atStep0);
            }
            if (expr instanceof Expr.Unary unary && unary.op() == '-') {
                long[] operand = affine(unary.operand(), how, depth, atStep0);
                return operand == null ? null : new long[] {Math.negateExact(operand[0]), Math.negateExact(operand[1])};
            }
            if (expr instanceof Expr.Binary binary && (binary.op().equals("/") || binary.op().equals("%"))) {
                // Where d divides the growth b, (a + b·k) / d is floor(a / d) + (b / d)·k, and (a + b·k) % d one value along the lattice.
                long[] left = affine(binary.left(), how, depth, atStep0);
                long[] right = affine(binary.right(), how, depth, atStep0);
                if (left == null || right == null || right[1] != 0 || right[0] == 0 || left[1] % right[0] != 0) {
                    return null;
                }
                return binary.op().equals("/") ? new long[] {Math.floorDiv(left[0], right[0]), left[1] / right[0]}
                        : new long[] {Math.floorMod(left[0], right[0]), 0};
            }
            if (expr instanceof Expr.Binary binary && List.of("+", "-", "*").contains(binary.op())) {
                long[] left = affine(binary.left(), how, depth, atStep0);
                long[] right = affine(binary.right(), how, depth, atStep0);
                if (left == null || right == null) {
                    return null;
                }
                return switch (binary.op()) {
                    case "+" -> new long[] {Math.addExact(left[0], right[0]), Math.addExact(left[1], right[1])};
                    case "-" -> new long[] {Math.subtractExact(left[0], right[0]), Math.subtractExact(left[1], right[1])};
                    default -> left[1] != 0 && right[1] != 0 ? null
                            : new long[] {Math.multiplyExact(left[0], right[0]), Math.addExact(Math.multiplyExact(left[0], right[1]), Math.multiplyExact(left[1], right[0]))};
                };
            }
        } catch (ArithmeticException overflow) {
            return null;
        }
        return null;
    }

    /** Whether an expression, or each item of a list it writes, grows by a constant a lattice step ({@link #affine}): it never steps. */
    private static boolean affineAlong(Expr expr, Follower.Values values) {
        return expr instanceof Expr.ListOf list ? list.items().stream().allMatch(item -> affine(item, values) != null) : affine(expr, values) != null;
    }

    /** Whether a value is an integer, not a truth, a decimal, a list or a text. */
    static boolean integer(Value value) {
        return !(value.isBoolean() || value.isDecimal() || value.isList() || value.isText());
    }

    /** The integer an expression that reads nothing that changes along the lattice gives; null if it is none or cannot be evaluated. */
    private static Long constant(Expr expr, Follower.Values values) {
        if (varies(expr, values)) {
            return null;
        }
        try {
            Value value = expr.eval(values.scope().apply(0));
            return integer(value) ? value.number() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Adds the sizes on both sides of each lattice step from {@code fromStep} to {@code toStep} where a layer kept to be run again
     * ({@link LayerReplay}) starts or stops existing, by its own rule run at every step with its attributes that read a size and
     * its inputs' sizes as they are followed: what its values and sizes decide together (a window's {@code dilation·(k − 1) + 1}
     * against its padded input, the kernel or the dilation reading the size) no one of them or pair of them shows. A layer with a
     * value or a size that cannot be followed is left out, and so is one whose one value that varies is a line ({@link Replayed#of}); a layer given the same values at another place (a block's at each of its uses) is run once.
     * The steps are walked outward from the declared size, every layer at each, up to {@link #MOST_REPLAYED} runs in all, and each
     * way no further than the range's checks of turns go ({@link RangeSearch#MOST_COMPARED}).
     *
     * @return the lowest and the highest step walked where the runs ran out before {@code fromStep} and {@code toStep} (the range
     *     ends there), else {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}
     */
    private static long[] replayTurns(Follower follower, List<Probe.Outcome> samples, java.util.function.LongUnaryOperator size, long fromStep,
            long toStep, java.util.Set<Long> sizes, Set<String> ruled) {
        Map<String, LayerReplay> replays = new java.util.LinkedHashMap<>();
        samples.forEach(sample -> sample.replays().forEach(replays::putIfAbsent));
        Set<List<Object>> run = new HashSet<>();
        List<Replayed> layers = new ArrayList<>();
        for (Map.Entry<String, LayerReplay> layer : replays.entrySet()) {
            Replayed replayed = Replayed.of(follower, layer.getKey(), layer.getValue(), ruled.contains(layer.getKey()));
            if (replayed != null && run.add(replayed.key())) {
                layers.add(replayed);
            }
        }
        long[] walked = {Long.MIN_VALUE, Long.MAX_VALUE};
        if (layers.isEmpty()) {
            return walked;
        }
        boolean[] up = new boolean[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            up[l] = layers.get(l).runs(0);
        }
        boolean[] down = up.clone();
        long runs = 0;
        // Past more turns each way than the range's checks take, the range ends before them (RangeSearch.MOST_COMPARED): the walk
        // stops there, the samples' steps allowed for, counting the turns found before it and its own.
        int most = RangeSearch.MOST_COMPARED + 2 * ClosedForms.SAMPLES;
        long declared = size.applyAsLong(0);
        java.util.List<Long> above = new ArrayList<>(sizes.stream().filter(s -> s > declared).sorted().limit(most + 1).toList());
        java.util.List<Long> below = new ArrayList<>(sizes.stream().filter(s -> s < declared).sorted(Collections.reverseOrder()).limit(most + 1).toList());
        int[] turned = {above.size(), below.size()};
        long[] farthest = {above.size() > most ? above.get(most) : Long.MAX_VALUE, below.size() > most ? below.get(most) : Long.MIN_VALUE};
        for (long distance = 1; distance <= Math.max(toStep, -fromStep); distance++) {
            for (int way : new int[] {1, -1}) {
                long step = way * distance;
                int side = way > 0 ? 0 : 1;
                if (step > toStep || step < fromStep || turned[side] > most
                        || (way > 0 ? size.applyAsLong(step) > farthest[0] : size.applyAsLong(step) < farthest[1])) {
                    continue;
                }
                runs += layers.size();
                if (runs > MOST_REPLAYED) {
                    // Not walked past the last step each way: the range ends there.
                    walked[0] = Math.max(fromStep, 1 - distance);
                    walked[1] = Math.min(toStep, distance - 1);
                    return walked;
                }
                boolean[] before = way > 0 ? up : down;
                for (int l = 0; l < layers.size(); l++) {
                    boolean runsHere = layers.get(l).runs(step);
                    if (runsHere != before[l]) {
                        sizes.add(size.applyAsLong(step - way));
                        sizes.add(size.applyAsLong(step));
                        before[l] = runsHere;
                        turned[side] += 2;
                    }
                }
            }
        }
        return walked;
    }

    /** The most runs of layers by their rules along one variable's lattice ({@link #replayTurns}): about a second. */
    static final long MOST_REPLAYED = 131_072;

    /** A layer run again by its rule along the lattice, with what it reads as followed ({@link #replayTurns}). */
    private record Replayed(LayerReplay replay, Map<String, Follower.Values> attributes, Map<List<Integer>, Follower.Values> axes) {
        /**
         * The layer at {@code path}, or null where a value or a size it reads cannot be followed, or where one value alone varies
         * and it and its inputs' sizes grow by a constant a step: the layer's rule then compares lines, and where it fails the
         * range's own search finds it. A layer {@code ruled} is run wherever a value or a size it reads varies.
         */
        static Replayed of(Follower follower, String path, LayerReplay replay, boolean ruled) {
            Map<String, Follower.Values> attributes = new java.util.TreeMap<>();
            boolean lines = true;
            for (String name : replay.attributes()) {
                String where = path + " " + name;
                if (follower.seen.containsKey(where)) {
                    Follower.Values values = follower.values(where, 0);
                    if (values == null) {
                        return null;
                    }
                    if (values.varies()) {
                        attributes.put(name, values);
                        lines &= affineAlong(follower.kept(where).expr(), values);
                    }
                }
            }
            if (attributes.isEmpty() && !ruled) {
                return null;
            }
            Map<List<Integer>, Follower.Values> axes = new java.util.LinkedHashMap<>();
            for (int t = 0; t < replay.inputs(); t++) {
                for (int i = 0; i < replay.rank(t); i++) {
                    String where = path + " " + Analyzer.inputAxis(t, i);
                    Follower.Values values = follower.seen.containsKey(where) ? follower.values(where, 0) : null;
                    if (values == null) {
                        return null;
                    }
                    if (values.varies()) {
                        axes.put(List.of(t, i), values);
                        lines &= affineAlong(follower.kept(where).expr(), values);
                    }
                }
            }
            if (ruled) {
                return attributes.isEmpty() && axes.isEmpty() ? null : new Replayed(replay, attributes, axes);
            }
            return attributes.size() == 1 && lines ? null : new Replayed(replay, attributes, axes);
        }

        /** The layer, what the analysis gave it, and how each value it reads is followed: two of one key run alike. */
        List<Object> key() {
            Map<String, Object> how = new java.util.TreeMap<>();
            attributes.forEach((name, values) -> how.put(name, values.how()));
            axes.forEach((axis, values) -> how.put(axis.toString(), values.how()));
            return List.of(replay.key(), how);
        }

        /** Whether the layer's rule takes what it reads at lattice step {@code step}. */
        boolean runs(long step) {
            Map<String, Scope> scopes = new HashMap<>();
            attributes.forEach((name, values) -> scopes.put(name, values.scope().apply(step)));
            return replay.runs(scopes, (t, i) -> {
                Follower.Values values = axes.get(List.of(t, i));
                return values == null ? null : values.scope().apply(step).lookup(Analyzer.inputAxis(t, i)).number();
            });
        }
    }

    /**
     * The values the kept expressions read, followed along one variable's lattice steps from the samples: a name given by an
     * argument or a parameter's default kept at the place that declares it, that expression evaluated with its own names
     * followed, where that gives the value read at every sample; else one that keeps one value at the samples, or one that takes
     * integers growing by one constant a step over three samples or more (a tensor's size on the lattice).
     */
    private static final class Follower {
        /** How many arguments deep a name is followed. */
        private static final int DEEPEST = 32;
        /** The highest degree of a name's values followed as a polynomial of the lattice step ({@link #curve}). */
        private static final int CURVE_DEGREE = 3;
        private final String model;
        private final long[] steps;
        private final List<Probe.Outcome> samples;
        /** Per place, the samples whose analysis evaluated something there. */
        final Map<String, List<Integer>> seen = new java.util.LinkedHashMap<>();

        Follower(String model, long[] steps, List<Probe.Outcome> samples) {
            this.model = model;
            this.steps = steps;
            this.samples = samples;
            for (int j = 0; j < samples.size(); j++) {
                for (String where : samples.get(j).evaluated().keySet()) {
                    seen.computeIfAbsent(where, w -> new ArrayList<>()).add(j);
                }
            }
        }

        dev.modelcost.processor.analysis.EvaluatedExpression kept(String where) {
            return samples.get(seen.get(where).get(0)).evaluated().get(where);
        }

        /**
         * The values an expression reads at each lattice step.
         *
         * @param scope the scope of the expression at a lattice step
         * @param how how each name is followed, by name: its one value, its line, or the giver's expression and how that is followed
         * @param varies whether some name changes along the lattice: one on a line that grows, or one whose giver's values vary
         */
        record Values(java.util.function.LongFunction<Scope> scope, Map<String, List<Object>> how, boolean varies) {}

        /** The values {@code where}'s expression reads at each lattice step, or null where a name it reads cannot be followed. */
        Values values(String where, int depth) {
            if (depth == 0) {
                if (!followedAt.containsKey(where)) {
                    followedAt.put(where, follow(where, 0));
                }
                return followedAt.get(where);
            }
            return follow(where, depth);
        }

        /** {@link #values} of each place asked for, by place (null where it cannot be followed). */
        private final Map<String, Values> followedAt = new HashMap<>();

        /** {@link #values}, worked out. */
        private Values follow(String where, int depth) {
            Map<String, java.util.function.LongFunction<Value>> names = new HashMap<>();
            Map<String, List<Object>> how = new HashMap<>();
            boolean varies = false;
            for (String name : kept(where).read().keySet()) {
                String giver = depth < DEEPEST ? giver(where, name) : null;
                Values given = giver == null ? null : values(giver, depth + 1);
                Expr expr = giver == null ? null : kept(giver).expr();
                // A double parameter holds an integer argument as a decimal, as the analysis gave it.
                boolean decimal = kept(where).read().get(name).isDecimal();
                java.util.function.LongFunction<Value> byGiver = given == null ? null : k -> {
                    Value value = expr.eval(given.scope().apply(k));
                    return decimal && !value.isDecimal() && !value.isBoolean() && !value.isList() && !value.isText() ? Value.decimal(value.number()) : value;
                };
                if (byGiver != null && reproduces(where, name, byGiver)) {
                    names.put(name, byGiver);
                    how.put(name, List.of("given", expr, given.how()));
                    varies |= given.varies();
                } else if (same(where, name)) {
                    Value first = kept(where).read().get(name);
                    names.put(name, k -> first);
                    how.put(name, List.of("value", first));
                } else {
                    long[] line = line(where, name);
                    if (line != null) {
                        names.put(name, k -> Value.of(line[0] + line[1] * k));
                        how.put(name, List.of("line", line[0], line[1]));
                    } else {
                        Polynomial curve = curve(where, name);
                        if (curve == null) {
                            return null;
                        }
                        java.util.function.LongUnaryOperator at = integerValues(curve);
                        names.put(name, k -> Value.of(at.applyAsLong(k)));
                        how.put(name, List.of("curve", curve.terms()));
                    }
                    varies = true;
                }
            }
            return new Values(k -> new Scope() {
                @Override
                public Value lookup(String name) {
                    java.util.function.LongFunction<Value> value = names.get(name);
                    return value == null ? null : value.apply(k);
                }

                @Override
                public java.util.Collection<String> names() {
                    return names.keySet();
                }
            }, how, varies);
        }

        /** Whether {@code value} gives what {@code name} read at {@code where} at every sample that evaluated it. */
        private boolean reproduces(String where, String name, java.util.function.LongFunction<Value> value) {
            for (int j : seen.get(where)) {
                try {
                    if (!value.apply(steps[j]).equals(samples.get(j).evaluated().get(where).read().get(name))) {
                        return false;
                    }
                } catch (RuntimeException e) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Where the argument or default that gave {@code name} to the scope of {@code where} was kept: a parameter of the block
         * that holds the place ({@code "g.b1 @When"} reads {@code n} of {@code g}: {@code "g argument n"}, else {@code "g @Param
         * n"}; a default reads its own block's), a repetition's as its {@code @Repeat} field's, the model's under its name; null
         * if none was kept, or the giver's own samples are fewer than {@code where}'s.
         */
        private String giver(String where, String name) {
            String path = where.substring(0, where.indexOf(' '));
            String owner = where.contains(" @Param ") ? path : path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            List<String> places = new ArrayList<>();
            if (owner.isEmpty() || owner.equals(model)) {
                places.add(model + " @Param " + name);
            } else {
                places.add(owner + " argument " + name);
                places.add(owner + " @Param " + name);
                String repeated = owner.replaceFirst("\\.[^.]*?[0-9]+$", "");
                if (!repeated.equals(owner) && !repeated.isEmpty()) {
                    places.add(repeated + " argument " + name);
                }
            }
            for (String place : places) {
                if (seen.containsKey(place) && seen.get(place).containsAll(seen.get(where))) {
                    return place;
                }
            }
            return null;
        }

        /** The integer {@code name} read at each sample of {@code where}; null where one is none. */
        private long[] integersRead(String where, String name) {
            List<Integer> at = seen.get(where);
            long[] values = new long[at.size()];
            for (int j = 0; j < at.size(); j++) {
                Value value = samples.get(at.get(j)).evaluated().get(where).read().get(name);
                if (value == null || !integer(value)) {
                    return null;
                }
                values[j] = value.number();
            }
            return values;
        }

        /**
         * The polynomial of lowest degree, up to {@value #CURVE_DEGREE}, through the integers {@code name} read at the samples of
         * {@code where}, which it must give at two samples or more besides those that fix it; null where none does. A tensor's size
         * that a layer's value makes ({@code out = 2 * x.L * x.L}) grows so along the lattice, where the forms are polynomials.
         */
        private Polynomial curve(String where, String name) {
            List<Integer> at = seen.get(where);
            long[] values = integersRead(where, name);
            if (values == null) {
                return null;
            }
            for (int degree = 1; degree <= CURVE_DEGREE && degree + 3 <= at.size(); degree++) {
                Polynomial through = Polynomial.constant(1, Fraction.ZERO);
                for (int j = 0; j <= degree; j++) {
                    Polynomial basis = Polynomial.constant(1, Fraction.of(values[j]));
                    for (int m = 0; m <= degree; m++) {
                        if (m != j) {
                            long denominator = steps[at.get(j)] - steps[at.get(m)];
                            basis = basis.times(Polynomial.linear(1, 0, Fraction.of(1, denominator), Fraction.of(-steps[at.get(m)], denominator)));
                        }
                    }
                    through = through.plus(basis);
                }
                boolean holds = true;
                for (int j = degree + 1; j < at.size() && holds; j++) {
                    holds = through.matches(values[j], steps[at.get(j)]);
                }
                if (holds) {
                    return through;
                }
            }
            return null;
        }

        /**
         * The integer values of a polynomial in the lattice step: its coefficients over one denominator, summed in 64 bits where they
         * fit, else exactly. A step where it is no integer of 63 bits (no size there) throws, as a name that cannot be read.
         */
        private static java.util.function.LongUnaryOperator integerValues(Polynomial curve) {
            Fraction[] coefficients = curve.coefficients();
            java.math.BigInteger common = java.math.BigInteger.ONE;
            for (Fraction c : coefficients) {
                common = Fraction.lcm(common, c.denominator());
            }
            long[] scaled = new long[coefficients.length];
            boolean fits = common.bitLength() < 63;
            for (int power = 0; power < coefficients.length && fits; power++) {
                java.math.BigInteger c = coefficients[power].numerator().multiply(common.divide(coefficients[power].denominator()));
                fits = c.bitLength() < 63;
                scaled[power] = c.longValue();
            }
            long denominator = common.longValue();
            boolean small = fits;
            return k -> {
                if (small) {
                    try {
                        long sum = 0;
                        for (int power = scaled.length - 1; power >= 0; power--) {
                            sum = Math.addExact(Math.multiplyExact(sum, k), scaled[power]);
                        }
                        if (sum % denominator != 0) {
                            throw new ArithmeticException("no size at step " + k);
                        }
                        return sum / denominator;
                    } catch (ArithmeticException beyond64Bits) {
                        // exactly, below
                    }
                }
                Fraction value = curve.at(k);
                if (!value.denominator().equals(java.math.BigInteger.ONE) || value.numerator().bitLength() > 62) {
                    throw new ArithmeticException("no size at step " + k);
                }
                return value.numerator().longValue();
            };
        }

        /** Whether something {@code where} read changed between the samples that evaluated it. */
        boolean varies(String where) {
            return kept(where).read().keySet().stream().anyMatch(name -> !same(where, name));
        }

        /** Whether {@code name} read the same value at every sample of {@code where}. */
        private boolean same(String where, String name) {
            Value first = kept(where).read().get(name);
            return seen.get(where).stream().allMatch(j -> java.util.Objects.equals(samples.get(j).evaluated().get(where).read().get(name), first));
        }

        /**
         * The value of {@code name} at step 0 and its growth a step, where it is an integer at three samples or more of {@code
         * where} and grows by one constant between them all; else null.
         */
        private long[] line(String where, String name) {
            List<Integer> at = seen.get(where);
            long[] values = at.size() < 3 ? null : integersRead(where, name);
            if (values == null) {
                return null;
            }
            long run = steps[at.get(1)] - steps[at.get(0)];
            long rise = values[1] - values[0];
            if (rise % run != 0) {
                return null;
            }
            long slope = rise / run;
            for (int j = 0; j < at.size(); j++) {
                if (values[j] - values[0] != slope * (steps[at.get(j)] - steps[at.get(0)])) {
                    return null;
                }
            }
            return new long[] {values[0] - slope * steps[at.get(0)], slope};
        }
    }

    /**
     * Adds the sizes on both sides of every step where the integer or integers {@code expr} gives stop growing as a polynomial of
     * degree 2 or less (a third difference that is not 0): where a floor division in it steps, or two of them cancel between
     * steps ({@code x.L / 7000 - x.L / 7001}, 1 at multiples of 7,000 only). A truth is left to {@link #turns}.
     */
    private static void steps(Expr expr, java.util.function.LongFunction<Scope> scope, java.util.function.LongUnaryOperator size, long fromStep,
            long toStep, java.util.TreeSet<Long> sizes) {
        java.util.ArrayDeque<List<Long>> last = new java.util.ArrayDeque<>();
        for (long step = fromStep; step <= toStep; step++) {
            List<Long> value = integersAt(expr, scope, step); // null where not evaluable: no step is seen across it
            if (value == null) {
                last.clear();
                continue;
            }
            last.addLast(value);
            if (last.size() > 4) {
                last.removeFirst();
            }
            if (last.size() == 4 && thirdDifferenceNot0(new ArrayList<>(last))) {
                for (long near = Math.max(fromStep, step - 3); near <= Math.min(toStep, step + 1); near++) {
                    sizes.add(size.applyAsLong(near));
                }
            }
        }
    }

    /** The integers a value is at lattice step {@code step} (a list's items, or the one integer), or null where it is none or cannot be evaluated. */
    private static List<Long> integersAt(Expr expr, java.util.function.LongFunction<Scope> scope, long step) {
        try {
            Value v = expr.eval(scope.apply(step));
            return v.isList() ? v.items() : integer(v) ? List.of(v.number()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether four values in a row, item by item, have a third difference other than 0 (or change their number of items). */
    private static boolean thirdDifferenceNot0(List<List<Long>> values) {
        int n = values.get(0).size();
        for (List<Long> value : values) {
            if (value.size() != n) {
                return true;
            }
        }
        for (int i = 0; i < n; i++) {
            long a = values.get(0).get(i);
            long b = values.get(1).get(i);
            long c = values.get(2).get(i);
            long d = values.get(3).get(i);
            // d - 3c + 3b - a, wrapping past 64 bits only where the values are that far apart, which counts as a step
            if (d - 3 * c + 3 * b - a != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds the sizes on both sides of every step where a comparison inside {@code expr}, or one that decides a {@code min} or {@code
     * max} in it, turns, or a remainder in it wraps, its names as {@code scope} gives them.
     */
    private static void turns(Expr expr, java.util.function.LongFunction<Scope> scope, java.util.function.LongUnaryOperator size, long fromStep,
            long toStep, java.util.TreeSet<Long> sizes) {
        if (expr instanceof Expr.Binary comparison && Expr.Binary.COMPARISONS.contains(comparison.op())) {
            Boolean before = null;
            for (long step = fromStep; step <= toStep; step++) {
                Boolean truth;
                try {
                    truth = comparison.eval(scope.apply(step)).truth();
                } catch (RuntimeException e) {
                    truth = null; // not evaluable here: no turn is seen across this step
                }
                if (before != null && truth != null && !truth.equals(before)) {
                    // Both sides, and one more each way: where a max turns on a tie (max(1, L - 5000) at 5001), its form turns a step later.
                    for (long near = Math.max(fromStep, step - 2); near <= Math.min(toStep, step + 1); near++) {
                        sizes.add(size.applyAsLong(near));
                    }
                }
                before = truth;
            }
        }
        if (expr instanceof Expr.Binary remainder && remainder.op().equals("%")) {
            // A remainder wraps where it stops growing evenly (x.L % 1000 back to 0 at 1,000): its form turns there. (A floor
            // division steps too, but where it matters only its use tells: n = L / 100 steps every 100 sizes, n / 100 every 10,000.
            // One stepping alone changes the forms where the checks past its numbers see it.)
            Long older = null;
            Long last = null;
            for (long step = fromStep; step <= toStep; step++) {
                Long value;
                try {
                    Value v = remainder.eval(scope.apply(step));
                    value = v.isDecimal() ? null : v.number();
                } catch (RuntimeException e) {
                    value = null; // not evaluable here: no turn is seen across this step
                }
                if (older != null && last != null && value != null && value - last != last - older) {
                    for (long near = Math.max(fromStep, step - 2); near <= Math.min(toStep, step + 1); near++) {
                        sizes.add(size.applyAsLong(near));
                    }
                }
                older = last;
                last = value;
            }
        }
        for (Expr choice : expr.choices()) {
            turns(choice, scope, size, fromStep, toStep, sizes);
        }
        for (Expr part : expr.parts()) {
            turns(part, scope, size, fromStep, toStep, sizes);
        }
    }

    /**
     * The size variable and the number of a binary operation between one and the other, either way round ({@code L > 15},
     * {@code 61 % H}), the variable as {@code sizeOf} reads it; null for anything else.
     */
    private static Map.Entry<String, Long> sizeAgainstNumber(Expr.Binary binary, SizeReads reads,
            java.util.function.BiFunction<Expr, SizeReads, String> sizeOf) {
        String variable = sizeOf.apply(binary.left(), reads);
        Long number = number(binary.right(), reads);
        if (variable == null) {
            variable = sizeOf.apply(binary.right(), reads);
            number = number(binary.left(), reads);
        }
        return variable != null && number != null ? Map.entry(variable, number) : null;
    }

    /** The size variable an expression is, by its name or as the model input's axis of that name ({@code input.L}); null for anything else. */
    private static String sizeVariable(Expr expr, SizeReads reads) {
        if (expr instanceof Expr.Name name && name.name().startsWith("input.") && reads.isVariable(name.name().substring("input.".length()))) {
            return name.name().substring("input.".length());
        }
        return variable(expr, reads);
    }

    /** The size variable an expression is, by its name; null for anything else. */
    private static String variable(Expr expr, SizeReads reads) {
        return expr instanceof Expr.Name name && reads.isVariable(name.name()) ? name.name() : null;
    }

    /** The whole number an expression is, a literal or a constant; null for anything else. */
    private static Long number(Expr expr, SizeReads reads) {
        if (expr instanceof Expr.Literal literal) {
            Value value = literal.value();
            return value.isDecimal() || value.isBoolean() || value.isList() || value.isText() ? null : value.number();
        }
        if (expr instanceof Expr.Unary unary && unary.op() == '-') {
            Long inner = number(unary.operand(), reads);
            return inner == null ? null : -inner;
        }
        return expr instanceof Expr.Name name && reads.isConstant(name.name()) ? reads.constant(name.name()) : null;
    }

    /** What the parts of a model's expressions can be at most, and which parameters are given a size. */
    private static final class Bounds {
        private final SizeReads reads;
        /** Each parameter's default and every argument passed to it, by name, over every block of the model. */
        private final Map<String, List<Expr>> given = new HashMap<>();
        /** The parameters given an expression that reads a size, directly or through another such parameter. */
        private final Set<String> sized = new HashSet<>();
        private final Map<String, Long> memo = new HashMap<>();
        private final Set<String> open = new HashSet<>();
        /** How many times a cycle of names was cut; a bound found across a cut is not memoized. */
        private int cuts;
        /** What a tensor's axis other than a size variable itself can be at most. */
        private final long axes;

        Bounds(SizeReads reads, NetworkSpec network, long axes) {
            this.reads = reads;
            this.axes = axes;
            gather(network, Collections.newSetFromMap(new IdentityHashMap<>()));
            boolean grew = true;
            while (grew) {
                grew = false;
                for (Map.Entry<String, List<Expr>> param : given.entrySet()) {
                    if (!sized.contains(param.getKey()) && param.getValue().stream().anyMatch(this::readsSize)) {
                        sized.add(param.getKey());
                        grew = true;
                    }
                }
            }
        }

        private void gather(NetworkSpec network, Set<NetworkSpec> seen) {
            if (!seen.add(network)) {
                return;
            }
            for (ParamSpec param : network.params()) {
                if (param.fallback() != null) {
                    given.computeIfAbsent(param.name(), name -> new ArrayList<>()).add(param.fallback());
                }
            }
            for (Step step : network.steps()) {
                if (step.operation() instanceof Operation.BlockOp use) {
                    for (List<ExprParser.Assignment> assignments : List.of(use.args(), use.first())) {
                        for (ExprParser.Assignment assignment : assignments) {
                            given.computeIfAbsent(assignment.name(), name -> new ArrayList<>()).add(assignment.value());
                        }
                    }
                    gather(use.block(), seen);
                }
            }
        }

        boolean readsSize(Expr expr) {
            return expr.names().stream().anyMatch(name -> reads.readsName(name) || sized.contains(name));
        }

        /** Whether an expression reads a size variable itself, or a parameter given one, not only a tensor's axis ({@code x.L}). */
        boolean readsVariable(Expr expr) {
            return expr.names().stream().anyMatch(name -> sizeVariable(new Expr.Name(name), reads) != null || sized.contains(name));
        }

        /**
         * A bound on the sizes at which {@code expr}, which reads a size, can turn: the product of its
         * parts (each at least 2), a part that reads no size counting as the value it can have at most
         * ({@link #value}), an item of a list that reads none not at all; saturating at
         * {@link Long#MAX_VALUE}.
         */
        long of(Expr expr) {
            if (!readsSize(expr)) {
                return value(expr);
            }
            if (expr instanceof Expr.Name name) {
                String n = name.name();
                // A constant or a parameter (one given a size: whatever it was given), even where a block's shares a size's name; a
                // size variable itself; an axis (input.W, h), a size the layers may have shrunk from the input.
                return reads.isConstant(n) || given.containsKey(n) ? name(n) : reads.isVariable(n) ? 2 : axes;
            }
            if (expr instanceof Expr.ListOf list) {
                long largest = 2;
                for (Expr item : list.items()) {
                    if (readsSize(item)) {
                        largest = Math.max(largest, of(item));
                    }
                }
                return largest;
            }
            long product = 1;
            for (Expr part : expr.parts()) {
                product = times(product, of(part));
            }
            return Math.max(2, product);
        }

        /**
         * What an expression that reads no size can be at most, at least 2: a sum the sum of its parts,
         * a product their product, a quotient its dividend times its divisor (which covers a decimal below 1),
         * a remainder its divisor, {@code min}, {@code max} and a choice the largest of theirs.
         */
        long value(Expr expr) {
            if (expr instanceof Expr.Literal literal) {
                Value value = literal.value();
                if (value.isDecimal()) {
                    // x * 0.003 changes its floor every 334 steps of x, x * 1.0001 first at 10,000: a decimal counts as the largest of
                    // itself, its reciprocal and the power of ten it is written over.
                    double d = Math.abs(value.decimal());
                    if (d == 0 || !Double.isFinite(d)) {
                        return 2;
                    }
                    int scale = BigDecimal.valueOf(d).stripTrailingZeros().scale();
                    return atLeastTwo(Math.max(Math.max(Math.ceil(d), Math.ceil(1 / d)), Math.pow(10, Math.max(0, Math.min(scale, 18)))));
                }
                return value.isBoolean() || value.isText() ? 2 : value.isList() ? largest(value.items()) : Math.max(2, magnitude(value.number()));
            }
            if (expr instanceof Expr.Name name) {
                String n = name.name();
                // A constant; a parameter, whatever it was given; a fixed axis (x.D, in), at most the largest size.
                return reads.isConstant(n) || given.containsKey(n) ? name(n) : n.indexOf('.') > 0 || n.equals("in") ? axes : 2;
            }
            if (expr instanceof Expr.Binary binary) {
                long left = value(binary.left());
                long right = value(binary.right());
                switch (binary.op()) {
                    case "+":
                    case "-":
                        return plus(left, right);
                    case "*":
                        return times(left, right);
                    case "/":
                        // A quotient is at most its dividend, unless the divisor is a decimal below 1, which its bound covers.
                        return times(left, right);
                    case "%":
                        return right;
                    default:
                        return 2;
                }
            }
            if (expr instanceof Expr.Call call) {
                if (call.function().equals("divisible")) {
                    // divisible(v, d[, least]): v rounded to a multiple of d, at least least, at most v + d.
                    long sum = 0;
                    for (Expr arg : call.args()) {
                        sum = plus(sum, value(arg));
                    }
                    return Math.max(2, sum);
                }
                if (List.of("min", "max").contains(call.function())) {
                    long largest = 2;
                    for (Expr arg : call.args()) {
                        largest = Math.max(largest, value(arg));
                    }
                    return largest;
                }
                // exact(a, b), int, ceil, floor, round: at most their first argument (rounded up by one).
                return call.args().isEmpty() ? 2 : plus(value(call.args().get(0)), 1);
            }
            if (expr instanceof Expr.Conditional conditional) {
                return Math.max(value(conditional.then()), value(conditional.otherwise()));
            }
            long largest = 2;
            for (Expr part : expr.parts()) {
                largest = Math.max(largest, value(part));
            }
            return largest;
        }

        /**
         * The first decimal whose products are not exact in doubles that scales a size in {@code expr}:
         * a factor or divisor of a product or quotient with a part that reads a size, or given to a
         * parameter that is one ({@code scaling} says whether {@code expr} is such a part).
         */
        Double inexact(Expr expr, boolean scaling, Set<String> visited) {
            if (expr instanceof Expr.Literal literal) {
                return scaling && literal.value().isDecimal() && !ScaleFactors.exactScale(Math.abs(literal.value().decimal()))
                        ? literal.value().decimal() : null;
            }
            if (expr instanceof Expr.Name name) {
                if (scaling && visited.add(name.name())) {
                    for (Expr value : given.getOrDefault(name.name(), List.of())) {
                        Double found = inexact(value, true, visited);
                        if (found != null) {
                            return found;
                        }
                    }
                }
                return null;
            }
            boolean scales = expr instanceof Expr.Binary binary && (binary.op().equals("*") || binary.op().equals("/"))
                    && (scaling || readsSize(binary.left()) || readsSize(binary.right()));
            for (Expr part : expr.parts()) {
                Double found = inexact(part, scales, visited);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }

        /** A constant, or a parameter's default and every argument passed to it (a size given to it counting as 2). */
        private long name(String name) {
            Long known = memo.get(name);
            if (known != null) {
                return known;
            }
            if (!open.add(name)) {
                // Parameters are merged by name across blocks, which can close a cycle: cut it here, and remember nothing found meanwhile.
                cuts++;
                return 2;
            }
            int cutsBefore = cuts;
            long largest = Math.max(2, reads.constant(name));
            for (Expr value : given.getOrDefault(name, List.of())) {
                largest = Math.max(largest, of(value));
            }
            open.remove(name);
            if (cuts == cutsBefore) {
                memo.put(name, largest);
            }
            return largest;
        }

        private static long largest(List<Long> items) {
            long largest = 2;
            for (long item : items) {
                largest = Math.max(largest, magnitude(item));
            }
            return largest;
        }


        private static long atLeastTwo(double value) {
            return value >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(2, (long) value);
        }

        private static long plus(long a, long b) {
            long sum = a + b;
            return sum < 0 ? Long.MAX_VALUE : sum;
        }

        private static long times(long a, long b) {
            long product = a * b;
            return Math.multiplyHigh(a, b) != 0 || product < 0 ? Long.MAX_VALUE : product;
        }
    }

}
