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
import java.util.List;
import java.util.Objects;

/**
 * The shape and costs of one leaf of a model, as listed in a generated {@code <Model>Cost.LAYERS}.
 *
 * @param path the dotted path, following PyTorch's module names where the architecture has them
 * @param kind the layer kind, e.g. {@code Conv2d}
 * @param outputShape the output shape without the batch dimension
 * @param macs multiply-accumulates
 * @param flops floating-point operations, by the conventions of the generated class
 * @param params learnable parameters
 * @param buffers non-learnable state
 * @param otherOps element-wise operations outside {@code flops} (norms, activations, pooling, merges)
 */
public record LayerCost(
        String path,
        String kind,
        List<Integer> outputShape,
        long macs,
        long flops,
        long params,
        long buffers,
        long otherOps) {

    /** Checks the fields and makes the shape immutable. */
    public LayerCost {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        outputShape = List.copyOf(outputShape);
    }

    /** The output shape written as PyTorch prints it with the given batch, e.g. {@code 1x64x56x56}. */
    public String outputShape(int batch) {
        StringBuilder text = new StringBuilder().append(batch);
        for (int dim : outputShape) {
            text.append('x').append(dim);
        }
        return text.toString();
    }

    /** The header line of a layer table resource. */
    public static final String TABLE_HEADER = "path\tkind\toutput_shape\tmacs\tflops\tparams\tbuffers\tother_ops";

    /** The first cell of the line that opens a run of identical repetitions in a layer table resource. */
    public static final String TABLE_RUN = "@repeat";

    /** The line that closes a run in a layer table resource. */
    public static final String TABLE_END = "@end";

    /**
     * Reads the per-layer table that the processor writes beside a generated class when it is too
     * large to hold in the class itself: the
     * {@link #TABLE_HEADER} line, then one tab-separated row per leaf (output shape without the batch,
     * as {@code 64x56x56}). Identical repetitions of a block are written once, between a line
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
        if (!TABLE_HEADER.equals(header)) {
            throw new IllegalStateException(name + " does not start with the layer table header");
        }
        return LayerTable.read(reader, name);
    }

    /** This row in the layer table format. */
    public String toTableRow() {
        StringBuilder shape = new StringBuilder();
        for (int dim : outputShape) {
            shape.append(shape.length() == 0 ? "" : "x").append(dim);
        }
        return String.join("\t", path, kind, shape, Long.toString(macs), Long.toString(flops), Long.toString(params),
                Long.toString(buffers), Long.toString(otherOps));
    }

    /** A row from its cells; {@code line} (number {@code number}) names it in messages. */
    static LayerCost parse(String[] cells, String resource, int number, String line) {
        try {
            if (cells.length != 8) {
                throw new IllegalArgumentException();
            }
            List<Integer> shape = new ArrayList<>();
            for (String dim : cells[2].split("x")) {
                shape.add(Integer.parseInt(dim));
            }
            return new LayerCost(cells[0], cells[1], shape, Long.parseLong(cells[3]), Long.parseLong(cells[4]),
                    Long.parseLong(cells[5]), Long.parseLong(cells[6]), Long.parseLong(cells[7]));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(resource + ":" + number + ": malformed row: " + line, e);
        }
    }
}
