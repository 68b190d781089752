package dev.modelcost.processor.sizes;

import dev.modelcost.ClosedForm;
import dev.modelcost.SizeDomain;
import dev.modelcost.processor.spec.SizeVariable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's figures as closed forms in its size variables, and where they hold.
 *
 * @param variables the variables, in the order {@code @Model(sizes)} names them
 * @param domains where the forms hold, one per variable
 * @param pieces the forms, by piece in order of size: one piece, except for a model of one variable whose
 *     forms change at some size (a sliding window that caps the KV cache), where each piece holds on its
 *     own range of that variable
 * @param missing each figure without a closed form, and why
 * @param program where a size lies off its lattice, the {@link dev.modelcost.SizeProgram} that gives every figure with a closed form
 *     there, as text; null where the lattices hold every size or the model has none
 * @param noProgram why a model whose lattices leave sizes out has no program; null otherwise
 * @param axes each layer's output axis that holds several sizes ({@code H*W} flattened, or {@code p.L + q.L} concatenated), with distinct forms: on the
 *     lattices the network ends where one passes 2,147,483,647 positions, though each size alone stays in its domain
 * @param atSmallest the maxima (the activation peak, the inference memory) whose form has parts for steps whose live bytes take
 *     another form at a variable's smallest size: the smallest of a step's form and forms that fall there, and forms that are a
 *     step's live bytes there and at most 0 elsewhere
 * @param pastTurn where the declared sizes sit just below a test's turn, so that the forms were established past it, at other sizes;
 *     null where they were established at the declared sizes
 * @param analyses how many times the model was analysed at other sizes to establish and check the forms
 * @param analysisNanos the wall time of those analyses, in nanoseconds, with each one's counters' readings and memory timeline
 *     (for {@code -Amodelcost.stats})
 */
public record SizeForms(List<SizeVariable> variables, List<SizeDomain> domains, List<Piece> pieces, Map<String, String> missing, String program,
        String noProgram, List<JointAxis> axes, java.util.Set<String> atSmallest, PastTurn pastTurn, int analyses, long analysisNanos) {
    /** Copies the collections. */
    public SizeForms {
        axes = List.copyOf(axes);
        atSmallest = java.util.Set.copyOf(atSmallest);
        variables = List.copyOf(variables);
        domains = List.copyOf(domains);
        pieces = List.copyOf(pieces);
        missing = Collections.unmodifiableMap(new LinkedHashMap<>(missing));
    }

    /**
     * The forms on one range of sizes.
     *
     * @param from the first size of the piece (of the only variable where there are several pieces)
     * @param to its last size
     * @param forms each figure with a closed form, by its constant's name, in the generated class's order;
     *     the output's dimensions as {@code OUTPUT_0}, {@code OUTPUT_1}, ...
     */
    public record Piece(long from, long to, Map<String, ClosedForm> forms) {
        /** Copies the map. */
        public Piece {
            forms = Collections.unmodifiableMap(new LinkedHashMap<>(forms));
        }
    }

    /**
     * Where the forms were established at other sizes than the declared ones: the declared sizes sit just below a test that turns
     * (Swin's shift, off where one window covers the map at 224), so that no lattice through them holds on both sides of it. The
     * domains hold from past the turn, and {@code at(...)} gives the declared sizes' own figures there.
     *
     * @param sizes the sizes the forms were established at, one per variable
     * @param why the test that turns, and between which sizes
     * @param declared every figure with a form, by its name, at the declared sizes
     */
    public record PastTurn(List<Long> sizes, String why, Map<String, Long> declared) {
        /** Copies the collections. */
        public PastTurn {
            sizes = List.copyOf(sizes);
            declared = Collections.unmodifiableMap(new LinkedHashMap<>(declared));
        }
    }

    /**
     * A layer's output axis that holds several sizes: their product or their sum.
     *
     * @param layer the layer's path ({@code blocks.0.fl})
     * @param axis the axis's name ({@code H*W})
     * @param size its number of positions, a closed form in the sizes on their lattices
     */
    public record JointAxis(String layer, String axis, ClosedForm size) {}

    /** The forms of the piece that holds the declared sizes. */
    public Map<String, ClosedForm> forms() {
        long declared = variables.get(0).fallback();
        return pieces.stream().filter(p -> p.from() <= declared && declared <= p.to()).findFirst().orElse(pieces.get(0)).forms();
    }

    /** The names of the variables, in order. */
    public List<String> names() {
        return variables.stream().map(SizeVariable::name).toList();
    }

    /** The names of the variables as Java parameters, in order. */
    public List<String> parameters() {
        return variables.stream().map(SizeVariable::parameter).toList();
    }

    /** The output's dimensions' forms, in order. */
    public List<ClosedForm> output() {
        return forms().entrySet().stream().filter(e -> e.getKey().startsWith(Probe.OUTPUT)).map(Map.Entry::getValue).toList();
    }
}
