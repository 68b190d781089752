package dev.modelcost.examples;

import java.util.List;

/** Example models of the branching families (Inception, SqueezeNet, ShuffleNet, DenseNet, ResNeXt), with the figures of their generated classes. */
final class BranchFamilies {
    private BranchFamilies() {}

    /** The models, in table order. */
    static final List<ExampleModels.Entry> ALL = List.of();
}
