package dev.modelcost.examples;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;

import org.junit.jupiter.api.Test;

/**
 * The activation peak of the examples against PyTorch's: live tensor bytes tracked over one eager
 * forward (eval, {@code torch.no_grad()}, batch 1, fp32) by a dispatch mode with weak-reference
 * finalizers on every output, the model input included. The numbers are
 * {@code tools/pytorch/memory-costs.tsv}, from {@code /usr/bin/python3 tools/pytorch/measure_memory.py
 * --out-dir tools/pytorch} on torch 1.13 and torchvision 0.14 (column {@code peak_live_bytes}, and
 * the module of the op at the peak).
 */
class MemoryFiguresTest {
    @Test
    void resNet18PeaksAtTheStemsBatchNormAsInPyTorch() {
        // input 602,112 bytes, conv1's output and bn1's: 602,112 + 2 x 3,211,264
        assertEquals(7_024_640L, ResNet18Cost.PEAK_ACTIVATION_BYTES);
        assertEquals("bn1", ResNet18Cost.PEAK_ACTIVATION_LAYER);
    }

    @Test
    void mobileNetV2PeaksInItsFirstExpansionAsInPyTorch() {
        // input 602,112, features.1's output 802,816 (held while features.2 runs), the 1x1 expansion's and its BatchNorm's 2 x 4,816,896
        assertEquals(11_038_720L, MobileNetV2Cost.PEAK_ACTIVATION_BYTES);
        assertEquals("features.2.conv.0.1", MobileNetV2Cost.PEAK_ACTIVATION_LAYER);
    }

    @Test
    void inceptionV3PeaksAtConv2d2bAsInPyTorch() {
        assertEquals(14_902_572L, InceptionV3Cost.PEAK_ACTIVATION_BYTES);
        assertEquals("Conv2d_2b_3x3.bn", InceptionV3Cost.PEAK_ACTIVATION_LAYER);
    }

    @Test
    void convNeXtTPeaksInItsFirstStagesMlpAsInPyTorch() {
        // tools/pytorch/model-peaks.tsv (measure_model_peaks.py): 12,644,352 bytes under torch.profiler, eager PyTorch's path,
        // where the channels-last MLP's Linear adds its bias in place; the dispatch mode's 13,848,576 holds a new tensor for that add
        // beside the product (MemoryTest derives both). At features.1.1's GELU: the input 602,112, the stem's output held by the
        // stage (1,204,224), the first block's output (1,204,224, which the second block adds back), pwconv1's output and the GELU's,
        // 2 x 4,816,896.
        assertEquals(12_644_352L, ConvNeXtTinyCost.PEAK_ACTIVATION_BYTES);
        assertEquals("features.1.1.block.4", ConvNeXtTinyCost.PEAK_ACTIVATION_LAYER);
    }

    @Test
    void theSmallerTorchvisionNetworksPeakWhereTheyPeakInPyTorch() {
        // tools/pytorch/model-peaks.tsv (measure_model_peaks.py), the dispatch mode's column and module: the ReLUs, Hardswish and
        // residual adds torchvision runs in place allocate nothing (SqueezeNet's peak at features.1's ReLU was its output more,
        // 9,726,720, with them written as new tensors)
        assertEquals(8_523_648L, SqueezeNet1_0Cost.PEAK_ACTIVATION_BYTES);
        assertEquals("features.2", SqueezeNet1_0Cost.PEAK_ACTIVATION_LAYER);
        assertEquals(6_221_824L, MnasNet1_0Cost.PEAK_ACTIVATION_BYTES);
        assertEquals("layers.8.0.layers.1", MnasNet1_0Cost.PEAK_ACTIVATION_LAYER);
        assertEquals(3_010_560L, ShuffleNetV2X1_0Cost.PEAK_ACTIVATION_BYTES);
        assertEquals("conv1.1", ShuffleNetV2X1_0Cost.PEAK_ACTIVATION_LAYER);
        assertEquals(7_827_456L, MobileNetV3LargeCost.PEAK_ACTIVATION_BYTES);
        assertEquals("features.2.block.0.1", MobileNetV3LargeCost.PEAK_ACTIVATION_LAYER);
        assertEquals(11_038_720L, ResNeXt50Cost.PEAK_ACTIVATION_BYTES);
        assertEquals("layer1.0.downsample.1", ResNeXt50Cost.PEAK_ACTIVATION_LAYER);
    }

    @Test
    void theSegmentationModelsPeakWhereTheyPeakInPyTorch() {
        // tools/pytorch/model-peaks.tsv (measure_model_peaks.py, 1x3x520x520), the dispatch mode's column and module. LR-ASPP's head
        // reads its backbone's features.4 by the path backbone.4, held from that layer on; its peak comes earlier, in the backbone's
        // third stage. FCN-ResNet50 peaks in the BatchNorm of layer4's first downsample.
        assertEquals(42_182_400L, LRASPPMobileNetV3LargeCost.PEAK_ACTIVATION_BYTES);
        assertEquals("backbone.2.block.0.1", LRASPPMobileNetV3LargeCost.PEAK_ACTIVATION_LAYER);
        assertEquals(124_384_000L, FcnResNet50Cost.PEAK_ACTIVATION_BYTES);
        assertEquals("backbone.layer4.0.downsample.1", FcnResNet50Cost.PEAK_ACTIVATION_LAYER);
    }

    @Test
    void swinTAtABatchOfTwoPeaksInItsFirstMlpAsInPyTorch() throws java.io.IOException {
        // tools/pytorch/swin-peak.txt (measure_swin_peak.py, measure_memory.py's liveness on torchvision's swin_t at 2x3x224x224):
        // 30,105,600 bytes at features.1.1.mlp.0's add, held through its GELU. (At batch 1 PyTorch's peak is inside a shifted
        // block's attention, where torchvision holds locals past their last use; see SwinT.)
        String source = java.nio.file.Files.readString(ExampleSources.SOURCES.resolve("SwinT.java"));
        Compilation compilation = ExampleSources.compile("SwinT", source.replace("@Model(input = {3, 224, 224})", "@Model(input = {3, 224, 224}, batch = 2)"));
        assertThat(compilation).succeeded();
        String generated = ExampleSources.generated(compilation, "SwinTCost");
        assertEquals(30_105_600L, ExampleSources.constant(generated, "PEAK_ACTIVATION_BYTES"));
    }

    @Test
    void inferenceMemoryIsWeightsBuffersPeakAndCache() {
        // torchvision's resnet18: 46,758,048 bytes of parameters and 38,560 of buffers, of which 38,400 are the running
        // statistics (the other 160 are num_batches_tracked, int64, which modelcost does not count)
        assertEquals(46_758_048L + 38_400L + 7_024_640L, ResNet18Cost.INFERENCE_MEMORY_BYTES);
    }
}
