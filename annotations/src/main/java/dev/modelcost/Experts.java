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
    /** How many experts. */
    int count();
    /** How many the router picks for each token. */
    int topK();
}
