#!/usr/bin/env python3
"""Peak live activation bytes of repeated blocks run by nn.Sequential and by a Python loop over an nn.ModuleList.

Uses measure_memory.py's LivenessMode (a no_grad eager forward; each storage alive until its last Python
reference dies), the model input included, at batch 2, fp32. Each block is a pre-norm residual MLP
(LayerNorm(64), Linear(64, 256), GELU, Linear(256, 64), x + ...), after a stem Linear(32, 64) on a 2x16x32
input (16 tokens). The cases:

  sequential   x = stem(inp); x = blocks(x)                         (blocks an nn.Sequential of 4)
  loop         x = stem(inp); for b in blocks: x = b(x)             (an nn.ModuleList of 4)
  loop_skip    x0 = stem(inp); h = x0; for b in blocks: h = b(h); x0 + h   (the loop's input read after it)
  loop_one     the loop over a ModuleList of one block
  loop_input   for b in blocks: x = b(x) on the model input itself (held by the caller throughout)

  /usr/bin/python3 tools/pytorch/measure_loop_peak.py > tools/pytorch/loop-peak.tsv

Prints one row per case: the case, the peak in bytes (input included), the module running at the peak.
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure_memory import run_liveness, storage_nbytes  # noqa: E402


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(64)
        self.fc1 = nn.Linear(64, 256)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(256, 64)

    def forward(self, x):
        return x + self.fc2(self.act(self.fc1(self.norm(x))))


class Net(nn.Module):
    def __init__(self, case):
        super().__init__()
        self.case = case
        count = 1 if case == "loop_one" else 4
        self.stem = nn.Linear(32, 64) if case != "loop_input" else nn.Identity()
        blocks = [Block() for _ in range(count)]
        self.blocks = nn.Sequential(*blocks) if case == "sequential" else nn.ModuleList(blocks)

    def forward(self, x):
        x = self.stem(x)
        if self.case == "sequential":
            return self.blocks(x)
        if self.case == "loop_skip":
            h = x
            for block in self.blocks:
                h = block(h)
            return x + h
        for block in self.blocks:
            x = block(x)
        return x


print("case\tpeak_bytes\tmodule")
for case in ("sequential", "loop", "loop_skip", "loop_one", "loop_input"):
    torch.manual_seed(0)
    model = Net(case).eval()
    x = torch.randn(2, 16, 64 if case == "loop_input" else 32)
    mode, out = run_liveness(model, x)
    peak = max(mode.rows, key=lambda r: r["live_bytes"])
    print(f"{case}\t{peak['live_bytes'] + storage_nbytes(x)}\t{peak['module']}")
