package dev.modelcost.processor;

import static dev.modelcost.processor.ModelSources.closedForm;
import static dev.modelcost.processor.ModelSources.compiled;
import static dev.modelcost.processor.ModelSources.generated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.modelcost.ClosedForm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Models with sizes as variables on lattices of period 2 and 8 whose steps' live bytes take another form at the smallest sizes:
 * two diffusion denoisers (patches put back without a copy where the latent is one patch wide, attention heads copied nowhere at
 * one position), and a window partition that is a view where the input is one window wide, which keeps a larger tensor alive
 * there. The closed forms of MACS and PEAK_ACTIVATION_BYTES against PyTorch measured at sizes on those faces and off them. The expected numbers are {@code tools/pytorch/size-peaks.tsv}, from
 * {@code /usr/bin/python3 tools/pytorch/measure_size_peaks.py} (PyTorch 1.13, fp32, the peak at the ops' boundaries with the
 * inputs included), whose modules these specs write out statement by statement.
 */
class SmallestSizePeaksTest {
    private static final List<String> LATENT = List.of("latent.H", "latent.W");

    /** latent H, latent W, MACs, peak bytes: DiT rows of size-peaks.tsv (batch 1). */
    private static final long[][] DIT = {
        {2, 2, 2_738_688, 13_888}, {2, 34, 31_640_064, 150_080}, {40, 2, 37_146_624, 175_616}, {6, 10, 27_984_384, 133_056},
        {32, 32, 556_965_888, 2_577_664}, {48, 64, 2_272_960_512L, 17_159_424},
    };

    /** latent H, latent W, MACs, peak bytes: UNet rows of size-peaks.tsv (batch 1). */
    private static final long[][] UNET = {
        {2, 2, 9_963_008, 104_976}, {2, 34, 85_759_488, 353_088}, {40, 2, 100_248_576, 411_648}, {6, 10, 76_148_736, 314_048},
        {32, 32, 1_514_405_888, 17_863_424}, {48, 64, 6_445_203_456L, 154_211_072},
    };

    /** height, width, batch, MACs, peak bytes: windows rows of size-peaks.tsv. */
    private static final long[][] WINDOWS = {
        {8, 8, 2, 5_632, 4_608}, {8, 16, 2, 11_264, 10_240}, {16, 8, 2, 11_264, 10_240}, {8, 40, 2, 28_160, 25_600},
        {24, 32, 2, 67_584, 61_440}, {56, 48, 2, 236_544, 215_040}, {8, 8, 1, 2_816, 1_792}, {16, 8, 1, 5_632, 5_120},
        {8, 16, 1, 5_632, 5_120}, {8, 8, 3, 8_448, 6_912}, {24, 8, 1, 8_448, 7_680}, {16, 16, 1, 11_264, 10_240},
        {8, 80, 1, 28_160, 25_600},
    };

    /**
     * Patches of 2x2 split into windows of 4x4 patches, projected and scored per window (measure_size_peaks.py's WindowScores); the
     * lattice is 16 + 8·k by 24 + 8·k from 8, and every batch.
     */
    private static final String WINDOWS_SPEC = """
            package test;

            import dev.modelcost.*;

            @Model(input = {3, 16, 24}, batch = 2, sizes = {"H", "W", "batch"})
            public class Net {
                @Conv2d(cout = 8, k = 2, stride = 2) Layer patch;
                @Permute(dims = {0, 2, 3, 1}) Layer nhwc;
                @Reshape(layout = "A,P,B,Q,C", with = "shape = [input.H / 8, 4, input.W / 8, 4, 8]") Layer win;
                @Permute(dims = {0, 1, 3, 2, 4, 5}) Layer wp;
                @Reshape(layout = "N,L,C", shape = {-1, 16, 8}) Layer windows;
                @Linear(out = 8, bias = false) Layer q;
                @Reshape(layout = "N,L,H,D", shape = {-1, 16, 2, 4}) Layer split;
                @Transpose(dim0 = 1, dim1 = 2) Layer heads;
                @From({"heads", "heads"}) @MatMul(transposeB = true) Layer scores;
            }
            """;

    /** A DiT of 4 blocks, width 192, 3 heads, patches of 2x2, conditioned by adaLN-Zero (measure_size_peaks.py's DiT). */
    private static final String DIT_SPEC = """
            package test;

            import dev.modelcost.*;

            @Model(inputs = {@Input(name = "latent", shape = {4, 32, 32}), @Input(name = "c", shape = {192}, layout = "F")},
                   sizes = {"latent.H", "latent.W"})
            public class Net {
                @From("latent") @Conv2d(cout = 192, k = 2, stride = 2) Layer x_embedder;
                @Flatten(startDim = 2) Layer flat;
                @Transpose(dim0 = 1, dim1 = 2) Layer tokens;
                @Reshape(layout = "L,D", with = "shape = [-1, 192]") Layer seq;
                PosEmbed pos;
                @From({"pos", "c"}) @Repeat(value = 4, loop = true) DiTBlock blocks;
                @From("c") @SiLU Layer fin_act;
                @Linear(out = 384) Layer fin_lin;
                @Chunk(chunks = 2, index = 0) Layer shift;
                @From("fin_lin") @Chunk(chunks = 2, index = 1) Layer scale;
                @From("blocks") @LayerNorm(elementwiseAffine = false, eps = 1e-6) Layer norm_final;
                @From("scale") @Reshape(layout = "L,D", shape = {1, 192}) Layer scale_u;
                @AddConstant(1) Layer one_plus;
                @Mul({"norm_final", "one_plus"}) Layer m;
                @From("shift") @Reshape(layout = "L,D", shape = {1, 192}) Layer shift_u;
                @Add({"m", "shift_u"}) Layer mod;
                @Linear(out = 32) Layer linear;
                @Reshape(layout = "A,B,P,Q,C", with = "shape = [latent.H / 2, latent.W / 2, 2, 2, 8]") Layer patches;
                @Permute(dims = {0, 5, 1, 3, 2, 4}) Layer perm;
                @Reshape(layout = "C,H,W", with = "shape = [8, latent.H, latent.W]") Layer out;

                @Block
                public static class PosEmbed {
                    @Buffer(layout = "L,D", with = "shape = [input.L, input.D]") Layer pos_embed;
                    @Add({"input", "pos_embed"}) Layer add;
                }

                @Block(inputs = {"input", "c"})
                public static class DiTBlock {
                    @From("c") @SiLU Layer ada_act;
                    @Linear(out = 1152) Layer ada_lin;
                    @Chunk(chunks = 6, index = 0) Layer shift_msa;
                    @From("ada_lin") @Chunk(chunks = 6, index = 1) Layer scale_msa;
                    @From("ada_lin") @Chunk(chunks = 6, index = 2) Layer gate_msa;
                    @From("ada_lin") @Chunk(chunks = 6, index = 3) Layer shift_mlp;
                    @From("ada_lin") @Chunk(chunks = 6, index = 4) Layer scale_mlp;
                    @From("ada_lin") @Chunk(chunks = 6, index = 5) Layer gate_mlp;
                    @From("input") @LayerNorm(elementwiseAffine = false, eps = 1e-6) Layer norm1;
                    @From("scale_msa") @Reshape(layout = "L,D", shape = {1, 192}) Layer scale_msa_u;
                    @AddConstant(1) Layer one_plus1;
                    @Mul({"norm1", "one_plus1"}) Layer m1;
                    @From("shift_msa") @Reshape(layout = "L,D", shape = {1, 192}) Layer shift_msa_u;
                    @Add({"m1", "shift_msa_u"}) Layer mod1;
                    @Args("heads = 3") Attention attn;
                    @From("gate_msa") @Reshape(layout = "L,D", shape = {1, 192}) Layer gate_msa_u;
                    @Mul({"gate_msa_u", "attn"}) Layer g1;
                    @Add({"input", "g1"}) Layer x1;
                    @LayerNorm(elementwiseAffine = false, eps = 1e-6) Layer norm2;
                    @From("scale_mlp") @Reshape(layout = "L,D", shape = {1, 192}) Layer scale_mlp_u;
                    @AddConstant(1) Layer one_plus2;
                    @Mul({"norm2", "one_plus2"}) Layer m2;
                    @From("shift_mlp") @Reshape(layout = "L,D", shape = {1, 192}) Layer shift_mlp_u;
                    @Add({"m2", "shift_mlp_u"}) Layer mod2;
                    Mlp mlp;
                    @From("gate_mlp") @Reshape(layout = "L,D", shape = {1, 192}) Layer gate_mlp_u;
                    @Mul({"gate_mlp_u", "mlp"}) Layer g2;
                    @Add({"x1", "g2"}) Layer x2;
                }

                @Block
                public static class Attention {
                    @Param int heads;
                    @Linear(with = "out = 3 * in") Layer qkv;
                    @Reshape(layout = "L,S,H,D", with = "shape = [input.L, 3, heads, in / heads]") Layer split;
                    @Select(dim = 2, index = 0) Layer q0;
                    @Transpose(dim0 = 1, dim1 = 2) Layer q;
                    @From("split") @Select(dim = 2, index = 1) Layer k0;
                    @Transpose(dim0 = 1, dim1 = 2) Layer k;
                    @From("split") @Select(dim = 2, index = 2) Layer v0;
                    @Transpose(dim0 = 1, dim1 = 2) Layer v;
                    @From({"q", "k"}) @MatMul(transposeB = true) Layer mm1;
                    @Scale(factor = 0.125) Layer scaled;
                    @Functional(method = true) @Softmax Layer probs;
                    @From({"probs", "v"}) @MatMul Layer mm2;
                    @Transpose(dim0 = 1, dim1 = 2) Layer merged;
                    @Reshape(layout = "L,D", with = "shape = [input.L, in]") Layer flat;
                    @Linear(with = "out = in") Layer proj;
                }

                @Block
                public static class Mlp {
                    @Linear(with = "out = 4 * in") Layer fc1;
                    @GELU(approximate = "tanh") Layer act;
                    @Linear(with = "out = in") Layer fc2;
                }
            }
            """;

    /** A UNet of two resolutions with time embedding, self- and cross-attention and GEGLU (measure_size_peaks.py's UNet). */
    private static final String UNET_SPEC = """
            package test;

            import dev.modelcost.*;

            @Model(inputs = {@Input(name = "latent", shape = {4, 32, 32}), @Input(name = "temb", shape = {128}, layout = "F"),
                             @Input(name = "ctx", shape = {77, 64}, layout = "L,D")}, sizes = {"latent.H", "latent.W"})
            public class Net {
                @From("temb") TimeEmbed time_embed;
                @From("latent") @Conv2d(cout = 64, k = 3, padding = 1) Layer conv_in;
                @From({"conv_in", "time_embed"}) @Args("cout = 64") Res down0_res;
                @From({"down0_res", "ctx"}) ST down0_attn;
                @Conv2d(cout = 64, k = 3, stride = 2, padding = 1) Layer downsample;
                @From({"downsample", "time_embed"}) @Args("cout = 128") Res down1_res;
                @From({"down1_res", "ctx"}) ST down1_attn;
                @From({"down1_attn", "time_embed"}) @Args("cout = 128") Res mid_res1;
                @From({"mid_res1", "ctx"}) ST mid_attn;
                @From({"mid_attn", "time_embed"}) @Args("cout = 128") Res mid_res2;
                @Concat({"mid_res2", "down1_attn"}) Layer cat1;
                @From({"cat1", "time_embed"}) @Args("cout = 128") Res up1_res;
                @From({"up1_res", "ctx"}) ST up1_attn;
                @Functional @Upsample(scaleFactor = 2.0) Layer up;
                @Conv2d(cout = 128, k = 3, padding = 1) Layer up_conv;
                @Concat({"up_conv", "down0_attn"}) Layer cat0;
                @From({"cat0", "time_embed"}) @Args("cout = 64") Res up0_res;
                @From({"up0_res", "ctx"}) ST up0_attn;
                @GroupNorm(numGroups = 32) Layer norm_out;
                @SiLU Layer act_out;
                @Conv2d(cout = 4, k = 3, padding = 1) Layer conv_out;

                @Block(indexed = true)
                public static class TimeEmbed {
                    @Linear(out = 256) Layer l0;
                    @SiLU Layer l1;
                    @Linear(out = 256) Layer l2;
                }

                @Block(inputs = {"input", "emb"})
                public static class Res {
                    @Param int cout;
                    @GroupNorm(numGroups = 32) Layer norm1;
                    @SiLU Layer act1;
                    @Conv2d(k = 3, padding = 1, with = "cout = cout") Layer conv1;
                    @From("emb") @SiLU Layer emb_act;
                    @Linear(with = "out = cout") Layer emb_proj;
                    @Reshape(layout = "C,H,W", with = "shape = [cout, 1, 1]") Layer emb_map;
                    @Add({"conv1", "emb_map"}) Layer add_emb;
                    @GroupNorm(numGroups = 32) Layer norm2;
                    @SiLU Layer act2;
                    @Conv2d(k = 3, padding = 1, with = "cout = cout") Layer conv2;
                    @From("input") @When("in != cout") @Conv2d(k = 1, with = "cout = cout") Layer skip;
                    @Add({"skip", "conv2"}) Layer out;
                }

                @Block(inputs = {"input", "ctx"})
                public static class ST {
                    @GroupNorm(numGroups = 32, eps = 1e-6) Layer norm;
                    @Conv2d(k = 1, with = "cout = in") Layer proj_in;
                    @Flatten(startDim = 2) Layer flat;
                    @Transpose(dim0 = 1, dim1 = 2) Layer tokens;
                    @LayerNorm Layer ln1;
                    @From({"ln1", "ln1"}) @Args("heads = in / 32") Attn attn1;
                    @Add({"attn1", "tokens"}) Layer r1;
                    @LayerNorm Layer ln2;
                    @From({"ln2", "ctx"}) @Args("heads = in / 32") Attn attn2;
                    @Add({"attn2", "r1"}) Layer r2;
                    @LayerNorm Layer ln3;
                    FF ff;
                    @Add({"ff", "r2"}) Layer r3;
                    @Transpose(dim0 = 1, dim1 = 2) Layer back;
                    @Reshape(layout = "C,H,W", with = "shape = [in, input.H, input.W]") Layer map;
                    @Conv2d(k = 1, with = "cout = in") Layer proj_out;
                    @Add({"proj_out", "input"}) Layer out;
                }

                @Block(inputs = {"input", "ctx"})
                public static class Attn {
                    @Param int heads;
                    @Linear(bias = false, with = "out = heads * 32") Layer to_q;
                    @From("ctx") @Linear(bias = false, with = "out = heads * 32") Layer to_k;
                    @From("ctx") @Linear(bias = false, with = "out = heads * 32") Layer to_v;
                    @From("to_q") @Reshape(layout = "L,H,D", with = "shape = [-1, heads, 32]") Layer q;
                    @Transpose(dim0 = 1, dim1 = 2) Layer qh;
                    @From("to_k") @Reshape(layout = "L,H,D", with = "shape = [-1, heads, 32]") Layer k;
                    @Transpose(dim0 = 1, dim1 = 2) Layer kh;
                    @From("to_v") @Reshape(layout = "L,H,D", with = "shape = [-1, heads, 32]") Layer v;
                    @Transpose(dim0 = 1, dim1 = 2) Layer vh;
                    @From({"qh", "kh"}) @MatMul(transposeB = true) Layer mm1;
                    @Scale(factor = 0.17677669529663687) Layer scaled;
                    @Functional(method = true) @Softmax Layer probs;
                    @From({"probs", "vh"}) @MatMul Layer mm2;
                    @Transpose(dim0 = 1, dim1 = 2) Layer merged;
                    @Reshape(layout = "L,D", with = "shape = [-1, heads * 32]") Layer flat;
                    @Linear(with = "out = in") Layer to_out;
                }

                @Block
                public static class FF {
                    @Linear(with = "out = 8 * in") Layer proj;
                    @Chunk(dim = -1, index = 0) Layer a;
                    @From("proj") @Chunk(dim = -1, index = 1) Layer g;
                    @Functional @GELU Layer gelu;
                    @Mul({"a", "gelu"}) Layer geglu;
                    @Linear(with = "out = in") Layer out;
                }
            }
            """;

    private static void assertMeasured(String spec, List<String> variables, long[][] measured) {
        Compilation compilation = compiled(spec);
        String generated = generated(compilation, "test.NetCost");
        assertTrue(generated.contains("WITHOUT_CLOSED_FORM = List.of()"), generated);
        ClosedForm macs = closedForm(compilation, "MACS", variables.toArray(String[]::new));
        ClosedForm peak = closedForm(compilation, "PEAK_ACTIVATION_BYTES", variables.toArray(String[]::new));
        int n = variables.size();
        for (long[] row : measured) {
            long[] sizes = java.util.Arrays.copyOf(row, n);
            String at = java.util.Arrays.toString(sizes);
            assertEquals(row[n], macs.at(sizes), "MACS at " + at);
            assertEquals(row[n + 1], peak.at(sizes), "PEAK_ACTIVATION_BYTES at " + at);
        }
    }

    @Test
    void aDiTsPeakHasAFormThatEqualsPyTorchOnTheFacesOfItsLatticeAndOffThem() {
        // At 2 on an axis the patches go back without a copy (the einsum's output viewed), at 2x2 one token's attention copies nothing.
        assertMeasured(DIT_SPEC, LATENT, DIT);
    }

    @Test
    void aUNetsPeakEqualsPyTorchOnTheFacesOfItsLatticeAndOffThem() {
        // At 2 on an axis the half-size stage is one position wide; at 2x2 one position, whose heads' transposes are contiguous. A size
        // program answers this model off its lattice without the peak (below), so the peak is the model compiled at each size.
        for (long[] row : UNET) {
            Compilation fixed = compiled(UNET_SPEC.replace("shape = {4, 32, 32}", "shape = {4, " + row[0] + ", " + row[1] + "}")
                    .replace(", sizes = {\"latent.H\", \"latent.W\"}", ""));
            String at = row[0] + " x " + row[1];
            assertEquals(row[2], ModelSources.constant(fixed, "test.NetCost", "MACS"), "MACS at " + at);
            assertEquals(row[3], ModelSources.constant(fixed, "test.NetCost", "PEAK_ACTIVATION_BYTES"), "PEAK_ACTIVATION_BYTES at " + at);
        }
    }

    @Test
    void aUNetWhoseSizesAProgramFollowsOffTheLatticeAnswersThereWithoutThePeak() {
        // Its transformer blocks flatten the map to tokens and reshape them back by the map's sizes: a program follows both, so
        // at(...) answers off the lattice of period 2. The program solves each step as one combination of products of sizes, which
        // the steps that take another form at 2 on an axis are not: the peak and the inference memory have no form, saying why.
        Compilation compilation = compiled(UNET_SPEC);
        String generated = generated(compilation, "test.NetCost");
        assertTrue(generated.contains("WITHOUT_CLOSED_FORM = List.of(\"PEAK_ACTIVATION_BYTES\", \"INFERENCE_MEMORY_BYTES\")"), generated);
        assertTrue(generated.contains("{@code PEAK_ACTIVATION_BYTES} is a maximum over the steps of the memory timeline, some of whose live bytes "
                + "take another form at a size's smallest"), generated);
        ClosedForm macs = closedForm(compilation, "MACS", LATENT.toArray(String[]::new));
        for (long[] row : UNET) {
            assertEquals(row[2], macs.at(row[0], row[1]), "MACS at " + row[0] + " x " + row[1]);
        }
        assertTrue(generated.contains("SizeProgram.parse("), generated);
    }

    @Test
    void aStepThatRisesWhereTheInputIsOneWindowWideIsAPartOfThePeakOfItsOwn() {
        // At W = 8, one window column, the partition is a view of the permuted patches that the Linear cannot fold: q holds the
        // input, the patches, its copy of the windows and its output (9,216 bytes at 16x8, batch 2). Elsewhere the partition
        // copies, the patches are gone when q runs, and q holds 28·H·W·batch bytes (7,168 there): the step rises at that face.
        // With the batch at 1 too the Linear folds the view, and the step falls back to 28·H·W: the form that rose is brought down.
        assertMeasured(WINDOWS_SPEC, List.of("H", "W", "batch"), WINDOWS);
        long[][] batchTwo = java.util.Arrays.stream(WINDOWS).filter(row -> row[2] == 2).map(row -> new long[] {row[0], row[1], row[3], row[4]})
                .toArray(long[][]::new);
        assertMeasured(WINDOWS_SPEC.replace("sizes = {\"H\", \"W\", \"batch\"}", "sizes = {\"H\", \"W\"}"), List.of("H", "W"), batchTwo);
    }
}
