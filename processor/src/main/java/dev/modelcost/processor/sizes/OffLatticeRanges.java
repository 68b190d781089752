package dev.modelcost.processor.sizes;

import dev.modelcost.ClosedForm;
import dev.modelcost.SizeDomain;
import dev.modelcost.SizeProgram;
import dev.modelcost.processor.analysis.BudgetCheck;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks {@code @Budget} over ranges that take sizes off the closed forms' lattices (or below their smallest sizes), size by size,
 * as the generated {@code at(...)} answers them: the closed forms on the lattices, the size program off them. The first size, in the
 * order the ranges are written, at which the network does not exist or a figure passes 64 bits is the only error, on the range
 * (MC140), as on the lattices; where there is none, the first size at which each bound breaks (MC420). Every size of the ranges is
 * visited, up to {@value #MOST_SIZES}.
 */
final class OffLatticeRanges {
    /** The most sizes checked one by one where a range leaves the lattices. */
    static final long MOST_SIZES = 100_000;

    private OffLatticeRanges() {}

    /**
     * A bound on a figure.
     *
     * @param figure the figure's constant ({@code MACS}, a counter's {@code THOP_MACS})
     * @param attribute the bound's attribute, for messages
     * @param limit the bound
     * @param site where it is written
     */
    record Bound(String figure, String attribute, long limit, Site site) {}

    /** The problems of the bounds over the ranges {@code over}, which take sizes off the lattices of {@code forms}, whose program answers there. */
    static List<Problem> check(ModelSpec spec, SizeForms forms, SizeRange over, List<Bound> bounds) {
        List<Problem> problems = new ArrayList<>();
        long count = RangeBudget.count(over);
        if (count > MOST_SIZES) {
            problems.add(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), String.format(Locale.ROOT, "takes sizes off the closed forms' "
                    + "lattices, where the size program answers one size at a time, and its %,d sizes are too many to check so", count),
                    String.format(Locale.ROOT, "keep the range on the lattices (%s), or give ranges of at most %,d sizes in all", lattices(forms), MOST_SIZES)));
            return problems;
        }
        SizeProgram program = SizeProgram.parse(forms.domains().get(0).model(), forms.names(), forms.program());
        Map<Bound, Integer> pending = new LinkedHashMap<>();
        for (Bound bound : bounds) {
            if (!forms.forms().containsKey(bound.figure())) {
                problems.add(RangeBudget.withoutForm(over, forms, bound.figure(), bound.attribute(), bound.site()));
            } else if (!program.figures().contains(bound.figure())) {
                problems.add(new Problem(Diagnostic.RANGE_WITHOUT_FORM, bound.site(), bound.attribute(), over.text(), "the range takes sizes off the "
                        + "closed forms' lattices, where the size program does not give " + bound.figure() + " (its counter's rule floors a quotient "
                        + "of sizes)", "keep the range on the lattices (" + lattices(forms) + "), or drop the bound"));
            } else {
                pending.put(bound, program.figures().indexOf(bound.figure()));
            }
        }
        List<ClosedForm> all = List.copyOf(forms.forms().values());
        List<String> figures = List.copyOf(forms.forms().keySet());
        List<ClosedForm> axes = forms.axes().stream().map(SizeForms.JointAxis::size).toList();
        List<String> axisNames = forms.axes().stream().map(SizeForms.JointAxis::axis).toList();
        Map<Bound, Problem> broken = new LinkedHashMap<>();
        long[] t = new long[over.ranges().size()];
        long[] counts = over.ranges().stream().mapToLong(SizeRange.Range::count).toArray();
        do {
            long[] sizes = RangeBudget.sizesAt(over.ranges(), forms, t);
            long[] values;
            boolean onForms = true;
            boolean untied = false;
            try {
                for (int i = 0; i < sizes.length; i++) {
                    SizeDomain domain = forms.domains().get(i);
                    onForms &= domain.onLattice(sizes[i]) && !domain.below(sizes[i]);
                    domain.notAbove(sizes[i]);
                }
                if (declared(forms, sizes)) {
                    // the declared sizes below the domains, past a test that turns: their own figures, as at(...) gives them
                    onForms = true;
                    values = figures.stream().mapToLong(forms.pastTurn().declared()::get).toArray();
                } else if (onForms) {
                    if (!axes.isEmpty()) {
                        SizeDomain.checkAxes(forms.domains().get(0).model(), axes, axisNames, sizes);
                    }
                    values = ClosedForm.each(all, sizes);
                } else {
                    untied = !program.determines(sizes);
                    values = program.at(sizes);
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                // As on the lattices: a range that takes such a size is the error, whatever the bounds do before it.
                return List.of(new Problem(Diagnostic.SIZE_RANGE, over.site(), over.text(), "takes " + RangeBudget.where(sizes, forms) + ", where "
                        + e.getMessage(), untied ? "keep the range on the closed forms' lattices (" + lattices(forms) + "), where the closed forms answer"
                                : e instanceof dev.modelcost.SizeProgram.StepsDiffer ? "keep the range where the network takes the steps the size "
                                + "program follows, as the message says" : "keep the range where the network exists and its figures fit 64 bits"));
            }
            for (Map.Entry<Bound, Integer> entry : List.copyOf(pending.entrySet())) {
                Bound bound = entry.getKey();
                long value = values[onForms ? figures.indexOf(bound.figure()) : entry.getValue()];
                if (value > bound.limit()) {
                    broken.put(bound, new Problem(Diagnostic.RANGE_OVER_BUDGET, bound.site(), bound.figure(), String.format(Locale.ROOT, "%,d", value),
                            RangeBudget.where(sizes, forms), bound.attribute(), bound.limit(), BudgetCheck.percentOver(value, bound.limit()), over.text()));
                    pending.remove(bound);
                }
            }
        } while (RangeBudget.next(t, counts));
        bounds.stream().filter(broken::containsKey).map(broken::get).forEach(problems::add);
        return problems;
    }

    /** Each variable's lattice and smallest size, for messages: {@code L = 1 + 3·k from 4}. */
    private static String lattices(SizeForms forms) {
        List<String> lattices = new ArrayList<>();
        for (SizeDomain domain : forms.domains()) {
            lattices.add(domain.name() + " = " + domain.fallback() + " + " + domain.period() + "\u00b7k from " + domain.min());
        }
        return String.join(", ", lattices);
    }

    /** Whether {@code sizes} are the declared ones of forms established past a test that turns just above them ({@link SizeForms#pastTurn()}). */
    private static boolean declared(SizeForms forms, long[] sizes) {
        if (forms.pastTurn() == null) {
            return false;
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] != forms.domains().get(i).fallback()) {
                return false;
            }
        }
        return true;
    }
}
