package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.CostNode;
import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.counters.Counter;
import dev.modelcost.processor.counters.Reading;
import dev.modelcost.processor.memory.Graph;
import dev.modelcost.processor.memory.Peak;
import dev.modelcost.processor.memory.Timeline;
import dev.modelcost.processor.roofline.Rooflines;
import dev.modelcost.processor.spec.TrainingSpec;
import dev.modelcost.processor.training.TrainingStep;
import dev.modelcost.processor.roofline.Bound;
import dev.modelcost.processor.roofline.LayerBound;
import java.util.List;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.spec.BudgetLimit;
import java.util.Map;

/**
 * The JSON report of a model, format {@code modelcost-report} version 3 (3: a bound on memory or latency among the budget; a limit may be seconds): shapes, totals, budget and
 * every node of the tree, a run of identical repetitions written once with its count. The schema is
 * {@code docs/report.schema.json}; within a version, fields are only ever added.
 */
final class JsonReport {
    /** The format version written in every report. */
    static final int VERSION = 3;

    private JsonReport() {}

    static String render(Results results, Timeline timeline) {
        ModelCosts costs = results.costs();
        List<Reading> readings = results.readings();
        List<Bound> bounds = results.bounds();
        Json json = new Json().beginObject()
                .member("format", "modelcost-report")
                .member("version", VERSION)
                .member("model", costs.spec().network().name())
                .member("batch", costs.spec().batch());
        shape(json.name("input"), costs.spec().input());
        json.name("inputs").beginArray();
        for (int k = 0; k < costs.spec().inputs().size(); k++) {
            Shape input = costs.spec().inputs().get(k);
            json.beginObject().member("name", costs.spec().network().inputs().get(k));
            shape(json.name("shape"), input);
            json.name("layout").beginArray();
            input.axes().forEach(json::value);
            json.endArray().name("tokens").value(input.ids()).endObject();
        }
        json.endArray();
        shape(json.name("output"), costs.output());
        json.name("outputs").beginArray();
        List<Shape> outputs = costs.outputs();
        for (int k = 0; k < outputs.size(); k++) {
            json.beginObject().member("name", costs.outputNames().get(k));
            shape(json.name("shape"), outputs.get(k));
            batchSecond(json, outputs.get(k));
            json.endObject();
        }
        json.endArray();
        totals(json.name("totals").beginObject(), costs.totals()).endObject();
        json.name("budget").beginArray();
        for (BudgetLimit limit : costs.spec().budget()) {
            json.beginObject()
                    .member("figure", limit.figure().name())
                    .member("attribute", limit.attribute())
                    .member("limit", limit.limit());
            if (!limit.counter().isEmpty()) {
                json.member("counter", limit.counter());
            }
            over(json, costs.spec().rangeOf(limit.site()));
            json.member("value", Reports.boundedValue(limit, costs, readings)).endObject();
        }
        for (Reports.OtherBound other : Reports.otherBounds(results)) {
            json.beginObject().member("figure", other.figure()).member("attribute", other.attribute());
            if (other.limit() instanceof Long whole) {
                json.member("limit", whole).member("value", other.value().longValue());
            } else {
                json.member("limit", other.limit().doubleValue()).member("value", other.value().doubleValue()).member("hardware", other.hardware());
            }
            over(json, costs.spec().rangeOf(other.site()));
            json.endObject();
        }
        json.endArray().name("counters").beginArray();
        readings.forEach(reading -> counter(json, reading));
        json.endArray().name("roofline").beginArray();
        bounds.forEach(bound -> roofline(json, bound));
        json.endArray();
        if (!results.decodeBounds().isEmpty()) {
            json.name("decodeRoofline").beginArray();
            results.decodeBounds().forEach(bound -> roofline(json, bound));
            json.endArray();
        }
        memory(json.name("memory"), results);
        if (results.sizes() != null) {
            sizes(json.name("sizes"), results.sizes());
        }
        if (results.training() != null) {
            training(json.name("training"), results);
        }
        Graph graph = Graph.of(costs);
        if (graph != null) {
            graph(json.name("graph"), graph);
        }
        Map<CostNode, double[]> latency = Rooflines.perNode(costs, bounds);
        json.name("nodes").beginArray();
        List<ModelCosts.Placed> nodes = costs.nodes(Integer.MAX_VALUE, ModelCosts.Runs.FIRST_INSIDE);
        Map<String, Long> peaks = ReportRows.peaks(nodes, timeline.nodes());
        for (ModelCosts.Placed placed : nodes) {
            json.beginObject()
                    .member("path", placed.path())
                    .member("kind", placed.node().kind())
                    .member("depth", placed.depth())
                    .name("leaf").value(placed.node().leaf());
            if (placed.run() != null) {
                json.name("repeat").beginObject()
                        .member("count", placed.run().count())
                        .member("prefix", placed.run().prefix())
                        .member("first", placed.run().first())
                        .endObject();
            }
            shape(json.name("output"), placed.node().output());
            batchSecond(json, placed.node().output());
            if (!placed.node().parameters().isEmpty()) {
                json.name("parameters").beginObject();
                placed.node().parameters().forEach((name, dims) -> {
                    json.name(name).beginArray();
                    dims.forEach(json::value);
                    json.endArray();
                });
                json.endObject();
            }
            Long live = peaks.get(placed.path());
            if (live != null) {
                json.member("liveBytes", live);
            }
            if (!bounds.isEmpty()) {
                latency(json, placed.node(), bounds, latency.get(placed.node()), costs);
            }
            Long saved = results.training() == null || !placed.node().leaf() ? null : results.training().savedByLeaf().get(placed.path());
            if (saved != null) {
                json.member("savedBytes", saved);
            }
            totals(json, placed.node().totals()).endObject();
        }
        return json.endArray().endObject().toString() + "\n";
    }

    /** The range of sizes a bound holds over besides the declared sizes ({@code @Budget(over)}), where its budget gives one. */
    private static void over(Json json, dev.modelcost.processor.spec.SizeRange range) {
        if (range != null) {
            json.member("over", range.text());
        }
    }

    /** A node's roofline bound per profile, and for a leaf what limits it there. */
    private static void latency(Json json, CostNode node, List<Bound> bounds, double[] seconds, ModelCosts costs) {
        json.name("latencyBounds").beginObject();
        for (int i = 0; i < bounds.size(); i++) {
            json.member(bounds.get(i).hardware().id(), seconds[i]);
        }
        json.endObject();
        if (node.leaf()) {
            json.name("limits").beginObject();
            for (Bound bound : bounds) {
                json.member(bound.hardware().id(), Rooflines.leaf(node, bound.hardware(), costs.spec().roofline(),
                        costs.spec().conventions().activations()).limit().label());
            }
            json.endObject();
        }
    }

    /** The activation peak and the inference memory. */
    private static void memory(Json json, Results results) {
        Peak peak = results.memory();
        ModelCosts costs = results.costs();
        json.beginObject()
                .member("peakActivationBytes", peak.bytes())
                .member("peakLayer", peak.at())
                .member("inputBytes", peak.inputs())
                .member("bufferBytes", peak.bufferBytes(costs))
                .member("inferenceMemoryBytes", peak.inference(costs))
                .endObject();
    }

    /** The size variables, where the closed forms hold, and the forms. */
    private static void sizes(Json json, dev.modelcost.processor.sizes.SizeForms forms) {
        json.beginObject().name("variables").beginArray();
        for (int i = 0; i < forms.variables().size(); i++) {
            dev.modelcost.SizeDomain d = forms.domains().get(i);
            json.beginObject().member("name", forms.names().get(i)).member("default", d.fallback()).member("period", d.period())
                    .member("min", d.min()).member("max", d.max());
            if (d.programMax() > d.max()) {
                json.member("programMax", d.programMax());
            }
            if (forms.pastTurn() != null) {
                json.member("establishedAt", forms.pastTurn().sizes().get(i));
            }
            json.endObject();
        }
        json.endArray();
        if (forms.pastTurn() != null) {
            json.member("establishedPastTurn", forms.pastTurn().why());
        }
        json.name("forms").beginObject();
        forms.forms().forEach((figure, form) -> json.member(figure, form.text()));
        json.endObject().name("pieces").beginArray();
        for (dev.modelcost.processor.sizes.SizeForms.Piece piece : forms.pieces()) {
            json.beginObject().member("from", piece.from()).member("to", piece.to()).name("forms").beginObject();
            piece.forms().forEach((figure, form) -> json.member(figure, form.text()));
            json.endObject().endObject();
        }
        json.endArray().name("missing").beginObject();
        forms.missing().forEach(json::member);
        json.endObject();
        if (forms.program() != null || forms.noProgram() != null) {
            json.name("offLattice").beginObject().name("answered").value(forms.program() != null);
            if (forms.noProgram() != null) {
                json.member("why", forms.noProgram());
            }
            json.endObject();
        }
        json.endObject();
    }

    /** The training step. */
    private static void training(Json json, Results results) {
        TrainingStep step = results.training();
        TrainingSpec spec = results.costs().spec().training();
        json.beginObject()
                .member("batch", step.batch())
                .member("optimizer", spec.optimizer())
                .name("mixedPrecision").value(spec.mixedPrecision())
                .name("recompute").value(spec.recompute())
                .name("inputsRequireGrad").value(spec.inputsRequireGrad())
                .member("flops", step.flops())
                .member("savedActivationBytes", step.savedActivations())
                .member("weightBytes", step.weights())
                .member("gradientBytes", step.gradients())
                .member("optimizerStateBytes", step.optimizerState())
                .member("bufferBytes", step.buffers())
                .member("memoryBytes", step.memory())
                .endObject();
    }

    /** The flat graph of tensors: every leaf in execution order, what it reads and allocates. */
    private static void graph(Json json, Graph graph) {
        json.beginObject().name("inputs").beginArray();
        graph.inputs().forEach(json::value);
        json.endArray().name("steps").beginArray();
        for (Graph.Node node : graph.steps()) {
            json.beginObject().member("path", node.path()).member("kind", node.kind()).name("reads").beginArray();
            node.reads().forEach(read -> json.value((long) read));
            json.endArray().member("bytes", node.bytes()).member("alias", node.alias()).member("scratch", node.scratch()).endObject();
        }
        json.endArray().member("output", graph.output()).name("outputs").beginArray();
        graph.outputs().forEach(output -> json.value((long) output));
        json.endArray().endObject();
    }

    /** One profile's bound: the profile, the bound and its split, and the layers with the largest bound. */
    private static void roofline(Json json, Bound bound) {
        json.beginObject()
                .member("hardware", bound.hardware().id())
                .member("name", bound.hardware().name())
                .member("bandwidth", bound.hardware().bandwidth())
                .name("peaks").beginObject();
        bound.dtypes().forEach(dtype -> json.member(dtype, bound.hardware().peak(dtype).getAsDouble()));
        json.endObject()
                .member("efficiency", bound.efficiency())
                .member("seconds", bound.seconds())
                .member("computeSeconds", bound.computeSeconds())
                .member("memorySeconds", bound.memorySeconds())
                .member("computeLayers", bound.computeLayers())
                .member("memoryLayers", bound.memoryLayers())
                .name("largest").beginArray();
        for (LayerBound layer : bound.largest()) {
            json.beginObject()
                    .member("path", layer.path())
                    .member("kind", layer.kind())
                    .member("times", layer.times())
                    .member("flops", layer.flops())
                    .member("bytes", layer.bytes())
                    .member("seconds", layer.seconds())
                    .member("limit", layer.limit().label())
                    .endObject();
        }
        json.endArray().endObject();
    }

    /** One counter's reading: its figure or why there is none, and where it differs from modelcost's MACs. */
    private static void counter(Json json, Reading reading) {
        Counter counter = reading.counter();
        json.beginObject()
                .member("id", counter.id())
                .member("tool", counter.tool())
                .member("call", counter.call())
                .member("constant", counter.constant())
                .name("reproduced").value(reading.reproduced());
        if (reading.reproduced()) {
            json.member("value", reading.value()).member("difference", reading.difference());
            if (counter.reportsParams()) {
                json.member("params", reading.params());
            }
        } else {
            json.member("instead", reading.instead());
        }
        // a figure not reproduced has no difference to split, nor leaves where it differs
        boolean shown = reading.reproduced();
        json.name("differences").beginObject();
        if (shown) {
            reading.differences().forEach((category, amount) -> json.member(category.label(), amount));
        }
        json.endObject().name("unseen").beginArray();
        if (shown) {
            reading.unseen().forEach((reason, macs) -> json.beginObject().member("reason", reason).member("macs", macs).endObject());
        }
        json.endArray().name("largest").beginArray();
        for (Reading.LayerDifference layer : shown ? reading.largest() : List.<Reading.LayerDifference>of()) {
            json.beginObject()
                    .member("path", layer.path())
                    .member("kind", layer.kind())
                    .member("count", layer.count())
                    .member("value", layer.value())
                    .member("macs", layer.macs())
                    .endObject();
        }
        json.endArray().endObject();
    }

    /** {@code "batchSecond": true} where PyTorch puts the batch second in the tensor (a recurrent layer's state); nothing elsewhere. */
    private static void batchSecond(Json json, Shape shape) {
        if (shape.batchSecond()) {
            json.name("batchSecond").value(true);
        }
    }

    private static void shape(Json json, Shape shape) {
        json.beginArray();
        shape.dims().forEach(json::value);
        json.endArray();
    }

    private static Json totals(Json json, Costs t) {
        for (dev.modelcost.processor.layers.Figure figure : dev.modelcost.processor.layers.Figure.values()) {
            json.member(figure.key(), t.get(figure));
        }
        return json;
    }
}
