package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * A model or block as read from its class: inputs, parameters, constants and steps in declaration order.
 *
 * @param element the class
 * @param name its qualified name
 * @param indexed whether children are named by position, as in {@code nn.Sequential}
 * @param inputs the names of its inputs, in order ({@code input} unless declared otherwise)
 * @param params the block parameters (none for a model)
 * @param constants the class's static integer constants, visible to expressions
 * @param steps the fields that make up the network
 * @param fastPath whether it stands for a PyTorch module with a fused fast path ({@code @FastPath})
 * @param unusable the class's own static fields that expressions cannot read, each with why (not final, a {@code double},
 *     no compile-time constant), for the message where one is read
 * @param outputs what the class returns where it is also a {@code @Model}: its {@code @Model(output)} names as written, in order
 *     (empty: its last field's output, as every block returns), which hold where another model applies it as a block too
 */
public record NetworkSpec(TypeElement element, String name, boolean indexed, List<String> inputs, List<ParamSpec> params,
        Map<String, Long> constants, List<Step> steps, boolean fastPath, Map<String, String> unusable, List<String> outputs) {

    /** Copies the unusable names and the outputs. */
    public NetworkSpec {
        unusable = Map.copyOf(unusable);
        outputs = List.copyOf(outputs);
    }

    /**
     * Why {@code @Model(output)}'s name {@code i} can be no output whatever the layers give: one of the model's inputs (MC124), which a
     * model returns only through a layer, or a name given before (MC207); null where neither. Checked where the class is read as a
     * model and again where another model applies it as a block.
     */
    public dev.modelcost.processor.diag.Problem outputRefused(int i) {
        String name = outputs.get(i);
        if (inputs.contains(name)) {
            return new dev.modelcost.processor.diag.Problem(dev.modelcost.processor.diag.Diagnostic.MODEL_SETTING, outputSite(i), "output", name,
                    "the model's layers' results: it is one of the model's inputs, which a model returns only through a layer", "");
        }
        return outputs.subList(0, i).contains(name)
                ? new dev.modelcost.processor.diag.Problem(dev.modelcost.processor.diag.Diagnostic.DUPLICATE_ARGUMENT, outputSite(i),
                        "@Model(output)", name)
                : null;
    }

    /** Where {@code @Model(output)}'s name {@code i} is written on the class, where a problem of that output's path is reported. */
    public Site outputSite(int i) {
        AnnotationMirror model = Mirrors.mirror(element, Mirrors.DSL + ".Model");
        AnnotationValue written = Mirrors.value(model, "output");
        List<?> values = (List<?>) written.getValue();
        return new Site(element, model, i < values.size() ? (AnnotationValue) values.get(i) : written);
    }

    /** The simple name of the class. */
    public String simpleName() {
        return element.getSimpleName().toString();
    }

    /**
     * Visits each step of this network in field order, and those of each block class it applies at any depth once, where first
     * applied (depth first, after the step that applies it): {@code visitor} takes the network holding the step and the step.
     */
    public void forEachStep(BiConsumer<NetworkSpec, Step> visitor) {
        forEachStep(visitor, new HashSet<>(Set.of(element)));
    }

    private void forEachStep(BiConsumer<NetworkSpec, Step> visitor, Set<TypeElement> seen) {
        for (Step step : steps) {
            visitor.accept(this, step);
            if (step.operation() instanceof Operation.BlockOp use && seen.add(use.block().element())) {
                use.block().forEachStep(visitor, seen);
            }
        }
    }

    /** Each block class this network applies at any depth, once, in the order {@link #forEachStep} first meets them. */
    public List<NetworkSpec> blocks() {
        Map<TypeElement, NetworkSpec> blocks = new LinkedHashMap<>();
        forEachStep((holder, step) -> {
            if (step.operation() instanceof Operation.BlockOp use && !use.block().element().equals(element)) {
                blocks.putIfAbsent(use.block().element(), use.block());
            }
        });
        return List.copyOf(blocks.values());
    }
}
