package dev.modelcost.processor.sizes;

import dev.modelcost.ClosedForm;
import dev.modelcost.processor.spec.SizeVariable;
import java.util.List;
import java.util.Map;

/**
 * A model's figures as closed forms in its size variables, and where they hold.
 *
 * @param variables the variables, in the order {@code @Model(sizes)} names them
 * @param domains where the forms hold, one per variable
 * @param forms each figure with a closed form, by its constant's name, in the generated class's order;
 *     the output's dimensions as {@code OUTPUT_0}, {@code OUTPUT_1}, ...
 * @param missing each figure without one, and why
 */
public record SizeForms(List<SizeVariable> variables, List<Domain> domains, Map<String, ClosedForm> forms, Map<String, String> missing) {
    /** Copies the collections. */
    public SizeForms {
        variables = List.copyOf(variables);
        domains = List.copyOf(domains);
        forms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(forms));
        missing = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(missing));
    }

    /**
     * Where the forms hold for one variable: {@code fallback + period·k}, from {@code min} to {@code max}.
     *
     * @param fallback the declared size
     * @param period the lattice's step
     * @param min the smallest size on the lattice at which the network exists and the forms hold
     * @param belowMin why the next size down is out: the failure there, for the generated check's message; empty at 1
     * @param max the largest such size; the largest on the lattice up to 2^31 − 1 where nothing fails
     * @param aboveMax why the next size up is out, empty where nothing fails
     */
    public record Domain(long fallback, long period, long min, String belowMin, long max, String aboveMax) {
        /** Whether {@code size} is in the domain. */
        public boolean contains(long size) {
            return size >= min && size <= max && Math.floorMod(size - fallback, period) == 0;
        }
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
        return forms.entrySet().stream().filter(e -> e.getKey().startsWith(Probe.OUTPUT)).map(Map.Entry::getValue).toList();
    }
}
