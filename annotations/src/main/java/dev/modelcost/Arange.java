package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Position ids for a sequence, as {@code torch.arange(start, start + x.shape[dim])}: token ids
 * {@code start .. start + n - 1} for the n positions along {@code dim} of its input, to feed a
 * learned position {@link Embedding} (GPT-2's {@code wpe}, BERT's {@code position_embeddings}; OPT's,
 * whose ids start at 2). Costs nothing. The Embedding it feeds must hold at least
 * {@code start + n} rows, so a model with sizes exists up to the length its table allows.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Arange {
    /** The axis whose length is the number of positions; counts the batch as 0. */
    int dim() default 1;

    /** The first id; at least 0. */
    int start() default 0;

    /** Attributes as expressions, as in {@link Conv2d#with()}: {@code "start = offset"} with a block's {@code @Param}. */
    String with() default "";
}
