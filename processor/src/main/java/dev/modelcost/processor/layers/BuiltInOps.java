package dev.modelcost.processor.layers;

import dev.modelcost.AdaptiveAvgPool1d;
import dev.modelcost.AdaptiveAvgPool2d;
import dev.modelcost.AdaptiveAvgPool3d;
import dev.modelcost.AdaptiveMaxPool1d;
import dev.modelcost.AdaptiveMaxPool2d;
import dev.modelcost.AdaptiveMaxPool3d;
import dev.modelcost.Add;
import dev.modelcost.AlphaDropout;
import dev.modelcost.Amax;
import dev.modelcost.Arange;
import dev.modelcost.AvgPool1d;
import dev.modelcost.AvgPool2d;
import dev.modelcost.AvgPool3d;
import dev.modelcost.BatchNorm1d;
import dev.modelcost.Buffer;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.BatchNorm3d;
import dev.modelcost.ChannelShuffle;
import dev.modelcost.Chunk;
import dev.modelcost.Concat;
import dev.modelcost.ConstantPad1d;
import dev.modelcost.ConstantPad2d;
import dev.modelcost.ConstantPad3d;
import dev.modelcost.Conv1d;
import dev.modelcost.Conv2d;
import dev.modelcost.Conv3d;
import dev.modelcost.ConvTranspose1d;
import dev.modelcost.ConvTranspose2d;
import dev.modelcost.ConvTranspose3d;
import dev.modelcost.Dropout;
import dev.modelcost.Dropout1d;
import dev.modelcost.Dropout2d;
import dev.modelcost.Dropout3d;
import dev.modelcost.CELU;
import dev.modelcost.ELU;
import dev.modelcost.FeatureAlphaDropout;
import dev.modelcost.GLU;
import dev.modelcost.LogSigmoid;
import dev.modelcost.Mean;
import dev.modelcost.SELU;
import dev.modelcost.Embedding;
import dev.modelcost.Expand;
import dev.modelcost.Flatten;
import dev.modelcost.GELU;
import dev.modelcost.GRU;
import dev.modelcost.GRUCell;
import dev.modelcost.GroupNorm;
import dev.modelcost.Hardsigmoid;
import dev.modelcost.Hardswish;
import dev.modelcost.Hardtanh;
import dev.modelcost.Identity;
import dev.modelcost.InstanceNorm1d;
import dev.modelcost.InstanceNorm2d;
import dev.modelcost.InstanceNorm3d;
import dev.modelcost.LSTM;
import dev.modelcost.LSTMCell;
import dev.modelcost.LayerNorm2d;
import dev.modelcost.LayerNorm;
import dev.modelcost.LeakyReLU;
import dev.modelcost.Linear;
import dev.modelcost.LogSoftmax;
import dev.modelcost.MatMul;
import dev.modelcost.MaxPool1d;
import dev.modelcost.MaxPool2d;
import dev.modelcost.MaxPool3d;
import dev.modelcost.Mish;
import dev.modelcost.Mul;
import dev.modelcost.MultiheadAttention;
import dev.modelcost.PReLU;
import dev.modelcost.Pad;
import dev.modelcost.Parameter;
import dev.modelcost.Permute;
import dev.modelcost.PixelShuffle;
import dev.modelcost.PixelUnshuffle;
import dev.modelcost.RMSNorm;
import dev.modelcost.RNN;
import dev.modelcost.RNNCell;
import dev.modelcost.ReLU6;
import dev.modelcost.ReLU;
import dev.modelcost.ReflectionPad1d;
import dev.modelcost.ReflectionPad2d;
import dev.modelcost.ReflectionPad3d;
import dev.modelcost.RelativePositionBias;
import dev.modelcost.ReplicationPad1d;
import dev.modelcost.ReplicationPad2d;
import dev.modelcost.ReplicationPad3d;
import dev.modelcost.Roll;
import dev.modelcost.Reshape;
import dev.modelcost.RotaryEmbedding;
import dev.modelcost.Scale;
import dev.modelcost.AddConstant;
import dev.modelcost.ScaledDotProductAttention;
import dev.modelcost.Select;
import dev.modelcost.SiLU;
import dev.modelcost.Sigmoid;
import dev.modelcost.Slice;
import dev.modelcost.Softmax;
import dev.modelcost.Softplus;
import dev.modelcost.StochasticDepth;
import dev.modelcost.Sum;
import dev.modelcost.Tanh;
import dev.modelcost.Transpose;
import dev.modelcost.Upsample;
import dev.modelcost.WindowRelativePositionBias;
import dev.modelcost.ZeroPad2d;
import java.lang.annotation.Annotation;

/**
 * The built-in operation kinds, one registration each: the annotation, whether PyTorch holds it as
 * a module, its inputs, its other-ops rule (for the docs) and its formula. Adding a layer kind is
 * one annotation in {@code dev.modelcost} and one line here.
 */
final class BuiltInOps {
    private BuiltInOps() {}

    private static final int MANY = Integer.MAX_VALUE;

    /**
     * Max pooling's scratch: PyTorch runs {@code max_poolNd} as {@code max_poolNd_with_indices} even
     * without autograd (measured on 1.13, CPU), and {@code adaptive_max_poolNd} always returns its
     * indices: one int64 per output element, freed when the layer returns.
     */
    private static final int INDEX_BYTES = 8;

    private static final String BATCH_NORM = "2 per element (folded statistics: a multiply and an add); without running statistics 5, +2 when affine";
    private static final String INSTANCE_NORM = "5 per element to normalise, +2 when affine; with running statistics 2 (folded)";
    private static final String MAX_POOL = "k_volume \u2212 1 comparisons per output element";
    private static final String AVG_POOL = "k_volume per output element (adds and the divide)";
    private static final String ADAPTIVE_AVG = "every input element each window reads";
    private static final String ADAPTIVE_MAX = "every input element each window reads, less one per output element";

    static final OpRegistry REGISTRY = OpRegistry.empty()
            .with(layer(Conv1d.class, "none", Weighted::conv1d).saves(Weighted.CONV_SAVES).withScratch(Weighted.PADDED_COPY))
            .with(layer(Conv2d.class, "none", Weighted::conv2d).saves(Weighted.CONV_SAVES).withScratch(Weighted.PADDED_COPY))
            .with(layer(Conv3d.class, "none", Weighted::conv3d).saves(Weighted.CONV_SAVES).withScratch(Weighted.PADDED_COPY))
            .with(layer(ConvTranspose1d.class, "none", Weighted::convTranspose1d))
            .with(layer(ConvTranspose2d.class, "none", Weighted::convTranspose2d))
            .with(layer(ConvTranspose3d.class, "none", Weighted::convTranspose3d))
            .with(layer(Linear.class, "none", Weighted::linear).saves(Weighted.LINEAR_SAVES).withScratch(Weighted.LINEAR_COPY))
            .with(layer(BatchNorm1d.class, BATCH_NORM, Normalization::batchNorm1d).saves(Saves.BATCH_NORM)
                    .withScratch(Normalization.BATCH_NORM_SCRATCH).refusingFewer(Normalization.BATCH_NORM_FEWEST))
            .with(layer(BatchNorm2d.class, BATCH_NORM, Normalization::batchNorm2d).saves(Saves.BATCH_NORM)
                    .withScratch(Normalization.BATCH_NORM_SCRATCH).refusingFewer(Normalization.BATCH_NORM_FEWEST))
            .with(layer(BatchNorm3d.class, BATCH_NORM, Normalization::batchNorm3d).saves(Saves.BATCH_NORM)
                    .withScratch(Normalization.BATCH_NORM_SCRATCH).refusingFewer(Normalization.BATCH_NORM_FEWEST))
            .with(layer(InstanceNorm1d.class, INSTANCE_NORM, Normalization::instanceNorm1d).saves(Saves.INSTANCE_NORM)
                    .withScratch(Normalization.INSTANCE_NORM_SCRATCH).refusingFewer(Normalization.INSTANCE_NORM_FEWEST))
            .with(layer(InstanceNorm2d.class, INSTANCE_NORM, Normalization::instanceNorm2d).saves(Saves.INSTANCE_NORM)
                    .withScratch(Normalization.INSTANCE_NORM_SCRATCH).refusingFewer(Normalization.INSTANCE_NORM_FEWEST))
            .with(layer(InstanceNorm3d.class, INSTANCE_NORM, Normalization::instanceNorm3d).saves(Saves.INSTANCE_NORM)
                    .withScratch(Normalization.INSTANCE_NORM_SCRATCH).refusingFewer(Normalization.INSTANCE_NORM_FEWEST))
            .with(layer(GroupNorm.class, "5 per element to normalise, +2 when affine", Normalization::groupNorm).saves(Saves.GROUP_NORM)
                    // native_group_norm returns the mean and the inverse deviation of every group of each sample with its output
                    .withScratch(Saves.GROUP_NORM.extra()::bytes).refusingFewer(Normalization.GROUP_NORM_FEWEST))
            .with(layer(LayerNorm.class, "7 per element (5 to normalise, +1 weight, +1 bias)", Normalization::layerNorm).saves(Saves.LAYER_NORM)
                    // native_layer_norm returns the mean and the inverse deviation of every row with its output, freed after it
                    .withScratch(Saves.LAYER_NORM.extra()::bytes))
            .with(layer(LayerNorm2d.class, "7 per element (5 to normalise, +1 weight, +1 bias)", Normalization::layerNorm2d).saves(Saves.LAYER_NORM_2D)
                    .withScratch(Saves.LAYER_NORM_2D.extra()::bytes))
            .with(layer(ReLU.class, "1 per element", Elementwise::activation).saves(Autograd.OUTPUT).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(ReLU6.class, "1 per element", Elementwise::activation).saves(Autograd.INPUT_COPIED_IN_PLACE).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(Sigmoid.class, "1 per element", Elementwise::activation).saves(Autograd.OUTPUT).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(Tanh.class, "1 per element", Elementwise::activation).saves(Autograd.OUTPUT).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(Hardswish.class, "1 per element", Elementwise::activation).saves(Autograd.INPUT_COPIED_IN_PLACE).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(Hardsigmoid.class, "1 per element", Elementwise::activation).saves(Autograd.INPUT_COPIED_IN_PLACE).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(SiLU.class, "1 per element", Elementwise::activation).saves(Autograd.INPUT_COPIED_IN_PLACE).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(LeakyReLU.class, "1 per element", Elementwise::activation).saves(Saves.negativeSlopeInPlace("negativeSlope", "In-place leakyReLu backward calculation is triggered with a negative slope"))
                    .writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(PReLU.class, "1 per element", Elementwise::prelu))
            .with(layer(ELU.class, "1 per element", Elementwise::activation).saves(Saves.negativeSlopeInPlace("alpha", "In-place elu backward calculation is triggered with a negative slope"))
                    .writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(SELU.class, "1 per element", Elementwise::activation).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(CELU.class, "1 per element", Elementwise::celu).saves(Saves.negativeSlopeInPlace("alpha", "In-place elu backward calculation is triggered with a negative slope"))
                    .writes(OpKind.MemoryFormat.PRESERVE))
            // log_sigmoid_forward returns a buffer of the output's size with it on a CPU (CUDA's is empty), freed after it
            .with(layer(LogSigmoid.class, "1 per element", Elementwise::activation)
                    .withScratch((a, inputs, output, batch, dtype) -> dtype.bytes(Math.multiplyExact(batch, output.elements()))))
            .with(layer(GLU.class, "2 per output element (the sigmoid and the product)", Elementwise::glu))
            .with(layer(Softplus.class, "1 per element", Elementwise::activation).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(Mish.class, "1 per element", Elementwise::activation).saves(Autograd.INPUT_COPIED_IN_PLACE).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(Hardtanh.class, "1 per element", Elementwise::hardtanh).saves(Autograd.INPUT_COPIED_IN_PLACE).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(GELU.class, "1 per element", Elementwise::gelu).writes(OpKind.MemoryFormat.PRESERVE))
            .with(layer(Softmax.class, "5 per element (max, subtract, exp, sum, divide)", Elementwise::softmax).saves(Autograd.OUTPUT))
            .with(layer(LogSoftmax.class, "5 per element (max, subtract, exp, sum, subtract the log of the sum)", Elementwise::softmax).saves(Autograd.OUTPUT))
            .with(function(Scale.class, 1, 1, "1 per element", Elementwise::activation).saves(Autograd.NOTHING).writes(OpKind.MemoryFormat.PRESERVE))
            .with(new OpKind(AddConstant.class.getCanonicalName(), AddConstant.class.getSimpleName(), false, 1, 1, null, true, "1 per element",
                    Elementwise::addConstant).saves(Autograd.NOTHING).writes(OpKind.MemoryFormat.PRESERVE))
            // without autograd a CPU's max_pool1d computes no indices (max_pool1d_impl); 2-D and 3-D pooling computes them anyway
            .with(layer(MaxPool1d.class, MAX_POOL, Pooling::maxPool1d).saves(Saves.MAX_POOL))
            .with(layer(MaxPool2d.class, MAX_POOL, Pooling::maxPool2d).withScratch(INDEX_BYTES).saves(Saves.MAX_POOL))
            .with(layer(MaxPool3d.class, MAX_POOL, Pooling::maxPool3d).withScratch(INDEX_BYTES).saves(Saves.MAX_POOL))
            .with(layer(AvgPool1d.class, AVG_POOL, Pooling::avgPool1d))
            .with(layer(AvgPool2d.class, AVG_POOL, Pooling::avgPool2d))
            .with(layer(AvgPool3d.class, AVG_POOL, Pooling::avgPool3d))
            .with(layer(AdaptiveAvgPool1d.class, ADAPTIVE_AVG, Pooling::adaptiveAvgPool1d))
            .with(layer(AdaptiveAvgPool2d.class, ADAPTIVE_AVG, Pooling::adaptiveAvgPool2d))
            .with(layer(AdaptiveAvgPool3d.class, ADAPTIVE_AVG, Pooling::adaptiveAvgPool3d))
            .with(layer(AdaptiveMaxPool1d.class, ADAPTIVE_MAX, Pooling::adaptiveMaxPool1d).withScratch(INDEX_BYTES).saves(Saves.MAX_POOL))
            .with(layer(AdaptiveMaxPool2d.class, ADAPTIVE_MAX, Pooling::adaptiveMaxPool2d).withScratch(INDEX_BYTES).saves(Saves.MAX_POOL))
            .with(layer(AdaptiveMaxPool3d.class, ADAPTIVE_MAX, Pooling::adaptiveMaxPool3d).withScratch(INDEX_BYTES).saves(Saves.MAX_POOL))
            .with(layer(Upsample.class, "per output element: 0 nearest, 3 linear, 7 bilinear, 15 trilinear, 31 bicubic", Resampling::upsample).saves(Autograd.NOTHING))
            .with(reshaping(PixelShuffle.class, true, Resampling::pixelShuffle).saves(Autograd.NOTHING))
            .with(reshaping(PixelUnshuffle.class, true, Resampling::pixelUnshuffle).saves(Autograd.NOTHING))
            .with(reshaping(ZeroPad2d.class, true, Resampling::zeroPad2d).saves(Autograd.NOTHING))
            .with(reshaping(ConstantPad1d.class, true, Resampling::constantPad1d).saves(Autograd.NOTHING))
            .with(reshaping(ConstantPad2d.class, true, Resampling::constantPad2d).saves(Autograd.NOTHING))
            .with(reshaping(ConstantPad3d.class, true, Resampling::constantPad3d).saves(Autograd.NOTHING))
            .with(reshaping(ReflectionPad1d.class, true, Resampling::reflectionPad1d))
            .with(reshaping(ReflectionPad2d.class, true, Resampling::reflectionPad2d))
            .with(reshaping(ReflectionPad3d.class, true, Resampling::reflectionPad3d))
            .with(reshaping(ReplicationPad1d.class, true, Resampling::replicationPad1d))
            .with(reshaping(ReplicationPad2d.class, true, Resampling::replicationPad2d))
            .with(reshaping(ReplicationPad3d.class, true, Resampling::replicationPad3d))
            .with(reshaping(Pad.class, false, Resampling::pad).saves(Saves.PAD))
            .with(recurrent(LSTM.class, 3, "13 per step, direction and hidden unit", Recurrent::lstm).saves(Saves.recurrent(Recurrent.Cell.LSTM)).withResults("output", "h_n", "c_n")
                    .withScratch(Recurrent.scratch(Recurrent.Cell.LSTM)).writes(OpKind.MemoryFormat.OWN))
            .with(recurrent(GRU.class, 2, "11 per step, direction and hidden unit", Recurrent::gru).saves(Saves.recurrent(Recurrent.Cell.GRU)).withResults("output", "h_n")
                    .withScratch(Recurrent.scratch(Recurrent.Cell.GRU)).writes(OpKind.MemoryFormat.OWN))
            .with(recurrent(RNN.class, 2, "2 per step, direction and hidden unit", Recurrent::rnn).saves(Saves.recurrent(Recurrent.Cell.RNN)).withResults("output", "h_n")
                    .withScratch(Recurrent.scratch(Recurrent.Cell.RNN)).writes(OpKind.MemoryFormat.OWN))
            .with(recurrent(LSTMCell.class, 3, "13 per hidden unit", Recurrent::lstmCell).saves(Saves.cell(Recurrent.Cell.LSTM)).withScratch(Recurrent.cellScratch(Recurrent.Cell.LSTM)).withResults("h", "c"))
            .with(recurrent(GRUCell.class, 2, "11 per hidden unit", Recurrent::gruCell).saves(Saves.cell(Recurrent.Cell.GRU)).withScratch(Recurrent.cellScratch(Recurrent.Cell.GRU)))
            .with(recurrent(RNNCell.class, 2, "2 per hidden unit", Recurrent::rnnCell).saves(Saves.cell(Recurrent.Cell.RNN)).withScratch(Recurrent.cellScratch(Recurrent.Cell.RNN)))
            .with(view(Flatten.class, true, Shaping::flatten).writes(OpKind.MemoryFormat.RESHAPE))
            .with(view(Reshape.class, false, Shaping::reshape).writes(OpKind.MemoryFormat.RESHAPE))
            .with(view(Expand.class, false, Shaping::expand))
            .with(view(Permute.class, true, Shaping::permute))
            .with(view(Transpose.class, false, Shaping::transpose))
            .with(view(Select.class, false, Shaping::select))
            .with(view(Slice.class, false, Shaping::slice))
            .with(view(Chunk.class, false, Shaping::chunk))
            .with(reshaping(ChannelShuffle.class, false, Shaping::channelShuffle).saves(Autograd.NOTHING))
            .with(reshaping(Roll.class, false, Shaping::roll).saves(Autograd.NOTHING))
            .with(view(Dropout.class, true, Elementwise::dropout).saves(Saves.DROPOUT))
            .with(view(Dropout1d.class, true, Elementwise::dropout1d).saves(Saves.featureDropout(2)))
            .with(view(Dropout2d.class, true, Elementwise::dropout).saves(Saves.featureDropout(0)))
            .with(view(Dropout3d.class, true, Elementwise::dropout).saves(Saves.featureDropout(4)))
            .with(view(AlphaDropout.class, true, Elementwise::dropout).saves(Saves.ALPHA_DROPOUT))
            .with(view(FeatureAlphaDropout.class, true, Elementwise::dropout).saves(Saves.featureDropout(0)))
            .with(view(StochasticDepth.class, true, Elementwise::stochasticDepth).saves(Saves.STOCHASTIC_DEPTH))
            .with(view(Identity.class, true, Elementwise::passThrough))
            .with(merge(Add.class, "n \u2212 1 per output element for n inputs", Merges::add).saves(Autograd.NOTHING).writes(OpKind.MemoryFormat.PRESERVE))
            .with(merge(Mul.class, "n \u2212 1 per output element for n inputs", Merges::mul).saves(Autograd.PRODUCT).writes(OpKind.MemoryFormat.PRESERVE))
            .with(new OpKind(Concat.class.getCanonicalName(), "Concat", false, 1, MANY, "value", true, "none", Merges::concat).saves(Autograd.NOTHING)
                    .positions(Positions.CONCATENATED))
            .with(function(MatMul.class, 2, 2, "none", Attention::matMul).saves(Attention.MATMUL_SAVES).withScratch(Attention.MATMUL_COPIES)
                    .positions(Positions.FIRST))
            // PyTorch 1.13's MeanBackward1 saves its input (measured), though the gradient needs its sizes only
            .with(function(Mean.class, 1, 1, "1 per input element (n \u2212 1 additions and a division for each output of n)", Reductions::mean)
                    .saves(Autograd.INPUTS))
            .with(function(Sum.class, 1, 1, "n \u2212 1 per output element of n inputs", Reductions::lessOnePerOutput).saves(Autograd.NOTHING))
            // amax's backward compares the input with the output to find the maxima: it saves both
            .with(function(Amax.class, 1, 1, "n \u2212 1 comparisons per output element of n inputs", Reductions::lessOnePerOutput)
                    .saves(Autograd.of(Autograd.Tensors.INPUTS_AND_OUTPUT, Autograd.Extra.NONE)))
            .with(new OpKind(MultiheadAttention.class.getCanonicalName(), "MultiheadAttention", true, 1, 3, null, false,
                    "1 per query element (scaling), 5 per score (softmax), +1 per score with isCausal", Attention::multiheadAttention)
                    .saves(Saves.MULTIHEAD_ATTENTION).positions(Positions.FIRST).withScratch((OpKind.Scratch.Moments) Attention::multiheadScratch)
                    .decodingWith(Attention::multiheadStep).writes(OpKind.MemoryFormat.OWN))
            .with(new OpKind(Embedding.class.getCanonicalName(), "Embedding", true, 1, 1, null, true, "none", Embeddings::embedding))
            .with(new OpKind(Parameter.class.getCanonicalName(), "Parameter", false, 0, 0, null, false, "none", Embeddings::parameter, true))
            .with(new OpKind(Buffer.class.getCanonicalName(), "Buffer", false, 0, 0, null, false, "none", Embeddings::buffer, true))
            .with(new OpKind(RelativePositionBias.class.getCanonicalName(), "RelativePositionBias", true, 1, 2, null, true, "none",
                    Embeddings::relativePositionBias).saves(Embeddings.RELATIVE_POSITION_SAVES).withScratch(Embeddings.RELATIVE_POSITION_SCRATCH)
                    .readingSizesOnly().writes(OpKind.MemoryFormat.OWN))
            .with(new OpKind(WindowRelativePositionBias.class.getCanonicalName(), "WindowRelativePositionBias", false, 0, 0, null, false, "none",
                    Embeddings::windowRelativePositionBias).saves(Autograd.NOTHING).withScratch(Embeddings.WINDOW_BIAS_LOOKUP))
            .with(new OpKind(Arange.class.getCanonicalName(), "Arange", false, 1, 1, null, true, "none", Embeddings::arange).saves(Autograd.NOTHING).readingSizesOnly())
            .with(layer(RMSNorm.class, "4 per element (square, mean, scale, weight)", Decoding::rmsNorm).saves(Saves.RMS_NORM)
                    .withScratch(Decoding.RMS_NORM_SCRATCH))
            .with(function(RotaryEmbedding.class, 1, 1, "3 per element rotated (two multiplies, an add)", Decoding::rotary).saves(Autograd.NOTHING))
            .with(function(ScaledDotProductAttention.class, 3, 4, "6 per score (scale, softmax), +1 with isCausal, +1 with an attn_mask (its add), "
                    + "+3 with softcap (divide, tanh, multiply), \u22121 with scale = 1", Decoding::attention)
                    .saves(Saves.SCALED_DOT_PRODUCT_ATTENTION).withScratch(Decoding::scores).positions(Positions.FIRST)
                    .decodingWith(Decoding::attentionStep));

    /** A module of one input. */
    private static OpKind layer(Class<? extends Annotation> annotation, String otherOps, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), true, 1, 1, null, false, otherOps, formula);
    }

    /** A recurrent module or cell, whose further inputs (up to {@code max}) are its initial states. */
    private static OpKind recurrent(Class<? extends Annotation> annotation, int max, String otherOps, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), true, 1, max, null, false, otherOps, formula)
                .positions(Positions.FIRST);
    }

    /** A functional step (no module of its own in PyTorch) whose inputs come from {@code @From} or the step before. */
    private static OpKind function(Class<? extends Annotation> annotation, int min, int max, String otherOps, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), false, min, max, null, false, otherOps, formula);
    }

    /** A step that only rearranges elements into a new tensor: no arithmetic, and it takes token ids as well as values. */
    private static OpKind reshaping(Class<? extends Annotation> annotation, boolean module, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), module, 1, 1, null, true, "none", formula);
    }

    /** A step that returns its input or a view of it: free, moves no byte, and it takes token ids as well as values. */
    private static OpKind view(Class<? extends Annotation> annotation, boolean module, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), module, 1, 1, null, true, "none", formula, true);
    }

    /** A join of two or more earlier outputs, named in the annotation's {@code value}. */
    private static OpKind merge(Class<? extends Annotation> annotation, String otherOps, OpKind.Formula formula) {
        return new OpKind(annotation.getCanonicalName(), annotation.getSimpleName(), false, 2, MANY, "value", false, otherOps, formula);
    }
}
