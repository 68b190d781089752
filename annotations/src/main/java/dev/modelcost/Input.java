package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** One named input of a {@link Model} with several: {@code @Model(inputs = {@Input(name = "src", shape = {32, 512}), ...})}. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Input {
    /** The name that {@link From} uses for it. */
    String name();
    /** The shape without the batch dimension. */
    int[] shape();
    /** The names of its axes, as {@link Model#layout()}. */
    String layout() default "";
    /** Whether it holds integer token ids, as {@link Model#tokens()}. */
    boolean tokens() default false;
}
