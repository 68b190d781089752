package dev.modelcost.processor.counters;

/**
 * fvcore 0.1.6 ({@code facebookresearch/fvcore} at 3378afe),
 * {@code FlopCountAnalysis(model, x).total()}: a JIT trace counted per aten op by the handles of
 * {@code fvcore/nn/flop_count.py: _DEFAULT_SUPPORTED_OPS} ({@code fvcore/nn/jit_handles.py}); one
 * fused multiply-add is one flop, bias ignored, the whole batch counted; every other op is 0.
 * Module or function makes no difference, a tensor method such as {@code x.mean} is its own op.
 */
final class Fvcore implements Counter {

    @Override
    public boolean runsWithGradients() {
        return true;
    }

    @Override
    public String id() {
        return "fvcore";
    }

    @Override
    public String tool() {
        return "fvcore 0.1.6 (facebookresearch/fvcore 3378afe)";
    }

    @Override
    public String call() {
        return "FlopCountAnalysis(model, x).total()";
    }

    @Override
    public String figure() {
        return "FLOPS";
    }

    @Override
    public boolean reportsParams() {
        return false;
    }

    @Override
    public boolean dropsUnreached() {
        return true;
    }

    @Override
    public Count count(Leaf leaf) {
        String kind = leaf.kind();
        long padding = leaf.number("padding", 0);
        if (Rules.conv(kind) && (padding == dev.modelcost.Conv2d.SAME || padding == dev.modelcost.Conv2d.VALID)) {
            // padding='same' or 'valid' traces as aten::_convolution_mode (PyTorch 1.13), not aten::_convolution
            return Count.unseen(0, 0, "PyTorch traces a convolution with padding='" + (padding == dev.modelcost.Conv2d.SAME ? "same" : "valid")
                    + "' as aten::_convolution_mode, which fvcore has no handle for");
        }
        if (Rules.conv(kind) || Rules.convTranspose(kind) || kind.equals("Linear") || kind.equals("MatMul") || Rules.recurrentCell(kind)) {
            // conv_flop_jit (transposed: over input positions), linear_flop_jit, matmul_flop_jit: no bias; a cell (lstm_cell, gru_cell,
            // rnn_tanh_cell) traces as its two aten::linear, its input's and its hidden state's products
            return Count.of(leaf.macs(), 0);
        }
        long products = Rules.explicitAttention(leaf);
        if (products >= 0) {
            return Count.of(products, 0); // aten::matmul twice
        }
        if (kind.equals("MultiheadAttention")) {
            // in-projections (aten::linear), Q·Kᵀ and A·V (aten::bmm), out-projection; a masked Q·Kᵀ runs as aten::baddbmm, not counted
            return Count.of(Rules.multiheadMacs(leaf, !leaf.flag("isCausal", false)), 0);
        }
        if (Rules.batchNorm(kind)) {
            // batchnorm_flop_jit: 1 per element, 2 when affine, in eval; without running statistics PyTorch normalizes by the batch's
            // even in eval (training=True in aten::batch_norm), which norm_flop_counter counts: 5 per element when affine, 4 without
            boolean affine = leaf.flag("affine", true);
            int perElement = leaf.flag("trackRunningStats", true) ? (affine ? 2 : 1) : (affine ? 5 : 4);
            return Count.of(Math.multiplyExact(leaf.inNumel(), perElement), 0);
        }
        if (Rules.instanceNorm(kind) || kind.equals("GroupNorm") || kind.equals("LayerNorm") || kind.equals("LayerNorm2d")) {
            // norm_flop_counter: 5 per element with an affine weight, 4 without
            boolean affine = leaf.flag("affine", false) || leaf.flag("elementwiseAffine", false) || kind.equals("LayerNorm2d");
            return Count.of(Math.multiplyExact(leaf.inNumel(), affine ? 5 : 4), 0);
        }
        if (kind.equals("AdaptiveAvgPool2d") && leaf.call().call() != dev.modelcost.processor.spec.Step.Call.METHOD) {
            return Count.of(leaf.inNumel(), 0); // elementwise_flop_counter(1, 0); x.mean is aten::mean, not counted
        }
        if (kind.equals("Upsample") && leaf.x().rank() == 3) {
            // aten::upsample_nearest2d: 1 per output element; aten::upsample_bilinear2d: 4; other modes are not counted
            String mode = Rules.mode(leaf);
            long factor = mode.equals("nearest") ? 1 : mode.equals("bilinear") ? 4 : 0;
            return Count.of(Math.multiplyExact(factor, leaf.outNumel()), 0);
        }
        if (leaf.declared()) {
            return Rules.noRule(leaf, "fvcore");
        }
        return leaf.macs() > 0 ? Count.unseen(0, 0, "fvcore has no handle for the aten op of " + kind) : Count.NONE;
    }
}
