package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2-D convolution, as PyTorch's {@code nn.Conv2d}, on a channels-first input of rank 3 (C,H,W).
 * Output size per axis: {@code floor((in + 2·padding − dilation·(k − 1) − 1) / stride) + 1}.
 * MACs: {@code out_elements · (cin / groups) · kh · kw}; FLOPs {@code 2·MACs}, less one per output
 * element without a bias. Parameters: {@code cout · (cin / groups) · kh · kw} (+ {@code cout} bias).
 * Sizes left out are derived ({@code cin} from the input, {@code kh}/{@code kw} from {@code k},
 * {@code strideH} from {@code stride}, ...); a size written as 0 is an error (MC104).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv2d {
    /**
     * {@code padding = Conv2d.SAME}: PyTorch's {@code padding='same'}; a value no padding takes, so that a negative
     * padding ({@code -1}, which PyTorch refuses) is refused, not taken for it.
     */
    int SAME = Integer.MIN_VALUE;
    /**
     * {@code padding = Conv2d.VALID}: PyTorch's {@code padding='valid'}, no padding, as {@code padding = 0}; PyTorch runs it as
     * {@code aten::_convolution_mode}, which fvcore does not count.
     */
    int VALID = Integer.MIN_VALUE + 1;
    /** Output channels. */
    int cout() default 0;
    /** Input channels; inferred from the previous layer when omitted, checked when given. */
    int cin() default 0;
    /** Square kernel size. */
    int k() default 0;
    /** Kernel height; defaults to {@code k}. */
    int kh() default 0;
    /** Kernel width; defaults to {@code k}. */
    int kw() default 0;
    /** Stride on both axes. */
    int stride() default 1;
    /** Vertical stride; defaults to {@code stride}. */
    int strideH() default 0;
    /** Horizontal stride; defaults to {@code stride}. */
    int strideW() default 0;
    /**
     * Zero padding on both axes. {@link #SAME} is PyTorch's {@code padding='same'}: the output as long as the input on
     * every axis, the kernel's reach split with the extra position after (stride 1 only, as in
     * PyTorch; the padded copy PyTorch makes for an even reach is not counted).
     */
    int padding() default 0;
    /** Vertical padding; defaults to {@code padding}. */
    int paddingH() default 0;
    /** Horizontal padding; defaults to {@code padding}. */
    int paddingW() default 0;
    /** Dilation on both axes. */
    int dilation() default 1;
    /** Vertical dilation; defaults to {@code dilation}. */
    int dilationH() default 0;
    /** Horizontal dilation; defaults to {@code dilation}. */
    int dilationW() default 0;
    /** Groups; must divide both {@code cin} and {@code cout}. */
    int groups() default 1;
    /** Whether the layer adds a learnable bias. */
    boolean bias() default true;
    /**
     * PyTorch's {@code padding_mode}: {@code "zeros"} (the default), {@code "reflect"}, {@code "replicate"} or {@code "circular"}.
     * In the other modes PyTorch pads the input with {@code F.pad} first and convolves it without padding: the same shape, MACs,
     * FLOPs and parameters; the padded copy is held while the convolution runs, and a training step saves it in the input's
     * place (a reflection or replication also keeps the input, which its backward reads). A reflection must be shorter than the
     * axis, a circular padding at most as long (MC320), as PyTorch requires.
     */
    String paddingMode() default "zeros";
    /**
     * Attributes given as expressions, in the form {@code "name = expr, name = expr"}; an attribute
     * may be written as a literal or here, not both. Any integer or boolean attribute may be (decimal
     * ones take literals only). This is the expression language of every {@code with}, of
     * {@link Args}, {@link Repeat#count()}, {@link Param#expr()}, {@link When} and {@link LayerKind}.
     *
     * <p>Names: the enclosing block's {@link Param parameters}; the class's {@code static final int}
     * constants (inherited ones too) and another class's by its name ({@code Sizes.WIDTH},
     * {@code com.acme.Sizes.WIDTH}, {@code Integer.MAX_VALUE}, or a class the file imports); the
     * block's inputs by axis name ({@code input.C}, {@code input.H}, {@code input.L}, or under the
     * names {@link Block#inputs()} declares, {@code memory.L}); this step's own input as {@code x}
     * ({@code x.C}); an earlier field's output as {@code <field>.<axis>} ({@code low.H}); and the
     * short names {@code in} (channels where the first axis is {@code C}, else the last dimension),
     * {@code h} and {@code w} of the block's first input. A size variable of
     * {@link Model#sizes()} is read the same way ({@code input.L}).
     *
     * <p>Operators: {@code + - * / %} on integers ({@code /} and {@code %} floor, as Python's
     * {@code //} and {@code %}), comparisons, {@code && || !}, {@code ?:} and parentheses; functions
     * {@code min}, {@code max}, {@code divisible(v, d[, min])} (torchvision's {@code _make_divisible}),
     * {@code exact(a, b)} ({@code a / b} where {@code b} must divide {@code a}, else MC203). Decimals
     * are Python floats ({@code 1.1}, {@code 7.0 / 2}) made integers with {@code ceil}, {@code floor},
     * {@code round} (halves to even) or {@code int}; a decimal where an integer is needed is MC203.
     * A {@code double}, {@code boolean}, {@code int[]} or {@code String} parameter is read as Python
     * reads one ({@code layers[0]}, {@code layers[-1]}, {@code len(layers)}; texts compare with
     * {@code ==}). Arithmetic is exact: an overflow or a division by zero is a compile error, never
     * a wrapped number. An unknown name is MC202, which suggests the nearest known one.
     */
    String with() default "";
}
