package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The roofline of three sequential examples on the two profiles each declares, derived by hand
 * layer by layer: torchvision's shapes, textbook FLOPs and the bytes each layer reads and writes at
 * fp32, convolutions at the TF32 rate where the device has one (PyTorch's
 * {@code torch.backends.cudnn.allow_tf32} is on by default). The profiles' figures are the vendors'
 * published ones, typed here from their datasheets.
 */
class RooflineFiguresTest {
    // Jetson AGX Orin technical brief: GPU 5.3 FP32 TFLOPS, 204.8 GB/s LPDDR5; no TF32 rate published.
    private static final double ORIN_FP32 = 5.3e12;
    private static final double ORIN_BANDWIDTH = 204.8e9;
    // Intel Xeon Platinum 8480+: 56 cores x 2 AVX-512 FMA units x 16 fp32 lanes x 2 FLOPs x 2.0 GHz base; 8 x DDR5-4800 x 8 bytes; no TF32.
    private static final double XEON_FP32 = 56 * 2 * 16 * 2 * 2.0e9;
    private static final double XEON_BANDWIDTH = 8 * 4800e6 * 8;
    // A100 SXM4 80GB datasheet: FP32 19.5 TFLOPS, TF32 Tensor Core 156 TFLOPS, 2,039 GB/s.
    private static final double A100_FP32 = 19.5e12;
    private static final double A100_TF32 = 156e12;
    private static final double A100_BANDWIDTH = 2039e9;
    // Ada whitepaper, GeForce RTX 4090: FP32 82.6 TFLOPS, TF32 Tensor 82.6 TFLOPS dense, 1,008 GB/s.
    private static final double RTX4090_FP32 = 82.6e12;
    private static final double RTX4090_TF32 = 82.6e12;
    private static final double RTX4090_BANDWIDTH = 1008e9;
    // L4 datasheet: FP32 30.3 TFLOPS, TF32 Tensor Core 120 TFLOPS with sparsity (60 dense), 300 GB/s.
    private static final double L4_FP32 = 30.3e12;
    private static final double L4_TF32 = 60e12;
    private static final double L4_BANDWIDTH = 300e9;
    // H100 SXM: FP32 67 TFLOPS, TF32 Tensor Core 989 TFLOPS with sparsity (494.5 dense), 3.35 TB/s.
    private static final double H100_FP32 = 67e12;
    private static final double H100_TF32 = 494.5e12;
    private static final double H100_BANDWIDTH = 3350e9;

    /** One layer's work (FLOPs and other ops), bytes moved, and whether it is a convolution (which cuDNN runs at TF32 by default). */
    private record Layer(long ops, long bytes, boolean conv) {
        Layer(long ops, long bytes) {
            this(ops, bytes, false);
        }
    }

    /** Conv2d with a bias: 2K FLOPs per output (K multiplies, K - 1 adds, the bias); reads input and weights, writes output. */
    private static Layer conv(int cin, int hin, int win, int cout, int k, int hout, int wout) {
        long outputs = (long) cout * hout * wout;
        long weights = (long) cout * cin * k * k + cout;
        return new Layer(2L * cin * k * k * outputs, 4 * ((long) cin * hin * win + outputs + weights), true);
    }

    /** Linear with a bias: 2 x in FLOPs per output. */
    private static Layer linear(int in, int out) {
        return new Layer(2L * in * out, 4 * ((long) in + out + (long) in * out + out));
    }

    /** ReLU: one op per element, reads and writes every element. */
    private static Layer relu(long elements) {
        return new Layer(elements, 8 * elements);
    }

    /** MaxPool2d: k x k - 1 comparisons per output. */
    private static Layer maxPool(int c, int hin, int win, int k, int hout, int wout) {
        long outputs = (long) c * hout * wout;
        return new Layer((long) (k * k - 1) * outputs, 4 * ((long) c * hin * win + outputs));
    }

    /** An adaptive average pool whose output is its input's size: every window reads one element. */
    private static Layer identityPool(long elements) {
        return new Layer(elements, 8 * elements);
    }

    /** The sum of max(ops / rate, bytes / bandwidth), convolutions at {@code convPeak} (TF32 where the device has it). */
    private static double bound(List<Layer> layers, double convPeak, double peak, double bandwidth) {
        double seconds = 0;
        for (Layer layer : layers) {
            seconds += Math.max(layer.ops() / (layer.conv() ? convPeak : peak), layer.bytes() / bandwidth);
        }
        return seconds;
    }

    private static long bytes(List<Layer> layers) {
        return layers.stream().mapToLong(Layer::bytes).sum();
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, expected * 1e-12);
    }

    @Test
    void leNet5OnAJetsonAndAXeon() {
        List<Layer> layers = List.of(
                conv(1, 32, 32, 6, 5, 28, 28), relu(6 * 28 * 28), maxPool(6, 28, 28, 2, 14, 14),
                conv(6, 14, 14, 16, 5, 10, 10), relu(16 * 10 * 10), maxPool(16, 10, 10, 2, 5, 5),
                linear(400, 120), relu(120), linear(120, 84), relu(84), linear(84, 10));
        assertEquals(bytes(layers), LeNet5Cost.BYTES_MOVED);
        assertClose(bound(layers, ORIN_FP32, ORIN_FP32, ORIN_BANDWIDTH), LeNet5Cost.LATENCY_BOUND_SECONDS_JETSON_AGX_ORIN_64GB);
        assertClose(bound(layers, XEON_FP32, XEON_FP32, XEON_BANDWIDTH), LeNet5Cost.LATENCY_BOUND_SECONDS_XEON_PLATINUM_8480_PLUS);
    }

    @Test
    void alexNetOnAnA100AndAnRtx4090() {
        List<Layer> layers = List.of(
                conv(3, 224, 224, 64, 11, 55, 55), relu(64 * 55 * 55), maxPool(64, 55, 55, 3, 27, 27),
                conv(64, 27, 27, 192, 5, 27, 27), relu(192 * 27 * 27), maxPool(192, 27, 27, 3, 13, 13),
                conv(192, 13, 13, 384, 3, 13, 13), relu(384 * 13 * 13),
                conv(384, 13, 13, 256, 3, 13, 13), relu(256 * 13 * 13),
                conv(256, 13, 13, 256, 3, 13, 13), relu(256 * 13 * 13), maxPool(256, 13, 13, 3, 6, 6),
                identityPool(256 * 6 * 6),
                linear(9216, 4096), relu(4096), linear(4096, 4096), relu(4096), linear(4096, 1000));
        assertEquals(bytes(layers), AlexNetCost.BYTES_MOVED);
        assertClose(bound(layers, A100_TF32, A100_FP32, A100_BANDWIDTH), AlexNetCost.LATENCY_BOUND_SECONDS_A100_SXM_80GB);
        assertClose(bound(layers, RTX4090_TF32, RTX4090_FP32, RTX4090_BANDWIDTH), AlexNetCost.LATENCY_BOUND_SECONDS_RTX_4090);
    }

    @Test
    void vgg16OnAnL4AndAnH100() {
        List<Layer> layers = new ArrayList<>();
        int[][] stages = {{3, 64, 64}, {64, 128, 128}, {128, 256, 256, 256}, {256, 512, 512, 512}, {512, 512, 512, 512}};
        int size = 224;
        for (int[] stage : stages) {
            for (int i = 1; i < stage.length; i++) {
                layers.add(conv(stage[i - 1], size, size, stage[i], 3, size, size));
                layers.add(relu((long) stage[i] * size * size));
            }
            int channels = stage[stage.length - 1];
            layers.add(maxPool(channels, size, size, 2, size / 2, size / 2));
            size /= 2;
        }
        layers.add(identityPool(512 * 7 * 7));
        layers.addAll(List.of(linear(25088, 4096), relu(4096), linear(4096, 4096), relu(4096), linear(4096, 1000)));
        assertEquals(bytes(layers), VGG16Cost.BYTES_MOVED);
        assertClose(bound(layers, L4_TF32, L4_FP32, L4_BANDWIDTH), VGG16Cost.LATENCY_BOUND_SECONDS_L4);
        assertClose(bound(layers, H100_TF32, H100_FP32, H100_BANDWIDTH), VGG16Cost.LATENCY_BOUND_SECONDS_H100_SXM);
    }
}
