#!/usr/bin/env python3
"""Bytes autograd saves for backward in recurrent layers and cells, on PyTorch's native (CPU) implementation.

One forward with gradients enabled inside torch.autograd.graph.saved_tensors_hooks; every tensor the pack
hook sees is counted once per storage (storage().nbytes()), parameters excluded, the layer's input and
initial states included where they are saved. Batch 4, float32, sequences of 20 steps of 32 features,
hidden size 64. Prints one line per case: the case, then the bytes.

  /usr/bin/python3 tools/pytorch/measure_recurrent_saved.py > tools/pytorch/recurrent-saved.tsv
"""
import torch
from torch import nn

N, L, I, H = 4, 20, 32, 64


def saved_bytes(module, *inputs):
    excluded = {p.storage().data_ptr() for p in module.parameters()}
    storages = {}

    def pack(t):
        ptr = t.storage().data_ptr()
        if ptr not in excluded:
            storages[ptr] = t.storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        module(*inputs)
    return sum(storages.values())


class First(nn.Module):
    """A recurrent layer's output alone."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        return self.layer(x)[0]


class Permute(nn.Module):
    def __init__(self, *dims):
        super().__init__()
        self.dims = dims

    def forward(self, x):
        return x.permute(*self.dims)


class EveryOtherStep(nn.Module):
    """Every other step of a batch-first (N, L, F) tensor, sequence first where asked: a strided view, no copy."""

    def __init__(self, seq_first):
        super().__init__()
        self.seq_first = seq_first

    def forward(self, x):
        x = x[:, ::2]
        return x.transpose(0, 1) if self.seq_first else x


def cases():
    batch_first = torch.randn(N, L, I)
    seq_first = torch.randn(L, N, I)
    step = torch.randn(N, I)
    h0, c0 = torch.randn(1, N, H), torch.randn(1, N, H)
    h, c = torch.randn(N, H), torch.randn(N, H)
    yield "LSTM(32, 64, batch_first=True)", nn.LSTM(I, H, batch_first=True), (batch_first,)
    yield "LSTM(32, 64, batch_first=True, proj_size=16)", nn.LSTM(I, H, batch_first=True, proj_size=16), (batch_first,)
    yield "LSTM(32, 64, num_layers=2, batch_first=True)", nn.LSTM(I, H, num_layers=2, batch_first=True), (batch_first,)
    yield "LSTM(32, 64, bidirectional=True)", nn.LSTM(I, H, bidirectional=True), (seq_first,)
    yield "LSTM(32, 64, num_layers=2, bidirectional=True)", nn.LSTM(I, H, num_layers=2, bidirectional=True), (seq_first,)
    yield "LSTM(32, 64, batch_first=True) with (h0, c0)", nn.LSTM(I, H, batch_first=True), (batch_first, (h0, c0))
    yield "GRU(32, 64, batch_first=True)", nn.GRU(I, H, batch_first=True), (batch_first,)
    yield "GRU(32, 64, batch_first=True, bias=False)", nn.GRU(I, H, batch_first=True, bias=False), (batch_first,)
    yield "GRU(32, 64, batch_first=True) with h0", nn.GRU(I, H, batch_first=True), (batch_first, h0)
    yield "RNN(32, 64, batch_first=True)", nn.RNN(I, H, batch_first=True), (batch_first,)
    yield "RNN(32, 64, num_layers=2, bidirectional=True)", nn.RNN(I, H, num_layers=2, bidirectional=True), (seq_first,)
    # batch first, both directions: each direction's input projection keeps its own contiguous copy of the transposed input
    yield "LSTM(32, 64, batch_first=True, bidirectional=True)", nn.LSTM(I, H, batch_first=True, bidirectional=True), (batch_first,)
    yield "GRU(32, 64, num_layers=2, batch_first=True, bidirectional=True)", nn.GRU(I, H, num_layers=2, batch_first=True, bidirectional=True), (batch_first,)
    yield "RNN(32, 64, batch_first=True, bidirectional=True)", nn.RNN(I, H, batch_first=True, bidirectional=True), (batch_first,)
    # dropout between the layers: each later layer's input is the dropped output, and the noise is saved (a CPU's at::dropout)
    yield "LSTM(32, 64, num_layers=3, batch_first=True, dropout=0.3)", nn.LSTM(I, H, num_layers=3, batch_first=True, dropout=0.3), (batch_first,)
    yield "GRU(32, 64, num_layers=3, batch_first=True, dropout=0.3)", nn.GRU(I, H, num_layers=3, batch_first=True, dropout=0.3), (batch_first,)
    yield "RNN(32, 64, num_layers=3, batch_first=True, dropout=0.3)", nn.RNN(I, H, num_layers=3, batch_first=True, dropout=0.3), (batch_first,)
    # a ReLU before saves its result, the layer's input; batch first, the layer saves its contiguous copies, other storages
    yield "Linear(32, 32), ReLU, LSTM(32, 64, batch_first=True)", nn.Sequential(nn.Linear(I, I), nn.ReLU(), nn.LSTM(I, H, batch_first=True)), (batch_first,)
    yield "Linear(32, 32), ReLU, GRU(32, 64, batch_first=True, bidirectional=True)", nn.Sequential(nn.Linear(I, I), nn.ReLU(),
                                                                                                  nn.GRU(I, H, batch_first=True, bidirectional=True)), (batch_first,)
    yield "Linear(32, 32), ReLU, LSTM(32, 64)", nn.Sequential(nn.Linear(I, I), nn.ReLU(), nn.LSTM(I, H)), (seq_first,)
    # no copy where the steps-first view is contiguous: one step, or the batch-first output of a layer before (a ReLU keeps its
    # strides); a copy per direction where a sequence-first layer is fed a permuted view
    yield "LSTM(32, 64, batch_first=True), ReLU, LSTM(64, 64, batch_first=True)", nn.Sequential(
        First(nn.LSTM(I, H, batch_first=True)), nn.ReLU(), nn.LSTM(H, H, batch_first=True)), (batch_first,)
    yield "one step: Linear(32, 32), ReLU, LSTM(32, 64, batch_first=True)", nn.Sequential(nn.Linear(I, I), nn.ReLU(),
                                                                                          nn.LSTM(I, H, batch_first=True)), (torch.randn(N, 1, I),)
    yield "Conv1d(32, 32, 3, padding=1), permute(2, 0, 1), LSTM(32, 64, bidirectional=True)", nn.Sequential(
        nn.Conv1d(I, I, 3, padding=1), Permute(2, 0, 1), nn.LSTM(I, H, bidirectional=True)), (torch.randn(N, I, L),)
    yield "batch 1: Conv1d(32, 32, 3, padding=1), permute(2, 0, 1), GRU(32, 64, bidirectional=True)", nn.Sequential(
        nn.Conv1d(I, I, 3, padding=1), Permute(2, 0, 1), nn.GRU(I, H, bidirectional=True)), (torch.randn(1, I, L),)
    # every other step of a batch-first LSTM's output (laid out steps first): above a batch of 1 its steps-first view does not fold
    # into rows, and the next layer saves a contiguous copy in its place, sequence first or batch first
    yield "LSTM(32, 64, batch_first=True), every other step, GRU(64, 64)", nn.Sequential(
        First(nn.LSTM(I, H, batch_first=True)), EveryOtherStep(True), nn.GRU(H, H)), (batch_first,)
    yield "LSTM(32, 64, batch_first=True), every other step, GRU(64, 64, batch_first=True)", nn.Sequential(
        First(nn.LSTM(I, H, batch_first=True)), EveryOtherStep(False), nn.GRU(H, H, batch_first=True)), (batch_first,)
    yield "LSTMCell(32, 64)", nn.LSTMCell(I, H), (step,)
    yield "LSTMCell(32, 64) with (h, c)", nn.LSTMCell(I, H), (step, (h, c))
    yield "GRUCell(32, 64)", nn.GRUCell(I, H), (step,)
    yield "GRUCell(32, 64) with h", nn.GRUCell(I, H), (step, h)
    yield "RNNCell(32, 64)", nn.RNNCell(I, H), (step,)


def main():
    torch.manual_seed(0)
    print(f"# torch {torch.__version__}; batch {N}, float32, input {L}x{I} (a cell's {I}), hidden {H}")
    print("case\tsaved_bytes")
    for name, module, inputs in cases():
        print(f"{name}\t{saved_bytes(module, *inputs)}")


if __name__ == "__main__":
    main()
