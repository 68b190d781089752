#!/usr/bin/env python3
"""Inference peak of live activation bytes of nn.RNNCell, nn.GRUCell and nn.LSTMCell on PyTorch 1.13 (CPU, float32, eval,
no_grad): without a state (the cell makes one of zeros, shared by h and c in an LSTM cell), and with the state an
nn.Linear makes from the input. Per case: the cell, whether a state is given, input size, hidden size, batch, then the
peak at the ops' boundaries with measure_memory.py's dispatch mode (the README's convention) and torch.profiler's peak
without that mode, the input included in both (and the state where a Linear makes it).

  /usr/bin/python3 tools/pytorch/measure_cell_peaks.py > tools/pytorch/cell-peaks.tsv
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402


class WithState(nn.Module):
    """A Linear makes the state from the input; the cell reads both (an LSTM cell the same tensor as h and c)."""

    def __init__(self, cell, features, hidden):
        super().__init__()
        self.h0 = nn.Linear(features, hidden)
        self.cell = cell

    def forward(self, x):
        h = self.h0(x)
        out = self.cell(x, (h, h)) if isinstance(self.cell, nn.LSTMCell) else self.cell(x, h)
        return out[0] if isinstance(out, tuple) else out


class Alone(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def forward(self, x):
        out = self.cell(x)
        return out[0] if isinstance(out, tuple) else out


CASES = [(kind, state, 12, 7, 3) for kind in ("RNNCell", "GRUCell", "LSTMCell") for state in (False, True)] + [("LSTMCell", False, 20, 16, 5)]


def peaks(kind, state, features, hidden, batch):
    torch.manual_seed(0)
    cell = getattr(nn, kind)(features, hidden)
    model = (WithState(cell, features, hidden) if state else Alone(cell)).eval()
    x = torch.randn(batch, features)
    return mm.layer_peaks(model, x)


def main():
    torch.set_num_threads(1)
    print("# command: /usr/bin/python3 tools/pytorch/measure_cell_peaks.py > tools/pytorch/cell-peaks.tsv")
    print(f"# torch {torch.__version__}; cell, state given, input size, hidden size, batch, peak bytes under the dispatch mode, under torch.profiler alone")
    for case in CASES:
        print(*case, *peaks(*case), sep="\t", flush=True)


if __name__ == "__main__":
    main()
