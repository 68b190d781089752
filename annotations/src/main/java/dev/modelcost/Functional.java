package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a layer that the PyTorch code calls as a function rather than as a module:
 * {@code F.relu(x)}, {@code F.adaptive_avg_pool2d(x, 1)}, {@code F.interpolate(x, size)}, or, with
 * {@link #method()}, a tensor method or {@code torch} function such as {@code x.relu()} or
 * {@code torch.softmax(x, -1)}. (A reduction, {@code x.mean([2, 3])}, is {@link Mean}, always a function.)
 *
 * <p>modelcost's own figures are the same either way. What changes is what the popular counters
 * see (thop, nni and torchinfo hook modules only; ptflops patches the functions of
 * {@code torch.nn.functional} but not tensor methods) and the layer's place in an
 * {@code indexed} network (a function takes no module number; a module whose weights a function
 * takes keeps its own). Only a layer without parameters can be a function, unless
 * {@link #moduleWeights()} says whose weights it takes; anything else is a compile error.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Functional {
    /**
     * A tensor method or a function of the {@code torch} namespace ({@code x.relu()},
     * {@code torch.softmax(x, -1)}, {@code torch.tanh(x)}) rather than a function of
     * {@code torch.nn.functional}, which ptflops does not wrap.
     */
    boolean method() default false;

    /**
     * The function takes the weights of a module that the code holds but never calls: torchvision's
     * Swin attention runs {@code F.linear(x, self.qkv.weight, self.qkv.bias)} on its {@code qkv} and
     * {@code proj} {@code nn.Linear} modules. The field is the module (its parameters count at its
     * path, as {@code named_parameters()} names them, and its number in an {@code indexed} network)
     * and the layer's work is the function's. The counters that hook modules (thop, nni, torchinfo's
     * operations, ptflops' pytorch backend) see no call, and thop and nni, which count the parameters
     * of called modules, none of its parameters; ptflops counts only what it wraps inside the function
     * ({@code F.prelu}, the {@code torch.bmm} of {@code F.multi_head_attention_forward}; not
     * {@code F.linear}); torchinfo's and ptflops' parameter totals and fvcore, which traces the
     * function, count it. A layer with neither parameters nor buffers nor a tied weight, or a tensor
     * method ({@link #method()}), is a compile error (MC429).
     */
    boolean moduleWeights() default false;
}
