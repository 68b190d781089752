package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A lookup table, as PyTorch's {@code nn.Embedding}: takes token ids ({@code L}) and gives
 * {@code L x embeddingDim}. {@code numEmbeddings · embeddingDim} parameters; no MACs.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Embedding {
    /** Marks {@link #paddingIdx()} as None (the default). */
    int NONE = Integer.MIN_VALUE;
    /** Size of the vocabulary. */
    int numEmbeddings() default 0;
    /** Size of each embedding vector. */
    int embeddingDim() default 0;
    /** The id whose vector stays zero, or {@link #NONE}; negative counts from the end, as in PyTorch. */
    int paddingIdx() default NONE;
    /**
     * An earlier {@code Embedding} (or {@link Linear}) field whose table this one is: one
     * {@code nn.Embedding} called again on other ids, as T5's and BART's {@code shared} embeds both
     * the source and the target. Its parameters are counted once, there; this layer reads its rows.
     * The two tables must have the same shape (MC317 otherwise); the sizes left out are the table's.
     */
    String tiedTo() default "";
    /** Attributes as expressions, as in {@link Conv2d#with()}. */
    String with() default "";
}
