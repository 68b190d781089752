package dev.modelcost.processor.spec;

import dev.modelcost.processor.layers.Conventions;
import dev.modelcost.processor.layers.Shape;
import java.util.List;

/**
 * A validated {@code @Model}: its network, inputs, batch, budget and the name of its cost class.
 *
 * @param network the network
 * @param inputs the input shapes without the batch, in the order of {@code network.inputs()}
 * @param batch the batch size
 * @param budget the bounds written in {@code @Budget}
 * @param costClass the simple name of the class to generate
 * @param outputs the steps whose outputs the model returns, in order ({@code @Model(output)}): the first is the model's output;
 *     empty for the last step's alone
 * @param conventions how causal attention and the KV cache are counted
 * @param roofline the hardware profiles of the roofline and its latency bound
 * @param training the training step of {@code @Training}, or null
 * @param sizes the sizes that are variables ({@code @Model(sizes)}), in the order written
 * @param ranges the further sizes each {@code @Budget}'s bounds hold at ({@code @Budget(over)}), one a budget that gives one, in the
 *     order written; {@link #rangeOf} finds a bound's
 */
public record ModelSpec(NetworkSpec network, List<Shape> inputs, int batch, List<BudgetLimit> budget, String costClass, List<String> outputs,
        Conventions conventions, RooflineSpec roofline, TrainingSpec training, List<SizeVariable> sizes, List<SizeRange> ranges) {

    /** Copies the lists. */
    public ModelSpec {
        ranges = List.copyOf(ranges);
        inputs = List.copyOf(inputs);
        budget = List.copyOf(budget);
        sizes = List.copyOf(sizes);
        outputs = List.copyOf(outputs);
    }

    /**
     * The range of sizes a bound holds over besides the declared sizes: its {@code @Budget}'s {@code over}, found by the budget the
     * bound is written in ({@code site}, the bound's attribute); null where that budget gives none.
     */
    public SizeRange rangeOf(dev.modelcost.processor.diag.Site site) {
        return ranges.stream().filter(range -> range.site().mirror() == site.mirror()).findFirst().orElse(null);
    }

    /** The step whose output is the model's output ({@code @Model(output)}'s first name), or null for the last step. */
    public String output() {
        return outputs.isEmpty() ? null : outputs.get(0);
    }

    /**
     * The same model at other sizes: each variable's value in {@code values}, in the order of
     * {@link #sizes()}; the budget is left out, as it bounds the declared sizes.
     */
    public ModelSpec at(long... values) {
        List<Shape> resized = new java.util.ArrayList<>(inputs);
        int newBatch = batch;
        for (int i = 0; i < sizes.size(); i++) {
            SizeVariable variable = sizes.get(i);
            int value = Math.toIntExact(values[i]);
            if (variable.batch()) {
                newBatch = value;
            } else {
                Shape shape = resized.get(variable.input());
                List<Integer> dims = new java.util.ArrayList<>(shape.dims());
                dims.set(variable.axis(), value);
                resized.set(variable.input(), shape.reshaped(dims, shape.axes()));
            }
        }
        return new ModelSpec(network, resized, newBatch, List.of(), costClass, outputs, conventions, roofline,
                training == null ? null : training.atModelBatch(newBatch), sizes, List.of());
    }

    /**
     * The same model declared at other sizes, as {@link #at} gives it, whose size variables take {@code values} as their declared
     * sizes too: the closed forms of a model whose declared sizes sit at a test's turn are established there.
     */
    public ModelSpec declaredAt(long... values) {
        ModelSpec at = at(values);
        List<SizeVariable> moved = new java.util.ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            SizeVariable v = sizes.get(i);
            moved.add(new SizeVariable(v.name(), v.input(), v.axis(), Math.toIntExact(values[i]), v.most(), v.site()));
        }
        return new ModelSpec(at.network, at.inputs, at.batch, at.budget, at.costClass, at.outputs, at.conventions, at.roofline, at.training,
                moved, at.ranges);
    }

    /**
     * The same model at another batch, its size variables at their declared values; the budget is left out, as it bounds the declared
     * batch, and the training step keeps its own batch.
     */
    public ModelSpec atBatch(int newBatch) {
        return new ModelSpec(network, inputs, newBatch, List.of(), costClass, outputs, conventions, roofline, training, sizes, List.of());
    }

    /** Where {@code @Model(output)}'s name {@code i} is written, where a problem of that output's path is reported. */
    public dev.modelcost.processor.diag.Site outputSite(int i) {
        return network.outputSite(i);
    }

    /** The model's class and its {@code @Model}, where a problem of the whole model is reported. */
    public dev.modelcost.processor.diag.Site site() {
        return dev.modelcost.processor.diag.Site.of(network.element(), Mirrors.mirror(network.element(), Mirrors.DSL + ".Model"));
    }

    /** The name of the input axis a size variable sizes ({@code H}, {@code L}); not for the batch. */
    public String axis(SizeVariable variable) {
        return inputs.get(variable.input()).axes().get(variable.axis());
    }

    /** The first (usually the only) input shape. */
    public Shape input() {
        return inputs.get(0);
    }

    /** Every input with the batch, as PyTorch prints shapes, joined by {@code ", "}: {@code 1x3x224x224}. */
    public String inputShapes() {
        return String.join(", ", inputs.stream().map(shape -> batch + "x" + shape).toList());
    }
}
