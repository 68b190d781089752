package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.layers.Figure;

/**
 * One bound of {@code @Budget}.
 *
 * @param figure the figure bounded
 * @param attribute the attribute it was written as, e.g. {@code maxMacs}
 * @param limit the largest value allowed
 * @param site the attribute value
 */
public record BudgetLimit(Figure figure, String attribute, long limit, Site site) {}
