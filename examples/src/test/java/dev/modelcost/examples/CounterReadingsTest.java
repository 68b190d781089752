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
 * 5c4164f and v1.8.0, nni 3.0 default and full mode; batch 1, eval, PyTorch 1.13). {@code THOP_AND_NNI}:
 * every CNN and recurrent example, {@code tools/pytorch/counter-costs.tsv}, produced by running the
 * real thop and nni sources with
 * {@code /usr/bin/python3 tools/pytorch/measure_counters.py --thop <pytorch-OpCounter at 43c064a> --nni <nni v3.0 counter.py>}
 * (torch 1.13 / torchvision 0.14 from Debian; a recurrent layer inside a container module, as a spec
 * with one field is).
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

    /** model, thop_macs, thop_params, nni_flops, nni_params, nni_full_flops, nni_full_params. */
    private static final String THOP_AND_NNI = """
            lenet5	416520	61706	416520	61706	423038	61706
            alexnet	714206912	61100840	714188480	61100840	714701096	61100840
            vgg16	15470314496	138357544	15470264320	138357544	15483871208	138357544
            resnet18	1824033792	11689512	1814073344	11679912	1819067368	11689512
            resnet34	3678739456	21797672	3663761408	21780648	3671264232	21797672
            resnet50	4133742592	25557032	4089184256	25503912	4111515624	25557032
            resnet101	7866435584	44549160	7801405440	44443816	7833972712	44549160
            resnet152	11603945472	60192808	11513626624	60041384	11558838248	60192808
            resnext50_32x4d	4288184320	25028904	4230479872	24960680	4259384296	25028904
            mobilenet_v2	327486720	3504872	300774272	3470760	314131496	3504872
            mobilenet_v3_large	234838456	5483032	216589760	5458632	226046200	5483032
            efficientnet_b0	415145024	5288548	385814752	5246532	401679972	5288548
            efficientnet_b1	734485616	7794184	686802832	7732136	712762440	7794184
            efficientnet_b2	1054228160	9109994	993561872	9042426	1026611722	9109994
            efficientnet_b3	1931544800	12233232	1827141392	12145936	1883945448	12233232
            efficientnet_b4	4611442840	19341616	4393771024	19216416	4512554896	19341616
            efficientnet_b5	10702745216	30389784	10266384752	30217048	10505154376	30389784
            efficientnet_b6	19806794536	43040704	19067593536	42816272	19472168536	43040704
            efficientnet_b7	39029240928	66347960	37745884192	66037240	38449584600	66347960
            mnasnet1_0	336242432	4383312	314415872	4345392	325330152	4383312
            squeezenet1_0	819094576	1248424	818924576	1248424	823440824	1248424
            shufflenet_v2_x1_0	152708792	2278604	144907992	2262424	148809392	2278604
            densenet121	2897007104	7978856	2834161664	7895208	2865673192	7978856
            googlenet	1511332032	6624904	1498376192	6610344	1504880712	6624904
            inception_v3	5749219168	23834568	5713216096	23800136	5731285192	23834568
            convnext_tiny	4464149760	28579432	319611648	28566184	322393672	28566184
            fcn_resnet50	143277388800	32957013	142725772800	32902869	143001669525	32957013
            lraspp_mobilenet_v3_large	2208347416	3221538	2086219688	3196882	2150689018	3221538
            r2plus1d_18	40770756056	31505325	40519080960	31479975	40644944252	31505325
            unet	54741958656	31037698	54614032384	31025922	54685990912	31037698
            dcgan_generator	428834816	3576704	428343296	3574784	428589056	3576704
            lstm_L1_uni	221347840	1576960	55193600	1576960	55336960	1576960
            lstm_L1_bi	442695680	3153920	55193600	3153920	55336960	3153920
            lstm_L2_uni	516096000	3678208	128737280	3678208	129024000	3678208
            lstm_L2_bi	1325793280	9453568	275681280	9453568	276111360	9453568
            gru_L1_uni	166082560	1182720	41413120	1182720	41520640	1182720
            gru_L1_bi	332165120	2365440	41413120	2365440	41520640	2365440
            gru_L2_uni	387215360	2758656	96588800	2758656	96803840	2758656
            gru_L2_bi	994631680	7090176	206814720	7090176	207137280	7090176
            rnn_L1_uni	55265280	394240	13780480	394240	13816320	394240
            rnn_L1_bi	110530560	788480	13780480	788480	13816320	788480
            rnn_L2_uni	128880640	919552	32148480	919552	32220160	919552
            rnn_L2_bi	331161600	2363392	68866560	2363392	68974080	2363392
            lstm_proj128_L1_uni	221347840	856064	55193600	856064	55336960	856064
            lstm_proj128_L2_bi	1325793280	3424256	275681280	3424256	276111360	3424256
            """;

    private static final List<String> THOP_AND_NNI_CONSTANTS = List.of("THOP_MACS", "THOP_PARAMS", "NNI_FLOPS", "NNI_PARAMS",
            "NNI_FULL_FLOPS", "NNI_FULL_PARAMS");

    /**
     * model, thop_macs, thop_params, nni_flops, nni_params, nni_full_flops, nni_full_params, torchinfo_multadds,
     * torchinfo_v180_multadds: ViT-B/16 as the design notes' counter conventions ({@code background/counter-conventions.md})
     * measured the real thop, nni and torchinfo on torchvision's vit_b_16 (batch 1): none of them sees the attention.
     */
    private static final String VIT = "vit_b_16\t11286254592\t58067176\t172996608\t58028776\t173194216\t58028776\t11280392680\t173232616";

    @TestFactory
    Stream<DynamicTest> theCountersThatDoNotSeeAttentionOnViT() {
        return rows(VIT, List.of("THOP_MACS", "THOP_PARAMS", "NNI_FLOPS", "NNI_PARAMS", "NNI_FULL_FLOPS", "NNI_FULL_PARAMS",
                "TORCHINFO_MULT_ADDS", "TORCHINFO_V180_MULT_ADDS"));
    }

    @TestFactory
    Stream<DynamicTest> everyCounterOfTheReferenceModels() {
        return rows(ALL_COUNTERS, ALL_CONSTANTS);
    }

    @TestFactory
    Stream<DynamicTest> thopAndNniOfEveryConvolutionalAndRecurrentExample() {
        return rows(THOP_AND_NNI, THOP_AND_NNI_CONSTANTS);
    }

    @Test
    void everyConvolutionalExampleIsMeasured() {
        List<String> measured = THOP_AND_NNI.lines().map(line -> line.strip().split("\t")[0]).toList();
        List<String> missing = new ArrayList<>();
        for (ExampleModels.Entry model : ExampleModels.ALL) {
            boolean convolutional = Stream.of(model.costClass().getFields()).noneMatch(f -> f.getName().equals("KV_CACHE"))
                    || model.name().matches("(resnet|efficientnet|mobilenet|densenet|vgg|alexnet|lenet|squeeze|shuffle|mnas|google|inception"
                    + "|convnext|fcn|lraspp|r2plus1d|unet|dcgan|lstm|gru|rnn).*");
            if (convolutional && !model.name().matches("(vit|bert|transformer|gpt2|llama|mistral|mixtral).*") && !measured.contains(model.name())) {
                missing.add(model.name());
            }
        }
        assertTrue(missing.isEmpty(), "examples without thop and nni measurements: " + missing);
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
