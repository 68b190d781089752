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
 * @param counter the counter whose convention the bound is stated in ({@code @Budget(counter)}), or empty for modelcost's own figures
 * @param counterSite where the counter was named, or null
 */
public record BudgetLimit(Figure figure, String attribute, long limit, Site site, String counter, Site counterSite) {
    /** A bound on modelcost's own figure. */
    public BudgetLimit(Figure figure, String attribute, long limit, Site site) {
        this(figure, attribute, limit, site, "", null);
    }
}
