package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Training steps of the examples: ResNet-18's saved activations against PyTorch's measurement, and
 * ResNet-50's step with Adam at batch 32 in mixed precision derived by hand.
 */
class TrainingFiguresTest {
    @Test
    void resNet18SavesWhatPyTorchSaves() {
        // tools/pytorch/saved-tensors.tsv, resnet18_train (torch 1.13, train mode, batch 1, fp32, saved_tensors_hooks, each storage
        // once, parameters and buffers excluded, the input included): 22,218,240 bytes.
        assertEquals(22_218_240L, ResNet18Cost.SAVED_ACTIVATION_BYTES);
        // SGD with momentum 0.9, fp32: weights, gradients and the momentum buffer at 4 bytes a parameter (11,689,512), the
        // 9,600 elements of running statistics in fp32, and the saved activations.
        assertEquals(3 * 4 * 11_689_512L + 4 * 9_600L + 22_218_240L, ResNet18Cost.TRAINING_MEMORY_BYTES);
        // forward FLOPs at batch 1 and a backward pass of twice them
        assertEquals(3 * ResNet18Cost.FLOPS, ResNet18Cost.TRAINING_FLOPS);
    }

    @Test
    void mobileNetV2SavesWhatPyTorchSavesButForTheDropoutMask() {
        // tools/pytorch/saved-tensors.tsv, mobilenet_v2_train (torch 1.13 on a CPU, batch 1, fp32): 78,596,864 bytes. Every in-place
        // ReLU6 saves a copy of its input, as PyTorch's hardtanh_ does. The classifier's Dropout(0.2) mask over 1,280 features is
        // a float32 tensor on the CPU and a bool one here (CUDA's native_dropout): 3 bytes fewer per element.
        assertEquals(78_596_864L - 3 * 1_280, MobileNetV2Cost.SAVED_ACTIVATION_BYTES);
    }

    /** Bytes of a tensor of {@code c} channels of {@code s} x {@code s} at fp16, for 32 samples. */
    private static long fp16(long c, long s) {
        return 32 * 2 * c * s * s;
    }

    @Test
    void resNet50WithAdamAtBatch32InMixedPrecision() {
        long params = 25_557_032; // torchvision's resnet50
        // fp16 weights (2), their fp32 master copy (4), fp16 gradients (2), Adam's two fp32 moments (8): 16 bytes a parameter.
        long states = 16 * params;
        // BatchNorm's running mean and variance, 53,120 elements in fp32.
        long buffers = 4 * 53_120L;
        // Saved activations, each tensor once, at fp16 for 32 samples. The stem: the input, conv1's output (bn1's input),
        // bn1's output (the in-place ReLU's result and max pooling's input), max pooling's int64 indices and its output.
        long saved = fp16(3, 224) + fp16(64, 112) + fp16(64, 112) + 32 * 8 * 64 * 56 * 56 + fp16(64, 56);
        long statistics = 8 * 64; // bn1's save_mean and save_invstd, fp32 per channel
        int[][] stages = {{64, 3, 56, 56}, {128, 4, 56, 28}, {256, 6, 28, 14}, {512, 3, 14, 7}}; // planes, blocks, size in, size out
        for (int[] stage : stages) {
            int planes = stage[0];
            for (int block = 0; block < stage[1]; block++) {
                int in = block == 0 ? stage[2] : stage[3];
                int out = stage[3];
                // conv1's output and bn1's (saved by the ReLU and conv2), at the block's input size (the stride is on conv2);
                // conv2's and bn2's at the output size; conv3's and bn3's (the in-place sum and ReLU write into it: the block's output).
                saved += 2 * fp16(planes, in) + 2 * fp16(planes, out) + 2 * fp16(4L * planes, out);
                statistics += 8 * (planes + planes + 4L * planes);
                if (block == 0) {
                    // the projection shortcut: its convolution's output, which its BatchNorm saves (the convolution saves the block's input)
                    saved += fp16(4L * planes, out);
                    statistics += 8 * 4L * planes;
                }
            }
        }
        saved += 32 * 2 * 2048; // the classifier's input (the pooled features)
        assertEquals(saved + statistics, ResNet50Cost.SAVED_ACTIVATION_BYTES);
        assertEquals(states + buffers + saved + statistics, ResNet50Cost.TRAINING_MEMORY_BYTES);
        // FLOPs: 32 samples' forward, times 3
        assertEquals(3 * 32 * ResNet50Cost.FLOPS, ResNet50Cost.TRAINING_FLOPS);
    }
}
