package dev.modelcost.examples;

import dev.modelcost.Concat;
import dev.modelcost.From;
import dev.modelcost.Input;
import dev.modelcost.Layer;
import dev.modelcost.Linear;
import dev.modelcost.Model;
import dev.modelcost.Shared;

/**
 * A Siamese network: one {@link KochTower} run on each of two images, its weights counted once ({@code @Shared}), the two
 * embeddings concatenated and scored by a linear head, as {@code SiameseCnn} of {@code tools/pytorch/measure_counters.py}
 * ({@code self.head(torch.cat([self.tower(a), self.tower(b)], dim=1))}).
 */
@Model(inputs = {@Input(name = "a", shape = {1, 105, 105}, layout = "C,H,W"), @Input(name = "b", shape = {1, 105, 105}, layout = "C,H,W")})
public class SiameseCnn {
    @From("a")                  KochTower tower;
    @From("b") @Shared("tower") KochTower again;
    @Concat({"tower", "again"}) Layer     embeddings;
    @Linear(out = 1)            Layer     head;
}
