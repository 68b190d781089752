package dev.modelcost.processor.analysis;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.DeclaredFormula;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.Inputs;
import dev.modelcost.processor.layers.LayerFailure;
import dev.modelcost.processor.layers.LayerResult;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Strides;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.Operation.BlockOp;
import dev.modelcost.processor.spec.Operation.OpStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What turns one operation into a leaf: running its formula with failures mapped to problems on
 * the right attribute, the figures that follow from the others, a tied weight, and a block applied
 * as experts.
 */
final class Leaves {
    private Leaves() {}

    static LayerResult run(OpStep op, Attrs attrs, Inputs in, String path) {
        return run(op, attrs, in, path, null);
    }

    /**
     * The leaf's result. A failure is reported on the operation's attribute that does not fit, where one is written; else, for a
     * call of a shared module ({@code @Shared}, {@code call} its site), at that call, whose inputs are what fails (the module ran
     * on its own); else on the operation.
     */
    /** The message of an output whose elements, the batch's included, pass 64 bits. */
    private static final String MANY_ELEMENTS = "output elements";

    static LayerResult run(OpStep op, Attrs attrs, Inputs in, String path, Site call) {
        OpKind kind = op.kind();
        try {
            if (!kind.takesIds()) {
                for (int i = 0; i < in.count(); i++) {
                    if (in.shape(i).ids()) {
                        throw new LayerFailure(Diagnostic.INPUT_DTYPE, null, kind.name(), "values", in.source(i), in.shape(i).describe(),
                                "feed token ids to an Embedding first");
                    }
                }
            }
            LayerResult result = kind.apply(attrs, in);
            try {
                in.batchElements(result.output());
            } catch (ArithmeticException e) {
                // a view costs nothing, but PyTorch refuses a tensor of more elements than 64 bits count (an expand to 2^31 x 2^31 x 2^31)
                throw new ArithmeticException(MANY_ELEMENTS);
            }
            Shape written = Strides.written(kind, attrs.flags().getOrDefault("inplace", false), in.count() == 0 ? null : in.shape(), result.output(),
                    in.batch());
            return written == result.output() ? result : new LayerResult(written, result.cost(), result.weight(), result.parameters());
        } catch (LayerFailure failure) {
            Site site = call != null ? call : op.site();
            boolean literal = false;
            if (failure.attribute() != null) {
                for (AttrSpec attr : op.attrs()) {
                    if (attr.name().equals(failure.attribute()) && attr.given()) {
                        site = attr.site();
                        literal = attr.value() != null && attr.value().names().isEmpty();
                    }
                }
            }
            if (failure.diagnostic() == Diagnostic.MERGE_SHAPES && op.inputsSite() != null) {
                site = op.inputsSite();
            }
            Problem problem = problem(failure, site, path);
            // An attribute left out, or a number written that no layer takes (cout = -8), is so whatever the sizes.
            boolean anySize = failure.diagnostic() == Diagnostic.MISSING_ATTRIBUTE || failure.diagnostic() == Diagnostic.NOT_POSITIVE && literal;
            throw anySize ? problem.atAnySize() : problem;
        } catch (ArithmeticException e) {
            // An output size past 32 bits says which; any other overflow is a count past 64 bits.
            String what = e.getMessage() != null && e.getMessage().startsWith("output size ")
                    ? "the output of this " + kind.name() + ", " + grouped(e.getMessage().substring("output size ".length())) + " long on an axis (beyond 32 bits),"
                    : MANY_ELEMENTS.equals(e.getMessage()) ? "the output of this " + kind.name() + ", of more than 9,223,372,036,854,775,807 elements,"
                    : "the cost of this " + kind.name() + " (a count beyond 64 bits)";
            throw new Problem(Diagnostic.OVERFLOW, op.site(), path, what);
        }
    }

    /** A size as a message gives it: a long with its digits grouped; beyond a long, as the layer gave it ({@code 3.200e+301}, about). */
    private static String grouped(String size) {
        try {
            return String.format(java.util.Locale.ROOT, "%,d", Long.parseLong(size));
        } catch (NumberFormatException beyondLong) {
            return "about " + size;
        }
    }

    static Problem problem(LayerFailure failure, Site site, String path) {
        Object[] args = failure.args();
        Object[] withPath = new Object[args.length + 1];
        withPath[0] = path;
        System.arraycopy(args, 0, withPath, 1, args.length);
        Problem problem = new Problem(failure.diagnostic(), site, withPath);
        return failure.anySize() ? problem.atAnySize() : problem;
    }

    /**
     * A leaf's figures that follow from the others: its active parameters are all of its
     * parameters, and where its formula gives no decoding MACs, a layer on a sequence (an output
     * axis named L) decodes one token for its MACs divided by the length; any other layer, whole.
     */
    static Costs derived(Costs cost, Shape output, String sequenceAxis) {
        if (cost.params() == 0 && cost.macs() == 0) {
            return cost;
        }
        Costs with = cost.with(Figure.ACTIVE_PARAMS, cost.params())
                .with(Figure.NON_EMBEDDING_PARAMS, cost.params() - cost.get(Figure.EMBEDDING_PARAMS));
        if (cost.get(Figure.DECODE_MACS) == 0 && cost.macs() > 0) {
            int axis = output.axes().indexOf(sequenceAxis);
            with = with.with(Figure.DECODE_MACS, axis < 0 ? cost.macs() : cost.macs() / output.dim(axis));
        }
        return with;
    }

    /**
     * The costs of a layer of a declared kind ({@code @LayerKind}) with its {@link Figure#DECODE_MACS}: its formula's MACs with
     * every input's sequence axis ({@code sequenceAxis}) at one position, as a decoding step runs the layer on the new position,
     * not its MACs divided by the length ({@link #derived}), which a formula that does not grow with the length would round down
     * (100 MACs over 32 positions, 3). Unchanged for another kind, an input without that axis, or a formula that does not run at
     * one position (its MACs divided by the length then, as for a built-in kind).
     */
    static Costs declaredDecode(OpStep op, Attrs attrs, Inputs in, Costs cost, String sequenceAxis) {
        if (!(op.kind().formula() instanceof DeclaredFormula) || cost.get(Figure.DECODE_MACS) != 0 || cost.macs() == 0) {
            return cost;
        }
        List<Shape> one = new ArrayList<>();
        boolean sequence = false;
        for (Shape shape : in.shapes()) {
            int axis = shape.axes().indexOf(sequenceAxis);
            sequence |= axis >= 0;
            one.add(axis < 0 ? shape : shape.withDim(axis, 1));
        }
        if (!sequence) {
            return cost;
        }
        try {
            // 0 at one position (a formula of L - 1) is left to derived's rule, which gives the same
            return cost.with(Figure.DECODE_MACS, op.kind().apply(attrs, new Inputs(one, in.sources(), in.batch(), in.conventions())).cost().macs());
        } catch (LayerFailure | ArithmeticException | Problem e) {
            return cost;
        }
    }

    /**
     * Refuses a layer built with {@code inplace = true} whose first input is a broadcast view, whose elements share memory (an
     * {@code expand}'s stride 0 on an axis longer than 1): PyTorch refuses to write into it.
     *
     * @throws Problem {@link Diagnostic#ATTRIBUTE_VALUE} on its {@code inplace} attribute
     */
    static void writableInPlace(OpStep op, Attrs attrs, List<Shape> inputs, long batch, String path) {
        if (!attrs.flags().getOrDefault("inplace", false) || inputs.isEmpty() || inputs.get(0).strides() == null) {
            return;
        }
        long[] sizes = inputs.get(0).fullSizes(batch);
        long[] strides = inputs.get(0).strides(batch);
        for (int i = 0; i < sizes.length; i++) {
            if (strides[i] == 0 && sizes[i] > 1) {
                throw new Problem(Diagnostic.ATTRIBUTE_VALUE, attributeSite(op, "inplace"), path, op.kind().name(), "inplace", true, "false: its input is a broadcast view "
                        + "(an expand) whose elements share memory, which PyTorch refuses to write (\"unsupported operation: more than one "
                        + "element of the written-to tensor refers to a single memory location\")");
            }
        }
    }

    /**
     * The rows and columns of the weight a layer is tied to ({@code tiedTo}): an earlier Embedding's or Linear's of the same model or
     * block.
     *
     * @throws Problem {@link Diagnostic#ATTRIBUTE_VALUE} where that layer holds no weight, {@link Diagnostic#UNKNOWN_INPUT} where
     *     there is no such earlier layer
     */
    static List<Integer> tiedTable(OpStep op, String tied, Map<String, List<Integer>> weights, String path, java.util.Set<String> earlier) {
        Site site = attributeSite(op, "tiedTo");
        List<Integer> table = weights.get(tied);
        if (table == null && earlier.contains(tied)) {
            throw new Problem(Diagnostic.ATTRIBUTE_VALUE, site, path, op.kind().name(), "tiedTo", "'" + tied + "'",
                    "an earlier Embedding or Linear field: " + tied + " holds no such weight to share");
        }
        if (table == null) {
            // A tie is resolved among the layers of its own model or block: one inside a block field is out of its reach, and from
            // inside a block (a path of several parts) so are the fields of the model that applies it.
            String reach = path.contains(".") && !tied.contains(".")
                    ? "; a tie inside a block reaches the block's own earlier fields only, not those of the model that applies it"
                    : tied.contains(".") || weights.isEmpty() ? "; a tie cannot reach a layer inside a block field, applied in place or not" : "";
            String hint = (weights.isEmpty() ? "; this model or block has no earlier Embedding or Linear field of its own" : Suggestions.didYouMean(tied, weights.keySet()))
                    + reach;
            throw new Problem(Diagnostic.UNKNOWN_INPUT, site, path, tied, hint, "an earlier Embedding or Linear field of the same model or block");
        }
        return table;
    }

    /** Where the step writes attribute {@code name}, else the step's annotation. */
    private static Site attributeSite(OpStep op, String name) {
        return op.attrs().stream().filter(attr -> attr.name().equals(name)).map(AttrSpec::site).findFirst().orElse(op.site());
    }

    /**
     * The attributes of a Linear or an Embedding tied to an earlier layer's weight of {@code table} rows and columns ({@code tiedTo}),
     * with the sizes that weight fixes where they are left out: a Linear's {@code out} (the rows), an Embedding's
     * {@code numEmbeddings} and {@code embeddingDim}; as they are where nothing is tied ({@code table} null) or every size is written.
     */
    static Attrs sizedByTie(Attrs attrs, List<Integer> table) {
        if (table == null) {
            return attrs;
        }
        if (attrs.kind().equals("Linear") && !attrs.given("out")) {
            return attrs.withNumber("out", table.get(0));
        }
        if (attrs.kind().equals("Embedding")) {
            Attrs sized = attrs.given("numEmbeddings") ? attrs : attrs.withNumber("numEmbeddings", table.get(0));
            return sized.given("embeddingDim") ? sized : sized.withNumber("embeddingDim", table.get(1));
        }
        return attrs;
    }

    /**
     * A Linear or an Embedding whose weight is an earlier layer's, of {@code table} rows and columns ({@link #tiedTable}; a tied LM
     * head, T5's shared source and target embedding): its parameters are counted there, its embedding parameters too.
     */
    static Costs tie(OpStep op, String tied, List<Integer> table, LayerResult result, Map<String, Dtype> weightDtypes, Dtype written, String path) {
        Site site = attributeSite(op, "tiedTo");
        if (!table.equals(result.weight())) {
            throw new Problem(Diagnostic.TIED_SHAPES, site, path, result.weight().get(0) + " x " + result.weight().get(1), tied,
                    table.get(0) + " x " + table.get(1));
        }
        if (written != null && !written.equals(weightDtypes.get(tied))) {
            // One tensor has one dtype: the table's is the layer's that holds it.
            throw new Problem(Diagnostic.ATTRIBUTE_VALUE, site, path, op.kind().name(), "tiedTo", "'" + tied + "'", "left out, or @Dtype(weights = \""
                    + written.name() + "\") left out: the shared weight is " + weightDtypes.get(tied).name() + ", as " + tied + " holds it");
        }
        long shared = (long) table.get(0) * table.get(1);
        Costs cost = result.cost();
        return cost.with(Figure.PARAMS, cost.params() - shared)
                .with(Figure.EMBEDDING_PARAMS, Math.max(0, cost.get(Figure.EMBEDDING_PARAMS) - shared));
    }

    /**
     * The weight bytes one run of {@code node} reads: each layer's own, and those of a table or module another call holds (a
     * tied head's table, a shared repetition's weights), each call counted; memoized per node.
     */
    static long weightReads(CostNode node, Map<CostNode, Long> known) {
        Long done = known.get(node);
        if (done != null) {
            return done;
        }
        long reads;
        if (node.leaf()) {
            reads = Math.addExact(node.totals().get(Figure.WEIGHT_BYTES), node.call() == null ? 0 : node.call().sharedBytes());
        } else {
            reads = 0;
            for (CostNode.Child child : node.children()) {
                reads = Math.addExact(reads, Math.multiplyExact(child.count(), weightReads(child.node(), known)));
            }
        }
        known.put(node, reads);
        return reads;
    }

    /**
     * A block applied as the experts of a mixture: {@code count} copies of its parameters and
     * buffers, {@code topK} of them active, and {@code topK} times its work, as every token runs
     * through {@code topK} experts. Its bytes moved are {@code topK} times one expert's over every
     * token, plus the weights of the other experts the tokens reach, as one run of an expert reads them (a shared repetition's
     * once a call): {@code min(count, tokens × topK)} experts are read in all, as routing that spreads the tokens (balanced, as
     * trained routers aim for) reads them; routing that sends every token to the same experts reads fewer. One leaf, as the experts
     * share one analysis.
     */
    static CostNode experts(int count, int topK, CostNode expert, long batch) {
        Costs one = expert.totals();
        Costs all = one.times(topK)
                .with(Figure.PARAMS, Math.multiplyExact(one.params(), count))
                .with(Figure.BUFFERS, Math.multiplyExact(one.buffers(), count))
                .with(Figure.EMBEDDING_PARAMS, Math.multiplyExact(one.get(Figure.EMBEDDING_PARAMS), count))
                .with(Figure.NON_EMBEDDING_PARAMS, Math.multiplyExact(one.get(Figure.NON_EMBEDDING_PARAMS), count))
                .with(Figure.WEIGHT_BYTES, Math.multiplyExact(one.get(Figure.WEIGHT_BYTES), count));
        Shape output = expert.output();
        long tokens = Math.multiplyExact(output.batched() ? batch : 1, output.elements() / Math.max(1, output.last()));
        CostNode.Experts experts = new CostNode.Experts(expert, topK, count, tokens);
        long reached = experts.reached(tokens);
        all = all.with(Figure.BYTES_MOVED, Math.addExact(all.get(Figure.BYTES_MOVED),
                Math.multiplyExact(weightReads(expert, new java.util.IdentityHashMap<>()), Math.max(0, reached - topK))));
        return new CostNode("Experts(" + expert.kind() + " x" + count + ", top-" + topK + ")", true, expert.output(), all,
                List.of(), "", Map.of(), null, false, null, experts);
    }
}
