package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Figure;
import java.util.List;

/**
 * One layer of a decoding step, with its work and bytes in that step, for the decoding roofline.
 *
 * <p>A model generates where it keeps a KV cache or runs its positions one way (a recurrent layer of one direction, a cell), and
 * its output holds the positions it generates. A decoding step runs the layers {@link Figure#DECODE_MACS} counts, each once on
 * one position (per sequence of the batch) of the positions it holds. A layer that attends to a KV cache (scaled dot-product and
 * multi-head attention) runs its {@link dev.modelcost.processor.layers.OpKind.CachedStep}: its query on every cached key, reading
 * the whole cache and the weights it uses. Every other
 * layer does its forward pass's FLOPs and other ops over the positions it holds, rounded down, reads all its weights (an
 * embedding the rows of one position, a mixture of experts the weights of {@code min(count, tokens · topK)} experts for the
 * step's tokens, and the KV cache its experts keep where one attends causally) and its buffers, and reads and writes its forward pass's activation bytes over the positions it holds; a
 * recurrent layer's states ({@code h_n}, {@code c_n}), which hold no positions, it reads whole (the last step's) and writes whole.
 *
 * @param path the layer's path (the first repetition's, for a run)
 * @param leaf the analysed layer
 * @param times how many identical repetitions the entry stands for
 * @param flops FLOPs and other ops of one repetition in the step
 * @param bytes bytes one repetition moves in the step
 */
public record DecodeLayer(String path, CostNode leaf, long times, long flops, long bytes) {
    /**
     * The layers of one decoding step of {@code costs}, in execution order, the same analysed layer doing the same wherever it runs
     * one entry; empty for a model that generates nothing (an encoder, an image model, a classifier), or of several inputs whose
     * step cannot be followed (causal stacks on different inputs, the output holding the positions of none or of several, more
     * layers than the forward pass follows). A layer the step reruns over every position (after one that mixes the positions both ways) does what it reruns.
     *
     * @throws ArithmeticException beyond {@code long}
     */
    public static List<DecodeLayer> of(ModelCosts costs) {
        return DecodeStep.layers(costs);
    }
}
