package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;

/**
 * One size of a model that is a variable ({@code @Model(sizes)}): an axis of an input, or the batch.
 *
 * @param name the variable's name as written ({@code L}, {@code H}, {@code batch}, {@code source.L})
 * @param input the index of the input whose axis it is, or -1 for the batch
 * @param axis the axis within that input, or -1 for the batch
 * @param fallback its default: the size {@code @Model} declares
 * @param most the largest size it takes: the bound declared with it ({@code "L <= 8192"}), else 2,147,483,647
 * @param site where it was named
 */
public record SizeVariable(String name, int input, int axis, int fallback, int most, Site site) {
    /** Whether its largest size is declared ({@code "L <= 8192"}), not the most any size holds. */
    public boolean bounded() {
        return most < Integer.MAX_VALUE;
    }

    /** Whether it is the batch. */
    public boolean batch() {
        return input < 0;
    }

    /** The name as a Java parameter: the axis name, {@code source_L} for an axis of a named input. */
    public String parameter() {
        return name.replace('.', '_');
    }
}
