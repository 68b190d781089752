package dev.modelcost.processor.hardware;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in hardware profiles, read once from {@code profiles.tsv} beside this class: one row
 * per device, rates in TFLOP/s (TOPS for int8), bandwidth in GB/s and memory in GB, or as nvidia-smi reports it where known, each
 * with its source.
 */
public final class HardwareCatalog {
    /** The file's name, beside this class. */
    static final String FILE = "profiles.tsv";

    private static final Map<String, Hardware> BUILT_IN = read();

    private HardwareCatalog() {}

    /** The built-in profile {@code id}, if there is one. */
    public static Optional<Hardware> find(String id) {
        return Optional.ofNullable(BUILT_IN.get(id));
    }

    /** Every built-in profile, in the file's order. */
    public static List<Hardware> all() {
        return List.copyOf(BUILT_IN.values());
    }

    /** The ids of the built-in profiles, in the file's order. */
    public static List<String> ids() {
        return List.copyOf(BUILT_IN.keySet());
    }

    private static Map<String, Hardware> read() {
        try (InputStream in = HardwareCatalog.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing from the processor's jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The profiles of a file's lines: {@code #} comments, a header, then one tab-separated row per profile. */
    static Map<String, Hardware> parse(List<String> lines) {
        Map<String, Hardware> profiles = new LinkedHashMap<>();
        List<String> header = null;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> cells = List.of(line.split("\t", -1));
            if (header == null) {
                header = cells;
                continue;
            }
            if (cells.size() != header.size()) {
                throw new IllegalStateException(FILE + ": " + cells.size() + " cells, " + header.size() + " columns: " + line);
            }
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < cells.size(); i++) {
                row.put(header.get(i), cells.get(i).strip());
            }
            Map<String, Double> peaks = new LinkedHashMap<>();
            for (String dtype : Hardware.DTYPES) {
                String rate = row.getOrDefault(dtype, "");
                if (!rate.isEmpty()) {
                    peaks.put(dtype, Double.parseDouble(rate) * 1e12);
                }
            }
            String memory = row.getOrDefault("memory", "");
            String reported = row.getOrDefault("memory_mib", "");
            String cuda = row.getOrDefault("cuda", "");
            if (!cuda.equals("yes") && !cuda.equals("no")) {
                throw new IllegalStateException(FILE + ": cuda must be yes or no: " + line);
            }
            Hardware hardware = new Hardware(row.get("id"), row.get("name"), peaks, Double.parseDouble(row.get("bandwidth")) * 1e9,
                    !reported.isEmpty() ? Double.parseDouble(reported) * (1 << 20) : memory.isEmpty() ? 0 : Double.parseDouble(memory) * 1e9,
                    !reported.isEmpty() ? String.format(java.util.Locale.ROOT, "%,d MiB nvidia-smi reports", Long.parseLong(reported))
                            : memory.isEmpty() ? "" : memory + " GB",
                    cuda.equals("yes"), row.getOrDefault("source", ""));
            if (profiles.put(hardware.id(), hardware) != null) {
                throw new IllegalStateException(FILE + ": profile " + hardware.id() + " twice");
            }
        }
        return profiles;
    }
}
