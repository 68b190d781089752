package dev.modelcost.processor.memory;

import dev.modelcost.processor.analysis.ModelCosts;
import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.spec.RooflineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Warns where a model's inference memory exceeds the memory of a hardware profile it names. */
public final class MemoryFit {
    private MemoryFit() {}

    /** One warning per {@code @Roofline} profile whose stated memory the model's inference memory exceeds. */
    public static List<Problem> check(ModelCosts costs, Peak peak) {
        List<Problem> warnings = new ArrayList<>();
        long needed = peak.inference(costs);
        for (RooflineSpec.Profile profile : costs.spec().roofline().profiles()) {
            double memory = profile.hardware().memory();
            if (memory > 0 && needed > memory) {
                warnings.add(new Problem(Diagnostic.DOES_NOT_FIT, profile.site(), costs.spec().network().simpleName(),
                        String.format(Locale.ROOT, "%,d", needed), String.format(Locale.ROOT, "%,d", costs.totals().get(Figure.WEIGHT_BYTES)),
                        String.format(Locale.ROOT, "%,d", peak.bytes()), String.format(Locale.ROOT, "%,d", costs.totals().get(Figure.KV_CACHE_BYTES)),
                        profile.hardware().memoryStated(), profile.hardware().id()));
            }
        }
        return warnings;
    }
}
