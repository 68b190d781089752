#!/usr/bin/env python3
"""ptflops' aten backend on recurrent layers, batch-first and sequence-first, at batch 1 and above.

Whether a recurrent layer's input product runs as addmm (its bias counted) or as matmul and an add
(not counted) depends on whether its input is contiguous: a batch-first layer transposes its input,
which is contiguous at batch 1 only. Prints one line per case: the case, then the MACs the backend
returns. Run with the ptflops source (ptflops 0.7.6 at d612c75) on the path:

  python3 tools/pytorch/measure_ptflops_recurrent.py --ptflops flops-counter.pytorch
"""
import argparse
import contextlib
import sys

import torch
from torch import nn


class Holder(nn.Module):
    """The layer's first result, as a model's output."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        y = self.layer(x)
        return y[0] if isinstance(y, tuple) else y


class GruHead(nn.Module):
    """nn.GRU(64, 32) and nn.Linear(32, 5) on its output sequence."""

    def __init__(self, batch_first):
        super().__init__()
        self.gru = nn.GRU(64, 32, batch_first=batch_first)
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        return self.fc(self.gru(x)[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ptflops", required=True, help="the flops-counter.pytorch checkout")
    args = parser.parse_args()
    sys.path.insert(0, args.ptflops)
    from ptflops import get_model_complexity_info

    def aten(model, shape):
        with contextlib.redirect_stdout(sys.stderr):
            macs, _ = get_model_complexity_info(model.eval(), tuple(shape[1:]), input_constructor=lambda r: torch.randn(*shape),
                                                backend="aten", print_per_layer_stat=False, as_strings=False)
        return macs

    torch.manual_seed(0)
    for n in (1, 2, 3):
        for batch_first in (True, False):
            shape = (n, 35, 256) if batch_first else (35, n, 256)
            print(f"nn.LSTM(256, 512, batch_first={batch_first}) on {'x'.join(map(str, shape))}",
                  aten(Holder(nn.LSTM(256, 512, batch_first=batch_first)), shape), sep="\t")
    for n in (1, 2):
        print(f"nn.LSTM(64, 32, num_layers=2, bidirectional=True, batch_first=True) on {n}x10x64",
              aten(Holder(nn.LSTM(64, 32, num_layers=2, bidirectional=True, batch_first=True)), (n, 10, 64)), sep="\t")
    for n in (1, 2):
        for batch_first in (True, False):
            shape = (n, 10, 64) if batch_first else (10, n, 64)
            print(f"nn.GRU(64, 32, batch_first={batch_first}) then nn.Linear(32, 5) on {'x'.join(map(str, shape))}",
                  aten(GruHead(batch_first), shape), sep="\t")


if __name__ == "__main__":
    main()
