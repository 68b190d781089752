package dev.modelcost;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a network: its fields are its layers and blocks, in declaration order. The
 * processor writes a class {@code <Name>Cost} beside it, in the same package, with the network's
 * shapes and exact costs; a nested model's class joins the enclosing classes' names with
 * {@code _} ({@code ResNets.ResNet101} gives {@code ResNets_ResNet101Cost}). Its reports are
 * {@code META-INF/modelcost/<canonical name>.json}, {@code .md} and {@code .html} in the class
 * output ({@code dev.modelcost.examples.ResNets.ResNet101.json}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Model {
    /**
     * The input shape without the batch dimension: {@code {C, H, W}} for images, {@code {F}} or
     * {@code {L, D}} for features, {@code {L}} for token ids. Give this or {@link #inputs()}.
     */
    int[] input() default {};
    /**
     * The names of the input's axes, e.g. {@code "L,D"}; when empty, the default of its rank:
     * {@code F} ({@code L} for token ids); {@code L,D}; {@code C,H,W}; {@code C,T,H,W}. Layers check
     * the layout they take.
     */
    String layout() default "";
    /** Whether the input holds integer token ids (as {@link Embedding} takes) rather than values. */
    boolean tokens() default false;
    /**
     * The fields whose outputs the model returns, in the order its PyTorch {@code forward} returns
     * them; the last field when empty (or {@code ""}). Every field is costed either way.
     *
     * <p>One name picks the output ({@code "last_hidden_state"}: BERT's sequence output before the
     * pooler). Several name a model of several outputs ({@code {"boxes", "scores"}}: a detector's
     * heads, a multi-task network's tasks, a backbone's feature maps): the first is the output that
     * {@code OUTPUT_SHAPE}, {@code OUTPUT} and {@code at(...)} describe, and the generated class lists
     * every one in {@code OUTPUT_NAMES} and {@code OUTPUTS}, in this order. Every tensor named is
     * held until the model returns, as the tuple a module returns holds it, so that the activation
     * peak counts a field's output live from the layer that writes it to the end; none is warned of
     * as unread (MC130). A name is a field, another result of a field's layer ({@code "enc.h_n"}, an
     * encoder returning its final hidden state) or a step inside a block field by its path
     * ({@code "backbone.layer4"}, {@code "layers.1.fc"}), which, as every tensor read by a path into
     * a block, counts live from the layer inside it that writes it; a name given twice is an error
     * (MC207).
     * Where the class is also a {@code @Block} that another model applies, it returns there what
     * the first name names, as its {@code forward} does, and holds the others until it returns.
     */
    String[] output() default {};
    /**
     * How causal attention is counted: {@code "dense"} (the full score matrix, as PyTorch's
     * FlopCounterMode, fvcore, DeepSpeed and PaLM's MFU formula count it), {@code "causal-exact"}
     * (the query–key pairs the mask keeps, bottom-right aligned, capped by a sliding window) or
     * {@code "causal-half"} (dense halved, as FlashAttention and Megatron report).
     */
    String causal() default "dense";
    /** The dtype of the KV cache: {@code fp32}, {@code fp16}, {@code bf16}, {@code fp8} or {@code int8}. */
    String kvCacheDtype() default "fp16";
    /** Several named inputs (an encoder-decoder's source and target), instead of {@link #input()}. */
    Input[] inputs() default {};

    /**
     * The dtype of the model's parameters, which {@code WEIGHT_BYTES} counts: {@code fp32} (4 bytes),
     * {@code fp16} or {@code bf16} (2), {@code fp8} or {@code int8} (1, scales not counted), or
     * {@code int4} (half a byte, and one fp16 scale per group of 128 weights, as GPTQ and AWQ store
     * them; {@code int4-g64} and so on for other group sizes, 1 to 999,999,999). {@link Dtype}
     * overrides it per layer. A figure beyond 64 bits is a compile error.
     */
    String dtype() default "fp32";

    /**
     * The dtype of the activations, which the roofline's {@code BYTES_MOVED} counts and whose peak
     * rate its latency bound takes: {@code fp32}, {@code fp16}, {@code bf16}, {@code fp8} or
     * {@code int8}. Empty: the {@link #dtype()}, except that int4 weights (weight-only quantization)
     * run with fp16 activations. {@link Dtype#activations()} overrides it per layer.
     */
    String activations() default "";

    /** The batch size every cost is computed for. */
    int batch() default 1;

    /**
     * The sizes that are variables: axes of the input by their {@link #layout()} names
     * ({@code {"L"}}, {@code {"H", "W"}}), {@code "batch"} for the batch, or {@code "name.axis"} for an
     * axis of one of several {@link #inputs()}. Each keeps the size given above as its default, at
     * which every constant of the generated class is computed. The generated class gains
     * {@code at(...)}, which returns every figure with a closed form at other sizes, and its Javadoc
     * and the reports show each closed form, e.g. {@code MACS(L) = 123,532,032·L + 18,432·L²}.
     *
     * <p>The processor establishes each closed form by compiling the model at further sizes: it
     * finds the lattice {@code default + period·k} on which every figure is a polynomial (period 1
     * for sequence lengths and the batch; the network's total stride for images), interpolates
     * exactly, and checks the result at more sizes, near and far, and at the smallest size at which
     * the network exists. A size that cannot vary (a linear layer's fixed input) is a compile error
     * naming the layer that breaks.
     *
     * <p>A variable may carry its largest size, {@code "L <= 8192"} (a context window, which a model
     * with rotary positions does not end at by itself): the domain ends there, or at the last size of
     * the lattice below it, and no larger size is compiled or answered (MC156 for a bound that is no
     * whole number from the declared size up to 2,147,483,647).
     */
    String[] sizes() default {};

    /** Name children by their position (0, 1, 2, ...), as PyTorch's {@code nn.Sequential} does, instead of by field name. */
    boolean indexed() default false;
}
