package dev.modelcost.processor.layers;

import dev.modelcost.processor.diag.Diagnostic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Formulas of the recurrent layers ({@code LSTM}, {@code GRU}, {@code RNN}) and their cells. Per
 * time step, layer and direction a cell of {@code G} gates (LSTM 4, GRU 3, RNN 1) multiplies the
 * step's input by {@code weight_ih} ({@code G·H x input}) and the hidden state by
 * {@code weight_hh} ({@code G·H x H_out}): {@code G·H·(input + H_out)} MACs, plus
 * {@code proj·H} for an LSTM's projection {@code weight_hr}. Each product counts {@code 2K − 1}
 * FLOPs per output, and each bias its adds, as a {@code Linear}; PyTorch computes the hidden
 * product at the first step too, from zeros. Other ops per step, direction and hidden unit: LSTM
 * 13 (4 gate sums, 4 activations, 3 for the cell, 2 for the output), GRU 11 (3 gate sums, 3
 * activations, 1 reset product, 4 for the update), RNN 2 (the sum, the activation).
 */
final class Recurrent {
    private Recurrent() {}

    /** A cell's gates and its other ops per hidden unit and step; the kind of a recurrent layer or cell. */
    enum Cell {
        LSTM(4, 13), GRU(3, 11), RNN(1, 2);

        final int gates;
        final int otherOps;

        Cell(int gates, int otherOps) {
            this.gates = gates;
            this.otherOps = otherOps;
        }
    }

    /**
     * What a recurrent layer holds at inference beyond its input and its results (output, {@code h_n}, {@code c_n}), as PyTorch
     * 1.13's native CPU implementation runs it: the initial states it makes of zeros where none is given; per layer and direction
     * the input projection of every step ({@code L·N·G·H}, with a copy of the input while it is made where a batch-first input
     * above a batch of 1 is a transposed view), the outputs of every step, kept until the layer ends, and their stack (and, in both
     * directions, their concatenation); a finished layer's output, which the next one reads; the last step's gates and
     * temporaries; and every finished layer's last hidden (and cell) state. Each of those moments, less the input and the results,
     * in elements for the whole batch; the largest is the scratch ({@link OpKind.Scratch.Moments}). Measured with {@code torch.profiler} ({@code tools/pytorch/measure_recurrent_peak.py}) on 256 configurations (LSTM, GRU, RNN; 1, 2, 3 or 6 layers; one
     * or both directions; batch first or not; batch 1 or 3; LSTM with and without proj_size; 10 steps or 1), equal to the byte.
     */
    static OpKind.Scratch scratch(Cell cell) {
        return (OpKind.Scratch.Moments) (a, inputs, output, batch) -> {
            Shape x = inputs.get(0);
            long steps = x.dim(0);
            long features = x.last();
            long n = batch;
            long hidden = a.number("hiddenSize");
            long layers = a.given("numLayers") ? a.number("numLayers") : 1;
            long directions = a.flags().getOrDefault("bidirectional", false) ? 2 : 1;
            long proj = cell == Cell.LSTM && a.given("projSize") ? a.number("projSize") : 0;
            long out = proj > 0 ? proj : hidden;
            boolean lstm = cell == Cell.LSTM;
            long cellState = lstm ? n * hidden : 0;
            long input = Math.multiplyExact(Math.multiplyExact(steps, n), features);
            long states = Math.multiplyExact(layers * directions, n * out + cellState);
            long zeros = inputs.size() > 1 ? 0 : states;
            // the last step's gates and the cell's temporaries; an LSTM's among them the cell state of the step before, which at one
            // step is the initial state, held once: counted twice there, so that the peak has one form at every length (a limit the
            // README states)
            long temps = switch (cell) {
                case LSTM -> n * cell.gates * hidden + 4 * n * hidden;
                case GRU -> n * cell.gates * hidden + 2 * n * hidden;
                case RNN -> 2 * n * hidden;
            };
            long projection = Math.multiplyExact(Math.multiplyExact(steps, n), cell.gates * hidden);
            long list = Math.multiplyExact(Math.multiplyExact(steps, n), out);
            long base0 = Math.addExact(input, zeros);
            List<Long> moments = new ArrayList<>(List.of(base0));
            // Every layer after the first holds what the one before it did and one more layer's last states: its moments grow with
            // the layer, so the last one's are the largest of them, and the layers between need no moments of their own.
            long perLayer = directions * (n * out + cellState);
            for (long layer : layers > 3 ? new long[] {0, 1, layers - 1} : java.util.stream.LongStream.range(0, layers).toArray()) {
                long layerInput = layer == 0 ? 0 : Math.multiplyExact(directions, list);
                long kept = Math.multiplyExact(layer, perLayer);
                long base = Math.addExact(Math.addExact(base0, layerInput), kept);
                // A view fed to the layer (a permuted convolution output) is copied too, and at one step the transposed input is
                // contiguous; the moments follow the batch alone, so that the peak has one form at every length (a limit the
                // README states).
                boolean copied = a.flags().getOrDefault("batchFirst", false) && n > 1 && layer == 0;
                long done = 0;
                for (long direction = 0; direction < directions; direction++) {
                    long before = Math.addExact(base, done);
                    // the forward projection lives until the reverse one is made
                    long projecting = Math.addExact(before, direction == 1 ? projection : 0);
                    if (copied) {
                        // the input copied and projected as mm, then the copy freed and the bias added in place
                        moments.add(Math.addExact(projecting, Math.addExact(input, projection)));
                    } else {
                        moments.add(Math.addExact(projecting, projection));
                    }
                    long running = Math.addExact(before, projection);
                    moments.add(Math.addExact(running, Math.addExact(Math.multiplyExact(steps - 1, n * out), temps)));
                    moments.add(Math.addExact(running, Math.addExact(Math.multiplyExact(2, list), cellState)));
                    done = Math.addExact(done, Math.addExact(Math.multiplyExact(2, list), cellState));
                }
                if (directions == 2) {
                    // the concatenation, the reverse projection still held
                    moments.add(Math.addExact(Math.addExact(base, done), Math.addExact(projection, Math.multiplyExact(2, list))));
                }
            }
            // The end: h_n (and c_n) stacked from every layer's last states, the last layer's output held (the largest moment at one
            // step of a deep stack).
            moments.add(Math.addExact(base0, Math.addExact(Math.multiplyExact(directions, list), Math.addExact(Math.multiplyExact(layers, perLayer),
                    states))));
            long results = Math.addExact(Math.multiplyExact(directions, list), states);
            return moments.stream().mapToLong(m -> m - input - results).toArray();
        };
    }

    /**
     * What a recurrent cell ({@code nn.RNNCell}, {@code nn.GRUCell}, {@code nn.LSTMCell}) holds at inference beyond its input, its
     * state and its results, as PyTorch 1.13 runs it: the state it makes of zeros where none is given (one tensor, an LSTM cell's h
     * and c alike); the input's and the state's projections ({@code linear}, G·H per sample each), both held until the cell's
     * expression ends; a GRU cell's new gate besides. An RNN and a GRU cell hold them with their output; an LSTM cell before its
     * h and c are made. One moment, in elements for the whole batch ({@code tools/pytorch/measure_cell_peaks.py}, equal to the
     * byte).
     */
    static OpKind.Scratch cellScratch(Cell cell) {
        return (OpKind.Scratch.Moments) (a, inputs, output, batch) -> {
            long unit = Math.multiplyExact(batch, a.number("hiddenSize"));
            long zeros = inputs.size() > 1 ? 0 : unit;
            long projections = Math.multiplyExact(2L * cell.gates, unit);
            long held = switch (cell) {
                case RNN -> projections;
                case GRU -> Math.addExact(projections, unit);
                case LSTM -> projections - 2 * unit;
            };
            return new long[] {Math.addExact(zeros, held)};
        };
    }

    /** The layers x directions up to which the parameter tensors are listed by name (each layer is named; beyond, only counted). */
    static final int MAX_LISTED = 4096;

    static LayerResult lstm(Attrs a, Inputs in) {
        return sequence(a, in, Cell.LSTM);
    }

    static LayerResult gru(Attrs a, Inputs in) {
        return sequence(a, in, Cell.GRU);
    }

    static LayerResult rnn(Attrs a, Inputs in) {
        a.choice("nonlinearity", List.of("tanh", "relu"));
        return sequence(a, in, Cell.RNN);
    }

    static LayerResult lstmCell(Attrs a, Inputs in) {
        return cell(a, in, Cell.LSTM);
    }

    static LayerResult gruCell(Attrs a, Inputs in) {
        return cell(a, in, Cell.GRU);
    }

    static LayerResult rnnCell(Attrs a, Inputs in) {
        a.choice("nonlinearity", List.of("tanh", "relu"));
        return cell(a, in, Cell.RNN);
    }

    /** {@code nn.LSTM/GRU/RNN} over an {@code L,D} sequence. */
    private static LayerResult sequence(Attrs a, Inputs in, Cell cell) {
        Shape x = in.shape();
        if (x.rank() != 2) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a sequence L,D (steps, features)", in.source(), x.describe(),
                    x.rank() > 2 ? "reshape or permute it to steps x features first, e.g. an image's rows as steps" : "a cell (" + a.kind() + "Cell) takes one step");
        }
        String sequence = in.conventions().sequenceAxis();
        if (x.axis(0).equals("C") || x.axis(1).equals(sequence) && !x.axis(0).equals(sequence)) {
            // Channels first (C,L, as Conv1d makes it, or D,L after a transpose for one): the steps would be the channels.
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "a sequence L,D (steps, features)", in.source(), x.describe(),
                    "transpose it to steps x features first (@Transpose), as PyTorch code does with x.transpose(1, 2)");
        }
        int input = x.last();
        Checks.declared(a, "inputSize", input, in, "features");
        int hidden = a.required("hiddenSize");
        int layers = a.atLeast("numLayers", 1);
        int directions = a.flag("bidirectional") ? 2 : 1;
        int proj = projection(a, cell, hidden);
        int out = proj > 0 ? proj : hidden;
        boolean bias = a.flag("bias");
        String output = a.choice("output", cell == Cell.LSTM ? List.of("output", "h_n", "c_n") : List.of("output", "h_n"));
        int states = Checks.fit(Math.multiplyExact((long) layers, directions));
        bothStates(a, in, cell);
        checkStates(a, in, states, out, hidden);

        Checks.probability(a, "dropout", "dropout should be a number in range [0, 1]");
        // Layer 0 reads the input; every later layer reads directions x H_out features and costs the same.
        Map<String, List<Integer>> parameters = new LinkedHashMap<>();
        int deeper = Checks.fit((long) directions * out);
        Costs first = step(cell, input, hidden, out, proj, bias);
        Costs later = step(cell, deeper, hidden, out, proj, bias);
        Costs perStep = first.plus(later.times(layers - 1L)).times(directions);
        if ((long) layers * directions <= MAX_LISTED) {
            for (int layer = 0; layer < layers; layer++) {
                for (int direction = 0; direction < directions; direction++) {
                    name(parameters, "_l" + layer + (direction == 1 ? "_reverse" : ""), cell, layer == 0 ? input : deeper, hidden, out, proj, bias);
                }
            }
        }
        long steps = Math.multiplyExact(in.batch(), (long) x.dim(0));
        // A decoding step is one step of the recurrence, whichever result the layer passes on (h_n has no positions to divide by).
        Costs cost = perStep.times(steps).with(Figure.PARAMS, perStep.params()).with(Figure.DECODE_MACS, Math.multiplyExact(perStep.macs(), in.batch()));
        Shape result = switch (output) {
            case "h_n" -> x.reshaped(List.of(states, out), List.of(Shape.STATE_AXIS, x.axis(1)));
            case "c_n" -> x.reshaped(List.of(states, hidden), List.of(Shape.STATE_AXIS, x.axis(1)));
            default -> Strides.batchFirstOutput(x.withDim(1, Checks.fit((long) directions * out)), a.flags().getOrDefault("batchFirst", false), in.batch());
        };
        return new LayerResult(result, cost, List.of(), parameters);
    }

    /** {@code nn.LSTMCell/GRUCell/RNNCell}: one step on {@code input_size} features. */
    private static LayerResult cell(Attrs a, Inputs in, Cell cell) {
        Shape x = in.shape();
        if (x.rank() != 1) {
            throw new LayerFailure(Diagnostic.INPUT_RANK_MISMATCH, null, a.kind(), "one step of F features", in.source(), x.describe(),
                    x.rank() == 2 ? "a sequence goes to " + a.kind().replace("Cell", "") + ", or select one step first" : "");
        }
        int input = x.last();
        Checks.declared(a, "inputSize", input, in, "features");
        int hidden = a.required("hiddenSize");
        bothStates(a, in, cell);
        if (cell == Cell.LSTM) {
            a.choice("output", List.of("h", "c"));
        }
        for (int i = 1; i < in.count(); i++) {
            checkState(a, in, i, i == 1 ? "h" : "c", List.of(hidden), hidden + " (hidden_size)");
        }
        Map<String, List<Integer>> parameters = new LinkedHashMap<>();
        Costs step = step(cell, input, hidden, hidden, 0, a.flag("bias"));
        name(parameters, "", cell, input, hidden, hidden, 0, a.flag("bias"));
        Costs cost = step.times(in.batch()).with(Figure.PARAMS, step.params());
        return new LayerResult(x.withDim(0, hidden), cost, List.of(), parameters);
    }

    /** An LSTM takes both initial states or neither, as PyTorch's {@code (h_0, c_0)} tuple. */
    private static void bothStates(Attrs a, Inputs in, Cell cell) {
        if (cell == Cell.LSTM && in.count() == 2) {
            throw new LayerFailure(Diagnostic.ARITY, null, a.kind(), "1 or 3 inputs (the input, then h and c together)", in.count());
        }
    }

    private static int projection(Attrs a, Cell cell, int hidden) {
        if (cell != Cell.LSTM || a.number("projSize") == 0) {
            return 0;
        }
        int proj = a.atLeast("projSize", 0);
        if (proj >= hidden) {
            throw new LayerFailure(Diagnostic.ATTRIBUTE_VALUE, "projSize", a.kind(), "projSize", proj,
                    "below hiddenSize = " + hidden + ", as PyTorch requires (\"proj_size has to be smaller than hidden_size\")");
        }
        return proj;
    }

    /** The initial states of a sequence layer, where given: {@code h_0} ({@code states x H_out}), then an LSTM's {@code c_0} ({@code states x H}). */
    private static void checkStates(Attrs a, Inputs in, int states, int out, int hidden) {
        for (int i = 1; i < in.count(); i++) {
            int width = i == 1 ? out : hidden;
            checkState(a, in, i, i == 1 ? "h_0" : "c_0", List.of(states, width),
                    states + "x" + width + " (num_layers x directions, " + (i == 1 ? "H_out" : "hidden_size") + ")");
        }
    }

    /** Input {@code index}, an initial state named {@code name}, must have the dimensions {@code expected} ({@code shown} in messages). */
    private static void checkState(Attrs a, Inputs in, int index, String name, List<Integer> expected, String shown) {
        Shape state = in.shape(index);
        if (!state.dims().equals(expected)) {
            // A cell's state is one vector a sample; a layer's, one per layer and direction.
            throw new LayerFailure(Diagnostic.RECURRENT_STATE, null, a.kind(), name, shown, in.source(index), state.describe(),
                    expected.size() == 1 ? "(hidden_size), one vector a sample" : "(num_layers x directions, hidden)");
        }
    }

    /**
     * One time step of one layer in one direction, for a batch of one: the products with
     * {@code weight_ih}, {@code weight_hh} (and {@code weight_hr}), the biases' adds, the cell's other
     * ops; the costs' parameters are the tensors' sizes.
     */
    private static Costs step(Cell cell, int features, int hidden, int out, int proj, boolean bias) {
        int rows = Checks.fit((long) cell.gates * hidden);
        Costs costs = Checks.weighted(rows, features, bias, 0).plus(Checks.weighted(rows, out, bias, 0));
        if (proj > 0) {
            costs = costs.plus(Checks.weighted(proj, hidden, false, 0));
        }
        long params = Math.addExact(Math.multiplyExact((long) rows, (long) features + out + (bias ? 2 : 0)), (long) proj * hidden);
        return costs.with(Figure.OTHER_OPS, Math.multiplyExact((long) cell.otherOps, hidden)).with(Figure.PARAMS, params);
    }

    /**
     * The parameters of one layer in one direction under PyTorch's names, in its order:
     * {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}, {@code weight_hr},
     * each with {@code suffix} (e.g. {@code _l1_reverse}).
     */
    private static void name(Map<String, List<Integer>> parameters, String suffix, Cell cell, int features, int hidden, int out, int proj,
            boolean bias) {
        int rows = cell.gates * hidden;
        parameters.put("weight_ih" + suffix, List.of(rows, features));
        parameters.put("weight_hh" + suffix, List.of(rows, out));
        if (bias) {
            parameters.put("bias_ih" + suffix, List.of(rows));
            parameters.put("bias_hh" + suffix, List.of(rows));
        }
        if (proj > 0) {
            parameters.put("weight_hr" + suffix, List.of(proj, hidden));
        }
    }

}
