package dev.modelcost.processor.spec;

import dev.modelcost.processor.diag.Site;
import java.util.List;

/**
 * The sizes {@code @Budget(over)} bounds the model at: one or more ranges, each of one variable or
 * of several that take the same value ({@code H = W = 224..1024 step 32}).
 *
 * @param text the attribute as written
 * @param ranges the ranges, in the order written; the last varies fastest
 * @param site the attribute
 */
public record SizeRange(String text, List<Range> ranges, Site site) {
    /** Copies the list. */
    public SizeRange {
        ranges = List.copyOf(ranges);
    }

    /** Whether {@code other} ranges over this attribute's sizes, all of them or the first of them ({@link #ranges} cut short). */
    public boolean sameAttribute(SizeRange other) {
        return other != null && other.site.equals(site);
    }

    /**
     * One range: {@code from}, {@code from + step}, ... up to {@code to}.
     *
     * @param variables the variables that take each value, by name
     * @param from the first size
     * @param to the last size (reached if {@code to - from} is a multiple of {@code step})
     * @param step the step, at least 1
     */
    public record Range(List<String> variables, long from, long to, long step) {
        /** Copies the list. */
        public Range {
            variables = List.copyOf(variables);
        }

        /** How many sizes it holds. */
        public long count() {
            return (to - from) / step + 1;
        }

        /** The last size it holds: {@code to}, or the step's last below it. */
        public long last() {
            return from + (count() - 1) * step;
        }
    }
}
