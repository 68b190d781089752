package dev.modelcost.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelcost.LayerCost;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Leaves of the transformer examples carry PyTorch's module paths and PyTorch's parameter counts
 * (hand-derived from the module definitions: torchvision 0.14's vision_transformer.py and
 * convnext.py and swin_transformer.py, torch.nn.MultiheadAttention, and the BERT module of
 * {@code tools/pytorch/measure_transformers.py}).
 */
class TransformerPathsTest {

    private static Map<String, LayerCost> byPath(List<LayerCost> layers) {
        return layers.stream().collect(Collectors.toMap(LayerCost::path, l -> l, (a, b) -> a));
    }

    @Test
    void vitLeavesFollowTorchvisionNames() {
        Map<String, LayerCost> layers = byPath(ViTB16Cost.LAYERS);
        // conv_proj: 768 * 3 * 16 * 16 + 768.
        assertEquals(590_592, layers.get("conv_proj").params());
        assertEquals(768, layers.get("class_token").params());
        // 197 positions (196 patches + the class token) x 768.
        assertEquals(197 * 768, layers.get("encoder.pos_embedding").params());
        // in_proj_weight 3 * 768^2, in_proj_bias 3 * 768, out_proj 768^2 + 768.
        LayerCost attention = layers.get("encoder.layers.encoder_layer_0.self_attention");
        assertEquals(3 * 768 * 768 + 3 * 768 + 768 * 768 + 768, attention.params());
        // Q.K^T and A.V: 2 * 12 heads * 197 * 197 * 64.
        assertEquals(2L * 12 * 197 * 197 * 64, attention.matmulMacs());
        assertEquals(768 * 3072 + 3072, layers.get("encoder.layers.encoder_layer_11.mlp.0").params());
        assertEquals(3072 * 768 + 768, layers.get("encoder.layers.encoder_layer_11.mlp.3").params());
        assertEquals(2 * 768, layers.get("encoder.ln").params());
        assertEquals(768 * 1000 + 1000, layers.get("heads.head").params());
    }

    @Test
    void convNextLeavesFollowTorchvisionNames() {
        Map<String, LayerCost> layers = byPath(ConvNeXtTinyCost.LAYERS);
        assertEquals(96 * 3 * 4 * 4 + 96, layers.get("features.0.0").params());
        assertEquals(2 * 96, layers.get("features.0.1").params());
        assertEquals(96 * 49 + 96, layers.get("features.1.0.block.0").params());
        assertEquals(96, layers.get("features.1.0.layer_scale").params());
        assertEquals(384 * 1536 + 1536, layers.get("features.5.8.block.3").params());
        assertEquals(384 * 768 * 4 + 768, layers.get("features.6.1").params());
        assertEquals(768 * 1000 + 1000, layers.get("classifier.2").params());
    }

    @Test
    void swinLeavesFollowTorchvisionNames() {
        Map<String, LayerCost> layers = byPath(SwinTCost.LAYERS);
        // features.0: Conv2d(3, 96, kernel_size=4, stride=4), Permute, LayerNorm(96)
        assertEquals(96 * 3 * 4 * 4 + 96, layers.get("features.0.0").params());
        assertEquals(2 * 96, layers.get("features.0.2").params());
        // qkv Linear(96, 288), proj Linear(96, 96), the relative position table (2·7 − 1)² x 3 heads
        assertEquals(96 * 288 + 288, layers.get("features.1.0.attn.qkv").params());
        assertEquals(96 * 96 + 96, layers.get("features.1.0.attn.proj").params());
        assertEquals(13 * 13 * 3, layers.get("features.1.0.attn.relative_position_bias_table").params());
        assertEquals(13 * 13 * 24, layers.get("features.7.1.attn.relative_position_bias_table").params());
        // the bias gathered from that table is one tensor for every sample: torchvision's get_relative_position_bias unsqueezes it
        // to (1, heads, 49, 49), which the layer table keeps at any batch
        assertEquals("1x3x49x49", layers.get("features.1.0.attn.relative_position_bias_table").outputShape(8));
        assertEquals("8x64x3x49x49", layers.get("features.1.0.attn.scores").outputShape(8));
        // MLP(96, [384, 96]): features.1.0.mlp.0 and .3
        assertEquals(96 * 384 + 384, layers.get("features.1.0.mlp.0").params());
        assertEquals(384 * 96 + 96, layers.get("features.1.0.mlp.3").params());
        // PatchMerging(96): reduction Linear(384, 192, bias=False), norm LayerNorm(384)
        assertEquals(384 * 192, layers.get("features.2.reduction").params());
        assertEquals(2 * 384, layers.get("features.2.norm").params());
        // q @ k^T on a 56 x 56 map: 64 windows x 3 heads x 49 x 49 x 32
        assertEquals(64L * 3 * 49 * 49 * 32, layers.get("features.1.0.attn.scores").matmulMacs());
        // the last stage's 7 x 7 map is one window, which torchvision does not shift: no roll, no mask
        assertEquals(null, layers.get("features.7.1.attn.roll"));
        assertEquals(List.of(1, 49, 49), layers.get("features.1.1.attn.attn_mask").outputShape().subList(1, 4));
        assertEquals(2 * 768, layers.get("norm").params());
        assertEquals(768 * 1000 + 1000, layers.get("head").params());
    }

    @Test
    void bertLeavesFollowBertModelNames() {
        Map<String, LayerCost> layers = byPath(BertBaseCost.LAYERS);
        assertEquals(30522 * 768, layers.get("embeddings.word_embeddings").params());
        assertEquals(512 * 768, layers.get("embeddings.position_embeddings").params());
        assertEquals(768 * 768 + 768, layers.get("encoder.0.attention.self.query").params());
        assertEquals(12L * 128 * 128 * 64, layers.get("encoder.11.attention.self.scores").matmulMacs());
        assertEquals(768 * 3072 + 3072, layers.get("encoder.11.intermediate").params());
        assertEquals(3072 * 768 + 768, layers.get("encoder.11.output.dense").params());
        assertEquals(2 * 768, layers.get("encoder.11.output.LayerNorm").params());
        assertEquals(768 * 768 + 768, layers.get("pooler").params());
    }

    @Test
    void transformerLeavesFollowNnTransformerNames() {
        Map<String, LayerCost> layers = byPath(TransformerCost.LAYERS);
        long attention = 4L * 512 * 512 + 4 * 512;
        assertEquals(attention, layers.get("encoder.layers.0.self_attn").params());
        assertEquals(attention, layers.get("decoder.layers.5.multihead_attn").params());
        // Cross-attention: 24 target queries against 32 memory keys, 8 heads of 64.
        assertEquals(2L * 8 * 24 * 32 * 64, layers.get("decoder.layers.5.multihead_attn").matmulMacs());
        assertEquals(512 * 2048 + 2048, layers.get("decoder.layers.0.linear1").params());
        assertEquals(2 * 512, layers.get("decoder.norm").params());
        assertEquals(List.of(24, 512), layers.get("decoder.norm").outputShape());
    }
}
