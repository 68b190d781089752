package dev.modelcost.examples;

import java.util.List;
import java.util.Locale;

/** Every example model with the figures of its generated cost class. */
public final class ExampleModels {
    private ExampleModels() {}

    /**
     * One model's figures, as its generated class states them.
     *
     * @param name the model's name in the reference tables (torchvision's, where it has one)
     * @param costClass the generated class
     * @param input the input shape with the batch
     * @param output the output shape with the batch
     * @param params learnable parameters
     * @param buffers running statistics
     * @param macs multiply-accumulates
     * @param flops floating-point operations
     * @param maxMacs the budget on MACs, {@code Long.MAX_VALUE} when unbounded
     * @param maxFlops the budget on FLOPs, {@code Long.MAX_VALUE} when unbounded
     * @param maxParams the budget on params, {@code Long.MAX_VALUE} when unbounded
     */
    public record Entry(String name, Class<?> costClass, String input, String output, long params, long buffers, long macs,
            long flops, long maxMacs, long maxFlops, long maxParams) {

        /** The entry of a generated class, read from its constants. */
        static Entry of(String name, Class<?> costClass) {
            return new Entry(name, costClass, text(costClass, "INPUT_SHAPE"), text(costClass, "OUTPUT_SHAPE"),
                    number(costClass, "PARAMS"), number(costClass, "BUFFERS"), number(costClass, "MACS"), number(costClass, "FLOPS"),
                    number(costClass, "MAX_MACS"), number(costClass, "MAX_FLOPS"), number(costClass, "MAX_PARAMS"));
        }

        /** The most used budget, e.g. {@code "83.3% MACs"}, or {@code "-"} for a model without one. */
        public String budgetUse() {
            String use = "-";
            double most = -1;
            for (Object[] figure : new Object[][] {{"MACs", macs, maxMacs}, {"FLOPs", flops, maxFlops}, {"params", params, maxParams}}) {
                long limit = (Long) figure[2];
                if (limit != Long.MAX_VALUE) {
                    double share = 100.0 * (Long) figure[1] / limit;
                    if (share > most) {
                        most = share;
                        use = String.format(Locale.ROOT, "%.1f%% %s", share, figure[0]);
                    }
                }
            }
            return use;
        }

        /** The class-path resource of the model's HTML report. */
        public String htmlReport() {
            String cost = costClass.getName();
            return "META-INF/modelcost/" + cost.substring(0, cost.length() - "Cost".length()) + ".html";
        }

        private static long number(Class<?> type, String constant) {
            return (Long) read(type, constant);
        }

        private static String text(Class<?> type, String constant) {
            return (String) read(type, constant);
        }

        private static Object read(Class<?> type, String constant) {
            try {
                return type.getField(constant).get(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(type.getName() + " has no constant " + constant, e);
            }
        }
    }

    /** The examples, in the order the table lists them. */
    public static final List<Entry> ALL = List.of(
            Entry.of("lenet5", LeNet5Cost.class),
            Entry.of("alexnet", AlexNetCost.class),
            Entry.of("vgg16", VGG16Cost.class),
            Entry.of("resnet18", ResNet18Cost.class),
            Entry.of("resnet50", ResNet50Cost.class),
            Entry.of("resnet34", ResNets_ResNet34Cost.class),
            Entry.of("resnet101", ResNets_ResNet101Cost.class),
            Entry.of("resnet152", ResNets_ResNet152Cost.class),
            Entry.of("resnext50_32x4d", ResNeXt50Cost.class),
            Entry.of("mobilenet_v2", MobileNetV2Cost.class),
            Entry.of("mobilenet_v3_large", MobileNetV3LargeCost.class),
            Entry.of("efficientnet_b0", EfficientNetB0Cost.class),
            Entry.of("efficientnet_b1", EfficientNet_B1Cost.class),
            Entry.of("efficientnet_b2", EfficientNet_B2Cost.class),
            Entry.of("efficientnet_b3", EfficientNet_B3Cost.class),
            Entry.of("efficientnet_b4", EfficientNet_B4Cost.class),
            Entry.of("efficientnet_b5", EfficientNet_B5Cost.class),
            Entry.of("efficientnet_b6", EfficientNet_B6Cost.class),
            Entry.of("efficientnet_b7", EfficientNet_B7Cost.class),
            Entry.of("mnasnet1_0", MnasNet1_0Cost.class),
            Entry.of("squeezenet1_0", SqueezeNet1_0Cost.class),
            Entry.of("shufflenet_v2_x1_0", ShuffleNetV2X1_0Cost.class),
            Entry.of("densenet121", DenseNet121Cost.class),
            Entry.of("googlenet", GoogLeNetCost.class),
            Entry.of("inception_v3", InceptionV3Cost.class),
            Entry.of("vit_b_16", ViTB16Cost.class),
            Entry.of("convnext_tiny", ConvNeXtTinyCost.class),
            Entry.of("swin_t", SwinTCost.class),
            Entry.of("bert_base", BertBaseCost.class),
            Entry.of("albert_base", AlbertBaseCost.class),
            Entry.of("transformer_encoder_layer", TransformerEncoderLayerCost.class),
            Entry.of("transformer", TransformerCost.class),
            Entry.of("gpt2_small", Gpt2SmallCost.class),
            Entry.of("llama_tiny", LlamaTinyCost.class),
            Entry.of("llama3_8b", Llama3_8BCost.class),
            Entry.of("mistral_7b", Mistral7BCost.class),
            Entry.of("mixtral_tiny", MixtralTinyCost.class),
            Entry.of("mixtral_8x7b", Mixtral8x7BCost.class),
            Entry.of("llama3_70b", Llama3_70BCost.class),
            Entry.of("llama3_405b", Llama3_405BCost.class),
            Entry.of("fcn_resnet50", FcnResNet50Cost.class),
            Entry.of("lraspp_mobilenet_v3_large", LRASPPMobileNetV3LargeCost.class),
            Entry.of("r2plus1d_18", R2Plus1D18Cost.class),
            Entry.of("unet", UNetCost.class),
            Entry.of("dcgan_generator", DcganGeneratorCost.class),
            Entry.of("siamese_cnn", SiameseCnnCost.class),
            Entry.of("lstm_L1_uni", RecurrentCases_LstmL1UniCost.class),
            Entry.of("lstm_L1_bi", RecurrentCases_LstmL1BiCost.class),
            Entry.of("lstm_L2_uni", RecurrentCases_LstmL2UniCost.class),
            Entry.of("lstm_L2_bi", RecurrentCases_LstmL2BiCost.class),
            Entry.of("gru_L1_uni", RecurrentCases_GruL1UniCost.class),
            Entry.of("gru_L1_bi", RecurrentCases_GruL1BiCost.class),
            Entry.of("gru_L2_uni", RecurrentCases_GruL2UniCost.class),
            Entry.of("gru_L2_bi", RecurrentCases_GruL2BiCost.class),
            Entry.of("rnn_L1_uni", RecurrentCases_RnnL1UniCost.class),
            Entry.of("rnn_L1_bi", RecurrentCases_RnnL1BiCost.class),
            Entry.of("rnn_L2_uni", RecurrentCases_RnnL2UniCost.class),
            Entry.of("rnn_L2_bi", RecurrentCases_RnnL2BiCost.class),
            Entry.of("lstm_proj128_L1_uni", RecurrentCases_LstmProj128L1UniCost.class),
            Entry.of("lstm_proj128_L2_bi", RecurrentCases_LstmProj128L2BiCost.class));
}
