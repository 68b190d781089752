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
 * each call's work). Its rows of the layer table hold no parameters.
 *
 * <p>The module is the named field's as built: at this field's input every layer of it must hold
 * weights of the same shapes (the same features or channels; a kind declared with
 * {@code @LayerKind} the same input shapes), every layer the PyTorch code holds as a module the same
 * attributes (a stride or a window written from the input's sizes would differ), and no step with
 * weights may run that the named field's call skipped; else the model is refused (MC324), as
 * PyTorch's module, built once, has one set of each. A function's or a view's arguments (a reshape to
 * the call's own length) are each call's own, and a step the module holds may be skipped. So is a
 * named field that is absent where this one runs refused (MC324). Naming a field that itself calls
 * another's module again calls that module, which is there wherever its own field is, whatever the
 * {@code @When} of the field named. A field that names no earlier
 * field, a function or operator ({@code @Add}, {@code @Functional}), a block applied in place or
 * inline, or that is declared as another type, is refused with MC145, and one given another number
 * of inputs than the module takes with MC211.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Shared {
    /** The earlier field of the same class whose module this field calls again. */
    String value();
}
