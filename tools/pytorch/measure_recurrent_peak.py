#!/usr/bin/env python3
"""Inference peak of live activation bytes of one recurrent layer, on PyTorch 1.13's native (CPU) implementation.

One no_grad forward of a module that returns the layer's output under torch.profiler (measure_memory.layer_peaks): the
peak of live bytes plus the input's. Sequences of
10 steps and of 1 step (an LSTM's cell state of the step before is then its initial state) of 16 features, hidden size 32,
float32, weights seeded. Prints one line per case: kind, layers, bidirectional, batch_first, batch, proj_size, steps, then the
bytes.

  /usr/bin/python3 tools/pytorch/measure_recurrent_peak.py > tools/pytorch/recurrent-peak.tsv
"""
import itertools
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402

STEPS, I, H = (10, 1), 16, 32


class Returning(nn.Module):
    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)[0]


def peak(model, x):
    # torch.profiler's peak, without the dispatch mode: under it every tensor looks like a subclass, and a batch-first input's
    # projection adds its bias into a second tensor where eager PyTorch adds it in place (the two agree on every other case).
    return mm.layer_peaks(model.eval(), x)[1]


def main():
    torch.set_num_threads(1)
    for kind, layers, bi, bf, n, proj, steps in itertools.product(("LSTM", "GRU", "RNN"), (1, 2, 3, 6), (False, True), (False, True), (1, 3),
                                                                 (0, 8), STEPS):
        if proj and kind != "LSTM":
            continue
        torch.manual_seed(0)
        kw = dict(num_layers=layers, bidirectional=bi, batch_first=bf)
        if proj:
            kw["proj_size"] = proj
        x = torch.randn(n, steps, I) if bf else torch.randn(steps, n, I)
        print(kind, layers, int(bi), int(bf), n, proj, steps, peak(Returning(getattr(nn, kind)(I, H, **kw)), x), sep="\t", flush=True)


if __name__ == "__main__":
    main()
