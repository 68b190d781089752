package dev.modelcost.examples;

import dev.modelcost.Block;
import dev.modelcost.Layer;
import dev.modelcost.Linear;

/** torchvision's ViT {@code heads}: one Linear named {@code head}. */
@Block
public class ViTHeads {
    @Linear(out = 1000) Layer head;
}
