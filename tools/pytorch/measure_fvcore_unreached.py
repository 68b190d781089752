#!/usr/bin/env python3
"""What fvcore counts for layers whose results never reach the output: its JIT trace drops them.

FlopCountAnalysis(model.eval(), torch.randn(2, 4, 10)).total() under torch.no_grad(), fvcore 0.1.6 loaded
as measure_counters.py loads it (a checkout of facebookresearch/fvcore at 3378afe). Prints one line per
case: the case, then fvcore's total. Expected (PyTorch 1.13): Dead 640, Chain 640, InBlock 3200,
Early 640, SizeRead 800 (CounterQuirksTest.fvcoreDropsLayersWhoseResultsNeverReachTheOutput); a ModuleList of four
WaveNet-like blocks (x + res(conv(x)), skip(conv(x))) whose skips are summed: RunSkips 4160 (the last block's res dropped),
RunSomeSkips 3200 (only the second's and fourth's skips summed: the first's and third's skip dropped too), RunOutputToo
4480 (the last output added as well: nothing dropped), RunFirstSkips 1920 (the first two skips: the first block whole, the
second's conv and skip), RunSecondSkip 1440, RunSecondOutput 1760, Convs 800 (the first of three convolutions read, and a head)
(CounterQuirksTest.fvcoreDropsWhatOneRepetitionOfARunLeavesUnread).

  /usr/bin/python3 tools/pytorch/measure_fvcore_unreached.py /path/to/fvcore
"""
import logging
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_counters  # noqa: E402

logging.disable(logging.WARNING)

class Dead(nn.Module):  # conv2 computed, never read
    def __init__(s):
        super().__init__(); s.conv1 = nn.Conv1d(4, 8, 1); s.conv2 = nn.Conv1d(4, 8, 1)
    def forward(s, x):
        y = s.conv1(x); s.conv2(x); return y
class Chain(nn.Module):  # conv2 -> relu2 -> lin2 dead chain; conv1 -> relu1 live
    def __init__(s):
        super().__init__(); s.conv1 = nn.Conv1d(4, 8, 1); s.relu1 = nn.ReLU(); s.conv2 = nn.Conv1d(4, 6, 3); s.relu2 = nn.ReLU(); s.lin2 = nn.Linear(8, 5)
    def forward(s, x):
        y = s.relu1(s.conv1(x)); s.lin2(s.relu2(s.conv2(x))); return y
class Blk(nn.Module):
    def __init__(s):
        super().__init__(); s.a = nn.Conv1d(8, 8, 1); s.b = nn.Conv1d(8, 8, 1)
    def forward(s, x):
        s.b(x); return s.a(x)
class InBlock(nn.Module):  # block applied twice; its b is dead each time
    def __init__(s):
        super().__init__(); s.stem = nn.Conv1d(4, 8, 1); s.l1 = Blk(); s.l2 = Blk()
    def forward(s, x):
        return s.l2(s.l1(s.stem(x)))
class Early(nn.Module):  # output is conv1: conv2 (reading conv1) and lin dead
    def __init__(s):
        super().__init__(); s.conv1 = nn.Conv1d(4, 8, 1); s.conv2 = nn.Conv1d(8, 8, 1); s.lin = nn.Linear(10, 3)
    def forward(s, x):
        y = s.conv1(x); s.lin(s.conv2(y)); return y
class SizeRead(nn.Module):  # dead conv2 whose output's size is read by a live view
    def __init__(s):
        super().__init__(); s.conv1 = nn.Conv1d(4, 8, 1); s.conv2 = nn.Conv1d(4, 2, 1)
    def forward(s, x):
        z = s.conv2(x); y = s.conv1(x); return y.reshape(y.shape[0], z.shape[1], -1)

class WBlk(nn.Module):
    def __init__(s):
        super().__init__(); s.conv = nn.Conv1d(4, 4, 1); s.skip = nn.Conv1d(4, 6, 1); s.res = nn.Conv1d(4, 4, 1)
    def forward(s, x):
        h = s.conv(x); return x + s.res(h), s.skip(h)
class Run(nn.Module):  # four blocks in a ModuleList, the skips of `read` summed, and the sums of the outputs of `outputs`
    read, outputs = (0, 1, 2, 3), ()
    def __init__(s):
        super().__init__(); s.blocks = nn.ModuleList(WBlk() for _ in range(4))
    def forward(s, x):
        skips, outs = [], []
        for b in s.blocks:
            x, skip = b(x); skips.append(skip); outs.append(x)
        total = sum(skips[i] for i in s.read)
        for i in s.outputs:
            total = total + outs[i].sum()
        return total
class RunSkips(Run):
    pass
class RunSomeSkips(Run):
    read = (1, 3)
class RunOutputToo(Run):
    outputs = (3,)
class RunFirstSkips(Run):  # the first two skips: blocks 2 and 3 never reach the output
    read = (0, 1)
class RunSecondSkip(Run):  # the second skip alone
    read = (1,)
class RunSecondOutput(Run):  # the first skip and the second block's output
    read, outputs = (0,), (1,)
class Convs(nn.Module):  # three convolutions in an nn.Sequential, the first one's output read: the other two dropped
    def __init__(s):
        super().__init__(); s.convs = nn.Sequential(*[nn.Conv1d(4, 4, 1) for _ in range(3)]); s.head = nn.Conv1d(4, 6, 1)
    def forward(s, x):
        first = s.convs[0](x); s.convs[2](s.convs[1](first)); return s.head(first)

if __name__ == "__main__":
    FlopCountAnalysis = measure_counters.load_fvcore(sys.argv[1])
    for M in [Dead, Chain, InBlock, Early, SizeRead, RunSkips, RunSomeSkips, RunOutputToo, RunFirstSkips, RunSecondSkip,
              RunSecondOutput, Convs]:
        with torch.no_grad():
            print(M.__name__, FlopCountAnalysis(M().eval(), torch.randn(2, 4, 10)).total(), sep="\t")
