package dev.modelcost.examples;

import dev.modelcost.Block;
import dev.modelcost.Conv2d;
import dev.modelcost.Flatten;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.MaxPool2d;
import dev.modelcost.ReLU;
import dev.modelcost.Sigmoid;

/**
 * The convolutional tower of Koch, Zemel and Salakhutdinov's Siamese networks for one-shot image recognition (ICML 2015
 * deep learning workshop): a 1x105x105 image to a 4096-d embedding.
 */
@Block
public class KochTower {
    @Conv2d(cout = 64, k = 10)    Layer conv1;
    @ReLU                         Layer relu1;
    @MaxPool2d(k = 2)             Layer pool1;
    @Conv2d(cout = 128, k = 7)    Layer conv2;
    @ReLU                         Layer relu2;
    @MaxPool2d(k = 2)             Layer pool2;
    @Conv2d(cout = 128, k = 4)    Layer conv3;
    @ReLU                         Layer relu3;
    @MaxPool2d(k = 2)             Layer pool3;
    @Conv2d(cout = 256, k = 4)    Layer conv4;
    @ReLU                         Layer relu4;
    @Flatten                      Layer flatten;
    @Linear(out = 4096)           Layer fc;
    @Sigmoid                      Layer sigmoid;
}
