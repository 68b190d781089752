package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A cyclic shift along axes, as {@code torch.roll(x, shifts, dims)} (Swin Transformer's shifted
 * windows, {@code torch.roll(x, shifts=(-3, -3), dims=(1, 2))}). Keeps the shape; no arithmetic: it
 * writes a new contiguous tensor. Over several axes PyTorch rolls one axis at a time, and with no
 * {@code dims} it copies an input that is not contiguous to flatten it: those tensors are made and
 * freed inside the operation, a workspace, which the memory figures do not count (as measured at
 * the operations' boundaries). Autograd saves nothing ({@code RollBackward0} keeps the shifts and
 * dims only).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Roll {
    /** The shift of each axis of {@code dims}, positions (negative: towards the start); one shift where {@code dims} is empty. */
    int[] shifts() default {};
    /** The axes, counting the batch as 0, which is not rolled here; empty: the flattened tensor, as PyTorch's {@code dims=None}. */
    int[] dims() default {};
    /** Attributes as expressions, as in {@link Conv2d#with()}; a list attribute takes a list, {@code "shifts = [-s, -s]"}. */
    String with() default "";
}
