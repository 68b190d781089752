package dev.modelcost.examples;

import dev.modelcost.Args;
import dev.modelcost.BatchNorm2d;
import dev.modelcost.Block;
import dev.modelcost.Concat;
import dev.modelcost.Conv2d;
import dev.modelcost.ConvTranspose2d;
import dev.modelcost.From;
import dev.modelcost.Layer;
import dev.modelcost.MaxPool2d;
import dev.modelcost.Model;
import dev.modelcost.Pad;
import dev.modelcost.Param;
import dev.modelcost.ReLU;

/**
 * The classic U-Net (Ronneberger et al. 2015) in the common PyTorch layout (milesial's {@code
 * UNet(n_channels=3, n_classes=2, bilinear=False)}: DoubleConv with BatchNorm, transposed-convolution upsampling).
 */
@Model(input = {3, 256, 256}, sizes = {"H", "W"})
public class UNet {
    @Args("cout = 64")                                DoubleConv inc;
    @Args("cout = 128")                               Down down1;
    @Args("cout = 256")                               Down down2;
    @Args("cout = 512")                               Down down3;
    @Args("cout = 1024")                              Down down4;
    @From({"down4", "down3"}) @Args("cout = 512")     Up up1;
    @From({"up1", "down2"})   @Args("cout = 256")     Up up2;
    @From({"up2", "down1"})   @Args("cout = 128")     Up up3;
    @From({"up3", "inc"})     @Args("cout = 64")      Up up4;
    @Conv2d(cout = 2, k = 1)                          Layer outc;

    /** Two 3x3 convolutions, each with BatchNorm and ReLU, as {@code double_conv}. */
    @Block
    static class DoubleConv {
        @Param                   int cout;
        @Param(expr = "cout")    int mid;

        @Args("mid = mid, cout = cout") Convs double_conv;
    }

    /** The {@code nn.Sequential} inside {@link DoubleConv}. */
    @Block(indexed = true)
    static class Convs {
        @Param int mid;
        @Param int cout;

        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = mid")  Layer conv1;
        @BatchNorm2d                                                    Layer bn1;
        @ReLU                                                           Layer relu1;
        @Conv2d(k = 3, padding = 1, bias = false, with = "cout = cout") Layer conv2;
        @BatchNorm2d                                                    Layer bn2;
        @ReLU                                                           Layer relu2;
    }

    /** A 2x2 max pool and a {@link DoubleConv}, as {@code maxpool_conv}. */
    @Block
    static class Down {
        @Param int cout;

        @Args("cout = cout") PoolConv maxpool_conv;
    }

    /** The {@code nn.Sequential} inside {@link Down}. */
    @Block(indexed = true)
    static class PoolConv {
        @Param int cout;

        @MaxPool2d(k = 2)    Layer pool;
        @Args("cout = cout") DoubleConv conv;
    }

    /**
     * Upsampling by a 2x2 transposed convolution that halves the channels, zero padding to the skip
     * connection's size ({@code F.pad} by the difference, split as {@code d // 2, d - d // 2}),
     * concatenation {@code [skip, upsampled]} and a {@link DoubleConv}.
     */
    @Block(inputs = {"x1", "x2"})
    static class Up {
        @Param int cout;

        @ConvTranspose2d(k = 2, stride = 2, with = "cout = in / 2")                        Layer up;
        @Pad(with = "pad = [(x2.W - up.W) / 2, x2.W - up.W - (x2.W - up.W) / 2, "
                + "(x2.H - up.H) / 2, x2.H - up.H - (x2.H - up.H) / 2]")                   Layer pad;
        @Concat({"x2", "pad"})                                                             Layer cat;
        @Args("cout = cout")                                                               DoubleConv conv;
    }
}
