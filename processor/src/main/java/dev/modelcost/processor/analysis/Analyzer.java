package dev.modelcost.processor.analysis;

import static dev.modelcost.processor.analysis.ModelCosts.join;

import dev.modelcost.From;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.expr.Expr;
import dev.modelcost.processor.expr.ExprException;
import dev.modelcost.processor.expr.ExprParser.Assignment;
import dev.modelcost.processor.layers.Attrs;
import dev.modelcost.processor.layers.LayerFailure;
import dev.modelcost.processor.layers.LayerInput;
import dev.modelcost.processor.layers.LayerResult;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Totals;
import dev.modelcost.processor.spec.AttrSpec;
import dev.modelcost.processor.spec.ModelSpec;
import dev.modelcost.processor.spec.NetworkSpec;
import dev.modelcost.processor.spec.Operation;
import dev.modelcost.processor.spec.Operation.BlockOp;
import dev.modelcost.processor.spec.Operation.LayerOp;
import dev.modelcost.processor.spec.Operation.MergeOp;
import dev.modelcost.processor.spec.ParamSpec;
import dev.modelcost.processor.spec.SpecReader;
import dev.modelcost.processor.spec.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Infers every shape and computes every cost of a model by walking its network against its input.
 * A block is analysed once per distinct (block, arguments, input shape, batch) and shared after.
 */
public final class Analyzer {
    private final Map<BlockKey, CostNode> memo = new HashMap<>();
    private long blockAnalyses;

    /** Analyses a model; throws {@link Problem} at the first error. */
    public ModelCosts analyze(ModelSpec model) {
        NetworkSpec network = model.network();
        MapScope scope = MapScope.of(network.constants(), model.input());
        CostNode root = evaluate(network, scope, model.input(), "", "the model input", model.batch());
        ModelCosts costs = new ModelCosts(model, root);
        long leaves;
        try {
            leaves = costs.leafCount();
        } catch (ArithmeticException e) {
            leaves = Long.MAX_VALUE;
        }
        if (leaves > Integer.MAX_VALUE) {
            // LAYER_COUNT and LAYERS are an int and a List.
            throw new Problem(Diagnostic.OVERFLOW, Site.of(network.element(), SpecReader.mirror(network.element(), SpecReader.DSL + ".Model")), network.name(),
                    "its number of layers (" + (leaves == Long.MAX_VALUE ? "over 2^63" : String.format(java.util.Locale.ROOT, "%,d", leaves)) + ")");
        }
        return costs;
    }

    /** How many block analyses ran (cache misses), for tests of the memo. */
    public long blockAnalyses() {
        return blockAnalyses;
    }

    /** The identity of one analysis of a block: every parameter's value, the input shape and the batch. */
    private record BlockKey(String block, Map<String, Long> args, Shape input, long batch) {}

    private CostNode evaluate(NetworkSpec network, MapScope scope, Shape input, String path, String inputSource, long batch) {
        Map<String, Shape> outputs = new HashMap<>();
        // The full path of the leaf that produced each output; absent for the network's input.
        Map<String, String> producers = new HashMap<>();
        outputs.put(From.INPUT, input);
        String current = From.INPUT;
        List<CostNode.Child> children = new ArrayList<>();
        Totals totals = Totals.ZERO;
        int index = 0;
        for (Step step : network.steps()) {
            String from = step.from() != null ? step.from() : current;
            Shape x = outputs.get(from);
            String when = join(path, step.name()) + " @When";
            if (step.when() != null && !truth(step.when(), scope, when, step.whenSite(), step.whenText())) {
                outputs.put(step.name(), x);
                if (producers.containsKey(from)) {
                    producers.put(step.name(), producers.get(from));
                }
                current = step.name();
                continue;
            }
            boolean module = step.operation() instanceof BlockOp
                    || step.operation() instanceof LayerOp layer && layer.kind().isModule();
            BlockOp inline = step.operation() instanceof BlockOp use && use.inline() ? use : null;
            String name = network.indexed() && module && inline == null ? Integer.toString(index++) : step.name();
            String childPath = join(path, name);
            String producer = producers.get(from);
            String source = producer == null ? inputSource
                    : (from.equals(current) ? "the previous layer" : "field " + from) + " (" + producer + ")";
            CostNode node;
            try {
                if (inline != null) {
                    // The repetitions are this network's own children and take its next numbers.
                    int first = index;
                    index += inline.repeat();
                    node = repeat(inline, scope, x, path, childPath, "", first, source, batch);
                } else {
                    node = apply(step, scope, x, outputs, childPath, source, batch);
                }
                totals = totals.plus(node.totals());
            } catch (ArithmeticException e) {
                throw new Problem(Diagnostic.OVERFLOW, Site.of(step.field()), childPath, "the total");
            }
            if (inline != null) {
                children.addAll(node.children());
                producers.put(step.name(), join(path, node.outputFrom()));
            } else {
                children.add(CostNode.Child.of(name, node));
                producers.put(step.name(), join(childPath, node.outputFrom()));
            }
            outputs.put(step.name(), node.output());
            current = step.name();
        }
        String last = producers.get(current);
        String outputFrom = last == null ? "" : path.isEmpty() ? last : last.substring(path.length() + 1);
        return new CostNode(network.simpleName(), false, outputs.get(current), totals, List.copyOf(children), outputFrom);
    }

    private CostNode apply(Step step, MapScope scope, Shape x, Map<String, Shape> outputs, String path, String source, long batch) {
        Operation operation = step.operation();
        if (operation instanceof LayerOp layer) {
            Attrs attrs = attributes(layer, scope, path);
            LayerResult result = run(layer, attrs, new LayerInput(x, source, batch), path);
            return CostNode.leaf(layer.kind().kind(), result.output(), result.cost());
        }
        if (operation instanceof MergeOp merge) {
            List<Shape> shapes = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String input : merge.inputs()) {
                shapes.add(outputs.get(input));
                names.add(input);
            }
            try {
                LayerResult result = merge.merge().apply(shapes, names, batch);
                return CostNode.leaf(merge.merge().kind(), result.output(), result.cost());
            } catch (LayerFailure failure) {
                throw problem(failure, merge.site(), path);
            } catch (ArithmeticException e) {
                throw new Problem(Diagnostic.OVERFLOW, merge.site(), path, "the cost of this " + merge.merge().kind());
            }
        }
        return applyBlock((BlockOp) operation, step, scope, x, path, source, batch);
    }

    private CostNode applyBlock(BlockOp use, Step step, MapScope scope, Shape x, String path, String source, long batch) {
        if (use.repeated()) {
            return repeat(use, scope, x, path, path, use.prefix(), use.start(), source, batch);
        }
        Map<String, Long> args = evaluateArguments(use.args(), scope, path, use.argsSite());
        args.putAll(evaluateArguments(use.first(), scope, path, use.firstSite()));
        return block(use.block(), args, x, path, source, batch);
    }

    /**
     * Applies a block {@code use.repeat()} times in sequence; the repetitions are named
     * {@code prefix + first}, {@code prefix + (first + 1)}, ... under {@code base}, and {@code where}
     * names the use in messages. Identical repetitions that keep the shape become one run, so the
     * work and the node do not grow with the count.
     */
    private CostNode repeat(BlockOp use, MapScope scope, Shape x, String base, String where, String prefix, int first,
            String source, long batch) {
        Map<String, Long> args = evaluateArguments(use.args(), scope, where, use.argsSite());
        Map<String, Long> firstArgs = new LinkedHashMap<>(args);
        firstArgs.putAll(evaluateArguments(use.first(), scope, where, use.firstSite()));
        List<CostNode.Child> children = new ArrayList<>();
        Totals totals = Totals.ZERO;
        Shape shape = x;
        String producer = source;
        CostNode node = null;
        for (int i = 0; i < use.repeat(); i++) {
            String childPath = join(base, prefix + (first + i));
            CostNode next = block(use.block(), i == 0 ? firstArgs : args, shape, childPath, producer, batch);
            if (next == node && next.output().equals(shape)) {
                // A shape-preserving block with the same arguments: every later repetition is this one,
                // and so was the previous, which joins the run.
                totals = totals.plus(next.totals().times(use.repeat() - i));
                children.set(children.size() - 1, new CostNode.Child(prefix, first + i - 1, use.repeat() - i + 1, next));
                break;
            }
            node = next;
            children.add(CostNode.Child.of(prefix + (first + i), node));
            totals = totals.plus(node.totals());
            shape = node.output();
            producer = "the previous layer (" + join(childPath, node.outputFrom()) + ")";
        }
        CostNode.Child last = children.get(children.size() - 1);
        String outputFrom = join(last.name(last.count() - 1), last.node().outputFrom());
        return new CostNode(use.block().simpleName() + " x" + use.repeat(), false, shape, totals, List.copyOf(children), outputFrom);
    }

    private CostNode block(NetworkSpec block, Map<String, Long> args, Shape x, String path, String source, long batch) {
        // Defaults are resolved first, so uses that differ only in spelling out a default share one analysis.
        MapScope scope = MapScope.of(block.constants(), x);
        Map<String, Long> values = new LinkedHashMap<>();
        for (ParamSpec param : block.params()) {
            Long value = args.get(param.name());
            if (value == null) {
                value = number(param.fallback(), scope, path + " @Param " + param.name(), param.site(), param.fallbackText());
            }
            values.put(param.name(), value);
            scope = scope.with(param.name(), value);
        }
        BlockKey key = new BlockKey(block.name(), Map.copyOf(values), x, batch);
        CostNode known = memo.get(key);
        if (known != null) {
            return known;
        }
        blockAnalyses++;
        CostNode node = evaluate(block, scope, x, path, source, batch);
        memo.put(key, node);
        return node;
    }

    private Map<String, Long> evaluateArguments(List<Assignment> assignments, MapScope scope, String path, Site site) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (Assignment assignment : assignments) {
            values.put(assignment.name(), number(assignment.value(), scope, path + " argument " + assignment.name(), site, assignment.text()));
        }
        return values;
    }

    private Attrs attributes(LayerOp layer, MapScope scope, String path) {
        Map<String, Long> numbers = new LinkedHashMap<>();
        Map<String, Boolean> flags = new LinkedHashMap<>();
        Set<String> given = new HashSet<>();
        for (AttrSpec attr : layer.attrs()) {
            String where = path + " " + attr.name();
            if (attr.flag()) {
                flags.put(attr.name(), truth(attr.value(), scope, where, attr.site(), attr.text()));
            } else {
                numbers.put(attr.name(), number(attr.value(), scope, where, attr.site(), attr.text()));
            }
            if (attr.given()) {
                given.add(attr.name());
            }
        }
        return new Attrs(layer.kind().kind(), numbers, flags, given);
    }

    private static LayerResult run(LayerOp layer, Attrs attrs, LayerInput in, String path) {
        try {
            return layer.kind().apply(attrs, in);
        } catch (LayerFailure failure) {
            Site site = layer.site();
            if (failure.attribute() != null) {
                for (AttrSpec attr : layer.attrs()) {
                    if (attr.name().equals(failure.attribute()) && attr.given()) {
                        site = attr.site();
                    }
                }
            }
            throw problem(failure, site, path);
        } catch (ArithmeticException e) {
            throw new Problem(Diagnostic.OVERFLOW, layer.site(), path, "the cost of this " + layer.kind().kind());
        }
    }

    private static Problem problem(LayerFailure failure, Site site, String path) {
        Object[] args = failure.args();
        Object[] withPath = new Object[args.length + 1];
        withPath[0] = path;
        System.arraycopy(args, 0, withPath, 1, args.length);
        return new Problem(failure.diagnostic(), site, withPath);
    }

    private static long number(Expr expr, MapScope scope, String where, Site site, String text) {
        try {
            return expr.number(scope);
        } catch (ExprException e) {
            throw expressionProblem(e, scope, where, site, text);
        }
    }

    private static boolean truth(Expr expr, MapScope scope, String where, Site site, String text) {
        try {
            return expr.truth(scope);
        } catch (ExprException e) {
            throw expressionProblem(e, scope, where, site, text);
        }
    }

    private static Problem expressionProblem(ExprException e, MapScope scope, String where, Site site, String text) {
        switch (e.reason()) {
            case UNKNOWN_NAME:
                return new Problem(Diagnostic.UNKNOWN_NAME, site, where, e.detail(), text, Suggestions.didYouMean(e.detail(), scope.names()));
            case DIVISION_BY_ZERO:
                return new Problem(Diagnostic.DIVISION_BY_ZERO, site, where, text, e.detail());
            case OVERFLOW:
                return new Problem(Diagnostic.OVERFLOW, site, where, "'" + text + "' (" + e.detail() + ")");
            default:
                return new Problem(Diagnostic.EXPRESSION_TYPE, site, where, e.detail(), text);
        }
    }
}
