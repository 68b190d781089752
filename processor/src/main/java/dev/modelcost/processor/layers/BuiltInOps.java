package dev.modelcost.processor.layers;

import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.Arange;
import dev.modelcost.RMSNorm;
import dev.modelcost.RotaryEmbedding;
import dev.modelcost.ScaledDotProductAttention;
import dev.modelcost.Add;
import dev.modelcost.AvgPool2d;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.ChannelShuffle;
import dev.modelcost.Chunk;
import dev.modelcost.Concat;
import dev.modelcost.Conv2d;
import dev.modelcost.Dropout;
import dev.modelcost.Embedding;
import dev.modelcost.Flatten;
import dev.modelcost.GELU;
import dev.modelcost.Hardsigmoid;
import dev.modelcost.Hardswish;
import dev.modelcost.Identity;
import dev.modelcost.LayerNorm;
import dev.modelcost.LayerNorm2d;
import dev.modelcost.Linear;
import dev.modelcost.MatMul;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Mul;
import dev.modelcost.MultiheadAttention;
import dev.modelcost.Parameter;
import dev.modelcost.Permute;
import dev.modelcost.ReLU;
import dev.modelcost.ReLU6;
import dev.modelcost.Reshape;
import dev.modelcost.Scale;
import dev.modelcost.Select;
import dev.modelcost.SiLU;
import dev.modelcost.Sigmoid;
import dev.modelcost.Slice;
import dev.modelcost.Softmax;
import dev.modelcost.StochasticDepth;
import dev.modelcost.Tanh;
import dev.modelcost.Transpose;
import java.lang.annotation.Annotation;

/**
 * The built-in operation kinds, one registration each: the annotation, whether PyTorch holds it as
 * a module, its inputs, its other-ops rule (for the docs) and its formula. Adding a layer kind is
 * one annotation in {@code dev.modelcost} and one line here.
 */
final class BuiltInOps {
    private BuiltInOps() {}

    private static final int MANY = Integer.MAX_VALUE;

    static final OpRegistry REGISTRY = OpRegistry.empty()
            .with(layer(Conv2d.class, "none", Weighted::conv2d))
            .with(layer(Linear.class, "none", Weighted::linear))
            .with(layer(BatchNorm2d.class, "2 per element (folded statistics: a multiply and an add); without running statistics 5, +2 when affine", Normalization::batchNorm2d))
            .with(layer(LayerNorm.class, "7 per element (5 to normalise, +1 weight, +1 bias)", Normalization::layerNorm))
            .with(layer(LayerNorm2d.class, "7 per element (5 to normalise, +1 weight, +1 bias)", Normalization::layerNorm2d))
            .with(layer(ReLU.class, "1 per element", Elementwise::activation))
            .with(layer(ReLU6.class, "1 per element", Elementwise::activation))
            .with(layer(Sigmoid.class, "1 per element", Elementwise::activation))
            .with(layer(Tanh.class, "1 per element", Elementwise::activation))
            .with(layer(Hardswish.class, "1 per element", Elementwise::activation))
            .with(layer(Hardsigmoid.class, "1 per element", Elementwise::activation))
            .with(layer(SiLU.class, "1 per element", Elementwise::activation))
            .with(layer(GELU.class, "1 per element", Elementwise::gelu))
            .with(layer(Softmax.class, "5 per element (max, subtract, exp, sum, divide)", Elementwise::softmax))
            .with(function(Scale.class, 1, 1, "1 per element", Elementwise::activation))
            .with(layer(MaxPool2d.class, "k\u00b7k \u2212 1 comparisons per output element", Pooling::maxPool2d))
            .with(layer(AvgPool2d.class, "k\u00b7k per output element (adds and the divide)", Pooling::avgPool2d))
            .with(layer(AdaptiveAvgPool2d.class, "every input element each window reads", Pooling::adaptiveAvgPool2d))
            .with(reshaping(Flatten.class, true, Shaping::flatten))
            .with(reshaping(Reshape.class, false, Shaping::reshape))
            .with(reshaping(Permute.class, true, Shaping::permute))
            .with(reshaping(Transpose.class, false, Shaping::transpose))
            .with(reshaping(Select.class, false, Shaping::select))
            .with(reshaping(Slice.class, false, Shaping::slice))
            .with(reshaping(Chunk.class, false, Shaping::chunk))
            .with(reshaping(ChannelShuffle.class, false, Shaping::channelShuffle))
            .with(reshaping(Dropout.class, true, Elementwise::passThrough))
            .with(reshaping(StochasticDepth.class, true, Elementwise::passThrough))
            .with(reshaping(Identity.class, true, Elementwise::passThrough))
            .with(merge(Add.class, "n \u2212 1 per output element for n inputs", Merges::add))
            .with(merge(Mul.class, "n \u2212 1 per output element for n inputs", Merges::mul))
            .with(new OpKind(Concat.class.getCanonicalName(), "Concat", false, 2, MANY, "value", true, "none", Merges::concat))
            .with(function(MatMul.class, 2, 2, "none", Attention::matMul))
            .with(new OpKind(MultiheadAttention.class.getCanonicalName(), "MultiheadAttention", true, 1, 3, null, false,
                    "1 per query element (scaling), 5 per score (softmax), +1 per score with isCausal", Attention::multiheadAttention))
            .with(new OpKind(Embedding.class.getCanonicalName(), "Embedding", true, 1, 1, null, true, "none", Embeddings::embedding))
            .with(function(Parameter.class, 0, 0, "none", Embeddings::parameter))
            .with(new OpKind(Arange.class.getCanonicalName(), "Arange", false, 1, 1, null, true, "none", Embeddings::arange))
            .with(layer(RMSNorm.class, "4 per element (square, mean, scale, weight)", Decoding::rmsNorm))
            .with(function(RotaryEmbedding.class, 1, 1, "3 per element (two multiplies, an add)", Decoding::rotary))
            .with(function(ScaledDotProductAttention.class, 3, 3, "6 per score (scale, softmax), +1 with isCausal", Decoding::attention));

    /** A module of one input. */
    private static OpKind layer(Class<? extends Annotation> annotation, String otherOps, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), true, 1, 1, null, false, otherOps, formula);
    }

    /** A functional step (no module of its own in PyTorch) whose inputs come from {@code @From} or the step before. */
    private static OpKind function(Class<? extends Annotation> annotation, int min, int max, String otherOps, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), false, min, max, null, false, otherOps, formula);
    }

    /** A step that only rearranges elements: free, and it takes token ids as well as values. */
    private static OpKind reshaping(Class<? extends Annotation> annotation, boolean module, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), module, 1, 1, null, true, "none", formula);
    }

    /** A join of two or more earlier outputs, named in the annotation's {@code value}. */
    private static OpKind merge(Class<? extends Annotation> annotation, String otherOps, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), false, 2, MANY, "value", false, otherOps, formula);
    }
}
