package dev.modelcost.processor.sizes;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The numbers a model's layers are given at its declared sizes, where a size's range may end or a figure's form change: a size that
 * varies may meet one where a layer compares them, and an expression that reads a size may turn at a number it is written with
 * ({@code max(0, input.W - 1500)}). Layers inside a mixture of experts' expert count too.
 *
 * @param largest the largest number any layer is given, or any tensor a layer reads or writes holds on an axis (queries against
 *     the keys of a fixed memory under a causal mask), which the search for the largest size looks past
 * @param counted the largest count at which a figure turns as parameters or tokens pass it: a group-wise quantized dtype's group
 *     (its scales step every {@code int4-g1024}'s worth of parameters) or a mixture's number of experts (the weights read stop
 *     growing once every expert is reached); either may grow by as little as one a lattice step, so the checks reach that many
 *     steps past; 0 where there is neither
 * @param written every number a layer is given above 1, ascending: where a range ends, it mostly ends at one
 */
record LayerNumbers(long largest, long counted, NavigableSet<Long> written) {
    /** Keeps the numbers unmodifiable. */
    LayerNumbers {
        written = Collections.unmodifiableNavigableSet(new TreeSet<>(written));
    }

    /** The numbers of a model whose distinct nodes at its declared sizes are {@code nodes}. */
    static LayerNumbers of(ModelSpec spec, List<CostNode> nodes) {
        List<CostNode> all = withExperts(nodes);
        return new LayerNumbers(largestNumber(all), Math.max(largestGroup(spec), mostExperts(all)), writtenNumbers(all));
    }

    /** The distinct nodes, and after them every mixture of experts' expert's distinct nodes (nested mixtures' too). */
    private static List<CostNode> withExperts(List<CostNode> nodes) {
        List<CostNode> all = new ArrayList<>(nodes);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).experts() != null) {
                all.addAll(ModelCosts.distinctNodes(all.get(i).experts().expert()));
            }
        }
        return all;
    }

    /** The largest number any node of {@code all} is given, or any tensor it reads or writes holds on an axis. */
    private static long largestNumber(List<CostNode> all) {
        long largest = 0;
        for (CostNode node : all) {
            if (node.call() != null) {
                for (long value : node.call().attrs().numbers().values()) {
                    largest = Math.max(largest, value);
                }
                for (Shape input : node.call().inputs()) {
                    for (int size : input.dims()) {
                        largest = Math.max(largest, size);
                    }
                }
            }
            for (int size : node.output().dims()) {
                largest = Math.max(largest, size);
            }
        }
        return largest;
    }

    /** The most experts of a mixture among {@code all}, 0 where none. */
    private static long mostExperts(List<CostNode> all) {
        return all.stream().filter(node -> node.experts() != null).mapToLong(node -> node.experts().count()).max().orElse(0);
    }

    /** The largest group of a group-wise quantized weight dtype the model uses ({@code int4-g1024}: 1,024), 0 where none. */
    private static long largestGroup(ModelSpec spec) {
        long largest = spec.conventions().dtype().group();
        List<NetworkSpec> networks = new ArrayList<>(List.of(spec.network()));
        Set<NetworkSpec> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int n = 0; n < networks.size(); n++) {
            if (!seen.add(networks.get(n))) {
                continue;
            }
            for (Step step : networks.get(n).steps()) {
                if (step.weights() != null) {
                    largest = Math.max(largest, step.weights().group());
                }
                if (step.operation() instanceof Operation.BlockOp use) {
                    networks.add(use.block());
                }
            }
        }
        return largest;
    }

    /** Every number the nodes of {@code all} are given above 1, ascending. */
    private static TreeSet<Long> writtenNumbers(List<CostNode> all) {
        TreeSet<Long> numbers = new TreeSet<>();
        for (CostNode node : all) {
            if (node.call() != null) {
                node.call().attrs().numbers().values().stream().filter(v -> v > 1).forEach(numbers::add);
            }
        }
        return numbers;
    }
}
