package dev.modelcost.processor.sizes;

import dev.modelcost.SizeDomain;
import dev.modelcost.processor.analysis.Analyzer;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Readings;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.memory.Liveness;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.SizeVariable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Establishes the closed forms past a test that turns just above the declared sizes, where no lattice through them holds: Swin's
 * shift is off where one window covers the last stage's map, as it does at the declared 224 (a map of 7), and on from 228.
 */
final class PastTurn {
    private PastTurn() {}

    /**
     * The forms of a model, established as though it declared the sizes past the turn ({@code past}, per variable, 0 for a variable
     * that keeps its declared size), with the declared sizes as the domains' defaults, below them (on their lattices or not), and the
     * declared sizes' own figures for {@code at(...)}.
     *
     * @param declared the model analysed at its declared sizes
     * @param probe the model at other sizes, through the declared ones
     * @param turns per variable moved, the test that turns and between which sizes
     * @param refusal why no lattice through the declared sizes holds: thrown where the forms do not hold past the turn either, or
     *     give a figure the declared sizes lack
     * @param analyses how many analyses at other sizes the attempt through the declared sizes took, and {@code nanos} their time
     * @param moves how many times the sizes have been moved past a turn, this time included
     */
    static SizeForms establish(ModelCosts declared, Probe probe, long[] past, String[] turns, Problem refusal, Analyzer analyzer,
            OffLattice.Separation separation, int analyses, long nanos, int moves) {
        ModelSpec spec = declared.spec();
        int n = past.length;
        Probe.Outcome base = probe.at(spec.sizes().stream().mapToLong(v -> v.fallback()).toArray());
        alsoPast(spec, probe, past, turns);
        long[] sizes = new long[n];
        List<String> why = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sizes[i] = past[i] > 0 ? past[i] : spec.sizes().get(i).fallback();
            if (past[i] > 0) {
                why.add(turns[i]);
            }
        }
        SizeForms there;
        try {
            ModelCosts moved = analyzer.analyze(spec.declaredAt(sizes));
            // where another variable's test turns beside its declared size too, this moves it in turn
            there = ClosedForms.of(moved, analyzer, Readings.of(moved), Liveness.of(moved), separation, moves);
        } catch (Problem again) {
            throw refusal;
        }
        List<Long> at = java.util.Arrays.stream(sizes).boxed().toList();
        String further = "";
        if (there.pastTurn() != null) {
            // a turn just above the sizes moved to, not the declared ones: said apart
            at = there.pastTurn().sizes();
            further = "; past it, " + there.pastTurn().why();
        }
        List<SizeDomain> domains = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SizeDomain d = there.domains().get(i);
            long own = spec.sizes().get(i).fallback();
            boolean movedHere = own != at.get(i);
            if (movedHere && own >= d.min()) {
                throw refusal; // the forms past the turn do not start past the declared size
            }
            domains.add(SizeDomain.of(d.model(), d.name(), own, d.period(), d.notFiner(), d.min(), d.belowMin(), d.max(), d.aboveMax(), d.programMax(),
                    d.aboveProgramMax()));
        }
        Map<String, Long> figures = new LinkedHashMap<>();
        for (SizeForms.Piece piece : there.pieces()) {
            for (String figure : piece.forms().keySet()) {
                Long value = base.figures().get(figure);
                if (value == null) {
                    throw refusal;
                }
                figures.put(figure, value);
            }
        }
        // the program's boxes of the tests hold around the sizes it was established at: its messages say so
        String program = there.program();
        if (program != null && there.pastTurn() == null) {
            program += (program.endsWith("\n") ? "" : "\n") + "established\t" + String.join(",", at.stream().map(String::valueOf).toList()) + "\n";
        }
        return new SizeForms(spec.sizes(), domains, there.pieces(), there.missing(), program, there.noProgram(), there.axes(),
                there.atSmallest(), new SizeForms.PastTurn(at, String.join("; ", why) + further, figures), analyses + there.analyses(),
                nanos + there.analysisNanos());
    }

    /**
     * Moves every other variable whose own test turns over the same step too ({@code past}, {@code turns}): Swin's shift along W turns
     * where along H it does, but with H's shift on, W's changes no figure, so no lattice of W fails; established with W at its declared
     * size, the forms would keep W below its turn.
     */
    private static void alsoPast(ModelSpec spec, Probe probe, long[] past, String[] turns) {
        long[] moved = new long[past.length];
        long step = 0;
        for (int i = 0; i < past.length; i++) {
            moved[i] = past[i] > 0 ? past[i] : spec.sizes().get(i).fallback();
            step = past[i] > 0 ? past[i] - spec.sizes().get(i).fallback() : step;
        }
        Map<String, dev.modelcost.processor.analysis.EvaluatedExpression> before = probe.evaluatedAt(moved);
        for (int j = 0; j < past.length && !before.isEmpty(); j++) {
            SizeVariable variable = spec.sizes().get(j);
            if (past[j] > 0 || variable.batch() || variable.fallback() + step > variable.most()) {
                continue;
            }
            long[] further = moved.clone();
            further[j] = variable.fallback() + step;
            Map<String, dev.modelcost.processor.analysis.EvaluatedExpression> after = probe.evaluatedAt(further);
            for (Map.Entry<String, dev.modelcost.processor.analysis.EvaluatedExpression> test : before.entrySet()) {
                dev.modelcost.processor.analysis.EvaluatedExpression now = after.get(test.getKey());
                if (now != null && now.turnedFrom(test.getValue())) {
                    past[j] = further[j];
                    turns[j] = LatticeSearch.turn(test.getKey(), variable.name(), variable.fallback(), further[j]);
                    break;
                }
            }
        }
    }
}
