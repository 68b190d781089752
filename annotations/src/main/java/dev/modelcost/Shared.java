package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls the module of an earlier field of the same class again, on this field's input: one module
 * with one set of weights, called twice, as a Siamese network runs one tower on both of its inputs
 * ({@code a = self.tower(x1); b = self.tower(x2)}) or a network runs one layer on two maps.
 *
 * <p>The field is declared with the named field's type ({@code Layer} for a layer, the block's class
 * for a block) and with nothing that makes a module: no layer annotation, {@code @LayerOf},
 * {@code @Args}, {@code @Repeat}, {@code @Experts}, {@code @Functional}, {@code @Dtype} or
 * {@code @Subclass}, which are the named field's. {@code @From} and {@code @When} are its own.
 *
 * <pre>{@code
 * @From("left")                   Tower a;
 * @From("right") @Shared("a")     Tower b;
 * @Add({"a", "b"})                Layer sum;
 * }</pre>
 *
 * <p>Its parameters, buffers and weight bytes count once, at the named field; its work, bytes moved
 * and KV cache once per call, with the shapes this call sees, as every counter counts a module
 * called several times (thop, nni, ptflops, fvcore and torchinfo list its parameters once and count
 * each call's work). Its rows of the layer table hold no parameters. Its input must give the module
 * weights of the same shapes as the named field's (the same features or channels), or the model is
 * refused (MC324), as PyTorch refuses the call; so is a field that names no earlier field, a block
 * applied in place or inline, or a field absent where this one runs (MC145, MC324).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Shared {
    /** The earlier field of the same class whose module this field calls again. */
    String value();
}
