package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Costs;

/**
 * One leaf of a model with its full dotted path.
 *
 * @param path the dotted path, e.g. {@code layer1.0.conv1}
 * @param kind the layer kind
 * @param output the output shape without the batch
 * @param totals its costs
 */
public record LayerRow(String path, String kind, Shape output, Costs totals) {}
