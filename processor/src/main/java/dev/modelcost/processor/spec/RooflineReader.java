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
import dev.modelcost.processor.roofline.Seconds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * Reads {@code @Roofline}, its custom profiles, and the {@code @Budget} bounds that are no per-layer
 * figure: {@code maxLatencySeconds} on {@code hardware}, {@code maxPeakActivationBytes} and
 * {@code maxInferenceMemoryBytes}.
 */
final class RooflineReader {
    /** The smallest efficiency accepted: below it a bound is no longer a useful number. */
    static final double MIN_EFFICIENCY = 0.001;
    /** The range of a custom rate (TFLOP/s) or bandwidth (GB/s): from a kilo-op a second to a zetta-op. */
    static final double MIN_RATE = 1e-9;
    static final double MAX_RATE = 1e9;
    /** The range of a latency bound, in seconds: a picosecond to about 30 years. */
    static final double MIN_SECONDS = 1e-12;
    static final double MAX_SECONDS = 1e9;

    private RooflineReader() {}

    /** What is known while reading: the profiles by id, and the ids of custom profiles that were refused. */
    private record Known(Map<String, Hardware> profiles, Set<String> refused) {}

    /** The model's roofline settings; every problem is reported, and the result is empty when there was one. */
    static Optional<RooflineSpec> read(TypeElement type, Findings findings) {
        Findings part = findings.part();
        AnnotationMirror roofline = mirror(type, DSL + ".Roofline");
        Known known = new Known(new LinkedHashMap<>(), new HashSet<>());
        HardwareCatalog.all().forEach(h -> known.profiles().put(h.id(), h));
        List<RooflineSpec.Profile> profiles = new ArrayList<>();
        double efficiency = 1.0;
        boolean matmulTf32 = false;
        boolean cudnnTf32 = true;
        if (roofline != null) {
            Map<String, AnnotationValue> given = explicitValues(roofline);
            for (AnnotationValue custom : list(given.get("custom"))) {
                custom(type, (AnnotationMirror) custom.getValue(), known, part);
            }
            Set<String> named = new HashSet<>();
            for (AnnotationValue id : list(given.get("hardware"))) {
                Site site = new Site(type, roofline, id);
                String text = (String) id.getValue();
                if (!named.add(text)) {
                    part.report(new Problem(Diagnostic.ROOFLINE_SETTING, site, "hardware", "{..., \"" + text + "\"}", "names " + text + " twice",
                            "name each profile once"));
                    continue;
                }
                resolve("Roofline", text, site, known, part).ifPresent(h -> profiles.add(new RooflineSpec.Profile(h, site)));
            }
            if (list(given.get("hardware")).isEmpty()) {
                Site empty = given.get("hardware") == null ? Site.of(type, roofline) : new Site(type, roofline, given.get("hardware"));
                part.report(new Problem(Diagnostic.ROOFLINE_SETTING, empty, "hardware", "{}", "names no profile",
                        "name one or more of " + String.join(", ", HardwareCatalog.ids())));
            }
            AnnotationValue efficiencyValue = given.get("efficiency");
            if (efficiencyValue != null) {
                efficiency = ((Number) efficiencyValue.getValue()).doubleValue();
                if (!(efficiency >= MIN_EFFICIENCY && efficiency <= 1)) {
                    part.report(new Problem(Diagnostic.ROOFLINE_SETTING, new Site(type, roofline, efficiencyValue), "efficiency",
                            Seconds.written(efficiency), "must be from 0.001 to 1",
                            "give the fraction of peak a kernel reaches, e.g. 0.7, or 1 for the pure bound"));
                }
            }
            matmulTf32 = flag(given, "matmulAllowTf32", false);
            cudnnTf32 = flag(given, "cudnnAllowTf32", true);
        }
        List<RooflineSpec.LatencyLimit> latencies = latencies(type, profiles, known, part, "maxLatencySeconds");
        List<RooflineSpec.LatencyLimit> decodeLatencies = latencies(type, profiles, known, part, "maxDecodeLatencySeconds");
        List<MemoryLimit> memory = memory(type, part);
        if (part.rejected()) {
            return Optional.empty();
        }
        return Optional.of(roofline == null && latencies.isEmpty() && decodeLatencies.isEmpty() && memory.isEmpty() ? RooflineSpec.NONE
                : new RooflineSpec(profiles, efficiency, matmulTf32, cudnnTf32, latencies, decodeLatencies, memory));
    }

    private static boolean flag(Map<String, AnnotationValue> given, String name, boolean fallback) {
        AnnotationValue value = given.get(name);
        return value == null ? fallback : (Boolean) value.getValue();
    }

    /** {@code @Budget(maxPeakActivationBytes, maxInferenceMemoryBytes)}, each positive (else reported). */
    private static List<MemoryLimit> memory(TypeElement type, Findings findings) {
        List<MemoryLimit> limits = new ArrayList<>();
        for (AnnotationMirror budget : Mirrors.budgets(type)) {
            memory(type, budget, limits, findings);
        }
        return limits;
    }

    private static void memory(TypeElement type, AnnotationMirror budget, List<MemoryLimit> limits, Findings findings) {
        explicitValues(budget).forEach((name, value) -> {
            if (name.equals("maxPeakActivationBytes") || name.equals("maxInferenceMemoryBytes") || name.equals("maxTrainingMemoryBytes")) {
                long limit = ((Number) value.getValue()).longValue();
                Site site = new Site(type, budget, value);
                if (limit <= 0) {
                    findings.report(new Problem(Diagnostic.BUDGET_NOT_POSITIVE, site, name, limit));
                } else {
                    limits.add(new MemoryLimit(name, limit, site));
                }
            }
        });
    }

    /**
     * {@code @Budget(maxLatencySeconds, hardware)} of each {@code @Budget}, or the same of {@code attribute}, in the order written; one
     * not given or wrong (reported) is left out. A latency bound is one a hardware profile: a second on the profile a bound before it
     * resolved to is refused ({@link Diagnostic#BOUND_IN_TWO_BUDGETS}, on the second) and left out.
     */
    private static List<RooflineSpec.LatencyLimit> latencies(TypeElement type, List<RooflineSpec.Profile> profiles, Known known, Findings findings,
            String attribute) {
        // Each @Budget on its own: its hardware is for its own bounds.
        List<AnnotationMirror> budgets = Mirrors.budgets(type);
        Map<String, Integer> first = new java.util.HashMap<>();
        List<RooflineSpec.LatencyLimit> found = new ArrayList<>();
        for (int b = 0; b < budgets.size(); b++) {
            RooflineSpec.LatencyLimit limit = latency(type, budgets.get(b), profiles, known, findings, attribute);
            if (limit == null) {
                continue;
            }
            Integer earlier = first.putIfAbsent(limit.hardware().id(), b);
            if (earlier == null) {
                found.add(limit);
            } else {
                findings.report(new Problem(Diagnostic.BOUND_IN_TWO_BUDGETS, limit.site(), attribute, "is given in the "
                        + ModelReader.ordinal(earlier + 1) + " @Budget and again in the " + ModelReader.ordinal(b + 1) + ", both on "
                        + limit.hardware().id() + ": each bound is given once, in the @Budget whose range it holds over", "keep " + attribute
                        + " in one @Budget (a bound holds at the declared sizes whatever its range), or bound it on another profile with hardware"));
            }
        }
        return List.copyOf(found);
    }

    private static RooflineSpec.LatencyLimit latency(TypeElement type, AnnotationMirror budget, List<RooflineSpec.Profile> profiles, Known known,
            Findings findings, String attribute) {
        // The default written out (a shared constant for "no bound") is read as not written, as Long.MAX_VALUE is for the counts.
        Map<String, AnnotationValue> given = new java.util.LinkedHashMap<>(explicitValues(budget));
        given.entrySet().removeIf(entry -> entry.getKey().endsWith("LatencySeconds") && entry.getValue().getValue() instanceof Double written
                && written == Double.POSITIVE_INFINITY);
        AnnotationValue seconds = given.get(attribute);
        // hardware = "" written out is the default, the first @Roofline profile, as the annotation documents it
        AnnotationValue hardware = given.get("hardware") != null && ((String) given.get("hardware").getValue()).isEmpty() ? null : given.get("hardware");
        if (seconds == null) {
            // hardware without any bound is one error, reported with the first attribute
            if (hardware != null && attribute.equals("maxLatencySeconds") && !given.containsKey("maxDecodeLatencySeconds")) {
                findings.report(new Problem(Diagnostic.HARDWARE_WITHOUT_BOUND, new Site(type, budget, hardware), hardware.getValue()));
            }
            return null;
        }
        Site site = new Site(type, budget, seconds);
        double limit = ((Number) seconds.getValue()).doubleValue();
        if (!(limit >= MIN_SECONDS && limit <= MAX_SECONDS)) {
            findings.report(new Problem(Diagnostic.LATENCY_BUDGET_VALUE, site, attribute, Seconds.written(limit)));
            return null;
        }
        if (hardware != null) {
            Site hardwareSite = new Site(type, budget, hardware);
            // an unknown profile is one error, reported with the first attribute that uses it
            Findings resolving = attribute.equals("maxDecodeLatencySeconds") && given.containsKey("maxLatencySeconds") ? Findings.into(new java.util.ArrayList<>()) : findings;
            return resolve("Budget", (String) hardware.getValue(), hardwareSite, known, resolving)
                    .map(h -> new RooflineSpec.LatencyLimit(limit, h, site, hardwareSite)).orElse(null);
        }
        if (profiles.isEmpty()) {
            findings.report(new Problem(Diagnostic.LATENCY_WITHOUT_HARDWARE, site, attribute, Seconds.significant(limit)));
            return null;
        }
        return new RooflineSpec.LatencyLimit(limit, profiles.get(0).hardware(), site, profiles.get(0).site());
    }

    /** The profile {@code id}; an unknown one is reported, but not one declared in {@code @Roofline(custom)} and refused there already. */
    private static Optional<Hardware> resolve(String annotation, String id, Site site, Known known, Findings findings) {
        Hardware hardware = known.profiles().get(id);
        if (hardware == null && known.refused().contains(id)) {
            findings.rejectedElsewhere();
        } else if (hardware == null) {
            // "h100" means h100-sxm rather than the nearer h200: a family name first, then spelling
            Optional<String> family = known.profiles().keySet().stream().filter(k -> !id.isEmpty() && k.startsWith(id + "-")).findFirst();
            String hint = id.isEmpty() ? "" : family.or(() -> Suggestions.closest(id, known.profiles().keySet())).map(Suggestions::meant).orElse("");
            findings.report(new Problem(Diagnostic.UNKNOWN_HARDWARE, site, annotation, id, hint, String.join(", ", known.profiles().keySet())));
        }
        return Optional.ofNullable(hardware);
    }

    /** One {@code @Hardware} of {@code @Roofline(custom)}, known from here on when it is sound, else refused. */
    private static void custom(TypeElement type, AnnotationMirror hardware, Known known, Findings findings) {
        Map<String, AnnotationValue> given = explicitValues(hardware);
        AnnotationValue idValue = given.get("id");
        String id = (String) idValue.getValue();
        Site idSite = new Site(type, hardware, idValue);
        if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, idSite, id, "is not an id",
                    "write lower-case letters and digits, words joined by dashes, e.g. my-npu"));
            known.refused().add(id);
            return;
        }
        if (known.profiles().containsKey(id) || known.refused().contains(id)) {
            findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, idSite, id,
                    HardwareCatalog.find(id).isPresent() ? "has the id of a built-in profile" : "is declared twice", "give it another id"));
            return;
        }
        Map<String, Double> peaks = new LinkedHashMap<>();
        boolean sound = true;
        for (String dtype : Hardware.DTYPES) {
            AnnotationValue rate = given.get(dtype);
            double value = rate == null ? 0 : ((Number) rate.getValue()).doubleValue();
            if (rate != null && value != 0 && !(value >= MIN_RATE && value <= MAX_RATE)) {
                findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, new Site(type, hardware, rate), id,
                        "has " + dtype + " = " + Seconds.significant(value) + " TFLOP/s", "give a rate from 1e-9 to 1e9 TFLOP/s, or 0 (the default) for none"));
                sound = false;
            } else if (value != 0) {
                peaks.put(dtype, value * 1e12);
            }
        }
        AnnotationValue bandwidthValue = given.get("bandwidth");
        double bandwidth = ((Number) bandwidthValue.getValue()).doubleValue();
        if (!(bandwidth >= MIN_RATE && bandwidth <= MAX_RATE)) {
            findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, new Site(type, hardware, bandwidthValue), id,
                    "has bandwidth = " + Seconds.significant(bandwidth) + " GB/s", "give the DRAM bandwidth in GB/s, from 1e-9 to 1e9"));
            sound = false;
        }
        if (sound && peaks.isEmpty()) {
            findings.report(new Problem(Diagnostic.HARDWARE_PROFILE, Site.of(type, hardware), id, "gives no peak rate",
                    "give at least one of " + String.join(", ", Hardware.DTYPES) + " in TFLOP/s"));
            sound = false;
        }
        if (!sound) {
            known.refused().add(id);
            return;
        }
        AnnotationValue name = given.get("name");
        AnnotationValue source = given.get("source");
        known.profiles().put(id, new Hardware(id, name == null || ((String) name.getValue()).isEmpty() ? id : (String) name.getValue(), peaks,
                bandwidth * 1e9, 0, "", !given.containsKey("cuda") || (Boolean) given.get("cuda").getValue(),
                source == null ? "declared in the model" : (String) source.getValue()));
    }

    private static List<? extends AnnotationValue> list(AnnotationValue value) {
        return value == null ? List.of() : (List<? extends AnnotationValue>) value.getValue();
    }
}
