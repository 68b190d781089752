package dev.modelcost.processor.analysis;

import dev.modelcost.processor.layers.Costs;
import dev.modelcost.processor.layers.Dtype;
import dev.modelcost.processor.layers.Figure;
import dev.modelcost.processor.layers.OpKind;
import dev.modelcost.processor.layers.Shape;
import java.util.List;

/** The bytes one layer moves between memory and the cores, {@link Figure#BYTES_MOVED}, for the roofline. */
final class Traffic {
    private Traffic() {}

    /**
     * The bytes a layer moves as a kernel of its own: its weights (at {@code weights}, a tied
     * head's shared table included) and buffers (at {@code activations}) read once, each input read (a broadcast view's storage once)
     * (unless the kind reads only their sizes, as {@code torch.arange}; {@code inputs} as {@link #read} gives them) and the output written (at {@code activations}, token ids at 8 bytes). A layer fed token ids
     * gathers rows of its table: it reads at most as many weights as its output holds. A view moves
     * nothing.
     *
     * @param shared elements of a table this layer uses but another layer holds (a tied head), else 0
     * @param sharedDtype the dtype of that table, its holder's
     * @param results every result one call writes, where it writes several (an LSTM's output, h_n and c_n, whichever the step
     *     passes on); empty for a layer of one result, {@code output}
     */
    static long bytesMoved(OpKind kind, Costs cost, List<Shape> inputs, Shape output, long batch, long shared, Dtype weights, Dtype sharedDtype,
            Dtype activations, List<Shape> results) {
        if (kind.view()) {
            return 0;
        }
        long weightBytes = Math.addExact(cost.get(Figure.WEIGHT_BYTES), sharedDtype.bytes(shared));
        long bytes = activations.bytes(cost.buffers());
        for (Shape input : kind.readsInputs() ? inputs : List.<Shape>of()) {
            // a broadcast view (an expand) is read as its storage, as a broadcast learned tensor is
            bytes = Math.addExact(bytes, input.storageBytes(batch, activations));
        }
        long written = 0;
        for (Shape result : results.isEmpty() ? List.of(output) : results) {
            written = Math.addExact(written, result.bytes(batch, activations));
        }
        if (gathers(kind, inputs, cost.params() > 0 || shared > 0)) {
            // A tied table's rows are read at its holder's dtype.
            weightBytes = Math.min(weightBytes, rowsRead(shared > 0 ? sharedDtype : weights, batch, output));
        }
        return Math.addExact(Math.addExact(bytes, written), weightBytes);
    }

    /**
     * The inputs a layer reads from memory: each one, but for a {@code MultiheadAttention} whose key and value are one tensor, read
     * once, and its query with them where all three are one (PyTorch's {@code _in_projection_packed} then projects them in one
     * product: {@code q is k is v}, or {@code k is v}), where its key and value have its width ({@code kdim} and {@code vdim}
     * otherwise project each apart).
     */
    static List<Shape> read(OpKind kind, dev.modelcost.processor.layers.Attrs attrs, List<Shape> inputs) {
        if (!kind.name().equals("MultiheadAttention") || inputs.size() != 3 || !attrs.sameInput(1, 2)) {
            return inputs;
        }
        // with kdim or vdim other than the width, PyTorch projects each input apart (_in_projection), the shared one twice
        long width = attrs.given("embedDim") && attrs.number("embedDim") > 0 ? attrs.number("embedDim") : inputs.get(0).last();
        for (String dim : List.of("kdim", "vdim")) {
            if (attrs.given(dim) && attrs.number(dim) > 0 && attrs.number(dim) != width) {
                return inputs;
            }
        }
        return attrs.sameInput(0, 1) ? List.of(inputs.get(0)) : List.of(inputs.get(0), inputs.get(1));
    }

    /**
     * Whether a layer gathers rows of its weights by token ids (an embedding): fed ids that it reads, with a table
     * ({@code table}), and no view. A layer that reads only its inputs' lengths (T5's relative position bias) reads its table.
     */
    static boolean gathers(OpKind kind, List<Shape> inputs, boolean table) {
        if (kind.view() || !table || !kind.readsInputs()) {
            return false;
        }
        for (Shape input : inputs) {
            if (input.ids()) {
                return true;
            }
        }
        return false;
    }

    /** The weight bytes a gathering layer reads at most: the rows its output holds, at the weights' dtype. */
    static long rowsRead(Dtype weights, long batch, Shape output) {
        return weights.bytes(output.batched() ? Math.multiplyExact(batch, output.elements()) : output.elements());
    }
}
