#!/usr/bin/env python3
"""What ptflops' aten backend counts where a layer reads a view that is not contiguous.

PyTorch 1.13 runs a Linear on a contiguous 3-d input as one addmm, whose bias ptflops' aten
backend counts, and on any other 3-d input as matmul and an add, which it does not; a recurrent
layer projects its input (transposed to steps first where batch_first) the same way, and so does
nn.MultiheadAttention (batch_first: x.transpose(1, 0)). A batch-first recurrent layer's or
attention's output is itself a transposed view. Prints one tab-separated row per case: the case,
the batch, then what get_model_complexity_info(..., backend='aten') returns, as
measure_counters.py calls it; ContiguityTest checks the same models.

  /usr/bin/python3 tools/pytorch/measure_contiguity.py --ptflops flops-counter.pytorch > tools/pytorch/contiguity-costs.tsv
"""

import argparse
import contextlib
import sys

import torch
from torch import nn


class Sequential(nn.Module):
    """Modules applied in order, each given the previous output (the first element of a recurrent layer's tuple)."""

    def __init__(self, *steps):
        super().__init__()
        self.steps = nn.ModuleList(step for step in steps if isinstance(step, nn.Module))
        self.order = steps

    def forward(self, x):
        modules = iter(self.steps)
        for step in self.order:
            if isinstance(step, nn.Module):
                x = next(modules)(x)
                x = x[0] if isinstance(x, tuple) else x
            else:
                x = step(x)
        return x


# case name -> (model factory, input shape without the batch)
CASES = {
    # G1a: a batch-first GRU fed another's output, a transposed view that the second transposes back: contiguous
    "gru_gru": (lambda: Sequential(nn.GRU(4, 5, batch_first=True), nn.GRU(5, 6, batch_first=True)), (3, 4)),
    # G1b: a sequence-first LSTM on a permuted convolution output (CRNN)
    "conv_lstm": (lambda: Sequential(nn.Conv1d(4, 8, 3, padding=1), lambda x: x.permute(2, 0, 1), nn.LSTM(8, 5)), (4, 9)),
    # G2: a Linear on a slice, a chunk and a transpose of a 3-d tensor
    "slice_last_linear": (lambda: Sequential(lambda x: x[:, -1:], nn.Linear(8, 4)), (8, 8)),
    "slice_linear": (lambda: Sequential(lambda x: x[:, 1:8], nn.Linear(8, 4)), (8, 8)),
    "chunk_linear": (lambda: Sequential(lambda x: x.chunk(2, 2)[0], nn.Linear(4, 4)), (8, 8)),
    "transpose_linear": (lambda: Sequential(lambda x: x.transpose(1, 2), nn.Linear(8, 4)), (8, 8)),
    # a transposed view made contiguous again by a reshape that copies, then a Linear
    "transpose_reshape_linear": (lambda: Sequential(lambda x: x.transpose(1, 2), lambda x: x.reshape(x.shape[0], 4, 16), nn.Linear(16, 4)), (8, 8)),
    # what follows a transpose: an activation keeps its layout (a Linear after it runs as matmul and an add), a norm or softmax
    # writes a contiguous tensor (an addmm), and so does an activation of a slice along the sequence
    "transpose_relu_linear": (lambda: Sequential(lambda x: x.transpose(1, 2), nn.ReLU(), nn.Linear(8, 4)), (8, 8)),
    "transpose_gelu_linear": (lambda: Sequential(lambda x: x.transpose(1, 2), nn.GELU(), nn.Linear(8, 4)), (8, 8)),
    "transpose_layernorm_linear": (lambda: Sequential(lambda x: x.transpose(1, 2), nn.LayerNorm(8), nn.Linear(8, 4)), (8, 8)),
    "transpose_softmax_linear": (lambda: Sequential(lambda x: x.transpose(1, 2), nn.Softmax(dim=-1), nn.Linear(8, 4)), (8, 8)),
    "slice_relu_linear": (lambda: Sequential(lambda x: x[:, 1:8], nn.ReLU(), nn.Linear(8, 4)), (8, 8)),
    "chunk_relu_linear": (lambda: Sequential(lambda x: x.chunk(2, 2)[0], nn.ReLU(), nn.Linear(4, 4)), (8, 8)),
    # PReLU and LogSigmoid write contiguous tensors in PyTorch 1.13, whatever their input's layout
    "transpose_prelu_linear": (lambda: Sequential(lambda x: x.transpose(1, 2), nn.PReLU(), nn.Linear(8, 4)), (8, 8)),
    "transpose_logsigmoid_linear": (lambda: Sequential(lambda x: x.transpose(1, 2), nn.LogSigmoid(), nn.Linear(8, 4)), (8, 8)),
    # an in-place activation writes into its input, a chunk of the features, whatever its strides
    "chunk_inplace_relu_linear": (lambda: Sequential(lambda x: x.chunk(2, 2)[0], nn.ReLU(inplace=True), nn.Linear(4, 4)), (8, 8)),
    # a sum is laid out as its first operand: a batch-first LSTM's transposed output first, or the contiguous input first
    "lstm_add_linear": (lambda: SumWith(nn.LSTM(8, 8, batch_first=True), nn.Linear(8, 3), lstm_first=True), (5, 8)),
    "add_lstm_linear": (lambda: SumWith(nn.LSTM(8, 8, batch_first=True), nn.Linear(8, 3), lstm_first=False), (5, 8)),
    # a sequence-first LSTM fed a batch-first one's output, transposed to (L, N, F) as sequence-first code does: contiguous again
    "lstm_seqfirst_lstm": (lambda: Sequential(nn.LSTM(6, 8, batch_first=True), lambda x: x.transpose(0, 1), nn.LSTM(8, 4)), (5, 6)),
    # a batch-first LSTM's output read by a Linear (a transposed view above batch 1) and by a batch-first attention
    "lstm_linear": (lambda: Sequential(nn.LSTM(6, 8, batch_first=True), nn.Linear(8, 3)), (5, 6)),
    "lstm_attention": (lambda: Sequential(nn.LSTM(6, 8, batch_first=True), lambda x: (x, x, x), AttentionOf(nn.MultiheadAttention(8, 2, batch_first=True))), (5, 6)),
    # a batch-first attention's output (a transposed view) read by a batch-first LSTM, which transposes it back
    "attention_lstm": (lambda: Sequential(lambda x: (x, x, x), AttentionOf(nn.MultiheadAttention(8, 2, batch_first=True)), nn.LSTM(8, 4, batch_first=True)), (5, 8)),
}


class SumWith(nn.Module):
    """A recurrent layer's output added to its input (in either order), then a Linear."""

    def __init__(self, rnn, linear, lstm_first):
        super().__init__()
        self.rnn, self.linear, self.lstm_first = rnn, linear, lstm_first

    def forward(self, x):
        y = self.rnn(x)[0]
        return self.linear(y + x if self.lstm_first else x + y)


class AttentionOf(nn.Module):
    """Self-attention on (q, k, v), returning the output only."""

    def __init__(self, attention):
        super().__init__()
        self.attention = attention

    def forward(self, qkv):
        return self.attention(*qkv, need_weights=False)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ptflops", required=True, help="a checkout of sovrasov/flops-counter.pytorch (0.7.6 at d612c75)")
    args = parser.parse_args()
    sys.path.insert(0, args.ptflops)
    from ptflops import get_model_complexity_info
    print(f"# {' '.join(sys.argv)}; torch {torch.__version__}")
    for name, (factory, shape) in CASES.items():
        for batch in (1, 2, 3):
            torch.manual_seed(0)
            model = factory().eval()
            x = torch.randn(batch, *shape)
            with contextlib.redirect_stdout(sys.stderr):
                macs, _ = get_model_complexity_info(model, shape, as_strings=False, print_per_layer_stat=False, verbose=False,
                                                    backend="aten", input_constructor=lambda _: x, ost=sys.stderr)
            print(name, batch, int(macs), sep="\t")


if __name__ == "__main__":
    main()
