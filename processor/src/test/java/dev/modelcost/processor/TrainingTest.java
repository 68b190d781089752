package dev.modelcost.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.modelcost.processor.ModelSources.columnAfter;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.constant;
import static dev.modelcost.processor.ModelSources.expectOnly;
import static dev.modelcost.processor.ModelSources.model;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * A training step, derived by hand: FLOPs (a backward of twice the forward), the activations
 * autograd saves (against PyTorch's {@code saved_tensors_hooks}), gradients and optimizer state.
 */
class TrainingTest {
    private static long figure(Compilation compilation, String name) {
        return constant(compilation, "test.NetCost", name);
    }

    /**
     * PyTorch's {@code nn.TransformerEncoderLayer(512, 8, 2048, dropout=0.1, batch_first=True)} on 1 x 128 x 512 in training: the
     * self-attention's own dropout is the layer's.
     */
    private static final String ENCODER = model("@Model(input = {128, 512}, layout = \"L,D\")\n@Training",
            "@MultiheadAttention(numHeads = 8, batchFirst = true, dropout = 0.1) Layer self_attn;",
            "@Dropout(p = 0.1) Layer dropout1;", "@Add({\"input\", \"dropout1\"}) Layer residual1;", "@LayerNorm Layer norm1;",
            "@Linear(out = 2048) Layer linear1;", "@ReLU Layer activation;", "@Dropout(p = 0.1) Layer dropout;",
            "@Linear(out = 512) Layer linear2;", "@Dropout(p = 0.1) Layer dropout2;", "@Add({\"norm1\", \"dropout2\"}) Layer residual2;",
            "@LayerNorm Layer norm2;");

    @Test
    void aTransformerEncoderLayerSavesWhatPyTorchSavesWithBoolMasks() {
        // tools/pytorch/saved-tensors.tsv, transformer_encoder_layer_train: 7,342,088 bytes (saved_bytes_excl_params), measured on
        // the CPU of torch 1.13. Two things differ by design: the CPU saves each dropout mask as float32 where CUDA's native_dropout
        // saves a bool (1 byte instead of 4, on 8 x 128 x 128 + 128 x 512 + 128 x 2048 + 128 x 512 = 524,288 mask elements), and
        // PyTorch saves the attention's 1 / sqrt(64) as an 8-byte float64 scalar, which modelcost does not count.
        long masks = 8 * 128 * 128 + 128 * 512 + 128 * 2048 + 128 * 512;
        assertEquals(7_342_088L - 3 * masks - 8, figure(compiled(ENCODER), "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void theEncoderLayersSavedTensorsOneByOne() {
        // x 262,144; q, k, v 3 x 262,144; probabilities 524,288, their bool mask 131,072, the dropped ones 524,288; the heads' output
        // 262,144; dropout1's mask 65,536; norm1's input 262,144 and 2 x 128 fp32 statistics; linear1's input 262,144; the ReLU's
        // result 1,048,576; dropout's mask 262,144; linear2's input 1,048,576; dropout2's mask 65,536; norm2's input and statistics.
        long expected = 262_144 + 3 * 262_144 + 524_288 + 131_072 + 524_288 + 262_144 + 65_536 + 262_144 + 1_024 + 262_144 + 1_048_576
                + 262_144 + 1_048_576 + 65_536 + 262_144 + 1_024;
        assertEquals(expected, figure(compiled(ENCODER), "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void instanceNormSavesTheParametersAndStatisticsItRepeatsPerSample() {
        // InstanceNorm2d(4) on 3 x 4 x 3 x 5 in training, measured with PyTorch 1.13's saved_tensors_hooks (each storage once, the
        // module's parameters and buffers left out): batch_norm on the (1, 12, 3, 5) view saves the input (720) and a mean and an
        // inverse deviation per sample and channel (2·12·4): 816. at::instance_norm repeats the weight where affine (+48) and the
        // running mean and variance where it tracks them (+96), new tensors batch_norm saves: 864, 912, 960. The input requires grad,
        // as a layer's inside a network does (without weights, on data, autograd records nothing: input-grad-saved.tsv).
        String header = "@Model(input = {4, 3, 5}, batch = 3)\n@Training(inputsRequireGrad = true)";
        for (String[] norm : new String[][] {{"", "816"}, {"affine = true", "864"}, {"trackRunningStats = true", "912"},
                {"affine = true, trackRunningStats = true", "960"}}) {
            assertEquals(Long.parseLong(norm[1]), figure(compiled(model(header, "@InstanceNorm2d(" + norm[0] + ") Layer norm;")),
                    "SAVED_ACTIVATION_BYTES"), norm[0]);
        }
    }

    @Test
    void aLayerBeforeEveryWeightSavesNothingWhereTheInputIsData() {
        // saved_tensors_hooks over one training forward, each storage once, parameters and buffers left out, the input data
        // (requires_grad=False) or an activation (x.requires_grad_()); PyTorch 1.13, CPU, float32
        // (/usr/bin/python3 tools/pytorch/measure_input_grad_saved.py, input-grad-saved.tsv).
        String[][] cases = {
            // nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(3, 8, 3)) on 1 x 3 x 32 x 32: the convolution's input alone (3 x 16 x 16 fp32),
            // or also the pooling's input and its int64 indices
            {"@Model(input = {3, 32, 32})", "@MaxPool2d(k = 2) Layer pool; @Conv2d(cout = 8, k = 3) Layer conv;", "3072", "21504"},
            // nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(3, 8, 3)): the padded 3 x 34 x 34, or also the pad's input
            {"@Model(input = {3, 32, 32})", "@ReflectionPad2d(padding = {1, 1, 1, 1}) Layer pad; @Conv2d(cout = 8, k = 3) Layer conv;",
                "13872", "26160"},
            // nn.Sequential(nn.GELU(), nn.Linear(64, 8)) on 1 x 16 x 64: the linear layer's input, or also GELU's
            {"@Model(input = {16, 64})", "@GELU Layer act; @Linear(out = 8) Layer fc;", "4096", "8192"},
            // nn.Sequential(nn.Dropout(0.5), nn.ReLU(), nn.Linear(64, 8)) on 2 x 16 x 64: the ReLU's result (the linear layer's input),
            // no mask; with grad the mask too, whose bool bytes modelcost counts (2,048) where a CPU keeps float32 (8,192: 16,384
            // measured)
            {"@Model(input = {16, 64}, batch = 2)", "@Dropout(p = 0.5) Layer drop; @ReLU Layer relu; @Linear(out = 8) Layer fc;", "8192",
                String.valueOf(16_384 - 8_192 + 2_048)},
            // nn.InstanceNorm2d(4) on 3 x 4 x 3 x 5: no weights, nothing recorded on data (and nothing to train: MC426, below); affine,
            // the same 864 bytes either way
            {"@Model(input = {4, 3, 5}, batch = 3)", "@InstanceNorm2d Layer norm;", null, "816"},
            {"@Model(input = {4, 3, 5}, batch = 3)", "@InstanceNorm2d(affine = true) Layer norm;", "864", "864"},
        };
        // A product saves each operand only where the other requires grad: Linear(64, 8) of a (16 x 64), then its product with a
        // second input m, data (16 x 8, or 8 x 5 for a matrix product): the linear layer's input a and m, not the linear layer's
        // output (4,096 + 512 = 4,608, and 4,096 + 160 = 4,256).
        String two = "@Model(inputs = {@Input(name = \"a\", shape = {16, 64}), @Input(name = \"m\", shape = {%s})})\n@Training";
        assertEquals(4_608L, figure(compiled(model(two.formatted("16, 8"), "@From(\"a\") @Linear(out = 8) Layer fc;",
                "@Mul({\"fc\", \"m\"}) Layer y;")), "SAVED_ACTIVATION_BYTES"));
        assertEquals(4_256L, figure(compiled(model(two.formatted("8, 5"), "@From(\"a\") @Linear(out = 8) Layer fc;",
                "@From({\"fc\", \"m\"}) @MatMul Layer y;")), "SAVED_ACTIVATION_BYTES"));
        // A product of three is computed left to right, (a * b) * c, and the second multiplication saves the partial product: three
        // Linear(64, 64) of x (16 x 64, 4,096 bytes) multiplied save x, a, b, a * b and c, 20,480; Linear(64, 1) of the first input times the data
        // m (16 x 64) times Linear(64, 64) of it saves that input, m, a * m and b, not a (m needs no gradient), 16,384 (PyTorch 1.13 measures
        // both, tools/pytorch/input-grad-saved.tsv).
        assertEquals(20_480L, figure(compiled(model("@Model(input = {16, 64})\n@Training", "@Linear(out = 64) Layer a;",
                "@From(\"input\") @Linear(out = 64) Layer b;", "@From(\"input\") @Linear(out = 64) Layer c;", "@Mul({\"a\", \"b\", \"c\"}) Layer y;")),
                "SAVED_ACTIVATION_BYTES"));
        String data = "@Model(inputs = {@Input(name = \"a\", shape = {16, 64}), @Input(name = \"m\", shape = {16, 64})})\n@Training";
        assertEquals(16_384L, figure(compiled(model(data, "@From(\"a\") @Linear(out = 1) Layer fa;", "@From(\"a\") @Linear(out = 64) Layer fb;",
                "@Mul({\"fa\", \"m\", \"fb\"}) Layer y;")), "SAVED_ACTIVATION_BYTES"));
        for (String[] c : cases) {
            if (c[2] != null) {
                assertEquals(Long.parseLong(c[2]), figure(compiled(model(c[0] + "\n@Training", c[1])), "SAVED_ACTIVATION_BYTES"), c[1]);
            }
            assertEquals(Long.parseLong(c[3]), figure(compiled(model(c[0] + "\n@Training(inputsRequireGrad = true)", c[1])),
                    "SAVED_ACTIVATION_BYTES"), c[1] + " on an input that requires grad");
        }
    }

    @Test
    void channelWiseDropoutSavesOneNoiseValuePerSampleAndChannelAsPyTorchRunsIt() {
        // Measured with saved_tensors_hooks on PyTorch 1.13 (CPU, fp32, each storage once, parameters left out), batch 2, the first
        // layer on data. Conv1d(3, 4, 1), Dropout1d(0.5), Conv1d(4, 2, 1) on 2 x 3 x 7: the input 168, the noise 2 x 4 x 1 (32) and
        // the second conv's input 224, 424. Linear(5, 6), Dropout1d(0.5), Linear(6, 2) on 2 x 5: dropout1d takes a 2-D input as one
        // sample of 2 channels, noise 1 x 2 x 1 (8): 40 + 8 + 48 = 96. Dropout2d between Conv2d(3, 4, 1) and Conv2d(4, 2, 1) on
        // 2 x 3 x 4 x 5: 480 + 32 + 640 = 1,152, in place too; between the Linear layers its noise is all of 2 x 6 (48): 136.
        // Dropout3d between Conv3d(3, 4, 1) and Conv3d(4, 2, 1) on 2 x 3 x 4 x 5 x 6: 2,880 + 32 + 3,840 = 6,752; between the
        // Conv2d layers it takes the 4-D input as one sample of 2 channels, noise 1 x 2 x 1 x 1 x 1 (8): 1,128.
        String[][] cases = {
            {"{3, 7}, layout = \"C,L\"", "@Conv1d(cout = 4, k = 1) Layer c0; @Dropout1d(p = 0.5) Layer d; @Conv1d(cout = 2, k = 1) Layer c;", "424"},
            {"{5}", "@Linear(out = 6) Layer l0; @Dropout1d(p = 0.5) Layer d; @Linear(out = 2) Layer l;", "96"},
            {"{3, 4, 5}", "@Conv2d(cout = 4, k = 1) Layer c0; @Dropout2d(p = 0.5) Layer d; @Conv2d(cout = 2, k = 1) Layer c;", "1152"},
            {"{3, 4, 5}", "@Conv2d(cout = 4, k = 1) Layer c0; @Dropout2d(p = 0.5, inplace = true) Layer d; @Conv2d(cout = 2, k = 1) Layer c;", "1152"},
            {"{5}", "@Linear(out = 6) Layer l0; @Dropout2d(p = 0.5) Layer d; @Linear(out = 2) Layer l;", "136"},
            {"{3, 4, 5, 6}", "@Conv3d(cout = 4, k = 1) Layer c0; @Dropout3d(p = 0.5) Layer d; @Conv3d(cout = 2, k = 1) Layer c;", "6752"},
            {"{3, 4, 5}", "@Conv2d(cout = 4, k = 1) Layer c0; @Dropout3d(p = 0.5) Layer d; @Conv2d(cout = 2, k = 1) Layer c;", "1128"},
        };
        assertDropouts(cases);
        // dropout1d refuses a map at inference too ("dropout1d: Expected 2D or 3D input, but received a 4D input"), and every
        // channel-wise dropout a rate outside [0, 1]
        expectOnly(model("@Model(input = {3, 4, 5})", "@Conv2d(cout = 4, k = 1) Layer c0;", "@Dropout1d Layer d;"),
                "[MC302] d: Dropout1d takes a C,L (or one-axis) input, but the previous layer (c0) produces shape 4x4x5 (C,H,W) (fix: PyTorch's "
                        + "dropout1d expects a 2D or 3D input, the batch included; use @Dropout2d or @Dropout3d on a map)", "@Dropout1d", 5);
        expectOnly(model("@Model(input = {3, 4, 5})", "@Dropout2d(p = 1.5) Layer d;"), "[MC310] d: Dropout2d p = 1.5 must be from 0 to 1, as PyTorch "
                + "requires (\"dropout probability has to be between 0 and 1\")", "@Dropout2d", 20);
    }

    @Test
    void alphaDropoutSavesItsNoiseAndAnyDropoutAtPOneTheZeroItMultipliesBy() {
        // Measured with saved_tensors_hooks on PyTorch 1.13 (CPU, fp32, each storage once, parameters left out), batch 2, the first
        // layer on data. Without a dropout, Linear(5, 6), Linear(6, 2) on 2 x 5 save 40 + 48 = 88; Conv2d(3, 4, 1), Conv2d(4, 2, 1)
        // on 2 x 3 x 4 x 5 save 480 + 640 = 1,120; Conv1d(3, 4, 1), Conv1d(4, 2, 1) on 2 x 3 x 7 save 168 + 224 = 392. AlphaDropout(0.5)
        // between them adds its noise, the input's size at fp32 (alpha_dropout has no fused kernel): 48, 640 and 224, in place too.
        // FeatureAlphaDropout(0.5) adds one value per sample and channel: 2 x 6 (48), 2 x 4 (32), 2 x 4 (32). At p = 1 every dropout
        // multiplies by a zero scalar of the input's dtype, and saves it: 4 bytes (92, 1,124, 396), Dropout and Dropout2d alike.
        String[][] cases = {
            {"{5}", "@Linear(out = 6) Layer l0; @AlphaDropout(p = 0.5) Layer d; @Linear(out = 2) Layer l;", "136"},
            {"{3, 4, 5}", "@Conv2d(cout = 4, k = 1) Layer c0; @AlphaDropout(p = 0.5) Layer d; @Conv2d(cout = 2, k = 1) Layer c;", "1760"},
            {"{3, 4, 5}", "@Conv2d(cout = 4, k = 1) Layer c0; @AlphaDropout(p = 0.5, inplace = true) Layer d; @Conv2d(cout = 2, k = 1) Layer c;", "1760"},
            {"{3, 7}, layout = \"C,L\"", "@Conv1d(cout = 4, k = 1) Layer c0; @AlphaDropout(p = 0.5) Layer d; @Conv1d(cout = 2, k = 1) Layer c;", "616"},
            {"{5}", "@Linear(out = 6) Layer l0; @FeatureAlphaDropout(p = 0.5) Layer d; @Linear(out = 2) Layer l;", "136"},
            {"{3, 4, 5}", "@Conv2d(cout = 4, k = 1) Layer c0; @FeatureAlphaDropout(p = 0.5) Layer d; @Conv2d(cout = 2, k = 1) Layer c;", "1152"},
            {"{3, 7}, layout = \"C,L\"", "@Conv1d(cout = 4, k = 1) Layer c0; @FeatureAlphaDropout(p = 0.5, inplace = true) Layer d; "
                + "@Conv1d(cout = 2, k = 1) Layer c;", "424"},
            {"{5}", "@Linear(out = 6) Layer l0; @AlphaDropout(p = 1) Layer d; @Linear(out = 2) Layer l;", "92"},
            {"{3, 4, 5}", "@Conv2d(cout = 4, k = 1) Layer c0; @FeatureAlphaDropout(p = 1) Layer d; @Conv2d(cout = 2, k = 1) Layer c;", "1124"},
            {"{5}", "@Linear(out = 6) Layer l0; @Dropout(p = 1) Layer d; @Linear(out = 2) Layer l;", "92"},
            {"{3, 4, 5}", "@Conv2d(cout = 4, k = 1) Layer c0; @Dropout2d(p = 1) Layer d; @Conv2d(cout = 2, k = 1) Layer c;", "1124"},
            {"{3, 7}, layout = \"C,L\"", "@Conv1d(cout = 4, k = 1) Layer c0; @Dropout1d(p = 1) Layer d; @Conv1d(cout = 2, k = 1) Layer c;", "396"},
        };
        assertDropouts(cases);
        // PyTorch 1.13 refuses a rate outside [0, 1] ("dropout probability has to be between 0 and 1, but got 1.5") at inference too
        expectOnly(model("@Model(input = {3, 4, 5})", "@AlphaDropout(p = 1.5) Layer d;"), "[MC310] d: AlphaDropout p = 1.5 must be from 0 to 1, as "
                + "PyTorch requires (\"dropout probability has to be between 0 and 1\")", "@AlphaDropout", 23);
    }

    @Test
    void aDropoutOrANormOfALearnedTensorSavesItsOwnTensorsOnceWhateverTheBatch() {
        // A @Parameter runs once whatever the batch, and so do the layers on it alone. Measured with saved_tensors_hooks on PyTorch 1.13
        // (CPU, fp32, each storage once, parameters left out), x + layer(p) for x of 1 x 8 and 4 x 8 (1 x 3 x 8 and 4 x 3 x 8), the same
        // bytes at both batches: F.alpha_dropout(p of 8, 0.5) saves its noise of 8 values, 32; F.feature_alpha_dropout and F.dropout2d
        // take p of 3 x 8 as it is, noise of its first two dimensions, 3 x 8 (96); F.dropout3d adds a dimension before p of 8, noise
        // 1 x 8 (32); F.dropout1d adds one before p of 3 x 8, noise 1 x 3 x 1 (12); torchvision's stochastic depth in mode "row" draws
        // [p.shape[0]], 8 values (32); F.layer_norm saves a mean and a reciprocal deviation of one row, 8. F.dropout saves its mask of
        // p's 8 values (at fp32 on a CPU, 32; the counts follow CUDA's native_dropout, a bool each: 8).
        String[][] cases = {
            {"{8}", "@Parameter(shape = {8}) Layer p; @AlphaDropout(p = 0.5) Layer d;", "32"},
            {"{3, 8}", "@Parameter(shape = {3, 8}) Layer p; @FeatureAlphaDropout(p = 0.5) Layer d;", "96"},
            {"{3, 8}", "@Parameter(shape = {3, 8}) Layer p; @Dropout2d(p = 0.5) Layer d;", "96"},
            {"{8}", "@Parameter(shape = {8}) Layer p; @Dropout3d(p = 0.5) Layer d;", "32"},
            {"{3, 8}", "@Parameter(shape = {3, 8}) Layer p; @Dropout1d(p = 0.5) Layer d;", "12"},
            {"{8}", "@Parameter(shape = {8}) Layer p; @StochasticDepth(p = 0.5, mode = \"row\") Layer d;", "32"},
            {"{8}", "@Parameter(shape = {8}) Layer p; @LayerNorm(normalizedShape = {8}) Layer d;", "8"},
            {"{8}", "@Parameter(shape = {8}) Layer p; @Dropout(p = 0.5) Layer d;", "8"},
        };
        for (String[] c : cases) {
            for (int batch : new int[] {1, 4}) {
                assertEquals(Long.parseLong(c[2]), figure(compiled(model("@Model(input = " + c[0] + ")\n@Training(batch = " + batch + ")", c[1],
                        "@Add({\"input\", \"d\"}) Layer s;")), "SAVED_ACTIVATION_BYTES"), c[1] + " at a batch of " + batch);
            }
        }
    }

    @Test
    void aChannelWiseDropoutOfATensorOfOneDimensionIsRefusedAsPyTorchRefusesIt() {
        // PyTorch 1.13, p a Parameter of 8: F.feature_alpha_dropout(p, 0.5, True) and F.dropout2d(p, 0.5, True) raise "Feature dropout
        // requires at least 2 dimensions in the input" (in eval() both return p); F.dropout1d(p, 0.5, False) raises "dropout1d: Expected
        // 2D or 3D input, but received a 1D input" at inference too
        for (String kind : new String[] {"FeatureAlphaDropout", "Dropout2d"}) {
            String text = model("@Model(input = {8})\n@Training", "@Parameter(shape = {8}) Layer p;", "@" + kind + "(p = 0.5) Layer d;",
                    "@Add({\"input\", \"d\"}) Layer s;");
            expectOnly(text, "[MC424] d: in training the " + kind + " is given a tensor of 1 dimension (8 (F), no batch), whose channels it drops; "
                    + "PyTorch refuses it (\"Feature dropout requires at least 2 dimensions in the input\") (fix: give d a float tensor of two "
                    + "dimensions or more", "@Training", 1);
            compiled(text.replace("\n@Training", ""));
            compiled(text.replace("p = 0.5", "p = 1"));
        }
        expectOnly(model("@Model(input = {8})", "@Parameter(shape = {8}) Layer p;", "@Dropout1d Layer d;", "@Add({\"input\", \"d\"}) Layer s;"),
                "[MC302] d: Dropout1d takes a two- or three-axis (without the batch) input, but the previous layer (p) produces shape 8 (F) (fix: "
                        + "PyTorch's dropout1d "
                        + "expects a 2D or 3D input, the batch included; use @Dropout to drop single values of a tensor of one dimension)", "@Dropout1d", 5);
    }

    /**
     * Each case, a model's input at a batch of 2, its fields with a dropout named {@code d}, and the bytes PyTorch saves in training:
     * those bytes, and the dropout an identity at inference and at {@code p = 0} in training (PyTorch returns its input).
     */
    private static void assertDropouts(String[][] cases) {
        for (String[] c : cases) {
            assertEquals(Long.parseLong(c[2]), figure(compiled(model("@Model(input = " + c[0] + ", batch = 2)\n@Training", c[1])),
                    "SAVED_ACTIVATION_BYTES"), c[1] + " on " + c[0]);
            String without = c[1].replaceAll("@\\w*Dropout\\w*\\([^)]*\\) Layer d; ", "");
            assertEquals(figure(compiled(model("@Model(input = " + c[0] + ", batch = 2)", without)), "MACS"),
                    figure(compiled(model("@Model(input = " + c[0] + ", batch = 2)", c[1])), "MACS"), c[1]);
            assertEquals(figure(compiled(model("@Model(input = " + c[0] + ", batch = 2)\n@Training", without)), "SAVED_ACTIVATION_BYTES"),
                    figure(compiled(model("@Model(input = " + c[0] + ", batch = 2)\n@Training", c[1].replaceAll("p = [0-9.]+", "p = 0"))),
                            "SAVED_ACTIVATION_BYTES"), c[1] + " at p = 0");
        }
    }

    @Test
    void aPadOfReflectOrReplicateModeSavesItsInputAsTheModulesDo() {
        // nn.Conv2d(3, 4, 1), F.pad(x, (1, 1, 1, 1), mode), nn.Conv2d(4, 2, 3) on 1 x 3 x 6 x 6, training, saved_tensors_hooks (each
        // storage once, parameters left out), PyTorch 1.13 on a CPU: the first convolution saves the input (3 x 6 x 6 fp32, 432), the
        // second the padded map (4 x 8 x 8, 1,024); F.pad in modes reflect and replicate runs reflection_pad2d and replication_pad2d,
        // whose backward keeps the pad's input too (4 x 6 x 6, 576): 2,032, as nn.ReflectionPad2d(1) gives; constant and circular
        // keep nothing of the pad's: 1,456.
        for (String[] mode : new String[][] {{"reflect", "2032"}, {"replicate", "2032"}, {"constant", "1456"}, {"circular", "1456"}}) {
            assertEquals(Long.parseLong(mode[1]), figure(compiled(model("@Model(input = {3, 6, 6})\n@Training", "@Conv2d(cout = 4, k = 1) Layer c0;",
                    "@Pad(pad = {1, 1, 1, 1}, mode = \"" + mode[0] + "\") Layer p;", "@Conv2d(cout = 2, k = 3) Layer c;")), "SAVED_ACTIVATION_BYTES"),
                    mode[0]);
        }
        assertEquals(2_032L, figure(compiled(model("@Model(input = {3, 6, 6})\n@Training", "@Conv2d(cout = 4, k = 1) Layer c0;",
                "@ReflectionPad2d(padding = {1, 1, 1, 1}) Layer p;", "@Conv2d(cout = 2, k = 3) Layer c;")), "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void stochasticDepthSavesOneNoiseValueASampleInRowModeAndOneInBatchMode() {
        // nn.Sequential(nn.Linear(8, 8), torchvision.ops.StochasticDepth(0.2, mode)) on 4 x 8, training, saved_tensors_hooks: the
        // linear layer's input (128 bytes) and the noise the product keeps, [4, 1] in mode row (16), [1, 1] in mode batch (4).
        assertEquals(144L, figure(compiled(model("@Model(input = {8}, batch = 4)\n@Training", "@Linear(out = 8) Layer fc;",
                "@StochasticDepth(p = 0.2, mode = \"row\") Layer sd;")), "SAVED_ACTIVATION_BYTES"));
        assertEquals(132L, figure(compiled(model("@Model(input = {8}, batch = 4)\n@Training", "@Linear(out = 8) Layer fc;",
                "@StochasticDepth(p = 0.2, mode = \"batch\") Layer sd;")), "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void whatRequiresGradFollowsPathsSharedModulesExpertsAndSegments() {
        // By hand, fp32, 16 x 64 activations of 4,096 bytes. A GELU on fc's output read by path inside a block (fc requires grad):
        // fc saves x, the ReLU its result, the GELU its input, head its input: 4 x 4,096 (PyTorch 1.13: 16,384).
        assertEquals(16_384L, figure(compiled(model("@Model(input = {16, 64})\n@Training", "Blk blk;", "@From(\"blk.fc\") @GELU Layer act;",
                "@Add({\"act\", \"blk\"}) Layer sum;", "@Linear(out = 8) Layer head;",
                "@Block static class Blk { @Linear(out = 64) Layer fc; @ReLU Layer relu; }")), "SAVED_ACTIVATION_BYTES"));
        // A tower of MaxPool2d(2) and Conv2d(3, 8, 3) called on two images, the second call @Shared: each call's pooling is on data
        // and saves nothing, each convolution its 3 x 16 x 16 input: 2 x 3,072 (PyTorch 1.13: 6,144).
        assertEquals(6_144L, figure(compiled(model("@Model(inputs = {@Input(name = \"left\", shape = {3, 32, 32}), "
                + "@Input(name = \"right\", shape = {3, 32, 32})})\n@Training", "@From(\"left\") Tower tower;",
                "@From(\"right\") @Shared(\"tower\") Tower again;", "@Add({\"tower\", \"again\"}) Layer sum;",
                "@Block static class Tower { @MaxPool2d(k = 2) Layer pool; @Conv2d(cout = 8, k = 3) Layer conv; }")), "SAVED_ACTIVATION_BYTES"));
        // Experts of GELU then Linear(64) after a linear layer, top 2 of 4: pre saves x (4,096); each expert over every token its
        // gathered copy (which requires grad, as pre's output does) at the GELU and the GELU's result at fc, 8,192, twice: 20,480.
        assertEquals(20_480L, figure(compiled(model("@Model(input = {16, 64})\n@Training", "@Linear(out = 64) Layer pre;",
                "@Experts(count = 4, topK = 2) Expert moe;", "@Block static class Expert { @GELU Layer act; @Linear(out = 64) Layer fc; }")),
                "SAVED_ACTIVATION_BYTES"));
        // Recomputing MaxPool2d(2), Conv2d(3, 8, 3) and a ReLU field by field on a 3 x 32 x 32 image: the pooling records nothing
        // and keeps no input; the convolution keeps its input (3,072), the ReLU its input (8 x 14 x 14, 6,272), and backward holds
        // the largest segment's own, the ReLU's result (6,272): 15,616.
        assertEquals(15_616L, figure(compiled(model("@Model(input = {3, 32, 32})\n@Training(recompute = true)", "@MaxPool2d(k = 2) Layer pool;",
                "@Conv2d(cout = 8, k = 3) Layer conv;", "@ReLU Layer relu;")), "SAVED_ACTIVATION_BYTES"));
        // A segment that saves nothing keeps no input, as a non-reentrant checkpoint keeps none: conv, ReLU, conv, ReLU, the sum of
        // the two ReLUs, conv (8 channels, padding 1, 32 x 32). Kept: the image (12,288) and the outputs of c1, r1, c2 and the add
        // (4 x 32,768), not r2's, which the add alone reads: 143,360. Backward frees each segment's kept inputs once its backward
        // has run: while r2 is recomputed, c3's kept sum is gone and r2's own result (32,768) is alive besides the image and the
        // outputs of c1, r1 and c2: 143,360 again, the most at any moment. PyTorch 1.13 with checkpoint(use_reentrant=False) around
        // each field, live tensors found with gc after each recomputation (tools/pytorch/measure_checkpoint_peak.py,
        // checkpoint-peak.tsv, "conv"): 143,360 after the forward pass and while r2 is recomputed with its result, 110,592 for c2,
        // 77,824 for r1, each with 8 bytes of autograd's scalars besides.
        assertEquals(143_360L, figure(compiled(model("@Model(input = {3, 32, 32})\n@Training(recompute = true)",
                "@Conv2d(cout = 8, k = 3, padding = 1) Layer c1;", "@ReLU Layer r1;", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c2;",
                "@ReLU Layer r2;", "@Add({\"r1\", \"r2\"}) Layer add;", "@Conv2d(cout = 8, k = 3, padding = 1) Layer c3;")),
                "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void recomputationOfALongRunCostsNoMoreThanOfAShortOne() {
        // By hand, a block of Linear(8 -> 8) and ReLU repeated n times, each repetition a segment: x and every repetition's output
        // but the last are kept (the next one's Linear saves its input), 32 bytes each, and the last repetition is recomputed beside
        // them with its own, the ReLU's result: 32·n + 32. At n = 3, 128; at n = 200,000,000, 6,400,000,032, which the walk gives
        // from the run, not repetition by repetition.
        String block = "@Block static class B { @Linear(out = 8) Layer fc; @ReLU Layer act; }";
        assertEquals(128L, saved("@Model(input = {8})\n@Training(recompute = true)", "@Repeat(3) B b;", block));
        assertEquals(6_400_000_032L, saved("@Model(input = {8})\n@Training(recompute = true)", "@Repeat(200000000) B b;", block));
    }

    @Test
    void aTensorReadByPathIsTheOneWalkedThereAndSegmentsThatSaveNothingKeepNothing() {
        // Found by a review, each against PyTorch 1.13 (saved_tensors_hooks; checkpoint(use_reentrant=False) around each field),
        // or by hand. A stem's average-pooled image, read by path, is data: the GELU on it saves nothing, though the stem's output
        // requires grad. Saved: conv's input, the pooled 3 x 16 x 16 (3,072), c2's input, the GELU's result (3,072), head's input
        // (8 x 16 x 16, 8,192): 14,336.
        assertEquals(14_336L, saved("@Model(input = {3, 32, 32})\n@Training", "Stem stem;", "@From(\"stem.down\") @GELU Layer g;",
                "@Conv2d(cout = 8, k = 3, padding = 1) Layer c2;", "@Add({\"stem\", \"c2\"}) Layer sum;", "@Conv2d(cout = 4, k = 1) Layer head;",
                "@Block static class Stem { @AvgPool2d(k = 2) Layer down; @Conv2d(cout = 8, k = 3, padding = 1) Layer conv; }"));
        // The other way: a block whose output is its data input, and fc inside it, read by path, requires grad: fc saves x, the GELU
        // fc's output, head its input: 3 x 4,096.
        assertEquals(12_288L, saved("@Model(input = {16, 64})\n@Training", "Blk blk;", "@From(\"blk.fc\") @GELU Layer g;",
                "@Add({\"g\", \"blk\"}) Layer sum;", "@Linear(out = 8) Layer head;",
                "@Block static class Blk { @Linear(out = 64) Layer fc; @From(\"input\") @Identity Layer id; }"));
        // Recomputed, fc's output read by path by two GELUs is one tensor kept once. Kept: x (fc saves it), fc's output (for the
        // GELUs) and head's input; the sums save nothing and keep nothing: 3 x 4,096, alive until head's backward has run. blk's own,
        // the ReLU's result, is recomputed last, beside x alone: 2 x 4,096. PyTorch 1.13 (checkpoint(use_reentrant=False) around
        // each field, gc after each recomputation; tools/pytorch/measure_checkpoint_peak.py, "path"): 12,288 after the forward pass
        // and while head is recomputed, 8,192 for g2 and g1, 8,192 for blk with its ReLU's result, each with 8 bytes of scalars.
        assertEquals(12_288L, saved("@Model(input = {16, 64})\n@Training(recompute = true)", "Blk blk;", "@From(\"blk.fc\") @GELU Layer g1;",
                "@From(\"blk.fc\") @GELU Layer g2;", "@Add({\"g1\", \"g2\"}) Layer s;", "@Add({\"s\", \"blk\"}) Layer s2;",
                "@Linear(out = 8) Layer head;", "@Block static class Blk { @Linear(out = 64) Layer fc; @ReLU Layer relu; }"));
        // A run of two poolings of the image saves nothing, so no repetition keeps its input: 69,888, as two pooling fields.
        assertEquals(69_888L, saved("@Model(input = {3, 32, 32})\n@Training(recompute = true)", "@Repeat(2) P pools;",
                "@Conv2d(cout = 8, k = 3) Layer conv;", "@ReLU Layer relu;",
                "@Block static class P { @MaxPool2d(k = 3, stride = 1, padding = 1) Layer pool; }"));
        assertEquals(69_888L, saved("@Model(input = {3, 32, 32})\n@Training(recompute = true)", "@MaxPool2d(k = 3, stride = 1, padding = 1) Layer p1;",
                "@MaxPool2d(k = 3, stride = 1, padding = 1) Layer p2;", "@Conv2d(cout = 8, k = 3) Layer conv;", "@ReLU Layer relu;"));
        // x + x three times after a linear layer saves nothing: x and the last sum are kept (the linear layers' inputs), 8,192.
        assertEquals(8_192L, saved("@Model(input = {16, 64})\n@Training(recompute = true)", "@Linear(out = 64) Layer fc;", "@Repeat(3) V twice;",
                "@Linear(out = 8) Layer head;", "@Block static class V { @Identity Layer i; @Add({\"input\", \"i\"}) Layer s; }"));
        // Experts of two linear layers, top 2 of 4, recomputed: kept x, pre's output and the mixture's (3 x 4,096); the mixture's own,
        // per expert over every token its gathered copy and fc's result, twice: 16,384, recomputed once head's backward has freed
        // the mixture's output: 24,576 (its gathered copies were 0 bytes).
        assertEquals(24_576L, saved("@Model(input = {16, 64})\n@Training(recompute = true)", "@Linear(out = 64) Layer pre;",
                "@Experts(count = 4, topK = 2) Expert moe;", "@Linear(out = 8) Layer head;",
                "@Block static class Expert { @Linear(out = 64) Layer fc; @Linear(out = 64) Layer fc2; }"));
    }

    @Test
    void pathsIntoRepetitionsBlocksInPlaceAndExpertsAreTheTensorsThere() {
        // Found by a third review; by hand, fp32, 16 x 64 tensors of 4,096 bytes, B = Linear(64) then GELU. Three repetitions save
        // their inputs (x and two outputs) at fc and fc's outputs at the GELU: 6 x 4,096; head saves the sum: 28,672. A GELU on a
        // tensor a repetition saved already adds nothing: the third's fc ("blocks.2.fc", which is not walked), and the second's
        // output ("blocks.1", the third's input). PyTorch 1.13 measures 28,672 for both.
        String run = "@Repeat(3) B blocks;";
        String tail = "@Add({\"g\", \"blocks\"}) Layer sum; @Linear(out = 8) Layer head;";
        String block = "@Block static class B { @Linear(out = 64) Layer fc; @GELU Layer act; }";
        assertEquals(28_672L, saved("@Model(input = {16, 64})\n@Training", run, "@From(\"blocks.2.fc\") @GELU Layer g;", tail, block));
        assertEquals(28_672L, saved("@Model(input = {16, 64})\n@Training", run, "@From(\"blocks.1\") @GELU Layer g;", tail, block));
        // An in-place ReLU on the third's fc output, which its GELU saved: PyTorch's backward refuses it (MC416).
        Compilation overwrite = ModelSources.compile(ModelSources.source("test.Net", model("@Model(input = {16, 64})\n@Training", run,
                "@From(\"blocks.2.fc\") @ReLU(inplace = true) Layer g;", tail, block)));
        assertThat(overwrite).hadErrorContaining("[MC416]");
        // A block applied in place: its fc is the model's own, saved once: x, fc's output, head's input.
        assertEquals(12_288L, saved("@Model(input = {16, 64})\n@Training", "@Args(value = {}, inPlace = true) B blk;",
                "@From(\"blk.fc\") @GELU Layer g;", "@Add({\"g\", \"blk\"}) Layer sum;", "@Linear(out = 8) Layer head;", block));
        // An expert with a field named as a model's field: sub.fc is the model's, which its GELU saved already. sub: 2 x 4,096; the
        // experts (a Linear then a ReLU, top 2): 2 x 8,192; head: 4,096.
        assertEquals(28_672L, saved("@Model(input = {16, 64})\n@Training", "S1 sub;", "@Experts(count = 4, topK = 2) E moe;",
                "@From(\"sub.fc\") @GELU Layer g;", "@Add({\"g\", \"moe\"}) Layer sum;", "@Linear(out = 8) Layer head;",
                "@Block static class S1 { @Linear(out = 64) Layer fc; @GELU Layer act; }",
                "@Block static class S2 { @Linear(out = 64) Layer fc; @ReLU Layer relu; }", "@Block static class E { S2 sub; }"));
        // Recomputed, a run whose first repetition pools data (saving nothing) and whose later ones pool what requires grad: m
        // (a 1 x 1 convolution, 4 x 8 x 8, 1,024 bytes) keeps x; the later repetitions keep the one before's output and m; head
        // keeps the last: x, m and three outputs, 5 x 1,024 (PyTorch 1.13 with checkpoint(use_reentrant=False) around each field and
        // repetition). The last repetition is recomputed once head's backward has freed its kept input: x, m, the first two
        // outputs and its own int64 indices, 4 x 1,024 + 2,048: 6,144.
        assertEquals(6_144L, saved("@Model(input = {4, 8, 8})\n@Training(recompute = true)", "@Conv2d(cout = 4, k = 1) Layer m;",
                "@From({\"input\", \"m\"}) @Repeat(3) P blocks;", "@Conv2d(cout = 4, k = 1) Layer head;",
                "@Block(inputs = {\"input\", \"memory\"}) static class P { @MaxPool2d(k = 3, stride = 1, padding = 1) Layer pool; "
                + "@Add({\"pool\", \"memory\"}) Layer s; }"));

        // Recomputed, a path naming a repetition's output is that tensor, which the next repetition keeps already: x, the outputs
        // of blocks.0 and blocks.1 (the inputs of blocks.1 and blocks.2) and head's input kept, 4 x 4,096, and a repetition's own
        // (fc's result, which the GELU saves), 4,096. The last repetition's output is the run's, another tensor, which g keeps.
        // PyTorch 1.13 with checkpoint(use_reentrant=False) around each field and repetition, the tensors the checkpoints keep
        // found with gc after the forward pass (their RNG states left out): 16,384, 16,384, 20,480, 20,480 and 20,480 kept
        // (tools/pytorch/measure_checkpoint.py). Backward frees head's kept input before it recomputes the last repetition, whose
        // own then lies beside x and the repetitions' outputs before it (3 x 4,096 of three, 4 of four): the most alive at any moment
        // is what the forward pass leaves kept, in each.
        String recomputed = "@Model(input = {16, 64})\n@Training(recompute = true)";
        assertEquals(16_384L, saved(recomputed, run, "@From(\"blocks.1\") @GELU Layer g;", tail, block));
        assertEquals(16_384L, saved(recomputed, run, "@From(\"blocks.0\") @GELU Layer g;", tail, block));
        assertEquals(20_480L, saved(recomputed, "@Repeat(4) B blocks;", "@From(\"blocks.1\") @GELU Layer g;", tail, block));
        assertEquals(20_480L, saved(recomputed, "@Repeat(4) B blocks;", "@From(\"blocks.2\") @GELU Layer g;", tail, block));
        assertEquals(20_480L, saved(recomputed, run, "@From(\"blocks.2\") @GELU Layer g;", tail, block));
        // The same by the run's names, whatever they are: DenseNet's prefix and start (denselayer1 of three, kept by denselayer2:
        // 16,384), the tenth of twelve (x, eleven outputs and head's input kept, 13 x 4,096, the GELU's read among them), and the
        // first of twelve, whose path "blocks.10" starts with: the same
        assertEquals(16_384L, saved(recomputed, "@Repeat(value = 3, prefix = \"denselayer\", start = 1) B blocks;",
                "@From(\"blocks.denselayer1\") @GELU Layer g;", tail, block));
        assertEquals(53_248L, saved(recomputed, "@Repeat(12) B blocks;", "@From(\"blocks.10\") @GELU Layer g;", tail, block));
        assertEquals(53_248L, saved(recomputed, "@Repeat(12) B blocks;", "@From(\"blocks.1\") @GELU Layer g;", tail, block));
    }

    private static long saved(String header, String... fields) {
        return figure(compiled(model(header, fields)), "SAVED_ACTIVATION_BYTES");
    }

    @Test
    void aBatchFirstAttentionSavesACopyOfWhatEachProjectionReads() {
        // tools/pytorch/input-grad-saved.tsv, PyTorch 1.13, less 8 bytes a call for the float64 scaling factor: two batch-first
        // nn.MultiheadAttention(32, 4) on one memory (Linear of 30 x 32 positions), batch 2: the memory's input, and a contiguous
        // copy of the memory per attention (the key and value are one tensor: one projection), 90,880 bytes; at batch 1 the
        // transposed memory is contiguous and saved once, 41,600. DETR's self-attention, query and key one tensor (x1 + pos) and
        // the value another: the query's and the key's projections each copy it, 23,680.
        String twice = "@Model(inputs = {@Input(name = \"src\", shape = {10, 32}), @Input(name = \"feats\", shape = {30, 32})}, batch = %d)\n"
                + "@Training(optimizer = \"SGD\", batch = %d)";
        String[] fields = {"@From(\"feats\") @Linear(out = 32) Layer mem;", "@From(\"src\") @Linear(out = 32) Layer q;",
            "@From({\"q\", \"mem\", \"mem\"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer a1;",
            "@From({\"a1\", \"mem\", \"mem\"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer a2;"};
        assertEquals(90_880L, saved(twice.formatted(2, 2), fields));
        assertEquals(41_600L, saved(twice.formatted(1, 1), fields));
        // Key and value of 16 features (kdim, vdim): PyTorch projects each alone, each copying the memory, 46,720; ten learned queries
        // expanded over the batch are copied at the batch's size, 48,000.
        assertEquals(46_720L, saved("@Model(inputs = {@Input(name = \"src\", shape = {10, 32}), @Input(name = \"feats\", shape = {30, 16})}, "
                + "batch = 2)\n@Training(optimizer = \"SGD\", batch = 2)", "@From(\"src\") @Linear(out = 32) Layer q;",
                "@From(\"feats\") @Linear(out = 16) Layer mem;",
                "@From({\"q\", \"mem\", \"mem\"}) @MultiheadAttention(numHeads = 4, kdim = 16, vdim = 16, batchFirst = true) Layer a;"));
        assertEquals(48_000L, saved("@Model(input = {30, 32}, batch = 2)\n@Training(optimizer = \"SGD\", batch = 2)", "@Linear(out = 32) Layer mem;",
                "@Parameter(shape = {10, 32}, layout = \"L,D\") Layer queries;",
                "@From({\"queries\", \"mem\", \"mem\"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn;"));
        assertEquals(23_680L, saved("@Model(input = {10, 32}, batch = 2)\n@Training(optimizer = \"SGD\", batch = 2)", "@Linear(out = 32) Layer x1;",
                "@Parameter(shape = {10, 32}) Layer pos;", "@Add({\"x1\", \"pos\"}) Layer qk;",
                "@From({\"qk\", \"qk\", \"x1\"}) @MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn;"));
    }

    @Test
    void attentionsExtraKeyRowsAreSavedWithTheKeysAndProbabilities() {
        // MultiheadAttention(32, 4, batch_first=True) then Linear(32, 8) on 2 x 64 x 32: add_bias_kv appends the bias to the keys
        // and values, add_zero_attn a row of zeros, so the saved keys and values have 65 or 66 rows, and so do the probabilities
        // of each head: per extra row 2 x 32 x 2 + 2 x 4 x 64 elements, 2,560 bytes. Measured with PyTorch 1.13's
        // saved_tensors_hooks: 231,944 with either, 234,504 with both, each with the 8-byte float64 scale modelcost leaves out.
        String header = "@Model(input = {64, 32}, layout = \"L,D\", batch = 2)\n@Training";
        long plain = figure(compiled(model(header, "@MultiheadAttention(numHeads = 4, batchFirst = true) Layer attn;", "@Linear(out = 8) Layer fc;")),
                "SAVED_ACTIVATION_BYTES");
        for (String[] extra : new String[][] {{"addBiasKv = true", "231944"}, {"addZeroAttn = true", "231944"},
                {"addBiasKv = true, addZeroAttn = true", "234504"}}) {
            long saved = figure(compiled(model(header, "@MultiheadAttention(numHeads = 4, batchFirst = true, " + extra[0] + ") Layer attn;",
                    "@Linear(out = 8) Layer fc;")), "SAVED_ACTIVATION_BYTES");
            assertEquals(Long.parseLong(extra[1]) - 8, saved, extra[0]);
            assertEquals(2_560L * (extra[0].contains(",") ? 2 : 1), saved - plain, extra[0]);
        }
    }

    @Test
    void selfAttentionOfOnePositionAtABatchOfOneSavesTheWholePackedProjection() {
        // nn.MultiheadAttention(8, 2, batch_first=True) on its input, train mode. Measured with PyTorch 1.13:
        // /usr/bin/python3 tools/pytorch/measure_memory.py self_attention_one_position_train self_attention_two_positions_train
        // gives saved_bytes_excl_params 208 at 1 x 1 x 8 and 360 at 1 x 2 x 8, each with the 8-byte float64 scale modelcost leaves
        // out. By hand, in floats: at one position the input 8, the scaled query 8, the keys and values as views of the whole
        // packed projection 24, the probabilities 2·1·1 and the heads' output 8: 50, 200 bytes. At two positions the slices are
        // contiguous copies: the input 16, the query, keys and values 16 each, the probabilities 2·2·2 and the output 16: 88, 352.
        String header = "@Model(input = {%d, 8}, layout = \"L,D\", sizes = {\"L\", \"batch\"})\n@Training";
        for (int[] at : new int[][] {{1, 200}, {2, 352}}) {
            Compilation compilation = compiled(model(header.formatted(at[0]), "@MultiheadAttention(numHeads = 2, batchFirst = true) Layer attn;"));
            assertEquals(at[1], figure(compilation, "SAVED_ACTIVATION_BYTES"), "L = " + at[0]);
        }
    }

    private static final String MLP = model("@Model(input = {1000})", "@Linear(out = 1000) Layer fc1;", "@ReLU Layer relu;",
            "@Linear(out = 10) Layer fc2;");

    @Test
    void optimizersAndPrecisionsByHand() {
        // 1,001,000 + 10,010 = 1,011,010 parameters.
        long params = 1_011_010;
        // Saved at batch 8 in fp32: fc1's input 8 x 1000 x 4, the ReLU's result 8 x 1000 x 4 (fc2's input, the same tensor).
        long saved = 8 * 1000 * 4 + 8 * 1000 * 4;
        Compilation adamw = compiled(MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training(batch = 8)"));
        assertEquals(saved, figure(adamw, "SAVED_ACTIVATION_BYTES"));
        assertEquals(4 * params + 4 * params + 8 * params + saved, figure(adamw, "TRAINING_MEMORY_BYTES"));
        // FLOPs: forward 2 x 1000 x 1000 + 2 x 1000 x 10 per sample (biases included), at batch 8, times 3.
        assertEquals(3L * 8 * (2_000_000 + 20_000), figure(adamw, "TRAINING_FLOPS"));

        Compilation sgd = compiled(MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training(batch = 8, optimizer = \"SGD\")"));
        assertEquals(0, figure(sgd, "OPTIMIZER_STATE_BYTES"));
        Compilation momentum = compiled(MLP.replace("@Model(input = {1000})",
                "@Model(input = {1000})\n@Training(batch = 8, optimizer = \"SGD\", momentum = 0.9)"));
        assertEquals(4 * params, figure(momentum, "OPTIMIZER_STATE_BYTES"));

        // Mixed precision: fp16 weights, their fp32 copy, fp16 gradients, fp32 moments: 16 bytes a parameter; activations at 2 bytes.
        Compilation mixed = compiled(MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training(batch = 8, optimizer = \"Adam\", "
                + "mixedPrecision = true)"));
        assertEquals(16 * params + saved / 2, figure(mixed, "TRAINING_MEMORY_BYTES"));
        assertEquals(6 * params, figure(mixed, "TRAINING_WEIGHT_BYTES"));
        assertEquals(2 * params, figure(mixed, "GRADIENT_BYTES"));
    }

    @Test
    void theReportGivesWhatEachLayerSavesFirst() throws java.io.IOException {
        // fc1 saves the input (32,000 bytes at batch 8), the ReLU its result (32,000), fc2 that same result again (nothing new).
        Compilation compilation = compiled(MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training(batch = 8)"));
        String json = compilation.generatedFile(javax.tools.StandardLocation.CLASS_OUTPUT, "META-INF/modelcost/test.Net.json").orElseThrow()
                .getCharContent(true).toString();
        java.util.List<String> saved = new java.util.ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"path\":\"(\\w+)\"[^{}]*?\"savedBytes\":(\\d+)").matcher(json);
        while (matcher.find()) {
            saved.add(matcher.group(1) + "=" + matcher.group(2));
        }
        assertEquals(java.util.List.of("fc1=32000", "relu=32000", "fc2=0"), saved);
    }

    @Test
    void attentionWrittenOutSavesTheRepeatedKeysAndValuesOfGroupedHeads() {
        // Llama's attention written out (repeat_kv, matmul, softmax, matmul) with 8 query heads on 2 key/value heads of 32, 64 tokens.
        // torch 1.13's saved_tensors_hooks over LlamaAttention(256, 8, 2) of ../shared/reference/modules.py save, for the attention:
        // q (8 x 64 x 32 = 16,384), k and v repeated to 8 heads (expand + reshape copies them: 16,384 each, and not the 4,096 given),
        // and the probabilities (8 x 64 x 64 = 32,768): 81,920 elements. In fp32, 327,680 bytes. q, k and v are the projections',
        // which require grad.
        String text = ModelSources.model("@Model(inputs = {@Input(name = \"q\", shape = {8, 64, 32}, layout = \"H,L,D\"), "
                + "@Input(name = \"k\", shape = {2, 64, 32}, layout = \"H,L,D\"), @Input(name = \"v\", shape = {2, 64, 32}, layout = \"H,L,D\")})\n"
                + "@Training(inputsRequireGrad = true)",
                "@From({\"q\", \"k\", \"v\"}) @ScaledDotProductAttention(isCausal = true, enableGqa = true, explicit = true) Layer attention;");
        assertEquals(81_920L * 4, figure(compiled(text), "SAVED_ACTIVATION_BYTES"));
        // One key/value head: the repetition is a view of it (stride 0), so the products save it as given: 16,384 + 2 x 2,048 + 32,768.
        String mqa = text.replace("shape = {2, 64, 32}", "shape = {1, 64, 32}");
        assertEquals((16_384L + 2 * 2_048 + 32_768) * 4, figure(compiled(mqa), "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void recomputationKeepsEachFieldsInputAndOneFieldsActivations() {
        // Three blocks of Linear 256 -> 256 and ReLU at batch 1: each saves its input (1,024) and the ReLU's result (1,024).
        String text = """
                package test;

                import dev.modelcost.*;

                @Model(input = {256})
                @Training(recompute = true)
                public class Net {
                    Layer1 a;
                    Layer1 b;
                    Layer1 c;

                    @Block
                    static class Layer1 {
                        @Linear(out = 256) Layer fc;
                        @ReLU Layer relu;
                    }
                }
                """;
        Compilation compilation = compiled(text);
        // kept: the inputs of a, b and c (3 x 1,024); held in backward: one block's own 2,048 bytes (its input counted already).
        assertEquals(3 * 1_024 + 1_024, figure(compilation, "SAVED_ACTIVATION_BYTES"));
        // and the forward again: 4 x the forward's 3 x 2 x 256 x 256 FLOPs
        assertEquals(4L * 3 * 2 * 256 * 256, figure(compilation, "TRAINING_FLOPS"));
        // without recomputation: every input and result, each once (b's input is a's result): 1,024 + 3 x 1,024
        assertEquals(4 * 1_024, figure(compiled(text.replace("@Training(recompute = true)", "@Training")), "SAVED_ACTIVATION_BYTES"));
        // The same three layers as @Repeat(3), as a ModuleList that Hugging Face's gradient_checkpointing checkpoints layer by layer:
        // each repetition is a segment of its own, the same 3 x 1,024 kept and one layer's 1,024 held.
        Compilation repeated = compiled(text.replace("    Layer1 a;\n    Layer1 b;\n    Layer1 c;\n", "    @Repeat(3) Layer1 layers;\n"));
        assertEquals(3 * 1_024 + 1_024, figure(repeated, "SAVED_ACTIVATION_BYTES"));
        // A repetition of two such layers: @Repeat(3) of a block applying Layer1 twice keeps the 3 repetitions' inputs and holds
        // one repetition's own 2 x 1,024: the first ReLU's result (which the second Linear saves as its input too) and the second's.
        Compilation pairs = compiled(text.replace("    Layer1 a;\n    Layer1 b;\n    Layer1 c;\n", "    @Repeat(3) Pair layers;\n")
                .replace("    @Block\n    static class Layer1", "    @Block\n    static class Pair {\n        Layer1 first;\n        Layer1 second;\n    }\n\n"
                        + "    @Block\n    static class Layer1"));
        assertEquals(3 * 1_024 + 2 * 1_024, figure(pairs, "SAVED_ACTIVATION_BYTES"));
        // The repeated layers inside a plain block (an encoder holding its ModuleList) are segments all the same.
        Compilation nested = compiled(text.replace("    Layer1 a;\n    Layer1 b;\n    Layer1 c;\n", "    Encoder encoder;\n")
                .replace("    @Block\n    static class Layer1", "    @Block\n    static class Encoder {\n        @Repeat(3) Layer1 layers;\n    }\n\n"
                        + "    @Block\n    static class Layer1"));
        assertEquals(3 * 1_024 + 1_024, figure(nested, "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void mc136To137AndMc415TrainingThatCannotBe() {
        String optimizer = MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training(optimizer = \"adam\")");
        expectOnly(optimizer, "[MC136] @Training(optimizer = \"adam\") is not an optimizer modelcost knows; did you mean 'Adam'?", "@Training",
                columnAfter(optimizer, "@Training", "optimizer = "));
        // A mistyped optimizer with SGD's momentum is one mistake, one error.
        String sgd = MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training(optimizer = \"sgd\", momentum = 0.9)");
        expectOnly(sgd, "[MC136] @Training(optimizer = \"sgd\") is not an optimizer modelcost knows; did you mean 'SGD'?", "@Training",
                columnAfter(sgd, "@Training", "optimizer = "));
        String momentum = MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training(optimizer = \"Adam\", momentum = 0.9)");
        expectOnly(momentum, "[MC136] @Training(momentum = 0.9) is SGD's, but the optimizer is Adam", "@Training",
                columnAfter(momentum, "@Training", "momentum = "));
        // PyTorch 1.13: torch.optim.SGD(params, lr=0.1, momentum=-0.5) raises "Invalid momentum value: -0.5"; a momentum of 1e9 or more
        // (infinity) is no rate either
        for (String[] bad : new String[][] {{"-0.5", "-0.5"}, {"Double.POSITIVE_INFINITY", "Infinity"}}) {
            String negative = MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training(optimizer = \"SGD\", momentum = " + bad[0] + ")");
            expectOnly(negative, "[MC136] @Training(momentum = " + bad[1] + ") must be from 0 to below 1e9 (PyTorch refuses a negative momentum)",
                    // javac points at a qualified name's dot
                    "@Training", columnAfter(negative, "@Training", bad[0].startsWith("Double") ? "momentum = Double" : "momentum = "));
        }
        // PyTorch 1.13: torch.randint(0, 100, (8,)).requires_grad_() raises "only Tensors of floating point dtype can require gradients".
        String ids = model("@Model(input = {8}, tokens = true)\n@Training(inputsRequireGrad = true)",
                "@Embedding(numEmbeddings = 100, embeddingDim = 16) Layer wte;", "@Linear(out = 4) Layer head;");
        expectOnly(ids, "[MC136] @Training(inputsRequireGrad = true) asks for the inputs' gradients, but every input is token ids", "@Training",
                columnAfter(ids, "@Training", "inputsRequireGrad = "));
        compiled(ids.replace("@Training(inputsRequireGrad = true)", "@Training"));
        expectOnly("package test;\n\nimport dev.modelcost.*;\n\n@Training\npublic class Net {}\n", "[MC137] @Training on Net, which is not a @Model",
                "@Training", 1);
        String budget = MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Budget(maxTrainingMemoryBytes = 1000)");
        expectOnly(budget, "[MC415] @Budget(maxTrainingMemoryBytes) bounds a training step, but the model declares none", "@Budget",
                columnAfter(budget, "@Budget", "= "));
    }

    @Test
    void mc426NothingToTrain() {
        // PyTorch 1.13: nn.Sequential(nn.MaxPool2d(2), nn.ReLU())(x).sum().backward() on data raises "element 0 of tensors does not
        // require grad and does not have a grad_fn"; with x.requires_grad_() it runs.
        String text = model("@Model(input = {3, 8, 8})\n@Training", "@MaxPool2d(k = 2) Layer pool;", "@ReLU Layer relu;");
        expectOnly(text, "[MC426] test.Net has no parameters and its inputs require no grad: its training step has nothing to train", "@Training", 1);
        compiled(text.replace("\n@Training", ""));
        // max pooling saves its input and int64 indices, the ReLU its output: 768 + 384 + 192 bytes.
        assertEquals(768L + 384 + 192, constant(compiled(text.replace("@Training", "@Training(inputsRequireGrad = true)")), "test.NetCost",
                "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void mc138AQuantizedModelIsNotTrained() {
        String text = MLP.replace("@Model(input = {1000})", "@Model(input = {1000}, dtype = \"int4\")\n@Training");
        expectOnly(text, "[MC138] @Training on test.Net, whose weights are int4", "@Training", 1);
    }

    @Test
    void mc138AQuantizedLayerIsNotTrainedEither() {
        // One layer's @Dtype(weights) quantized, the model's dtype not: its int4 weights would be counted as trained in int4.
        String layer = MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training")
                .replace("@Linear(out = 10) Layer fc2;", "@Dtype(weights = \"int8\") @Linear(out = 10) Layer fc2;");
        expectOnly(layer, "[MC138] @Training on test.Net, whose weights are int8 at fc2", "@Training", 1);
        // Inside a block, by its path.
        String block = """
                package test;

                import dev.modelcost.*;

                @Model(input = {16})
                @Training
                public class Net {
                    @Linear(out = 16) Layer fc;
                    @Repeat(2) Unit units;

                    @Block
                    public static class Unit {
                        @Dtype(weights = "int4") @Linear(out = 16) Layer proj;
                    }
                }
                """;
        expectOnly(block, "[MC138] @Training on test.Net, whose weights are int4 at units.0.proj", "@Training", 1);
    }

    @Test
    void layersThatNeedTheirInputCopyItWhenRunInPlaceAndDropoutAtZeroIsTheIdentity() {
        // SiLU in place: the linear's 1,000 x 4 input, then a copy of the SiLU's input (the linear's output, 400 bytes), which the
        // in-place SiLU overwrites: 4,000 + 400 + 400 (the next linear's input, the SiLU's result).
        String silu = model("@Model(input = {1000})\n@Training", "@Linear(out = 100) Layer fc1;", "@SiLU(inplace = true) Layer act;",
                "@Linear(out = 10) Layer fc2;");
        assertEquals(4_000 + 400 + 400, figure(compiled(silu), "SAVED_ACTIVATION_BYTES"));
        // ReLU in place saves its result, the same tensor the next linear saves: 4,000 + 400.
        assertEquals(4_000 + 400, figure(compiled(silu.replace("@SiLU(inplace = true)", "@ReLU(inplace = true)")), "SAVED_ACTIVATION_BYTES"));
        // Dropout(p = 0) returns its input: nothing new for fc2 to save.
        assertEquals(4_000 + 400, figure(compiled(silu.replace("@SiLU(inplace = true) Layer act;", "@ReLU Layer act; @Dropout(p = 0) Layer drop;")),
                "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void anInPlaceActivationThatCopiesItsInputSavesTheCopyOnlyAndAnInPlaceDropoutMayFollowIt() {
        // Measured with saved_tensors_hooks on PyTorch 1.13, batch 4: Linear(64, 32), Hardswish(inplace=True), Dropout(0.2, inplace=?),
        // Linear(32, 10): 2,560 bytes either way (x 1,024; Hardswish's copy of its input 512; the float32 mask 512; fc2's input 512), and
        // backward runs. modelcost keeps the mask as PyTorch 2's bool, 128 bytes: 2,176. After an in-place ReLU, which saves its result,
        // an in-place dropout breaks backward ("modified by an inplace operation"): MC416.
        String text = model("@Model(input = {64}, batch = 4)\n@Training(batch = 4)", "@Linear(out = 32) Layer fc1;", "@Hardswish(inplace = true) Layer act;",
                "@Dropout(p = 0.2, inplace = true) Layer drop;", "@Linear(out = 10) Layer fc2;");
        assertEquals(1_024 + 512 + 128 + 512, figure(compiled(text), "SAVED_ACTIVATION_BYTES"));
        assertEquals(1_024 + 512 + 128 + 512, figure(compiled(text.replace("inplace = true) Layer drop;", "inplace = false) Layer drop;")),
                "SAVED_ACTIVATION_BYTES"));
        String relu = text.replace("@Hardswish(inplace = true)", "@ReLU(inplace = true)");
        expectOnly(relu, "[MC416] drop: the in-place Dropout overwrites a tensor that act saved for backward", "@Training", 1);
        // With p = 0 PyTorch's dropout returns its input as it is (no version bump) and backward runs: saved_tensors_hooks see the input
        // (1,024 bytes) and the ReLU's result (512, which fc2 saves too), no mask, besides fc2's weight.
        assertEquals(1_024 + 512, figure(compiled(relu.replace("@Dropout(p = 0.2, inplace = true)", "@Dropout(p = 0, inplace = true)")),
                "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void eachExpertSavesTheTokensGatheredForItEvenWhereTheLayerBeforeSavedItsOutput() {
        // saved_tensors_hooks on PyTorch 1.13, one token: Linear(16, 8), ReLU, then Mixtral's loop over 4 experts (Linear(8, 8)) with
        // the token routed to two, each reading hidden_states[None, top_x].reshape(-1, 8), a gathered copy: the input (64 bytes), the
        // ReLU's result (32) and the two experts' copies (32 each), 160 bytes; besides them the combine (index_add of the experts'
        // outputs) saves those outputs, which the rule leaves out (README: topK times what one expert saves). Without the ReLU the
        // experts' copies are all they save of it: 64 + 64.
        String text = model("@Model(input = {16})\n@Training(optimizer = \"SGD\")", "@Linear(out = 8) Layer fc;", "@ReLU Layer r;",
                "@Experts(count = 4, topK = 2) E moe;", "@Block static class E { @Linear(out = 8) Layer fc; }");
        assertEquals(64 + 32 + 2 * 32, figure(compiled(text), "SAVED_ACTIVATION_BYTES"));
        assertEquals(64 + 2 * 32, figure(compiled(text.replace("@ReLU Layer r;", "")), "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void aLayersOwnActivationDtypeHoldsInTraining() {
        // fp16 model, the ReLU in fp32: fc1 saves the 1,000 x 2 input; the ReLU its 100 x 4 result, which fc2 saves too.
        String text = model("@Model(input = {1000}, dtype = \"fp16\")\n@Training", "@Linear(out = 100) Layer fc1;",
                "@Dtype(activations = \"fp32\") @ReLU Layer act;", "@Linear(out = 10) Layer fc2;");
        assertEquals(2_000 + 400, figure(compiled(text), "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void mc416AnInPlaceLayerOverwritingASavedTensor() {
        // The convolution saves its input for backward; the in-place sum then writes into that input.
        String text = model("@Model(input = {4, 8, 8})\n@Training", "@Conv2d(cout = 4, k = 3, padding = 1) Layer conv;",
                "@Add(value = {\"input\", \"conv\"}, inplace = true) Layer add;");
        expectOnly(text, "[MC416] add: the in-place Add overwrites a tensor that conv saved for backward", "@Training", 1);
        // Out of place it trains; so does torchvision's in-place ReLU after a BatchNorm, which saves its input, not its output.
        compiled(text.replace(", inplace = true) Layer add;", ") Layer add;"));
        compiled(model("@Model(input = {4, 8, 8})\n@Training", "@Conv2d(cout = 4, k = 3, padding = 1) Layer conv;", "@BatchNorm2d Layer bn;",
                "@ReLU(inplace = true) Layer relu;", "@Conv2d(cout = 4, k = 3, padding = 1) Layer conv2;"));
    }

    @Test
    void trainingFlopsAreTheForwardPassAtTheStepsBatch() {
        // A product of two parameters (a LoRA-style weight delta) runs once per forward pass, whatever the batch: 16 x 16 x 16 MACs,
        // 2 x 4,096 - 256 = 7,936 FLOPs without a bias; Linear(16, 16) over 16 positions 8,192 FLOPs a sample. At a step of 4:
        // 3 x (7,936 + 4 x 8,192) = 122,112, whatever the model's batch (not 4 x the model's FLOPs per sample at batch 1).
        for (String batch : new String[] {"1", "3", "4"}) {
            Compilation compilation = compiled(model("@Model(input = {16, 16}, layout = \"L,D\", batch = " + batch + ")\n@Training(batch = 4)",
                    "@Parameter(shape = {16, 16}, layout = \"L,D\") Layer p1;", "@Parameter(shape = {16, 16}, layout = \"L,D\") Layer p2;",
                    "@From({\"p1\", \"p2\"}) @MatMul Layer m;", "@From(\"input\") @Linear(out = 16) Layer fc;", "@Add({\"fc\", \"m\"}) Layer s;"));
            assertEquals(122_112L, figure(compilation, "TRAINING_FLOPS"), "model batch " + batch);
        }
    }

    @Test
    void mc424ANormPyTorchRefusesToTrain() {
        // PyTorch 1.13 in train(): nn.BatchNorm1d(16) on a (1, 16) batch raises "Expected more than 1 value per channel when training",
        // tracked or not, and nn.BatchNorm2d(4) on (1, 4, 1, 1) too; (1, 4, 2) and (2, 4, 1, 1) run. nn.InstanceNorm1d(4,
        // track_running_stats=True) on (2, 4, 1) raises "Expected more than 1 spatial element when training"; in eval() it runs.
        String head = model("@Model(input = {32})\n@Training", "@Linear(out = 16) Layer fc1;", "@BatchNorm1d Layer bn;", "@ReLU Layer relu;",
                "@Linear(out = 8) Layer fc2;");
        expectOnly(head, "[MC424] bn: in training the BatchNorm1d is given one value per channel (1), which it normalises with the batch's own "
                + "statistics in training, tracked or not; PyTorch refuses it (\"Expected more than 1 value per channel when training\") (fix: give "
                + "bn more values to normalise in training", "@Training", 1);
        // Where the step's batch is written, on it; at inference (no @Training) the running statistics serve, and a step of 2 runs.
        String written = head.replace("@Model(input = {32})\n@Training", "@Model(input = {32}, batch = 8)\n@Training(batch = 1)");
        expectOnly(written, "[MC424] bn: in training the BatchNorm1d is given one value per channel (1)", "@Training(batch = 1)",
                columnAfter(written, "@Training(batch = 1)", "batch = "));
        compiled(head.replace("\n@Training", ""));
        // PyTorch 1.13, saved_tensors_hooks at batch 2, buffers and parameters left out: 640 (fc1's input 256, bn's input 128 and
        // statistics 128, the ReLU's output 128, which fc2 saves too).
        assertEquals(640L, constant(compiled(head.replace("@Training", "@Training(batch = 2)")), "test.NetCost",
                "SAVED_ACTIVATION_BYTES"));
        String map = model("@Model(input = {3, 4, 4})\n@Training", "@Conv2d(cout = 4, k = 3, stride = 3) Layer conv;", "@BatchNorm2d Layer bn;");
        expectOnly(map, "[MC424] bn: in training the BatchNorm2d is given one value per channel (1 x 1 x 1)", "@Training", 1);
        compiled(map.replace("stride = 3", "stride = 1")); // a 2 x 2 map: four values per channel
        String instance = model("@Model(input = {4, 3})\n@Training(batch = 2)", "@Conv1d(cout = 4, k = 3) Layer conv;",
                "@InstanceNorm1d(trackRunningStats = true) Layer norm;");
        expectOnly(instance, "[MC424] norm: in training the InstanceNorm1d is given one spatial element per channel (1), which it normalises with its "
                + "own statistics in training", "@Training(batch = 2)", 1); // at any batch: on @Training, not its batch
        compiled(instance.replace("\n@Training(batch = 2)", ""));
        compiled(instance.replace("@Model(input = {4, 3})", "@Model(input = {4, 4})"));
    }

    @Test
    void mc424ADropoutOnTokenIdsPyTorchRefusesToTrain() {
        // PyTorch 1.13: F.dropout(torch.randint(0, 10, (1, 16)), 0.1, training=True) raises "result type Float can't be cast to the
        // desired output type Long"; in eval() it passes the ids through, and so does p = 0
        String text = model("@Model(input = {16}, layout = \"L\", tokens = true)\n@Training", "@Dropout(p = 0.1) Layer drop;",
                "@Embedding(numEmbeddings = 10, embeddingDim = 4) Layer embed;");
        expectOnly(text, "[MC424] drop: in training the Dropout is given token ids, which it multiplies by a mask scaled by 1 / (1 - p) in "
                + "training; PyTorch refuses it (\"result type Float can't be cast to the desired output type Long\") (fix: move drop after the "
                + "embedding", "@Training", 1);
        compiled(text.replace("\n@Training", ""));
        compiled(text.replace("p = 0.1", "p = 0"));
        // every dropout alike (nn.AlphaDropout, nn.FeatureAlphaDropout, nn.Dropout2d at 0.5 on ids raise the same); at p = 1 each
        // multiplies the ids by a zero of their dtype and runs
        for (String kind : new String[] {"AlphaDropout", "FeatureAlphaDropout", "Dropout2d", "Dropout1d", "Dropout3d"}) {
            String other = text.replace("@Dropout(", "@" + kind + "(");
            // the channel-wise dropouts that take a tensor as it is refuse one of one dimension too, and say what either needs
            String fix = kind.equals("FeatureAlphaDropout") || kind.equals("Dropout2d") ? "give drop a float tensor of two dimensions or more (after the "
                    + "embedding, as models drop embeddings out), or p = 0; of a float tensor of one dimension, @Dropout or @AlphaDropout drops single "
                    + "values)" : "move drop after the embedding, as models drop embeddings out, or give it p = 0";
            expectOnly(other, "[MC424] drop: in training the " + kind + " is given token ids, which it multiplies by a noise of floats in training; "
                    + "PyTorch refuses it (\"result type Float can't be cast to the desired output type Long\") (fix: " + fix, "@Training", 1);
            compiled(other.replace("p = 0.1", "p = 1"));
        }
        compiled(text.replace("p = 0.1", "p = 1"));
    }

    @Test
    void mc424AnInPlaceActivationOfNegativeSlopePyTorchRefusesInBackward() {
        // PyTorch 1.13: nn.LeakyReLU(-0.1, inplace=True) on fc(x), then backward(), raises "In-place leakyReLu backward calculation is
        // triggered with a negative slope which is not supported"; nn.ELU(-1.0, inplace=True) and nn.CELU(-1.0, inplace=True) raise "In-place
        // elu backward calculation ...". Out of place, with a slope of 0, or on data that requires no grad (the layer is not recorded),
        // each runs.
        String leaky = model("@Model(input = {6, 10})\n@Training", "@Linear(out = 10) Layer a;", "@LeakyReLU(negativeSlope = -0.1, inplace = true) Layer r;",
                "@Linear(out = 4) Layer b;");
        expectOnly(leaky, "[MC424] r: in training the LeakyReLU is given negativeSlope = -0.1 in place (inplace = true), a negative slope that it "
                + "recovers the gradient from its result with; PyTorch's backward refuses it (\"In-place leakyReLu backward calculation is triggered "
                + "with a negative slope which is not supported\") (fix: drop inplace = true on r", "@Training", 1);
        compiled(leaky.replace(", inplace = true", ""));
        compiled(leaky.replace("-0.1", "0"));
        compiled(leaky.replace("\n@Training", ""));
        for (String kind : new String[] {"ELU", "CELU"}) {
            String elu = leaky.replace("@LeakyReLU(negativeSlope = -0.1, inplace = true)", "@" + kind + "(alpha = -1, inplace = true)");
            expectOnly(elu, "[MC424] r: in training the " + kind + " is given alpha = -1.0 in place (inplace = true), a negative slope that it recovers "
                    + "the gradient from its result with; PyTorch's backward refuses it (\"In-place elu backward calculation is triggered with a "
                    + "negative slope which is not supported\")", "@Training", 1);
            compiled(elu.replace(", inplace = true", ""));
        }
        // First on the data, whose gradient no one asks for: autograd does not record it, and the step trains.
        compiled(model("@Model(input = {6, 10})\n@Training", "@LeakyReLU(negativeSlope = -0.1, inplace = true) Layer r;", "@Linear(out = 4) Layer b;"));
        // Inside a block, under recomputation: refused all the same.
        String deep = model("@Model(input = {6, 10})\n@Training(recompute = true)", "@Linear(out = 10) Layer a;",
                "@LeakyReLU(negativeSlope = -0.1, inplace = true) Layer r;", "@Linear(out = 4) Layer b;");
        expectOnly(deep, "[MC424] r: in training the LeakyReLU is given negativeSlope = -0.1 in place", "@Training", 1);
        // Under recomputation in a @Repeat whose first repetition reads data: the layer is recorded from the second repetition on,
        // whose input requires grad (PyTorch refuses the backward there).
        String repeated = """
                package test;

                import dev.modelcost.*;

                @Model(input = {6, 10})
                @Training(recompute = true)
                public class Net {
                    @Repeat(3) B blocks;

                    @Block
                    public static class B {
                        @Add({"input", "input"}) Layer s;
                        @LeakyReLU(negativeSlope = -0.1, inplace = true) Layer r;
                        @Linear(out = 10) Layer fc;
                    }
                }
                """;
        expectOnly(repeated, "[MC424] blocks.1.r: in training the LeakyReLU is given negativeSlope = -0.1 in place", "@Training", 1);
    }

    @Test
    void attentionWrittenOutSavesTheCopiesMatmulMakesOfItsOperands() {
        // PyTorch 1.13, saved_tensors_hooks: q and k from Linear(16, 16), v the second half of Linear(16, 32), each viewed (b, 8, 2, d)
        // and transposed to heads first; torch.matmul(q, k.mT), softmax, torch.matmul(p, v). At batch 1 the heads fold as views: the
        // input 512 bytes (saved by the three projections, once), q 512, k 512, the probabilities 512 and v's storage, the whole of the
        // wide projection, 1,024: 3,072. At batch 2 matmul copies each transposed operand and saves the copy in its place: the input
        // 1,024, q's, k's and v's copies 1,024 each (v's half of the storage, not all of it) and the probabilities 1,024: 5,120, as
        // the same products written with @MatMul save.
        String explicit = model("@Model(input = {8, 16}, layout = \"L,D\", batch = 2)\n@Training",
                "@Linear(out = 16) Layer q_proj;", "@Reshape(layout = \"L,H,D\", shape = {8, 2, 8}) Layer q;", "@Transpose(dim0 = 1, dim1 = 2) Layer qh;",
                "@From(\"input\") @Linear(out = 16) Layer k_proj;", "@Reshape(layout = \"L,H,D\", shape = {8, 2, 8}) Layer k;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer kh;", "@From(\"input\") @Linear(out = 32) Layer wide;",
                "@Reshape(layout = \"L,H,D\", shape = {8, 2, 16}) Layer w;", "@Slice(dim = 3, start = 8, end = 16) Layer v;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer vh;", "@From({\"qh\", \"kh\", \"vh\"}) @ScaledDotProductAttention(explicit = true, scale = 1) Layer attn;");
        assertEquals(5_120L, constant(compiled(explicit), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        assertEquals(3_072L, constant(compiled(explicit.replace("batch = 2", "batch = 1")), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        String products = explicit.replace("@From({\"qh\", \"kh\", \"vh\"}) @ScaledDotProductAttention(explicit = true, scale = 1) Layer attn;",
                "@From({\"qh\", \"kh\"}) @MatMul(transposeB = true) Layer scores;\n@Softmax Layer probs;\n@From({\"probs\", \"vh\"}) @MatMul Layer attn;");
        assertEquals(5_120L, constant(compiled(products), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        // Grouped-query: q the first 4 of 8 heads of Linear(16, 32), k and v 2 heads of Linear(16, 8) each, repeated to 4 heads by a
        // copy (repeat_kv's expand and reshape). PyTorch 1.13 at batch 2 saves the input 1,024, q's matmul copy 1,024 (not its
        // 2,048-byte storage), the repeated k and v 1,024 each and the probabilities 2 x 4 x 8 x 8 x 4 = 2,048: 6,144.
        String grouped = model("@Model(input = {8, 16}, layout = \"L,D\", batch = 2)\n@Training", "@Linear(out = 32) Layer q_proj;",
                "@Reshape(layout = \"L,H,D\", shape = {8, 8, 4}) Layer q8;", "@Slice(dim = 2, start = 0, end = 4) Layer q;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer qh;", "@From(\"input\") @Linear(out = 8) Layer k_proj;",
                "@Reshape(layout = \"L,H,D\", shape = {8, 2, 4}) Layer k;", "@Transpose(dim0 = 1, dim1 = 2) Layer kh;",
                "@From(\"input\") @Linear(out = 8) Layer v_proj;", "@Reshape(layout = \"L,H,D\", shape = {8, 2, 4}) Layer v;",
                "@Transpose(dim0 = 1, dim1 = 2) Layer vh;",
                "@From({\"qh\", \"kh\", \"vh\"}) @ScaledDotProductAttention(explicit = true, scale = 1, enableGqa = true) Layer attn;");
        assertEquals(6_144L, constant(compiled(grouped), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void mc425AnInPlaceLayerOnAChunkPyTorchRefusesWithGradients() {
        // PyTorch 1.13 in train(), gradients on: torch.relu_ on fc(x).chunk(2, -1)[1] raises "Output 1 of SplitBackward0 is a view
        // and is being modified inplace"; so do F.dropout(..., 0.5, training=True, inplace=True) on a chunk and torch.relu_ on a chunk
        // of an input that requires grad. A slice (x[..., 8:]) trains, and so do a dropout that is not in place before an in-place
        // ReLU, a dropout in place at inference, and an in-place ReLU on a chunk of data.
        String chunk = model("@Model(input = {4, 16}, layout = \"L,D\")\n@Training", "@Linear(out = 16) Layer fc;",
                "@Chunk(chunks = 2, index = 1, dim = 2) Layer half;", "@ReLU(inplace = true) Layer relu;", "@Linear(out = 4) Layer head;");
        expectOnly(chunk, "[MC425] the training step cannot run: PyTorch, with gradients on, refuses the in-place relu (ReLU) on one of the views "
                + "chunk returns, where the result needs gradients (\"... is a view and is being modified inplace. This view is the output of a "
                + "function that returns multiple views\") (fix: drop inplace = true on the layer that modifies it in place, or take a part with "
                + "@Slice", "@Training", 1);
        compiled(chunk.replace("\n@Training", ""));
        compiled(chunk.replace("@Chunk(chunks = 2, index = 1, dim = 2)", "@Slice(dim = 2, start = 8)"));
        String dropout = chunk.replace("@ReLU(inplace = true) Layer relu;", "@Dropout(p = 0.5, inplace = true) Layer drop;");
        expectOnly(dropout, "[MC425] the training step cannot run: PyTorch, with gradients on, refuses the in-place drop (Dropout) on one of the "
                + "views chunk returns", "@Training", 1);
        compiled(dropout.replace("\n@Training", ""));
        compiled(chunk.replace("@ReLU(inplace = true) Layer relu;", "@Dropout(p = 0.5) Layer drop; @ReLU(inplace = true) Layer relu;"));
        String input = model("@Model(input = {4, 16}, layout = \"L,D\")\n@Training(inputsRequireGrad = true)",
                "@Chunk(chunks = 2, index = 0, dim = 2) Layer half;", "@ReLU(inplace = true) Layer relu;", "@Linear(out = 4) Layer head;");
        expectOnly(input, "[MC425] the training step cannot run: PyTorch, with gradients on, refuses the in-place relu (ReLU) on one of the views "
                + "chunk returns", "@Training(inputsRequireGrad = true)", 1);
        compiled(input.replace("@Training(inputsRequireGrad = true)", "@Training"));
    }

    @Test
    void mc423AnInPlaceLayerOverwritingATensorASegmentKeeps() {
        // PyTorch 1.13, checkpoint(use_reentrant=False) around each field (tools/pytorch/measure_checkpoint.py): an in-place ReLU
        // of pre's output, which blk keeps to recompute its linear layer, runs, and backward gives pre's weight other gradients than
        // out of place; without recomputation backward raises.
        String block = "@Block static class B { @Linear(out = 64) Layer fc; @GELU Layer act; }";
        String text = model("@Model(input = {16, 64})\n@Training(recompute = true)", "@Linear(out = 64) Layer pre;", "B blk;",
                "@From(\"pre\") @ReLU(inplace = true) Layer r;", "@Add({\"blk\", \"r\"}) Layer sum;", "@Linear(out = 8) Layer head;", block);
        expectOnly(text, "[MC423] r: the in-place ReLU overwrites a tensor that blk needs to recompute its activations in backward",
                "@Training(recompute = true)", 23);
        expectOnly(text.replace("@Training(recompute = true)", "@Training"),
                "[MC416] r: the in-place ReLU overwrites a tensor that blk.fc saved for backward", "@Training", 1);
        // An in-place ReLU of a tensor inside blk (blk.fc), which blk recomputes: backward runs and its gradients are right. Kept: x
        // (for blk), blk.fc (for r, whose ReLU saves its result) and the sum (for head), 12,288 as measured; blk's own, the GELU's
        // input, 4,096, recomputed last, beside x alone. Without recomputation GELU saved blk.fc, and backward raises.
        String path = model("@Model(input = {16, 64})\n@Training(recompute = true)", "B blk;", "@From(\"blk.fc\") @ReLU(inplace = true) Layer r;",
                "@Add({\"blk\", \"r\"}) Layer sum;", "@Linear(out = 8) Layer head;", block);
        assertEquals(12_288L, figure(compiled(path), "SAVED_ACTIVATION_BYTES"));
        expectOnly(path.replace("@Training(recompute = true)", "@Training"),
                "[MC416] r: the in-place ReLU overwrites a tensor that blk.act saved for backward", "@Training", 1);
    }

    @Test
    void mc423AnInPlaceLayerThatChangesWhatItsOwnSegmentRecomputes() {
        // tools/pytorch/measure_checkpoint.py, PyTorch 1.13: an in-place ReLU of fc's result inside a block whose GELU saved it runs
        // checkpointed with other gradients than out of place (plainly backward raises); so does a field that is an in-place SiLU
        // (the recomputation runs it again on its own overwritten input); an in-place ReLU of a product's operand that the product
        // keeps but does not save (its other operand is data) trains with the same gradients either way.
        String recompute = "@Model(input = {16, 64})\n@Training(recompute = true)";
        String block = model(recompute, "@Linear(out = 64) Layer pre;", "B4 blk;", "@Linear(out = 8) Layer head;",
                "@Block static class B4 { @Linear(out = 64) Layer fc; @GELU Layer g; @From(\"fc\") @ReLU(inplace = true) Layer r; "
                + "@Add({\"g\", \"r\"}) Layer s; }");
        expectOnly(block, "[MC423] blk.r: the in-place ReLU overwrites a tensor that blk.g needs to recompute", "@Training(recompute = true)", 23);
        expectOnly(block.replace("@Training(recompute = true)", "@Training"), "[MC416] blk.r: the in-place ReLU overwrites a tensor that blk.g saved",
                "@Training", 1);
        String silu = model(recompute, "@Linear(out = 64) Layer pre;", "@SiLU(inplace = true) Layer r;", "@Linear(out = 8) Layer head;");
        expectOnly(silu, "[MC423] r: the in-place SiLU overwrites a tensor that r needs to recompute", "@Training(recompute = true)", 23);
        compiled(silu.replace("@Training(recompute = true)", "@Training"));
        // ReLU gives the same run twice: torchvision's in-place ReLU after a norm recomputes right.
        compiled(silu.replace("@SiLU(inplace = true)", "@ReLU(inplace = true)"));
        String product = model("@Model(inputs = {@Input(name = \"a\", shape = {16, 64}), @Input(name = \"m\", shape = {16, 64})})\n"
                + "@Training(recompute = true)", "@From(\"a\") @Linear(out = 64) Layer pre;", "@Mul({\"pre\", \"m\"}) Layer y;",
                "@From(\"pre\") @ReLU(inplace = true) Layer r;", "@Add({\"y\", \"r\"}) Layer s;", "@Linear(out = 8) Layer head;");
        compiled(product);
        compiled(product.replace("@Training(recompute = true)", "@Training"));
        // Its own segment's input that a layer of an earlier segment saved first (blk's tanh) and its own GELU saves again: an
        // in-place ReLU of it ("shared": checkpointed, other gradients).
        String shared = model(recompute, "@Linear(out = 64) Layer pre;", "B blk;", "C c;", "@Linear(out = 8) Layer head;",
                "@Block static class B { @Linear(out = 64) Layer fc; @Tanh Layer act; }",
                "@Block static class C { @GELU Layer g2; @From(\"input\") @ReLU(inplace = true) Layer r; @Add({\"g2\", \"r\"}) Layer s; }");
        expectOnly(shared, "[MC423] c.r: the in-place ReLU overwrites a tensor that c.g2 needs to recompute", "@Training(recompute = true)", 23);
        // A field that is an in-place LeakyReLU or dropout alone recomputes right ("leaky", "dropout": the same gradients); followed by
        // another layer in its segment, that layer recomputes from the value overwritten twice.
        compiled(silu.replace("@SiLU(inplace = true)", "@LeakyReLU(inplace = true)"));
        compiled(silu.replace("@SiLU(inplace = true)", "@Dropout(p = 0.5, inplace = true)"));
        expectOnly(model(recompute, "@Linear(out = 64) Layer pre;", "L blk;", "@Linear(out = 8) Layer head;",
                "@Block static class L { @LeakyReLU(inplace = true) Layer r; @Linear(out = 64) Layer fc; }"),
                "[MC423] blk.r: the in-place LeakyReLU overwrites a tensor that blk needs to recompute", "@Training(recompute = true)", 23);
    }

    @Test
    void mc414ATrainingStepOverItsMemoryBudget() {
        String text = MLP.replace("@Model(input = {1000})", "@Model(input = {1000})\n@Training(batch = 8)\n@Budget(maxTrainingMemoryBytes = 16_000_000)");
        // 16 x 1,011,010 + 64,000 = 16,240,160
        expectOnly(text, "[MC414] TRAINING_MEMORY_BYTES = 16,240,160 exceeds the budget maxTrainingMemoryBytes = 16,000,000 by 1.5%: "
                + "saved activations 64,000 at batch 8, weights 4,044,040, gradients 4,044,040, optimizer state 8,088,080, buffers 0", "@Budget",
                columnAfter(text, "@Budget", "= "));
    }

    /**
     * Recurrent layers and cells against PyTorch 1.13's native implementation (the CPU's), batch 4, float32, 20 steps of 32
     * features, hidden size 64: {@code /usr/bin/python3 tools/pytorch/measure_recurrent_saved.py} ({@code recurrent-saved.tsv}).
     */
    @Test
    void recurrentLayersSaveWhatPyTorchsNativeStepsSave() {
        String sequence = "@Model(input = {20, 32})\n@Training(batch = 4)";
        String[][] layers = {
            {"@LSTM(hiddenSize = 64, batchFirst = true)", "153600"},
            {"@LSTM(hiddenSize = 64, batchFirst = true, projSize = 16)", "158720"},
            {"@LSTM(hiddenSize = 64, numLayers = 2, batchFirst = true)", "317440"},
            {"@LSTM(hiddenSize = 64, bidirectional = true)", "296960"},
            {"@LSTM(hiddenSize = 64, numLayers = 2, bidirectional = true)", "624640"},
            {"@GRU(hiddenSize = 64, batchFirst = true)", "153600"},
            {"@GRU(hiddenSize = 64, batchFirst = true, bias = false)", "153600"},
            {"@RNN(hiddenSize = 64, batchFirst = true)", "31744"},
            {"@RNN(hiddenSize = 64, numLayers = 2, bidirectional = true)", "137216"},
            // dropout between the layers: the noise each later layer's input was multiplied by, 2 x 4 x 20 x 64 x 4 bytes more
            {"@LSTM(hiddenSize = 64, numLayers = 3, batchFirst = true, dropout = 0.3)", "522240"},
            {"@GRU(hiddenSize = 64, numLayers = 3, batchFirst = true, dropout = 0.3)", "522240"},
            {"@RNN(hiddenSize = 64, numLayers = 3, batchFirst = true, dropout = 0.3)", "156672"},
            // batch first, both directions: each direction's contiguous copy of the transposed input, 4 x 20 x 32 x 4 bytes more
            {"@LSTM(hiddenSize = 64, batchFirst = true, bidirectional = true)", "307200"},
            {"@GRU(hiddenSize = 64, numLayers = 2, batchFirst = true, bidirectional = true)", "634880"},
            {"@RNN(hiddenSize = 64, batchFirst = true, bidirectional = true)", "63488"},
        };
        for (String[] layer : layers) {
            Compilation compilation = compiled(model(sequence, layer[0] + " Layer r;"));
            assertEquals(Long.parseLong(layer[1]), constant(compilation, "test.NetCost", "SAVED_ACTIVATION_BYTES"), layer[0]);
        }
        for (String[] layer : java.util.Arrays.copyOfRange(layers, layers.length - 6, layers.length - 3)) {
            long without = constant(compiled(model(sequence, layer[0].replace(", dropout = 0.3", "") + " Layer r;")), "test.NetCost",
                    "SAVED_ACTIVATION_BYTES");
            assertEquals(2L * 4 * 20 * 64 * 4, Long.parseLong(layer[1]) - without, layer[0]);
        }
        // The same layers sequence first keep the input once.
        for (String[] layer : java.util.Arrays.copyOfRange(layers, layers.length - 3, layers.length)) {
            long seqFirst = constant(compiled(model(sequence, layer[0].replace("batchFirst = true, ", "") + " Layer r;")), "test.NetCost",
                    "SAVED_ACTIVATION_BYTES");
            assertEquals(4L * 20 * 32 * 4, Long.parseLong(layer[1]) - seqFirst, layer[0]);
        }
        // After Linear(32, 32) and a ReLU, which saves its result (the layer's input): batch first, the layer's contiguous copies are
        // other storages than that result (the input, the ReLU's result and the layer's own, 10,240 + 10,240 + 153,600, and with
        // a bidirectional GRU 307,200 of its own); sequence first, the layer saves the ReLU's result itself.
        String[][] after = {{"@LSTM(hiddenSize = 64, batchFirst = true)", "174080"},
            {"@GRU(hiddenSize = 64, batchFirst = true, bidirectional = true)", "327680"}, {"@LSTM(hiddenSize = 64)", "163840"}};
        for (String[] layer : after) {
            assertEquals(Long.parseLong(layer[1]), constant(compiled(model(sequence, "@Linear(out = 32) Layer fc;", "@ReLU Layer relu;",
                    layer[0] + " Layer r;")), "test.NetCost", "SAVED_ACTIVATION_BYTES"), layer[0]);
        }
        // No copy where the steps-first view is contiguous: after a batch-first LSTM and a ReLU, which keeps its strides (317,440,
        // whatever the model's batch: its strides at a batch of 1 would not tell the steps-first layout from the batch-first one), or
        // over one step (8,192); a copy per direction where a sequence-first layer reads a permuted convolution output (317,440).
        for (String declared : new String[] {"@Model(input = {20, 32}, batch = 4)", "@Model(input = {20, 32})", "@Model(input = {20, 32}, batch = 2)"}) {
            assertEquals(317_440L, constant(compiled(model(declared + "\n@Training(batch = 4)", "@LSTM(hiddenSize = 64, batchFirst = true) Layer r1;",
                    "@ReLU Layer relu;", "@LSTM(hiddenSize = 64, batchFirst = true) Layer r;")), "test.NetCost", "SAVED_ACTIVATION_BYTES"), declared);
        }
        // Every other step of that output does not fold: the next layer saves a contiguous copy, sequence first or batch first, in place
        // of the LSTM's output (235,520 as measured: 153,600 for the LSTM, 71,680 for the GRU's ten steps, 10,240 for its copy).
        for (String declared : new String[] {"@Model(input = {20, 32}, batch = 4)", "@Model(input = {20, 32})"}) {
            for (String gru : new String[] {"@GRU(hiddenSize = 64)", "@GRU(hiddenSize = 64, batchFirst = true)"}) {
                assertEquals(235_520L, constant(compiled(model(declared + "\n@Training(batch = 4)", "@LSTM(hiddenSize = 64, batchFirst = true) Layer r1;",
                        "@Slice(dim = 1, start = 0, step = 2) Layer steps;", gru + " Layer r;")), "test.NetCost", "SAVED_ACTIVATION_BYTES"), declared + " " + gru);
            }
        }
        assertEquals(8_192L, constant(compiled(model("@Model(input = {1, 32})\n@Training(batch = 4)", "@Linear(out = 32) Layer fc;",
                "@ReLU Layer relu;", "@LSTM(hiddenSize = 64, batchFirst = true) Layer r;")), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        assertEquals(317_440L, constant(compiled(model("@Model(input = {32, 20}, layout = \"C,L\")\n@Training(batch = 4)",
                "@Conv1d(cout = 32, k = 3, padding = 1) Layer conv;", "@Permute(dims = {0, 2, 1}) Layer steps;",
                "@LSTM(hiddenSize = 64, bidirectional = true) Layer r;")), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        // At batch 1 the permuted view folds into (L, C) without a copy: the GRU saves the convolution's output itself, 76,800.
        assertEquals(76_800L, constant(compiled(model("@Model(input = {32, 20}, layout = \"C,L\")\n@Training(batch = 1)",
                "@Conv1d(cout = 32, k = 3, padding = 1) Layer conv;", "@Permute(dims = {0, 2, 1}) Layer steps;",
                "@GRU(hiddenSize = 64, bidirectional = true) Layer r;")), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        // Initial states given: the first step keeps them in place of the zeros the layer would make.
        String states = "@Model(inputs = {@Input(name = \"seq\", shape = {20, 32}), @Input(name = \"hx\", shape = {1, 64}), "
                + "@Input(name = \"cx\", shape = {1, 64})})\n@Training(batch = 4)";
        assertEquals(153_600L, constant(compiled(model(states, "@From({\"seq\", \"hx\", \"cx\"}) @LSTM(hiddenSize = 64, batchFirst = true) Layer r;")),
                "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        assertEquals(153_600L, constant(compiled(model(states, "@SuppressWarnings(\"MC141\") @From({\"seq\", \"hx\"}) @GRU(hiddenSize = 64, batchFirst = true) Layer r;")),
                "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        String step = "@Model(input = {32})\n@Training(batch = 4)";
        String[][] cells = {{"@LSTMCell(hiddenSize = 64)", "6656"}, {"@GRUCell(hiddenSize = 64)", "7680"}, {"@RNNCell(hiddenSize = 64)", "2560"}};
        for (String[] cell : cells) {
            Compilation compilation = compiled(model(step, cell[0] + " Layer r;"));
            assertEquals(Long.parseLong(cell[1]), constant(compilation, "test.NetCost", "SAVED_ACTIVATION_BYTES"), cell[0]);
        }
        String given = "@Model(inputs = {@Input(name = \"seq\", shape = {32}), @Input(name = \"hx\", shape = {64}), @Input(name = \"cx\", shape = {64})})\n"
                + "@Training(batch = 4)";
        assertEquals(7_680L, constant(compiled(model(given, "@From({\"seq\", \"hx\", \"cx\"}) @LSTMCell(hiddenSize = 64) Layer r;")), "test.NetCost",
                "SAVED_ACTIVATION_BYTES"));
        assertEquals(7_680L, constant(compiled(model(given, "@SuppressWarnings(\"MC141\") @From({\"seq\", \"hx\"}) @GRUCell(hiddenSize = 64) Layer r;")),
                "test.NetCost", "SAVED_ACTIVATION_BYTES"));
        // An RNNCell saves its output, the storage it passes on: a Linear after it that saves its input shares it.
        // nn.Sequential(nn.RNNCell(4, 6), nn.Linear(6, 3)) at batch 2 (measure_recurrent_saved.saved_bytes, PyTorch 1.13): 128 =
        // the input 2·4·4 + the zero state 2·6·4 + tanh's output 2·6·4, as the cell alone; not 176.
        assertEquals(128L, constant(compiled(model("@Model(input = {4}, layout = \"F\", batch = 2)\n@Training", "@RNNCell(hiddenSize = 6) Layer cell;",
                "@Linear(out = 3) Layer head;")), "test.NetCost", "SAVED_ACTIVATION_BYTES"));
    }

    @Test
    void aBf16ModelTrainedAsItIsKeepsItsOptimizerStateInBf16() {
        // Linear(64, 10): 650 parameters. model.to(torch.bfloat16) with AdamW: two moments made like each parameter, 2 bytes each,
        // 2,600 bytes (PyTorch 1.13: sum of the state tensors' bytes after one step); with mixedPrecision = true, fp32, 5,200.
        String fields = "@Linear(out = 10) Layer fc;";
        assertEquals(2_600L, constant(compiled(model("@Model(input = {64}, dtype = \"bf16\")\n@Training(optimizer = \"AdamW\")", fields)),
                "test.NetCost", "OPTIMIZER_STATE_BYTES"));
        assertEquals(5_200L, constant(compiled(model("@Model(input = {64}, dtype = \"bf16\")\n@Training(optimizer = \"AdamW\", mixedPrecision = true)",
                fields)), "test.NetCost", "OPTIMIZER_STATE_BYTES"));
        expectOnly(model("@Model(input = {64}, dtype = \"fp8\")\n@Training", fields), "[MC138] @Training on test.Net, whose weights are fp8: weights of 8 "
                + "bits or fewer are not trained as such", "@Training", 1);
    }

    @Test
    void anRmsNormOnTheDataSavesOnlyWhatItsWeightsProductNeeds() {
        // transformers' LlamaRMSNorm on the model's input (2 x 12 x 64, which requires no grad), then Linear(64, 32): autograd
        // records only weight * normalized, which saves the normalized tensor (6,144 bytes), and the Linear its input, the norm's
        // output (6,144); the fp32 input, its square and the inverse root are saved only where the input requires grad. The peak:
        // the input, the normalized tensor and its row variance (96), Python locals until the norm returns, and its output.
        // Measured with PyTorch 1.13: tools/pytorch/measure_copies.py, model R1 (copy-costs.tsv): saved 12,288, peak 18,528.
        Compilation compilation = compiled(model("@Model(input = {12, 64}, layout = \"L,D\", batch = 2)\n@Training(batch = 2, optimizer = \"SGD\")",
                "@RMSNorm(eps = 1e-6) Layer norm;", "@Linear(out = 32, bias = false) Layer lin;"));
        assertEquals(12_288L, figure(compilation, "SAVED_ACTIVATION_BYTES"));
        assertEquals(18_528L, figure(compilation, "PEAK_ACTIVATION_BYTES"));
        // With the input requiring grad, the decomposed norm saves the input, its square and the inverse root besides: 6,144 + 6,144
        // + 96 more than its output's and the normalized tensor, and the input is the norm's input (6,144 counted once).
        Compilation withGrad = compiled(model("@Model(input = {12, 64}, layout = \"L,D\", batch = 2)\n"
                + "@Training(batch = 2, optimizer = \"SGD\", inputsRequireGrad = true)", "@RMSNorm(eps = 1e-6) Layer norm;",
                "@Linear(out = 32, bias = false) Layer lin;"));
        assertEquals(12_288L + 6_144 + 6_144 + 96, figure(withGrad, "SAVED_ACTIVATION_BYTES"));
    }
}
