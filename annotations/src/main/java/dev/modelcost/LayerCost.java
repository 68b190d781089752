package dev.modelcost;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape and costs of one leaf of a model, as listed in a generated {@code <Model>Cost.LAYERS}.
 *
 * @param path the dotted path, following PyTorch's module names where the architecture has them
 * @param kind the layer kind, e.g. {@code Conv2d}
 * @param outputShape the output shape without the batch dimension
 * @param figures every cost figure by its column name ({@code macs}, {@code flops}, {@code params},
 *     {@code buffers}, {@code other_ops}, {@code matmul_macs}, ...), in the generated class's order
 * @param batched whether the output has the batch dimension in front, as every activation does; false for a tensor built
 *     from weights alone and the same for every sample (a window's relative position bias), whose leading axis PyTorch
 *     keeps at 1 whatever the batch ({@link #outputShape(int)})
 * @param batchSecond whether PyTorch puts the batch dimension second: a recurrent layer's state ({@code h_n}, {@code c_n}),
 *     {@code (num_layers · directions, N, H_out)} whatever {@code batch_first}, and a layer that keeps that layout
 */
public record LayerCost(String path, String kind, List<Integer> outputShape, Map<String, Long> figures, boolean batched,
        boolean batchSecond) {

    /** Checks the fields and makes the shape and figures immutable. */
    public LayerCost {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        outputShape = List.copyOf(outputShape);
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        if (batchSecond && (!batched || outputShape.isEmpty())) {
            throw new IllegalArgumentException("the batch comes second only in a tensor with the batch and an axis before it: " + path);
        }
    }

    /** A row of an output with the batch dimension in front, or none ({@code batched} false). */
    public LayerCost(String path, String kind, List<Integer> outputShape, Map<String, Long> figures, boolean batched) {
        this(path, kind, outputShape, figures, batched, false);
    }

    /** A row of an output with the batch dimension in front. */
    public LayerCost(String path, String kind, List<Integer> outputShape, Map<String, Long> figures) {
        this(path, kind, outputShape, figures, true);
    }

    /** A row of an output with the batch dimension in front, with the five figures every table has. */
    public LayerCost(String path, String kind, List<Integer> outputShape, long macs, long flops, long params, long buffers,
            long otherOps) {
        this(path, kind, outputShape, classic(macs, flops, params, buffers, otherOps));
    }

    private static Map<String, Long> classic(long macs, long flops, long params, long buffers, long otherOps) {
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("macs", macs);
        figures.put("flops", flops);
        figures.put("params", params);
        figures.put("buffers", buffers);
        figures.put("other_ops", otherOps);
        return figures;
    }

    /**
     * One figure by its column name. A table leaves out a column whose every value is what this
     * gives for it: all parameters for {@code active_params}, those outside embeddings for
     * {@code non_embedding_params}, the MACs for {@code decode_macs}, 4 bytes a parameter (fp32) for
     * {@code weight_bytes}, 0 for any other of {@link #COLUMNS}.
     *
     * @throws IllegalArgumentException for a name that is no column of a layer table ({@code "mac"}), rather than a silent 0
     */
    public long figure(String column) {
        Long value = figures.get(column);
        if (value != null) {
            return value;
        }
        switch (column) {
            case "active_params": return params();
            case "non_embedding_params": return params() - figure("embedding_params");
            case "decode_macs": return macs();
            case "weight_bytes": return Math.multiplyExact(4, params());
            default:
                if (!COLUMNS.contains(column)) {
                    throw new IllegalArgumentException("no column '" + column + "' in a layer table; the columns are " + COLUMNS);
                }
                return 0;
        }
    }

    /**
     * The figure columns a layer table may have, in their order; a table leaves out those it does not need. Units: operations
     * ({@code macs}, {@code flops}, {@code other_ops}, {@code decode_macs}, {@code matmul_macs}), elements ({@code params},
     * {@code buffers}, {@code active_params}, {@code embedding_params}, {@code non_embedding_params}, {@code kv_cache}), bytes
     * ({@code kv_cache_bytes}, {@code weight_bytes}, {@code bytes_moved}).
     */
    public static final java.util.List<String> COLUMNS = java.util.List.of("macs", "flops", "params", "buffers", "other_ops", "active_params",
            "embedding_params", "non_embedding_params", "kv_cache", "kv_cache_bytes", "decode_macs", "matmul_macs", "weight_bytes", "bytes_moved");

    /** Multiply-accumulates. */
    public long macs() {
        return figure("macs");
    }

    /** Floating-point operations, by the conventions of the generated class. */
    public long flops() {
        return figure("flops");
    }

    /** Learnable parameters. */
    public long params() {
        return figure("params");
    }

    /** Non-learnable state. */
    public long buffers() {
        return figure("buffers");
    }

    /** Element-wise operations outside {@code flops} (norms, activations, pooling, merges). */
    public long otherOps() {
        return figure("other_ops");
    }

    /** The part of {@code macs} in products of two activations (attention's Q·Kᵀ and A·V, {@code MatMul}). */
    public long matmulMacs() {
        return figure("matmul_macs");
    }

    /**
     * The output shape written as PyTorch prints it with the given batch, e.g. {@code 1x64x56x56}; an output without the batch
     * dimension ({@link #batched()} false) with PyTorch's leading 1 at any batch ({@code 1x3x49x49}), a recurrent layer's state
     * with the batch second ({@link #batchSecond()}: {@code 2x4x64}).
     */
    public String outputShape(int batch) {
        List<String> dims = new ArrayList<>();
        outputShape.forEach(dim -> dims.add(Integer.toString(dim)));
        dims.add(batchSecond && !dims.isEmpty() ? 1 : 0, Integer.toString(batched ? batch : 1));
        return String.join("x", dims);
    }

    /** The first three columns of a layer table's header line; the figure columns follow. */
    public static final String TABLE_COLUMNS = "path\tkind\toutput_shape";

    /** The header line of a layer table with the five figures every table has. */
    public static final String TABLE_HEADER = TABLE_COLUMNS + "\tmacs\tflops\tparams\tbuffers\tother_ops";

    /** The first cell of the line that opens a run of identical repetitions in a layer table resource. */
    public static final String TABLE_RUN = "@repeat";

    /** What a layer table writes in front of an output shape without the batch dimension ({@link #batched()} false). */
    public static final String UNBATCHED = "~";

    /** What a layer table writes in front of an output shape whose batch dimension comes second ({@link #batchSecond()}). */
    public static final String BATCH_SECOND = "^";

    /** The line that closes a run in a layer table resource. */
    public static final String TABLE_END = "@end";

    /**
     * Reads the per-layer table that the processor writes beside a generated class when it is too
     * large to hold in the class itself: the
     * header line ({@link #TABLE_COLUMNS}, then one column per figure), then one tab-separated row per leaf (output shape without the batch,
     * as {@code 64x56x56}; {@value #UNBATCHED} in front of a shape that has no batch dimension, {@code ~3x49x49}). Identical repetitions of a block are written once, between a line
     * {@code @repeat<TAB>parent<TAB>prefix<TAB>first<TAB>count} and a line {@code @end}; the rows
     * between them stand for every repetition {@code parent.prefix<first>}, {@code parent.prefix<first+1>},
     * ..., and their paths (and the parent's) are relative to the enclosing run. The list builds a row
     * when it is asked for one, so its memory does not grow with the number of repetitions.
     *
     * @param owner the generated class, whose class loader holds the resource
     * @param resource the resource name, e.g. {@code META-INF/modelcost/com.acme.Net.layers.tsv}
     * @return every leaf in execution order, immutable
     * @throws IllegalStateException if the resource is missing or malformed
     */
    public static List<LayerCost> load(Class<?> owner, String resource) {
        ClassLoader loader = owner.getClassLoader() != null ? owner.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " beside " + owner.getName()
                        + "; package it with the class (the processor writes it to the class output)");
            }
            return readTable(new InputStreamReader(in, StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Reads a per-layer table in the form {@link #load} describes from text, as a generated class
     * holds a small one.
     *
     * @param text the table, header line first
     * @param name names the table in messages
     * @return every leaf in execution order, immutable
     * @throws IllegalStateException if the table is malformed
     */
    public static List<LayerCost> table(String text, String name) {
        try {
            return readTable(new StringReader(text), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * Reads a per-layer table in the form {@link #load} describes from any source, such as a report
     * file read from a jar by a build tool.
     *
     * @param in the table's text; not closed
     * @param name names the table in messages
     * @return every leaf in execution order, immutable
     * @throws IOException if reading fails
     * @throws IllegalStateException if the table is malformed
     */
    public static List<LayerCost> readTable(Reader in, String name) throws IOException {
        BufferedReader reader = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in);
        String header = reader.readLine();
        if (header == null || !header.startsWith(TABLE_COLUMNS + "\t")) {
            throw new IllegalStateException(name + " does not start with the layer table header");
        }
        List<String> columns = List.of(header.substring(TABLE_COLUMNS.length() + 1).split("\t", -1));
        return LayerTable.read(reader, columns, name);
    }

    /** What a layer table writes in front of an output shape: {@link #UNBATCHED}, {@link #BATCH_SECOND} or nothing. */
    public static String shapeMarker(boolean batched, boolean batchSecond) {
        return !batched ? UNBATCHED : batchSecond ? BATCH_SECOND : "";
    }

    /** This row in the layer table format. */
    public String toTableRow() {
        String marker = shapeMarker(batched, batchSecond);
        StringBuilder shape = new StringBuilder(marker);
        for (int dim : outputShape) {
            shape.append(shape.length() == marker.length() ? "" : "x").append(dim);
        }
        StringBuilder row = new StringBuilder(path).append('\t').append(kind).append('\t').append(shape);
        for (long value : figures.values()) {
            row.append('\t').append(value);
        }
        return row.toString();
    }

    /** A row from its cells; {@code line} (number {@code number}) names it in messages. */
    static LayerCost parse(String[] cells, List<String> columns, String resource, int number, String line) {
        try {
            if (cells.length != 3 + columns.size()) {
                throw new IllegalArgumentException();
            }
            boolean batched = !cells[2].startsWith(UNBATCHED);
            boolean batchSecond = cells[2].startsWith(BATCH_SECOND);
            List<Integer> shape = new ArrayList<>();
            for (String dim : cells[2].substring(batched && !batchSecond ? 0 : 1).split("x")) {
                shape.add(Integer.parseInt(dim));
            }
            Map<String, Long> figures = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                figures.put(columns.get(i), Long.parseLong(cells[3 + i]));
            }
            return new LayerCost(cells[0], cells[1], shape, figures, batched, batchSecond);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(resource + ":" + number + ": malformed row: " + line, e);
        }
    }
}
