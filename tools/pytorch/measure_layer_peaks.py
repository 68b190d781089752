#!/usr/bin/env python3
"""Inference peak of live activation bytes of single layers whose ops return more than their output, on PyTorch 1.13 (CPU,
float32, eval, no_grad).

Per case: its name, the input's shape (the batch first), the peak at the ops' boundaries with measure_memory.py's dispatch
mode (the README's convention), and torch.profiler's peak without that mode, the input included in both. The two differ
where the dispatch mode changes PyTorch's path: max_pool1d computes int64 indices only for a tensor that needs grad or is
"subclass-like", which every tensor is under a dispatch mode, so eager PyTorch on a CPU holds none; the profiler's figure
is the one modelcost follows there. Where they agree, it is the ops' outputs: log_sigmoid_forward's buffer of the
output's size (a CPU's; CUDA's is empty), batch_norm's save_mean and save_invstd without running statistics, and a
Linear's product beside the bias added to it, on an input of four axes.
The profiler also sees batch_norm's per-channel scale and shift, workspaces inside the kernel, which modelcost does not
count (as for every kernel's workspace).

  /usr/bin/python3 tools/pytorch/measure_layer_peaks.py > tools/pytorch/layer-peaks.tsv
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402

CASES = (
    ("MaxPool1d(3, 2)", lambda: nn.MaxPool1d(3, 2), (3, 6, 11)),
    ("MaxPool2d(3, 2, 1)", lambda: nn.MaxPool2d(3, 2, 1), (3, 6, 9, 11)),
    ("AdaptiveMaxPool1d(3)", lambda: nn.AdaptiveMaxPool1d(3), (3, 6, 11)),
    ("LogSigmoid()", lambda: nn.LogSigmoid(), (3, 6, 5, 7)),
    ("BatchNorm2d(6, track_running_stats=False)", lambda: nn.BatchNorm2d(6, track_running_stats=False), (3, 6, 5, 7)),
    ("BatchNorm1d(6, track_running_stats=False)", lambda: nn.BatchNorm1d(6, track_running_stats=False), (3, 6, 11)),
    ("BatchNorm2d(6)", lambda: nn.BatchNorm2d(6), (3, 6, 5, 7)),
    # F.linear runs a 2-d input with a bias as addmm and a contiguous 3-d one as addmm on its view; any other as matmul, then an
    # add of the bias into a new tensor, the product held until it returns (ConvNeXt's channels-last MLP)
    ("Linear(8, 16)", lambda: nn.Linear(8, 16), (2, 3, 5, 8)),
    ("Linear(8, 16, bias=False)", lambda: nn.Linear(8, 16, bias=False), (2, 3, 5, 8)),
    ("Linear(8, 16)", lambda: nn.Linear(8, 16), (3, 5, 8)),
    ("Linear(8, 16)", lambda: nn.Linear(8, 16), (5, 8)),
)


def peaks(make, shape):
    torch.manual_seed(0)
    layer = make().eval()
    x = torch.randn(*shape)
    return mm.layer_peaks(layer, x)


def main():
    torch.set_num_threads(1)
    print("# command: /usr/bin/python3 tools/pytorch/measure_layer_peaks.py > tools/pytorch/layer-peaks.tsv")
    print(f"# torch {torch.__version__}; layer, input shape, peak bytes with the input under the dispatch mode, and under torch.profiler alone")
    for name, make, shape in CASES:
        print(name, "x".join(map(str, shape)), *peaks(make, shape), sep="\t", flush=True)


if __name__ == "__main__":
    main()
