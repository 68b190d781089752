package dev.modelcost.processor.spec;

import static dev.modelcost.processor.spec.Mirrors.DSL;
import static dev.modelcost.processor.spec.Mirrors.explicitValues;
import static dev.modelcost.processor.spec.Mirrors.mirror;

import dev.modelcost.processor.diag.Diagnostic;
import dev.modelcost.processor.diag.Problem;
import dev.modelcost.processor.diag.Site;
import dev.modelcost.processor.diag.Suggestions;
import dev.modelcost.processor.hardware.Hardware;
import dev.modelcost.processor.hardware.HardwareCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * Reads {@code @Roofline}, its custom profiles, and the {@code @Budget} bounds that are no per-layer
 * figure: {@code maxLatencySeconds} on {@code hardware}, {@code maxPeakActivationBytes} and
 * {@code maxInferenceMemoryBytes}.
 */
final class RooflineReader {
    private RooflineReader() {}

    /** The model's roofline settings; every problem is reported, and the result is empty when there was one. */
    static Optional<RooflineSpec> read(TypeElement type, Findings findings) {
        Findings part = findings.part();
        AnnotationMirror roofline = mirror(type, DSL + ".Roofline");
        Map<String, Hardware> known = new LinkedHashMap<>();
        HardwareCatalog.all().forEach(h -> known.put(h.id(), h));
        List<Hardware> profiles = new ArrayList<>();
        List<Site> sites = new ArrayList<>();
        double efficiency = 1.0;
        boolean allowTf32 = false;
        if (roofline != null) {
            Map<String, AnnotationValue> given = explicitValues(roofline);
            for (AnnotationValue custom : list(given.get("custom"))) {
                custom(type, roofline, (AnnotationMirror) custom.getValue(), known, part);
            }
            for (AnnotationValue id : list(given.get("hardware"))) {
                Site site = new Site(type, roofline, id);
                resolve("Roofline", (String) id.getValue(), site, known, part).ifPresent(h -> {
                    profiles.add(h);
                    sites.add(site);
                });
            }
            if (list(given.get("hardware")).isEmpty()) {
                part.report(new Problem(Diagnostic.ROOFLINE_SETTING, Site.of(type, roofline), "hardware", "{}", "names no profile",
                        "name one or more of " + String.join(", ", HardwareCatalog.ids())));
            }
            AnnotationValue efficiencyValue = given.get("efficiency");
            if (efficiencyValue != null) {
                efficiency = ((Number) efficiencyValue.getValue()).doubleValue();
                if (!(efficiency > 0 && efficiency <= 1)) {
                    part.report(new Problem(Diagnostic.ROOFLINE_SETTING, new Site(type, roofline, efficiencyValue), "efficiency", efficiencyValue,
                            "must be above 0 and at most 1", "give the fraction of peak a kernel reaches, e.g. 0.7, or 1 for the pure bound"));
                }
            }
            AnnotationValue tf32 = given.get("allowTf32");
            allowTf32 = tf32 != null && (Boolean) tf32.getValue();
        }
        RooflineSpec.LatencyLimit latency = latency(type, profiles, sites, known, part);
        List<MemoryLimit> memory = memory(type, part);
        if (part.rejected()) {
            return Optional.empty();
        }
        return Optional.of(roofline == null && latency == null && memory.isEmpty() ? RooflineSpec.NONE
                : new RooflineSpec(profiles, sites, efficiency, allowTf32, latency, memory));
    }

    /** {@code @Budget(maxPeakActivationBytes, maxInferenceMemoryBytes)}, each positive (else reported). */
    private static List<MemoryLimit> memory(TypeElement type, Findings findings) {
        AnnotationMirror budget = mirror(type, DSL + ".Budget");
        List<MemoryLimit> limits = new ArrayList<>();
        if (budget == null) {
            return limits;
        }
        explicitValues(budget).forEach((name, value) -> {
            if (name.equals("maxPeakActivationBytes") || name.equals("maxInferenceMemoryBytes")) {
                long limit = ((Number) value.getValue()).longValue();
                Site site = new Site(type, budget, value);
                if (limit <= 0) {
                    findings.report(new Problem(Diagnostic.BUDGET_NOT_POSITIVE, site, name, limit));
                } else {
                    limits.add(new MemoryLimit(name, limit, site));
                }
            }
        });
        return limits;
    }

    /** {@code @Budget(maxLatencySeconds, hardware)}: null where not given or wrong (reported). */
    private static RooflineSpec.LatencyLimit latency(TypeElement type, List<Hardware> profiles, List<Site> sites, Map<String, Hardware> known,
            Findings findings) {
        AnnotationMirror budget = mirror(type, DSL + ".Budget");
        if (budget == null) {
            return null;
        }
        Map<String, AnnotationValue> given = explicitValues(budget);
        AnnotationValue seconds = given.get("maxLatencySeconds");
        AnnotationValue hardware = given.get("hardware");
        if (seconds == null) {
            if (hardware != null) {
                findings.report(new Problem(Diagnostic.HARDWARE_WITHOUT_BOUND, new Site(type, budget, hardware), hardware.getValue()));
            }
            return null;
        }
        Site site = new Site(type, budget, seconds);
        double limit = ((Number) seconds.getValue()).doubleValue();
        if (!(limit > 0) || Double.isInfinite(limit)) {
            findings.report(new Problem(Diagnostic.LATENCY_BUDGET_VALUE, site, seconds.getValue()));
            return null;
        }
        if (hardware != null) {
            Site hardwareSite = new Site(type, budget, hardware);
            return resolve("Budget", (String) hardware.getValue(), hardwareSite, known, findings)
                    .map(h -> new RooflineSpec.LatencyLimit(limit, h, site, hardwareSite)).orElse(null);
        }
        if (profiles.isEmpty()) {
            findings.report(new Problem(Diagnostic.LATENCY_WITHOUT_HARDWARE, site, seconds.getValue()));
            return null;
        }
        return new RooflineSpec.LatencyLimit(limit, profiles.get(0), site, sites.get(0));
    }

    /**
     * The profile {@code id}; an unknown one is reported, but not one declared in
     * {@code @Roofline(custom)} and refused there already.
     */
    private static Optional<Hardware> resolve(String annotation, String id, Site site, Map<String, Hardware> known, Findings findings) {
        Hardware hardware = known.get(id);
        if (hardware == null && known.containsKey(REFUSED + id)) {
            findings.rejectedElsewhere();
        } else if (hardware == null) {
            List<String> ids = known.keySet().stream().filter(k -> !k.startsWith(REFUSED)).toList();
            // "h100" means h100-sxm rather than the nearer h200: a family name first, then spelling
            Optional<String> family = ids.stream().filter(k -> !id.isEmpty() && k.startsWith(id + "-")).findFirst();
            findings.report(new Problem(Diagnostic.UNKNOWN_HARDWARE, site, annotation, id,
                    family.map(k -> "; did you mean '" + k + "'?").orElseGet(() -> Suggestions.didYouMean(id, ids)), String.join(", ", ids)));
        }
        return Optional.ofNullable(hardware);
    }

    /** The key under which {@code known} notes a custom profile that was refused, so that naming it is not reported again. */
    private static final String REFUSED = "\0refused:";

    /** One {@code @Hardware} of {@code @Roofline(custom)}, added to {@code known} when it is sound. */
    private static void custom(TypeElement type, AnnotationMirror roofline, AnnotationMirror hardware, Map<String, Hardware> known,
            Findings findings) {
        Map<String, AnnotationValue> given = explicitValues(hardware);
        AnnotationValue idValue = given.get("id");
        String id = (String) idValue.getValue();
        Site idSite = new Site(type, hardware, idValue);
        if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, idSite, id, "is not an id",
                    "write lower-case letters and digits, words joined by dashes, e.g. my-npu"));
            known.put(REFUSED + id, null);
            return;
        }
        if (known.containsKey(id)) {
            findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, idSite, id,
                    HardwareCatalog.find(id).isPresent() ? "has the id of a built-in profile" : "is declared twice",
                    "give it another id"));
            return;
        }
        Map<String, Double> peaks = new LinkedHashMap<>();
        boolean sound = true;
        for (String dtype : Hardware.DTYPES) {
            AnnotationValue rate = given.get(dtype);
            if (rate == null) {
                continue;
            }
            double value = ((Number) rate.getValue()).doubleValue();
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
                findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, new Site(type, hardware, rate), id,
                        "has " + dtype + " = " + rate.getValue() + " TFLOP/s", "give a positive rate, or 0 (the default) for none"));
                sound = false;
            } else if (value > 0) {
                peaks.put(dtype, value * 1e12);
            }
        }
        AnnotationValue bandwidthValue = given.get("bandwidth");
        double bandwidth = ((Number) bandwidthValue.getValue()).doubleValue();
        if (!(bandwidth > 0) || Double.isInfinite(bandwidth)) {
            findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, new Site(type, hardware, bandwidthValue), id,
                    "has bandwidth = " + bandwidthValue.getValue() + " GB/s", "give the DRAM bandwidth in GB/s, above 0"));
            sound = false;
        }
        if (sound && peaks.isEmpty()) {
            findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, Site.of(type, hardware), id, "gives no peak rate",
                    "give at least one of " + String.join(", ", Hardware.DTYPES) + " in TFLOP/s"));
            sound = false;
        }
        if (!sound) {
            known.put(REFUSED + id, null);
        } else {
            AnnotationValue name = given.get("name");
            AnnotationValue source = given.get("source");
            known.put(id, new Hardware(id, name == null || ((String) name.getValue()).isEmpty() ? id : (String) name.getValue(), peaks,
                    bandwidth * 1e9, 0, source == null ? "declared in the model" : (String) source.getValue()));
        }
    }

    private static List<? extends AnnotationValue> list(AnnotationValue value) {
        return value == null ? List.of() : (List<? extends AnnotationValue>) value.getValue();
    }
}
