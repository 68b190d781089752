package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a layer whose PyTorch module is an instance of a subclass of the layer's class: torchvision's
 * {@code Conv3DSimple(nn.Conv3d)} in {@code r3d_18}, timm's {@code Conv2dSame(nn.Conv2d)}, a project's
 * {@code class ScaledLinear(nn.Linear)}.
 *
 * <p>modelcost's own figures are the layer's either way: the subclass must compute what its base class
 * computes. What changes is what the popular counters see. thop, nni and ptflops' pytorch backend find a
 * module's rule by its exact type, so they have none for a subclass: they count no work for it and
 * (thop, nni) none of its parameters, though ptflops still counts a function its forward calls
 * ({@code F.relu}). fvcore and ptflops' aten backend (which count operators) see it as the base class; torchinfo picks
 * its rule by the class's name: {@code "Conv"} or {@code "Linear"} in it counts as those, any other name its parameters
 * once a sample. Only a layer that PyTorch holds as a module
 * can be a subclass; anything else is a compile error.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Subclass {
    /** The subclass's name as the PyTorch code writes it, e.g. {@code "Conv3DSimple"}: for messages, and torchinfo's rule, which it picks by name. */
    String value();
}
