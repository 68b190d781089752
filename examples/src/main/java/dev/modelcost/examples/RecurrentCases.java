package dev.modelcost.examples;

import dev.modelcost.GRU;
import dev.modelcost.LSTM;
import dev.modelcost.Layer;
import dev.modelcost.Model;
import dev.modelcost.RNN;

/**
 * PyTorch's recurrent layers as models of their own: {@code nn.LSTM}, {@code nn.GRU} and {@code nn.RNN}
 * (input 256, hidden 512, {@code batch_first=True}) over a batch of 4 sequences of 35 steps, with one
 * or two layers (L1, L2), one or both directions (uni, bi), and LSTMs with {@code proj_size=128}.
 */
public final class RecurrentCases {
    private RecurrentCases() {}

    /** {@code nn.LSTM(256, 512, num_layers=1, batch_first=True)}. */
    @Model(input = {35, 256}, batch = 4)
    static class LstmL1Uni {
        @LSTM(hiddenSize = 512, batchFirst = true)                                           Layer lstm;
    }

    /** {@code nn.LSTM(256, 512, num_layers=1, bidirectional=True, batch_first=True)}. */
    @Model(input = {35, 256}, batch = 4)
    static class LstmL1Bi {
        @LSTM(hiddenSize = 512, bidirectional = true, batchFirst = true)                     Layer lstm;
    }

    /** {@code nn.LSTM(256, 512, num_layers=2, batch_first=True)}. */
    @Model(input = {35, 256}, batch = 4)
    static class LstmL2Uni {
        @LSTM(hiddenSize = 512, numLayers = 2, batchFirst = true)                            Layer lstm;
    }

    /** {@code nn.LSTM(256, 512, num_layers=2, bidirectional=True, batch_first=True)}. */
    @Model(input = {35, 256}, batch = 4)
    static class LstmL2Bi {
        @LSTM(hiddenSize = 512, numLayers = 2, bidirectional = true, batchFirst = true)      Layer lstm;
    }

    /** {@code nn.GRU(256, 512, num_layers=1, batch_first=True)}. */
    @Model(input = {35, 256}, batch = 4)
    static class GruL1Uni {
        @GRU(hiddenSize = 512, batchFirst = true)                                            Layer gru;
    }

    /** {@code nn.GRU(256, 512, num_layers=1, bidirectional=True, batch_first=True)}. */
    @Model(input = {35, 256}, batch = 4)
    static class GruL1Bi {
        @GRU(hiddenSize = 512, bidirectional = true, batchFirst = true)                      Layer gru;
    }

    /** {@code nn.GRU(256, 512, num_layers=2, batch_first=True)}. */
    @Model(input = {35, 256}, batch = 4)
    static class GruL2Uni {
        @GRU(hiddenSize = 512, numLayers = 2, batchFirst = true)                             Layer gru;
    }

    /** {@code nn.GRU(256, 512, num_layers=2, bidirectional=True, batch_first=True)}. */
    @Model(input = {35, 256}, batch = 4)
    static class GruL2Bi {
        @GRU(hiddenSize = 512, numLayers = 2, bidirectional = true, batchFirst = true)       Layer gru;
    }

    /** {@code nn.RNN(256, 512, num_layers=1, batch_first=True)} (tanh). */
    @Model(input = {35, 256}, batch = 4)
    static class RnnL1Uni {
        @RNN(hiddenSize = 512, batchFirst = true)                                            Layer rnn;
    }

    /** {@code nn.RNN(256, 512, num_layers=1, bidirectional=True, batch_first=True)} (tanh). */
    @Model(input = {35, 256}, batch = 4)
    static class RnnL1Bi {
        @RNN(hiddenSize = 512, bidirectional = true, batchFirst = true)                      Layer rnn;
    }

    /** {@code nn.RNN(256, 512, num_layers=2, batch_first=True)} (tanh). */
    @Model(input = {35, 256}, batch = 4)
    static class RnnL2Uni {
        @RNN(hiddenSize = 512, numLayers = 2, batchFirst = true)                             Layer rnn;
    }

    /** {@code nn.RNN(256, 512, num_layers=2, bidirectional=True, batch_first=True)} (tanh). */
    @Model(input = {35, 256}, batch = 4)
    static class RnnL2Bi {
        @RNN(hiddenSize = 512, numLayers = 2, bidirectional = true, batchFirst = true)       Layer rnn;
    }

    /** {@code nn.LSTM(256, 512, proj_size=128, batch_first=True)}: the hidden state projected to 128. */
    @Model(input = {35, 256}, batch = 4)
    static class LstmProj128L1Uni {
        @LSTM(hiddenSize = 512, projSize = 128, batchFirst = true)                           Layer lstm;
    }

    /** {@code nn.LSTM(256, 512, num_layers=2, bidirectional=True, proj_size=128, batch_first=True)}. */
    @Model(input = {35, 256}, batch = 4)
    static class LstmProj128L2Bi {
        @LSTM(hiddenSize = 512, numLayers = 2, bidirectional = true, projSize = 128, batchFirst = true) Layer lstm;
    }
}
