package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * Formulas of the operations that hold tables: {@code nn.Embedding} (a lookup: no MACs, no
 * other ops; {@code num_embeddings · embedding_dim} parameters), and a learned tensor
 * ({@code nn.Parameter}) or a buffer used as a step, whose output is the tensor itself.
 */
final class Embeddings {
    private Embeddings() {}

    /** Marks {@code padding_idx = None} in {@code @Embedding}. */
    static final long NO_PADDING = Integer.MIN_VALUE;

    static LayerResult embedding(Attrs a, Inputs in) {
        Shape x = in.shape();
        if (!x.ids()) {
            throw new LayerFailure(Diagnostic.INPUT_DTYPE, null, a.kind(), "token ids", in.source(), x.describe(),
                    "declare the model input with tokens = true, or feed it from one");
        }
        int vocab = a.required("numEmbeddings");
        int dim = a.required("embeddingDim");
        long padding = a.number("paddingIdx");
        if (padding != NO_PADDING && (padding >= vocab || padding < -vocab)) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "paddingIdx", a.kind(), "paddingIdx", padding,
                    "in [-" + vocab + ", " + (vocab - 1) + "] (or left out for None)");
        }
        if (x.idBound() > vocab) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "numEmbeddings", a.kind(), "numEmbeddings", vocab,
                    "at least " + x.idBound() + ", the ids " + in.source() + " gives (up to " + (x.idBound() - 1) + ")");
        }
        List<Integer> dims = new ArrayList<>(x.dims());
        List<String> axes = new ArrayList<>(x.axes());
        dims.add(dim);
        axes.add(Layouts.fresh("D", axes));
        long params = Math.multiplyExact((long) vocab, dim);
        return new LayerResult(new Shape(dims, axes, false, 0, x.batched()),
                Costs.of(Figure.PARAMS, params).with(Figure.EMBEDDING_PARAMS, params), List.of(vocab, dim));
    }

    /**
     * {@code torch.arange(x.shape[dim])}: position ids 0 .. n - 1, an {@code L} of token ids without the batch, as Hugging Face's
     * GPT-2 and BERT build them ({@code (1, L)}), so that what reads them broadcasts against the batch.
     */
    static LayerResult arange(Attrs a, Inputs in) {
        Shape x = in.shape();
        int length = x.dim(Checks.dim(a, "dim", a.number("dim"), x));
        long start = a.number("start");
        if (start < 0) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "start", a.kind(), "start", start, "at least 0: the ids index an Embedding's rows");
        }
        return new LayerResult(new Shape(List.of(length), List.of("L"), true, Math.addExact(start, length), false, true), Costs.ZERO);
    }

    /** {@code nn.Parameter(torch.zeros(shape))} as a step: no input, its shape as output. */
    static LayerResult parameter(Attrs a, Inputs in) {
        return tensor(a, Figure.PARAMS);
    }

    /** {@code self.register_buffer(name, torch.zeros(shape))} read as a step: no input, its shape as output, its elements buffers. */
    static LayerResult buffer(Attrs a, Inputs in) {
        return tensor(a, Figure.BUFFERS);
    }

    private static LayerResult tensor(Attrs a, Figure counted) {
        List<Long> written = a.list("shape");
        if (written.isEmpty()) {
            throw new LayerFailure(Diagnostic.MISSING_ATTRIBUTE, null, a.kind(), "'shape'");
        }
        List<Integer> dims = new ArrayList<>();
        for (long size : written) {
            dims.add(a.checked("shape", size, 1));
        }
        List<String> axes = Shape.defaultAxes(dims.size());
        String layout = a.text("layout");
        if (!layout.isEmpty()) {
            axes = Layouts.parse(layout);
            if (axes == null || axes.size() != dims.size()) {
                throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "layout", a.kind(), "layout", "'" + layout + "'",
                        dims.size() + " distinct axis names separated by commas");
            }
        }
        return new LayerResult(Shape.of(dims, axes).unbatched(), Costs.of(counted, Checks.product(dims)));
    }
}
