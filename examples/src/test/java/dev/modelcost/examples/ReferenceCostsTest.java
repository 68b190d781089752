package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example model's generated constants against numbers measured with PyTorch.
 *
 * <p>Sources, copied here so the build needs neither file: the first six rows (lenet5 to
 * mobilenet_v2) are {@code reference/torchvision-costs.tsv} of the design notes, measured with
 * PyTorch 1.13 / torchvision 0.14 forward hooks; every row (those six included, identical) is
 * {@code tools/pytorch/torchvision-costs.tsv}, produced by {@code tools/pytorch/measure.py} with
 * torch 1.13.0 / torchvision 0.14.1 from Debian. Batch 1, weights=None, eval mode; googlenet and
 * inception_v3 with aux_logits=False.
 *
 * <p>The transformer rows (vit_b_16, convnext_tiny, swin_t, bert_base, albert_base, transformer_encoder_layer,
 * transformer) are {@code tools/pytorch/transformer-costs.tsv}, produced by
 * {@code /usr/bin/python3 tools/pytorch/measure_transformers.py --out tools/pytorch/transformer-costs.tsv}
 * (torch 1.13 from Debian): MACs and FLOPs counted at the dispatch level over every convolution,
 * mm, addmm, bmm and baddbmm, with gradients enabled so that nn.MultiheadAttention takes its
 * ordinary path; FLOPs = sum of (2K - 1) per output element plus the bias adds. BERT-base is the
 * module of {@code BertModel} in that script (token ids 1x128; its first output), nn.Transformer
 * has batch_first=True, a source of 32 and a target of 24 tokens. Buffers are the floating-point
 * ones: Swin's int64 {@code relative_position_index}, as BatchNorm's {@code num_batches_tracked}, is
 * not counted.
 *
 * <p>The EfficientNet-B1 to B7 rows are {@code tools/pytorch/efficientnet-family.tsv}, produced by
 * {@code /usr/bin/python3 tools/pytorch/measure.py efficientnet_b1 ... efficientnet_b7} (forward hooks as
 * above, each at its native resolution); params, buffers and MACs equal {@code reference/family-costs.tsv}
 * of the design notes.
 *
 * <p>The decoder rows (gpt2_small ... llama3_405b) are {@code tools/pytorch/decoder-costs.tsv},
 * produced by {@code /usr/bin/python3 tools/pytorch/measure_decoders.py --out tools/pytorch/decoder-costs.tsv}:
 * the modules of that script (GPT-2 small with its tied head, a Llama-style decoder with
 * grouped-query attention and SwiGLU, Mixtral's sparse mixture of experts) at batch 1, the large
 * configurations on PyTorch's meta device, counted as above.
 *
 * <p>The segmentation, video, UNet, DCGAN and recurrent rows (fcn_resnet50 ... lstm_proj128_L2_bi) are
 * the models of {@code reference/next-wave-costs.tsv} of the design notes, measured in
 * {@code tools/pytorch/layer-costs.tsv}, produced by
 * {@code /usr/bin/python3 tools/pytorch/measure_layers.py --out-dir tools/pytorch} (torch 1.13 /
 * torchvision 0.14 from Debian; its params, buffers, MACs and output shapes equal next-wave-costs.tsv's):
 * torchvision's {@code fcn_resnet50} (aux_loss=False) and {@code lraspp_mobilenet_v3_large} on
 * 1x3x520x520 and {@code r2plus1d_18} on 1x3x16x112x112 (weights=None), the classic UNet(3, 2,
 * bilinear=False) on 1x3x256x256, the DCGAN generator (nz=100, ngf=64, nc=3) on 1x100x1x1, the Siamese CNN of
 * {@code measure_counters.py} on two 1x1x105x105 images, and
 * nn.LSTM/GRU/RNN(256, 512, batch_first=True) with 1 or 2 layers, one or two directions and (LSTM)
 * proj_size=128 on 4x35x256. Counted at the dispatch level as above; FLOPs = sum of (2K - 1) per output
 * element plus the bias adds, for a transposed convolution 2 * MACs minus the outputs that receive a
 * product, plus the bias adds.
 */
class ReferenceCostsTest {
    /** model, input, out_shape, params, buffers, macs, flops. */
    private static final String REFERENCE = """
            lenet5	1x1x32x32	1x10	61706	0	416520	833040
            alexnet	1x3x224x224	1x1000	61100840	0	714188480	1428376960
            vgg16	1x3x224x224	1x1000	138357544	0	15470264320	30940528640
            resnet18	1x3x224x224	1x1000	11689512	9600	1814073344	3625662976
            resnet50	1x3x224x224	1x1000	25557032	53120	4089184256	8167254528
            mobilenet_v2	1x3x224x224	1x1000	3504872	34112	300774272	594870432
            resnet34	1x3x224x224	1x1000	21797672	17024	3663761408	7323784704
            resnet101	1x3x224x224	1x1000	44549160	105344	7801405440	15586578944
            resnet152	1x3x224x224	1x1000	60192808	151424	11513626624	23004699136
            resnext50_32x4d	1x3x224x224	1x1000	25028904	68224	4230479872	8446559232
            wide_resnet50_2	1x3x224x224	1x1000	68883240	68224	11398021120	22781641728
            mobilenet_v3_large	1x3x224x224	1x1000	5483032	24400	216589760	428779712
            mobilenet_v3_small	1x3x224x224	1x1000	2542856	12112	56510400	111608032
            efficientnet_b0	1x3x224x224	1x1000	5288548	42016	385814752	764891808
            efficientnet_b1	1x3x240x240	1x1000	7794184	62048	686802832	1362736496
            efficientnet_b2	1x3x260x260	1x1000	9109994	67568	993561872	1973307320
            efficientnet_b3	1x3x300x300	1x1000	12233232	87296	1827141392	3630472568
            efficientnet_b4	1x3x380x380	1x1000	19341616	125200	4393771024	8738083056
            efficientnet_b5	1x3x456x456	1x1000	30389784	172736	10266384752	20433953424
            efficientnet_b6	1x3x528x528	1x1000	43040704	224432	19067593536	37967847272
            efficientnet_b7	1x3x600x600	1x1000	66347960	310720	37745884192	75201903120
            squeezenet1_0	1x3x224x224	1x1000	1248424	0	818924576	1637849152
            squeezenet1_1	1x3x224x224	1x1000	1235496	0	349151936	698303872
            shufflenet_v2_x1_0	1x3x224x224	1x1000	2278604	16180	144907992	287865784
            shufflenet_v2_x0_5	1x3x224x224	1x1000	1366792	7952	40476448	79928992
            mnasnet1_0	1x3x224x224	1x1000	4383312	37920	314415872	623375104
            densenet121	1x3x224x224	1x1000	7978856	83648	2834161664	5661424128
            googlenet	1x3x224x224	1x1000	6624904	14560	1498376192	2993526224
            inception_v3	1x3x299x299	1x1000	23834568	34432	5713216096	11417464704
            regnet_y_400mf	1x3x224x224	1x1000	4344144	27152	401842848	799799408
            regnet_x_400mf	1x3x224x224	1x1000	5495976	37856	413812608	824451584
            vit_b_16	1x3x224x224	1x1000	86567656	0	17563828224	35120252400
            convnext_tiny	1x3x224x224	1x1000	28589128	0	4455531264	8911062528
            swin_t	1x3x224x224	1x1000	28288354	0	4490566656	8977250160
            bert_base	1x128	1x128x768	109482240	0	11174215680	22344892416
            albert_base	1x128	1x128x768	11683584	0	11186798592	22370058240
            transformer_encoder_layer	1x32x512	1x32x512	3152384	0	101711872	203399168
            transformer	1x32x512, 1x24x512	1x24x512	44140544	0	1247674368	2494989312
            gpt2_small	1x1024	1x1024x50257	124439808	0	145824153600	291436411904
            llama_tiny	1x256	1x256x32000	44831232	0	7549747200	15083700224
            llama3_8b	1x2048	1x2048x128256	8030261248	0	16469052096512	32930459549696
            mistral_7b	1x2048	1x2048x32000	7241732096	0	15661598244864	31315748978688
            mixtral_tiny	1x256	1x256x32000	23008512	0	2651848704	5292683264
            mixtral_8x7b	1x2048	1x2048x32000	46702792704	0	27208617820160	54407640121344
            llama3_70b	1x2048	1x2048x128256	70553706496	0	147837069295616	295637301592064
            llama3_405b	1x2048	1x2048x128256	405853388800	0	844193001897984	1688273174396928
            fcn_resnet50	1x3x520x520	1x21x520x520	32957013	54144	142725772800	285313641600
            lraspp_mobilenet_v3_large	1x3x520x520	1x21x520x520	3221538	24656	2086219688	4143518784
            r2plus1d_18	1x3x16x112x112	1x400	31505325	25350	40519080960	80975255818
            unet	1x3x256x256	1x2x256x256	31037698	11776	48171581440	96311181312
            dcgan_generator	1x100x1x1	1x3x64x64	3576704	1920	104628224	209121280
            siamese_cnn	1x1x105x105, 1x1x105x105	1x1	38955841	0	1817255936	3634511872
            lstm_L1_uni	4x35x256	4x35x512	1576960	0	220200960	440401920
            lstm_L1_bi	4x35x256	4x35x1024	3153920	0	440401920	880803840
            lstm_L2_uni	4x35x256	4x35x512	3678208	0	513802240	1027604480
            lstm_L2_bi	4x35x256	4x35x1024	9453568	0	1321205760	2642411520
            gru_L1_uni	4x35x256	4x35x512	1182720	0	165150720	330301440
            gru_L1_bi	4x35x256	4x35x1024	2365440	0	330301440	660602880
            gru_L2_uni	4x35x256	4x35x512	2758656	0	385351680	770703360
            gru_L2_bi	4x35x256	4x35x1024	7090176	0	990904320	1981808640
            rnn_L1_uni	4x35x256	4x35x512	394240	0	55050240	110100480
            rnn_L1_bi	4x35x256	4x35x1024	788480	0	110100480	220200960
            rnn_L2_uni	4x35x256	4x35x512	919552	0	128450560	256901120
            rnn_L2_bi	4x35x256	4x35x1024	2363392	0	330301440	660602880
            lstm_proj128_L1_uni	4x35x256	4x35x128	856064	0	119275520	238533120
            lstm_proj128_L2_bi	4x35x256	4x35x256	3424256	0	477102080	954132480
            """;

    /** The models every build must have as examples. */
    private static final List<String> REQUIRED = List.of("lenet5", "alexnet", "vgg16", "resnet18", "resnet50", "resnext50_32x4d",
            "mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0", "mnasnet1_0", "squeezenet1_0", "shufflenet_v2_x1_0",
            "densenet121", "googlenet", "inception_v3", "vit_b_16", "convnext_tiny", "swin_t", "bert_base", "transformer_encoder_layer",
            "transformer");

    private static Map<String, String[]> reference() {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : REFERENCE.strip().split("\n")) {
            String[] cells = line.strip().split("\t");
            rows.put(cells[0], cells);
        }
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleMatchesPyTorch() {
        Map<String, String[]> reference = reference();
        return ExampleModels.ALL.stream().map(model -> DynamicTest.dynamicTest(model.name(), () -> {
            String[] row = reference.get(model.name());
            assertTrue(row != null, "no PyTorch reference for " + model.name());
            assertEquals(row[1], model.input(), "input");
            assertEquals(row[2], model.output(), "output shape");
            assertEquals(Long.parseLong(row[3]), model.params(), "params");
            assertEquals(Long.parseLong(row[4]), model.buffers(), "buffers");
            assertEquals(Long.parseLong(row[5]), model.macs(), "MACs");
            assertEquals(Long.parseLong(row[6]), model.flops(), "FLOPs");
        }));
    }

    @Test
    void theReferenceModelsAreAllExamples() {
        List<String> missing = new ArrayList<>(REQUIRED);
        ExampleModels.ALL.forEach(model -> missing.remove(model.name()));
        assertEquals(List.of(), missing);
    }

    @Test
    void theTableShowsEveryModelWithItsFigures() {
        String table = CostTable.render(ExampleModels.ALL);
        // The input column is as wide as the Siamese network's two inputs, 24 characters.
        assertTrue(table.contains("vgg16                     1x3x224x224              1x1000              138,357,544        0        15,470,264,320        30,940,528,640  -"), table);
        assertTrue(table.contains("siamese_cnn               1x1x105x105, 1x1x105x105 1x1                  38,955,841        0"), table);
        // LeNet-5's budget: 416,520 of 500,000 MACs = 83.3%; 61,706 of 70,000 params = 88.2%, the most used.
        assertTrue(table.contains("61,706        0               416,520               833,040  88.2% params 61.71K params, 416.5K MACs"), table);
        assertEquals(ExampleModels.ALL.size() + 1, table.strip().split("\n").length);
    }
}
