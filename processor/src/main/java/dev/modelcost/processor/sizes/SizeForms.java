package dev.modelcost.processor.sizes;

import dev.modelcost.ClosedForm;
import dev.modelcost.SizeDomain;
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
public record SizeForms(List<SizeVariable> variables, List<SizeDomain> domains, Map<String, ClosedForm> forms, Map<String, String> missing) {
    /** Copies the collections. */
    public SizeForms {
        variables = List.copyOf(variables);
        domains = List.copyOf(domains);
        forms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(forms));
        missing = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(missing));
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
