package dev.modelcost.examples;

import dev.modelcost.BatchNorm2d;
import dev.modelcost.ConvTranspose2d;
import dev.modelcost.Layer;
import dev.modelcost.Model;
import dev.modelcost.ReLU;
import dev.modelcost.Tanh;

/** The DCGAN generator of pytorch/examples ({@code dcgan/main.py}, nz = 100, ngf = 64, nc = 3): a 100-d code to a 3x64x64 image. */
@Model(input = {DcganGenerator.NZ, 1, 1}, indexed = true)
public class DcganGenerator {
    static final int NZ = 100;
    static final int NGF = 64;
    static final int NC = 3;

    @ConvTranspose2d(cout = NGF * 8, k = 4, stride = 1, padding = 0, bias = false) Layer convt1;
    @BatchNorm2d                                                                   Layer bn1;
    @ReLU                                                                          Layer relu1;
    @ConvTranspose2d(cout = NGF * 4, k = 4, stride = 2, padding = 1, bias = false) Layer convt2;
    @BatchNorm2d                                                                   Layer bn2;
    @ReLU                                                                          Layer relu2;
    @ConvTranspose2d(cout = NGF * 2, k = 4, stride = 2, padding = 1, bias = false) Layer convt3;
    @BatchNorm2d                                                                   Layer bn3;
    @ReLU                                                                          Layer relu3;
    @ConvTranspose2d(cout = NGF, k = 4, stride = 2, padding = 1, bias = false)     Layer convt4;
    @BatchNorm2d                                                                   Layer bn4;
    @ReLU                                                                          Layer relu4;
    @ConvTranspose2d(cout = NC, k = 4, stride = 2, padding = 1, bias = false)      Layer convt5;
    @Tanh                                                                          Layer tanh;
}
