/**
 * The modelcost DSL: the layer, block and model annotations, and the small runtime types the generated {@code Cost} classes use
 * ({@code LayerCost}, {@code ClosedForm}, {@code SizeDomain}, {@code SizeProgram}). A module that exports its models' package
 * requires it transitively, as the generated classes' public constants name its types.
 */
module dev.modelcost {
    exports dev.modelcost;
}
