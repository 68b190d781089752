package dev.modelcost.processor.write;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.layers.Shape;
import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.spec.BudgetLimit;

/**
 * The JSON report of a model, format {@code modelcost-report} version 2: shapes, totals, budget and
 * every node of the tree, a run of identical repetitions written once with its count. The schema is
 * {@code docs/report.schema.json}; within a version, fields are only ever added.
 */
final class JsonReport {
    /** The format version written in every report. */
    static final int VERSION = 2;

    private JsonReport() {}

    static String render(ModelCosts costs) {
        Json json = new Json().beginObject()
                .member("format", "modelcost-report")
                .member("version", VERSION)
                .member("model", costs.spec().network().name())
                .member("batch", costs.spec().batch());
        shape(json.name("input"), costs.spec().input());
        shape(json.name("output"), costs.output());
        totals(json.name("totals").beginObject(), costs.totals()).endObject();
        json.name("budget").beginArray();
        for (BudgetLimit limit : costs.spec().budget()) {
            json.beginObject()
                    .member("figure", limit.figure().name())
                    .member("attribute", limit.attribute())
                    .member("limit", limit.limit())
                    .member("value", costs.totals().get(limit.figure()))
                    .endObject();
        }
        json.endArray().name("nodes").beginArray();
        for (ModelCosts.Placed placed : costs.nodes(Integer.MAX_VALUE, ModelCosts.Runs.FIRST_INSIDE)) {
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
            if (!placed.node().parameters().isEmpty()) {
                json.name("parameters").beginObject();
                placed.node().parameters().forEach((name, dims) -> {
                    json.name(name).beginArray();
                    dims.forEach(json::value);
                    json.endArray();
                });
                json.endObject();
            }
            totals(json, placed.node().totals()).endObject();
        }
        return json.endArray().endObject().toString() + "\n";
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
