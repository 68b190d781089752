package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a later call of a module, analysed at its own inputs, runs the module its first call built: PyTorch builds a module
 * once, so every call has its weights and its layers' attributes ({@code @Repeat(shared = true)}, {@code @Shared}).
 */
final class ModuleCalls {
    private ModuleCalls() {}

    /** Why a call is not its module's: the rest of the message, and its fix. */
    record Reason(String text, String fix) {
        static final String WEIGHTS = "feed it inputs of the features or channels its module's call reads, or drop @Shared to make it a "
                + "module of its own";
        static final String ATTRIBUTE = "write that attribute as a number, or as an expression that does not read the input's sizes";
        static final String SHAPES = "feed it inputs of the shapes its module's call reads, or drop @Shared to make it a module of its own";
        static final String STEPS = "make the module's steps the same at both calls, or drop @Shared to make it a module of its own";
    }

    /**
     * Why a repetition of {@code @Repeat(shared = true)} is not the first one's module, as the rest of a message that starts
     * {@code "(shared = true): "}; null where it is. The repetitions chain, so they are compared as wholes: as many parameters and
     * buffers, weights of the same shapes read from inputs of the same features or channels, the same attributes at every layer
     * the PyTorch code holds as a module. {@code path} is the repetition's.
     */
    static String repetitionDiffers(CostNode repetition, CostNode first, int index, String path) {
        long params = repetition.totals().params();
        long buffers = repetition.totals().get(Figure.BUFFERS);
        if (params != first.totals().params() || buffers != first.totals().get(Figure.BUFFERS)) {
            return String.format(Locale.ROOT, "repetition %d has %,d parameters and %,d buffers, repetition 0 %,d and %,d: one module called "
                    + "again has one set of weights", index, params, buffers, first.totals().params(), first.totals().get(Figure.BUFFERS));
        }
        if (!sameWeightsByFeatures(repetition, first)) {
            return String.format(Locale.ROOT, "repetition %d has as many parameters as repetition 0 (%,d), in weights of other shapes: one "
                    + "module called again has one set of weights", index, params);
        }
        Difference differs = attributes(repetition, first, path);
        return differs == null ? null : String.format(Locale.ROOT, "in repetition %d, %s %s would have %s = %s, in repetition 0 %s: one module "
                + "called again has the attributes it was built with", index, differs.kind(), differs.layer(), differs.name(), differs.here(),
                differs.module());
    }

    /**
     * Why a {@code @Shared} call is not the module of {@code owner} (whose call gave {@code module}), as the rest of a message
     * that starts {@code "but "}; null where it is. Layers are matched by name: a step the module holds but this call skips (a
     * {@code @When} of the input) is fine, one that this call runs with weights the module does not hold is not. Each layer
     * held by both has as many parameters and buffers, named alike where the layer names them, and, where the PyTorch code
     * holds it as a module, the same attributes (a function's or a view's arguments are the call's own); a built-in layer of the
     * same attributes and as many parameters has weights of the same shapes. A kind declared in the project may size its
     * weights from any axis of its input, so it must see the same input shapes.
     */
    static Reason callDiffers(CostNode call, CostNode module, String owner) {
        return differs(call, module, owner, owner);
    }

    private static Reason differs(CostNode call, CostNode module, String path, String owner) {
        if (call.leaf() != module.leaf() || call.leaf() && !call.kind().equals(module.kind())) {
            return new Reason("at this input step " + path + " would be " + describe(call) + ", where " + owner + "'s call has "
                    + describe(module), Reason.STEPS);
        }
        if (call.leaf()) {
            return leafDiffers(call, module, path, owner);
        }
        Map<String, CostNode.Child> held = new LinkedHashMap<>();
        module.children().forEach(child -> held.put(child.name(0), child));
        for (CostNode.Child child : call.children()) {
            String at = ModelCosts.join(path, child.name(0));
            CostNode.Child same = held.get(child.name(0));
            if (same == null) {
                if (holdsWeights(child.node())) {
                    return new Reason("at this input step " + at + " would run with weights " + owner + "'s call does not hold", Reason.STEPS);
                }
                continue;
            }
            if (same.count() != child.count() && holdsWeights(child.node())) {
                return new Reason(String.format(Locale.ROOT, "at this input %s would run %,d times, where %s's call runs it %,d times", at,
                        child.count(), owner, same.count()), Reason.STEPS);
            }
            Reason differs = differs(child.node(), same.node(), at, owner);
            if (differs != null) {
                return differs;
            }
        }
        if ((call.experts() == null) != (module.experts() == null)) {
            return new Reason("at this input step " + path + " would be " + describe(call) + ", where " + owner + "'s call has "
                    + describe(module), Reason.STEPS);
        }
        return call.experts() == null ? null : differs(call.experts().expert(), module.experts().expert(), path, owner);
    }

    private static Reason leafDiffers(CostNode call, CostNode module, String path, String owner) {
        long params = call.totals().params();
        long buffers = call.totals().get(Figure.BUFFERS);
        long heldParams = module.totals().params();
        long heldBuffers = module.totals().get(Figure.BUFFERS);
        if (params != heldParams || buffers != heldBuffers) {
            return new Reason(buffers == 0 && heldBuffers == 0
                    ? String.format(Locale.ROOT, "at this input %s %s would hold %,d parameters, where %s's call holds %,d: one module has one "
                            + "set of weights", call.kind(), path, params, owner, heldParams)
                    : String.format(Locale.ROOT, "at this input %s %s would hold %,d parameters and %,d buffers, where %s's call holds %,d and "
                            + "%,d: one module has one set of weights", call.kind(), path, params, buffers, owner, heldParams, heldBuffers),
                    Reason.WEIGHTS);
        }
        if (!call.parameters().equals(module.parameters())) {
            return new Reason(String.format(Locale.ROOT, "at this input the %,d parameters of %s %s would have other shapes than at %s's call: "
                    + "one module has one set of weights", params, call.kind(), path, owner), Reason.WEIGHTS);
        }
        if (call.call() == null || module.call() == null) {
            return null;
        }
        boolean declared = !call.call().kind().annotation().startsWith("dev.modelcost.");
        if (declared && params + buffers > 0 && !call.call().inputs().stream().map(s -> s.dims()).toList()
                .equals(module.call().inputs().stream().map(s -> s.dims()).toList())) {
            return new Reason("at this input " + call.kind() + " " + path + ", a kind declared in the project whose weights may follow any "
                    + "size of its input, would read " + shapes(call) + ", where " + owner + "'s call reads " + shapes(module), Reason.SHAPES);
        }
        String name = differingAttribute(call.call(), module.call());
        return name == null ? null : new Reason("at this input " + call.kind() + " " + path + " would have " + name + " = "
                + call.call().attrs().shown(name) + ", where " + owner + "'s call has " + module.call().attrs().shown(name)
                + ": a module has the attributes it was built with", Reason.ATTRIBUTE);
    }

    /**
     * The first attribute, by name, that a layer the PyTorch code holds as a module has otherwise at {@code call} than at
     * {@code module}, or null; a function's or a view's arguments are each call's own.
     */
    private static String differingAttribute(LeafCall call, LeafCall module) {
        boolean held = call.kind().module() && call.call() == Step.Call.MODULE;
        return held ? call.attrs().firstDifference(module.attrs()) : null;
    }

    private static boolean holdsWeights(CostNode node) {
        return node.totals().params() > 0 || node.totals().get(Figure.BUFFERS) > 0;
    }

    private static String describe(CostNode node) {
        return node.leaf() ? "a " + node.kind() : node.experts() != null ? "a mixture of experts" : "block " + node.kind();
    }

    private static String shapes(CostNode leaf) {
        return String.join(", ", leaf.call().inputs().stream().map(s -> s.describe()).toList());
    }

    /**
     * Whether two analysed blocks hold weights of the same shapes, layer by layer: the same parameters, read from inputs of the
     * same features or channels (a Linear of 64 → 32 is not one of 32 → 64, though both hold 2,048 weights).
     */
    static boolean sameWeightsByFeatures(CostNode a, CostNode b) {
        if (a == b) {
            return true;
        }
        if (a.leaf() != b.leaf() || a.children().size() != b.children().size() || !a.parameters().equals(b.parameters())
                || a.totals().params() != b.totals().params() || a.totals().params() > 0 && a.parameters().isEmpty() && a.call() != null
                && b.call() != null && !features(a.call()).equals(features(b.call()))) {
            return false;
        }
        for (int i = 0; i < a.children().size(); i++) {
            CostNode.Child x = a.children().get(i);
            CostNode.Child y = b.children().get(i);
            if (x.count() != y.count() || !sameWeightsByFeatures(x.node(), y.node())) {
                return false;
            }
        }
        return a.experts() == null ? b.experts() == null : b.experts() != null && sameWeightsByFeatures(a.experts().expert(), b.experts().expert());
    }

    /** The features or channels of each input of a call, which a layer's weights are shaped by: the first axis where it is C, else the last. */
    private static List<Integer> features(LeafCall call) {
        return call.inputs().stream().map(x -> x.rank() == 0 ? 1 : x.axis(0).equals("C") ? x.dim(0) : x.last()).toList();
    }

    /** An attribute a layer has at one call of its module and not at another: the layer's kind and path, and both values. */
    private record Difference(String kind, String layer, String name, String here, String module) {}

    /**
     * The first layer, in order, that the PyTorch code holds as a module and that has another attribute at {@code call} than at
     * {@code module} (a stride or a window computed from the input's sizes); else null. The nodes have the same structure
     * ({@link #sameWeightsByFeatures}); {@code path} is the module's.
     */
    private static Difference attributes(CostNode call, CostNode module, String path) {
        if (call.leaf() && call.call() != null && module.call() != null) {
            String name = differingAttribute(call.call(), module.call());
            return name == null ? null : new Difference(call.kind(), path, name, call.call().attrs().shown(name), module.call().attrs().shown(name));
        }
        for (int i = 0; i < call.children().size() && i < module.children().size(); i++) {
            CostNode.Child child = call.children().get(i);
            Difference differs = attributes(child.node(), module.children().get(i).node(), ModelCosts.join(path, child.name(0)));
            if (differs != null) {
                return differs;
            }
        }
        return call.experts() != null && module.experts() != null ? attributes(call.experts().expert(), module.experts().expert(), path) : null;
    }
}
