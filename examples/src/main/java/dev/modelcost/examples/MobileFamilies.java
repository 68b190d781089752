package dev.modelcost.examples;

import java.util.List;

/** Example models of the mobile families (MobileNet, MnasNet, EfficientNet), with the figures of their generated classes. */
final class MobileFamilies {
    private MobileFamilies() {}

    /** The models, in table order. */
    static final List<ExampleModels.Entry> ALL = List.of();
}
