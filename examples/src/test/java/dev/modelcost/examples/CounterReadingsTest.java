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
 * The counter constants of the example models against what the real tools print.
 *
 * <p>Sources, copied here so the build needs neither file. {@code ALL_COUNTERS}: the five models of
 * {@code reference/counters.tsv} of the design notes, every counter column (thop 0.1.1, ptflops 0.7.6
 * pytorch backend with and without count_functional and aten backend, fvcore 0.1.6, torchinfo at
 * 5c4164f and v1.8.0, nni 3.0 default and full mode; batch 1, eval, PyTorch 1.13). {@code MEASURED}:
 * every example PyTorch can run here on the CPU, every counter, {@code tools/pytorch/counter-costs.tsv},
 * produced by running the real tools from their sources with {@code tools/pytorch/measure_counters.py}
 * (its docstring gives the command and the revisions; torch 1.13 / torchvision 0.14 from Debian; a
 * recurrent layer inside a container module, as a spec with one field is); the {@code siamese_cnn} row is
 * {@code tools/pytorch/shared-counter-costs.tsv}, by the same script on its models of shared modules.
 */
class CounterReadingsTest {
    /** model, thop_macs, thop_params, ptflops_macs, ptflops_params, ptflops_nofunc_macs, ptflops_aten_macs, fvcore_flops,
     * torchinfo_multadds, torchinfo_params, torchinfo_v180_multadds, nni_flops, nni_params, nni_full_flops, nni_full_params. */
    private static final String ALL_COUNTERS = """
            alexnet	714206912	61100840	716441128	61100840	715561896	714682664	714197696	714682664	61100840	714682664	714188480	61100840	714701096	61100840
            vgg16	15470314496	138357544	15523225576	138357544	15503523304	15483821032	15470289408	15483821032	138357544	15483821032	15470264320	138357544	15483871208	138357544
            resnet18	1824033792	11689512	1825313768	11689512	1822177768	1814074344	1819065856	1814083944	11689512	1814083944	1814073344	11679912	1819067368	11689512
            resnet50	4133742592	25557032	4132436968	25557032	4121925096	4089185256	4111512576	4089238376	25557032	4089238376	4089184256	25503912	4111515624	25557032
            mobilenet_v2	327486720	3504872	320300008	3504872	320237288	300775272	314193216	300809384	3504872	300809384	300774272	3470760	314131496	3504872
            """;

    /** The constants of ALL_COUNTERS' columns, in order. */
    private static final List<String> ALL_CONSTANTS = List.of("THOP_MACS", "THOP_PARAMS", "PTFLOPS_MACS", "PTFLOPS_PARAMS",
            "PTFLOPS_NOFUNC_MACS", "PTFLOPS_ATEN_MACS", "FVCORE_FLOPS", "TORCHINFO_MULT_ADDS", "TORCHINFO_PARAMS",
            "TORCHINFO_V180_MULT_ADDS", "NNI_FLOPS", "NNI_PARAMS", "NNI_FULL_FLOPS", "NNI_FULL_PARAMS");

    /**
     * model, then the figures of MEASURED_CONSTANTS in order, as {@code tools/pytorch/counter-costs.tsv} has them: a number,
     * or what the tool did instead ({@code None}: ptflops returned no figure; an exception's name: the tool raised it;
     * {@code -}: not run, see the script).
     */
    private static final String MEASURED = """
            lenet5	416520	61706	416520	61706	423038	61706	448662	61706	435850	423038	416520	423038	61706	423038
            alexnet	714206912	61100840	714188480	61100840	714701096	61100840	716441128	61100840	715561896	714682664	714197696	714682664	61100840	714682664
            vgg16	15470314496	138357544	15470264320	138357544	15483871208	138357544	15523225576	138357544	15503523304	15483821032	15470289408	15483821032	138357544	15483821032
            resnet18	1824033792	11689512	1814073344	11679912	1819067368	11689512	1825313768	11689512	1822177768	1814074344	1819065856	1814083944	11689512	1814083944
            resnet34	3678739456	21797672	3663761408	21780648	3671264232	21797672	3680019432	21797672	3675629032	3663762408	3671262720	3663779432	21797672	3663779432
            resnet50	4133742592	25557032	4089184256	25503912	4111515624	25557032	4132436968	25557032	4121925096	4089185256	4111512576	4089238376	25557032	4089238376
            resnet101	7866435584	44549160	7801405440	44443816	7833972712	44549160	7865129960	44549160	7849500136	7801406440	7833969664	7801511784	44549160	7801511784
            resnet152	11603945472	60192808	11513626624	60041384	11558838248	60192808	11602639848	60192808	11580687848	11513627624	11558835200	11513779048	60192808	11513779048
            resnext50_32x4d	4288184320	25028904	4230479872	24960680	4259384296	25028904	4286878696	25028904	4273080296	4230480872	4259381248	4230549096	25028904	4230549096
            mobilenet_v2	327486720	3504872	300774272	3470760	314131496	3504872	320300008	3504872	320237288	300775272	314193216	300809384	3504872	300809384
            mobilenet_v3_large	234838456	5483032	216589760	5458632	226046200	5483032	231316416	5483032	228356576	216597120	226033824	216621520	5483032	216621520
            efficientnet_b0	415145024	5288548	385814752	5246532	401679972	5288548	410196896	5288548	401669732	385825092	401659392	385867108	5288548	385867108
            efficientnet_b1	734485616	7794184	686802832	7732136	712762440	7794184	726705368	7794184	712747576	686817992	712732416	686880040	7794184	686880040
            efficientnet_b2	1054228160	9109994	993561872	9042426	1026611722	9109994	1044413452	9109994	1026595530	993578282	1026579120	993645850	9109994	993645850
            efficientnet_b3	1931544800	12233232	1827141392	12145936	1883945448	12233232	1914414728	12233232	1883924648	1827162472	1883903568	1827249768	12233232	1827249768
            efficientnet_b4	4611442840	19341616	4393771024	19216416	4512554896	19341616	4577005104	19341616	4512525240	4393801064	4512495200	4393926264	19341616	4393926264
            efficientnet_b5	10702745216	30389784	10266384752	30217048	10505154376	30389784	10634854184	30389784	10505113640	10266426072	10505072320	10266598808	30389784	10266598808
            efficientnet_b6	19806794536	43040704	19067593536	42816272	19472168536	43040704	19691902448	43040704	19472115760	19067647136	19472062160	19067871568	43040704	19067871568
            efficientnet_b7	39029240928	66347960	37745884192	66037240	38449584600	66347960	38832701672	66347960	38449511800	37745958392	38449437600	37746269112	66347960	37746269112
            mnasnet1_0	336242432	4383312	314415872	4345392	325330152	4383312	334926312	4383312	330128232	314416872	325329152	314454792	4383312	314454792
            squeezenet1_0	819094576	1248424	818924576	1248424	823440824	1248424	836821960	1248424	830046392	823270824	819093576	823270824	1248424	823270824
            shufflenet_v2_x1_0	152708792	2278604	144907992	2262424	148809392	2278604	152387568	2278604	150598480	144908992	148808392	144925172	2278604	144925172
            densenet121	2897007104	7978856	2834161664	7895208	2865673192	7978856	2899843048	7978856	2882620136	2834162664	2865546752	2834246312	7978856	2834246312
            googlenet	1511332032	6624904	1498376192	6610344	1504880712	6624904	1513907448	6624904	1507755400	1498377192	1504878688	1498391752	6624904	1498391752
            inception_v3	5749219168	23834568	5713216096	23800136	5731285192	23834568	5747660552	23834568	5733633992	5713217096	5731282144	5713251528	23834568	5713251528
            fcn_resnet50	143277388800	32957013	142725772800	32902869	143001669525	32957013	143252871125	32957013	143124431125	142725861525	143024294400	142725915669	32957013	142725915669
            lraspp_mobilenet_v3_large	2208347416	3221538	2086219688	3196882	2150689018	3221538	2188569290	3221538	2163296618	2086402218	2175378272	2086426874	3221538	2086426874
            r2plus1d_18	40770756056	31505325	40519080960	31479975	40644944252	31505325	40768698728	31505325	40706796146	40519081360	40644893164	40519106710	31505325	40519106710
            unet	54741958656	31037698	54614032384	31025922	54685990912	31037698	48323231744	31037698	48283385856	48179576832	48235544576	54622039552	31037698	54622039552
            dcgan_generator	428834816	3576704	428343296	3574784	428589056	3576704	105119744	3576704	104996864	104628224	104873984	428345216	3576704	428345216
            siamese_cnn	1817255936	38955841	1817255936	38955841	1818996737	38955841	1825890305	38955841	1822443521	1818996737	1817255936	1818996737	38955841	1818996737
            lstm_L1_uni	221347840	1576960	55193600	1576960	55336960	1576960	55372800	1576960	55372800	220487680	0	220774400	1576960	220774400
            lstm_L1_bi	442695680	3153920	55193600	3153920	55336960	3153920	110745600	3153920	110745600	440975360	0	441548800	3153920	441548800
            lstm_L2_uni	516096000	3678208	128737280	3678208	129024000	3678208	129095680	3678208	129095680	514662400	0	514949120	3678208	514949120
            lstm_L2_bi	1325793280	9453568	275681280	9453568	276111360	9453568	331591680	9453568	331591680	1322926080	0	1323499520	9453568	1323499520
            gru_L1_uni	166082560	1182720	41413120	1182720	41520640	1182720	41520640	1182720	41520640	165365760	0	165580800	1182720	165580800
            gru_L1_bi	332165120	2365440	41413120	2365440	41520640	2365440	83041280	2365440	83041280	330731520	0	331161600	2365440	331161600
            gru_L2_uni	387215360	2758656	96588800	2758656	96803840	2758656	96803840	2758656	96803840	385996800	0	386211840	2758656	386211840
            gru_L2_bi	994631680	7090176	206814720	7090176	207137280	7090176	248657920	7090176	248657920	992194560	0	992624640	7090176	992624640
            rnn_L1_uni	55265280	394240	13780480	394240	13816320	394240	13816320	394240	13816320	55121920	0	55193600	394240	55193600
            rnn_L1_bi	110530560	788480	13780480	788480	13816320	788480	27632640	788480	27632640	110243840	0	110387200	788480	110387200
            rnn_L2_uni	128880640	919552	32148480	919552	32220160	919552	32220160	919552	32220160	128665600	0	128737280	919552	128737280
            rnn_L2_bi	331161600	2363392	68866560	2363392	68974080	2363392	82790400	2363392	82790400	330731520	0	330874880	2363392	330874880
            lstm_proj128_L1_uni	221347840	856064	55193600	856064	55336960	856064	27847680	856064	27847680	119562240	0	119848960	856064	119848960
            lstm_proj128_L2_bi	1325793280	3424256	275681280	3424256	276111360	3424256	111390720	3424256	111390720	478822400	0	479395840	3424256	479395840
            vit_b_16	11286254592	58067176	172996608	58028776	173194216	58028776	None	None	None	17580319720	17582740224	11280392680	86567656	173232616
            convnext_tiny	4464149760	28579432	319611648	28566184	322393672	28566184	4488347368	28589128	4479729640	4458241768	4470437376	4468983208	28589128	322371592
            swin_t	2978099712	19621192	34019328	19596424	34381864	19596424	3128183416	28288354	2980094440	4496588776	4509232128	2970635944	28288354	34368232
            bert_base	10882056192	85646592	85524480	85608192	85608192	85608192	11192009472	109482240	10885300992	11184833280	11186503680	10906717440	109482240	109482240
            albert_base	10894311424	7777792	85622784	7774464	85707264	7774464	11204608768	11683584	10897900288	11197514496	11198676992	10899467520	11683584	89650176
            transformer_encoder_layer	0	0	0	0	0	0	102973440	3152384	101916672	101859328	101875712	0	3152384	0
            gpt2_small	126575443968	123653376	123532032	123614976	123614976	123614976	145966497792	124439808	126601396224	145909088256	145922457600	127425677568	124439808	967557120
            llama_tiny	7281311744	28442624	28442624	28442624	28442624	28442624	7551320064	44831232	7281311744	7549747200	7549747200	7297700352	44831232	44831232
            mixtral_tiny	2584739840	14815232	14815232	14815232	14815232	14815232	2652372992	23008512	2584739840	2651848704	2651848704	2592933120	23008512	420414720
            transformer	302989312	12618752	-	-	-	-	1265038720	44140544	1250372608	1247797248	-	302379008	44140544	12618752
            """;

    private static final List<String> MEASURED_CONSTANTS = List.of("THOP_MACS", "THOP_PARAMS", "NNI_FLOPS", "NNI_PARAMS", "NNI_FULL_FLOPS",
            "NNI_FULL_PARAMS", "PTFLOPS_MACS", "PTFLOPS_PARAMS", "PTFLOPS_NOFUNC_MACS", "PTFLOPS_ATEN_MACS", "FVCORE_FLOPS",
            "TORCHINFO_MULT_ADDS", "TORCHINFO_PARAMS", "TORCHINFO_V180_MULT_ADDS");

    @TestFactory
    Stream<DynamicTest> everyCounterOfTheReferenceModels() {
        return rows(ALL_COUNTERS, ALL_CONSTANTS);
    }

    /**
     * Cells whose figure modelcost does not give, each with the reason its {@code _UNAVAILABLE} string states:
     * {@code model:CONSTANT} to a part of that string.
     */
    private static final Map<String, String> NOT_REPRODUCED = Map.ofEntries(
            Map.entry("mixtral_tiny:THOP_MACS", "a mixture of experts"),
            Map.entry("mixtral_tiny:THOP_PARAMS", "a mixture of experts"),
            Map.entry("mixtral_tiny:NNI_FLOPS", "a mixture of experts"),
            Map.entry("mixtral_tiny:NNI_PARAMS", "a mixture of experts"),
            Map.entry("mixtral_tiny:NNI_FULL_FLOPS", "a mixture of experts"),
            Map.entry("mixtral_tiny:NNI_FULL_PARAMS", "a mixture of experts"),
            Map.entry("mixtral_tiny:PTFLOPS_MACS", "a mixture of experts"),
            Map.entry("mixtral_tiny:PTFLOPS_PARAMS", "a mixture of experts"),
            Map.entry("mixtral_tiny:PTFLOPS_NOFUNC_MACS", "a mixture of experts"),
            Map.entry("mixtral_tiny:PTFLOPS_ATEN_MACS", "a mixture of experts"),
            Map.entry("mixtral_tiny:FVCORE_FLOPS", "a mixture of experts"),
            Map.entry("mixtral_tiny:TORCHINFO_MULT_ADDS", "a mixture of experts"),
            Map.entry("mixtral_tiny:TORCHINFO_PARAMS", "a mixture of experts"),
            Map.entry("mixtral_tiny:TORCHINFO_V180_MULT_ADDS", "a mixture of experts"));

    /**
     * Cells where the real tool prints no figure, each with what modelcost says instead: {@code model:CONSTANT} to a part of
     * the counter's caveat in the JSON report (ptflops returns None where torchvision's ViT calls nn.MultiheadAttention
     * with keywords).
     */
    private static final Map<String, String> TOOL_FAILS = Map.of(
            "vit_b_16:PTFLOPS_MACS", "ptflops prints no figure (None) where nn.MultiheadAttention is called with keyword arguments",
            "vit_b_16:PTFLOPS_PARAMS", "ptflops prints no figure (None) where nn.MultiheadAttention is called with keyword arguments",
            "vit_b_16:PTFLOPS_NOFUNC_MACS", "ptflops prints no figure (None) where nn.MultiheadAttention is called with keyword arguments");

    /**
     * Cells where the measured module differs from the example in a way only one counter sees, with the difference derived by
     * hand: {@code model:CONSTANT} to measured less modelcost's. The GPT-2 module of {@code measure_decoders.py} embeds
     * {@code torch.arange(T)}, positions without a batch axis, so torchinfo multiplies {@code wpe}'s 1,024 x 768 weights by
     * the output's first dimension, 1,024, not the batch, 1 (Hugging Face's GPT-2 passes positions of shape (1, T)).
     *
     * <p>The Swin-T example keeps the batch apart from the windows ({@code B x nW x N x C}, where PyTorch folds them into
     * {@code B*nW x N x C}): PyTorch 1.13's {@code F.linear} runs a 3-D contiguous input as one {@code addmm} with its bias, a 4-D one
     * as {@code matmul} and {@code add_}, so ptflops' aten backend counts the bias adds of the 24 {@code qkv} and {@code proj} calls in
     * the first and not in the second: {@code 4·HW·C} per block on a map of {@code HW} positions of {@code C} (56² x 96, 28² x 192,
     * 14² x 384, 7² x 768; 2, 2, 6 and 2 blocks).
     */
    private static final long SWIN_BIAS = 4L * (2 * 56 * 56 * 96 + 2 * 28 * 28 * 192 + 6 * 14 * 14 * 384 + 2 * 7 * 7 * 768);
    private static final Map<String, Long> MODULE_DIFFERS = Map.ofEntries(
            Map.entry("gpt2_small:TORCHINFO_MULT_ADDS", 1_023L * 1_024 * 768),
            Map.entry("gpt2_small:TORCHINFO_V180_MULT_ADDS", 1_023L * 1_024 * 768),
            Map.entry("swin_t:PTFLOPS_ATEN_MACS", SWIN_BIAS));

    /** Examples PyTorch cannot run here on the CPU (the large decoders are measured on the meta device, where no counter runs). */
    private static final List<String> UNMEASURED = List.of("llama3_8b", "mistral_7b", "mixtral_8x7b", "llama3_70b", "llama3_405b");

    @TestFactory
    Stream<DynamicTest> everyMeasuredExampleAgainstEveryCounter() {
        Map<String, ExampleModels.Entry> byName = new LinkedHashMap<>();
        ExampleModels.ALL.forEach(model -> byName.put(model.name(), model));
        return MEASURED.lines().map(String::strip).filter(line -> !line.isEmpty()).map(line -> {
            String[] cells = line.split("\t");
            return DynamicTest.dynamicTest(cells[0], () -> {
                ExampleModels.Entry model = byName.get(cells[0]);
                assertTrue(model != null, "no example named " + cells[0]);
                for (int i = 0; i < MEASURED_CONSTANTS.size(); i++) {
                    check(model, cells[0], MEASURED_CONSTANTS.get(i), cells[i + 1]);
                }
            });
        });
    }

    private static void check(ExampleModels.Entry model, String name, String constant, String measured) throws Exception {
        String cell = name + ":" + constant;
        if (measured.equals("-")) {
            return; // the tool was not run on this model
        }
        if (!measured.matches("\\d+")) {
            String caveat = TOOL_FAILS.get(cell);
            assertTrue(caveat != null, cell + ": the tool gives " + measured + ", which the test does not expect");
            String report = new String(CounterReadingsTest.class.getResourceAsStream("/META-INF/modelcost/" + model.costClass().getName()
                    .replaceAll("Cost$", "") + ".json").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(report.contains(caveat), cell + ": the report does not say " + caveat);
            return;
        }
        String reason = NOT_REPRODUCED.get(cell);
        if (reason != null) {
            String figure = constant.endsWith("_PARAMS") ? constant.replace("_PARAMS", constant.startsWith("NNI_FULL") ? "_FLOPS"
                    : constant.startsWith("NNI") ? "_FLOPS" : constant.startsWith("TORCHINFO") ? "_MULT_ADDS" : "_MACS") : constant;
            Object instead = model.costClass().getField(figure + "_UNAVAILABLE").get(null);
            assertTrue(instead.toString().contains(reason), cell + ": " + instead);
            return;
        }
        assertEquals(Long.parseLong(measured) - MODULE_DIFFERS.getOrDefault(cell, 0L), model.costClass().getField(constant).get(null), cell);
    }

    @Test
    void everyExampleIsMeasured() {
        List<String> measured = MEASURED.lines().map(line -> line.strip().split("\t")[0]).toList();
        List<String> missing = ExampleModels.ALL.stream().map(ExampleModels.Entry::name).filter(n -> !measured.contains(n)).toList();
        assertEquals(UNMEASURED, missing, "examples that no counter was run on");
    }

    private static Stream<DynamicTest> rows(String table, List<String> constants) {
        Map<String, ExampleModels.Entry> byName = new LinkedHashMap<>();
        ExampleModels.ALL.forEach(model -> byName.put(model.name(), model));
        return table.lines().map(String::strip).filter(line -> !line.isEmpty()).map(line -> {
            String[] cells = line.split("\t");
            return DynamicTest.dynamicTest(cells[0], () -> {
                ExampleModels.Entry model = byName.get(cells[0]);
                assertTrue(model != null, "no example named " + cells[0]);
                for (int i = 0; i < constants.size(); i++) {
                    Object value = model.costClass().getField(constants.get(i)).get(null);
                    assertEquals(Long.parseLong(cells[i + 1]), value, cells[0] + " " + constants.get(i));
                }
            });
        });
    }
}
