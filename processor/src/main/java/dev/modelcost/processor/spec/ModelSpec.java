package dev.modelcost.processor.spec;

import dev.modelcost.processor.layers.Shape;
import java.util.List;

/**
 * A validated {@code @Model}: its network, input, batch, budget and the name of its cost class.
 *
 * @param network the network
 * @param input the input shape without the batch
 * @param batch the batch size
 * @param budget the bounds written in {@code @Budget}
 * @param costClass the simple name of the class to generate
 */
public record ModelSpec(NetworkSpec network, Shape input, int batch, List<BudgetLimit> budget, String costClass) {}
