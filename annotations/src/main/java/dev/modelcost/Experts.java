package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Applies a block as the experts of a mixture of experts (Mixtral's sparse MoE block): {@code count}
 * copies, of which the router picks {@code topK} for each token. Parameters count every expert;
 * MACs, FLOPs and other ops count {@code topK} experts on every token; active parameters count
 * {@code topK} experts. The router is a layer of its own ({@code @Linear(out = count, bias = false)}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Experts {
    /** How many experts; give this and {@link #topK()}, or both in {@link #with()}. */
    int count() default 0;
    /** How many the router picks for each token. */
    int topK() default 0;
    /**
     * {@code count} and {@code topK} as expressions over the enclosing block's parameters and
     * constants, as in {@link Conv2d#with()}: {@code with = "count = numExperts, topK = expertsPerToken"},
     * so that one block serves a family of mixtures (Mixtral 8x7B and 8x22B).
     */
    String with() default "";
}
