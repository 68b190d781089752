#!/usr/bin/env python3
"""Inference peak of live activation bytes of one nn.GroupNorm or nn.InstanceNorm*d on PyTorch 1.13 (CPU; float32, and one case at bfloat16).

native_group_norm returns a mean and an inverse deviation per group of each sample with its output. at::instance_norm
repeats the weight, the bias and the running statistics it is given once per sample, calls batch_norm on a
(1, N·C, ...) view, which returns a mean and an inverse deviation per channel of each sample where it uses the input's
own statistics (training, or no running statistics), and then, where it tracks running statistics, writes each one's
mean over the samples back (a C-sized tensor at a time). This prints, per case, the kind, batch, shape (without the
batch), numGroups (GroupNorm), affine, trackRunningStats, the dtype of the layer and its input, then the peak of live bytes at the ops' boundaries, the
input's included, as measure_memory.py's dispatch mode records every op's outputs (the README's convention), then
torch.profiler's peak, which also sees the kernels' own workspaces (batch_norm's running sums and its per-channel
scale and shift, 2·N·C each, which modelcost does not count), in eval mode under no_grad. At bf16 the case tracks running
statistics, so that no statistic is computed: a CPU keeps batch_norm's at the input's dtype, where modelcost counts them
in fp32, as CUDA keeps them.

  /usr/bin/python3 tools/pytorch/measure_norm_scratch.py > tools/pytorch/norm-scratch-peak.tsv
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402

CASES = (
    ("GroupNorm", 8, (64, 3, 3), 32, True, False),
    ("GroupNorm", 2, (12, 5, 7), 3, False, False),
    ("GroupNorm", 3, (16, 10), 4, True, False),
    ("InstanceNorm2d", 8, (64, 3, 3), 0, False, False),
    ("InstanceNorm2d", 8, (64, 3, 3), 0, True, False),
    ("InstanceNorm2d", 8, (64, 3, 3), 0, True, True),
    ("InstanceNorm2d", 8, (64, 3, 3), 0, False, True),
    ("InstanceNorm1d", 4, (24, 11), 0, False, False),
    ("InstanceNorm1d", 4, (24, 11), 0, True, True),
    ("InstanceNorm3d", 2, (6, 3, 4, 5), 0, True, False),
    ("InstanceNorm2d", 8, (64, 3, 3), 0, True, True, "bf16"),
)


def peaks(kind, batch, shape, groups, affine, tracked, dtype="fp32"):
    torch.manual_seed(0)
    if kind == "GroupNorm":
        layer = nn.GroupNorm(groups, shape[0], affine=affine)
    else:
        layer = getattr(nn, kind)(shape[0], affine=affine, track_running_stats=tracked)
    torch_dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[dtype]
    layer = layer.eval().to(torch_dtype)
    x = torch.randn(batch, *shape).to(torch_dtype)
    return mm.layer_peaks(layer, x)


def main():
    torch.set_num_threads(1)
    print("# command: /usr/bin/python3 tools/pytorch/measure_norm_scratch.py > tools/pytorch/norm-scratch-peak.tsv")
    print(f"# torch {torch.__version__}; kind, batch, shape without the batch, numGroups, affine, trackRunningStats, dtype, peak bytes with the input at the ops' boundaries, and with the kernels' workspaces")
    for kind, batch, shape, groups, affine, tracked, *dtype in CASES:
        dtype = dtype[0] if dtype else "fp32"
        print(kind, batch, "x".join(map(str, shape)), groups, str(affine).lower(), str(tracked).lower(), dtype,
              *peaks(kind, batch, shape, groups, affine, tracked, dtype), sep="\t", flush=True)


if __name__ == "__main__":
    main()
