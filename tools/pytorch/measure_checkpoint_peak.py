#!/usr/bin/env python3
"""The most activation memory alive while backward recomputes checkpointed segments, PyTorch 1.13 (CPU).

Each field of the network runs under torch.utils.checkpoint.checkpoint(..., use_reentrant=False), as
@Training(recompute = true) describes; the forward pass deletes each local after its last use. After the forward
pass, and after each segment's recomputation during backward (a forward hook's second call), the distinct float32
storages alive besides the parameters and the model's output are found with gc, with and without the segment's
recomputed output (transient where its last layer does not save it, as a convolution's; its own saved activation
where it does, as a ReLU's), 8 bytes of autograd's float scalars among them. Backward runs the segments last first,
and frees a segment's kept inputs once its backward has run.

  conv   conv, ReLU, conv, ReLU, the sum of the two ReLUs, conv (8 channels, padding 1) on a 1x3x32x32 image
         (TrainingTest: 143,360)
  path   blk = Linear(64, 64) then ReLU on 16 x 64, giving its linear layer's result too; two GELUs of that result,
         their sum, the sum with blk's ReLU, a Linear(64, 8) head (TrainingTest: 12,288)

  /usr/bin/python3 tools/pytorch/measure_checkpoint_peak.py > tools/pytorch/checkpoint-peak.tsv
"""
import gc
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure_checkpoint import segment  # noqa: E402  (checkpoint(fn, *args, use_reentrant=False))


class Add(nn.Module):
    def forward(self, a, b):
        return a + b


class Gelu(nn.Module):
    def forward(self, x):
        return torch.nn.functional.gelu(x)


class Conv(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, padding=1)
        self.r1 = nn.ReLU()
        self.c2 = nn.Conv2d(8, 8, 3, padding=1)
        self.r2 = nn.ReLU()
        self.add = Add()
        self.c3 = nn.Conv2d(8, 8, 3, padding=1)
        self.segments = ["c1", "r1", "c2", "r2", "add", "c3"]

    def forward(self, x):
        a = segment(self.c1, x)
        b = segment(self.r1, a)
        del a
        d = segment(self.c2, b)
        e = segment(self.r2, d)
        del d
        f = segment(self.add, b, e)
        del b, e
        return segment(self.c3, f)


class Blk(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 64)
        self.relu = nn.ReLU()

    def forward(self, x):
        f = self.fc(x)
        return self.relu(f), f


class Path(nn.Module):
    def __init__(self):
        super().__init__()
        self.blk = Blk()
        self.g1 = Gelu()
        self.g2 = Gelu()
        self.s = Add()
        self.s2 = Add()
        self.head = nn.Linear(64, 8)
        self.segments = ["blk", "g1", "g2", "s", "s2", "head"]

    def forward(self, x):
        r, f = segment(self.blk, x)
        a = segment(self.g1, f)
        b = segment(self.g2, f)
        del f
        t = segment(self.s, a, b)
        del a, b
        u = segment(self.s2, t, r)
        del t, r
        return segment(self.head, u)


def alive(static, sizes=False):
    gc.collect()
    seen = {}
    for o in gc.get_objects():
        try:
            if torch.is_tensor(o) and not isinstance(o, nn.Parameter) and o.dtype == torch.float32:
                key = o.storage().data_ptr()
                if key not in static:
                    seen[key] = o.storage().nbytes()
        except Exception:  # objects gc lists that are being torn down
            pass
    return sorted(seen.values(), reverse=True) if sizes else sum(seen.values())


print("case\tmoment\tbytes\tbytes without the recomputed output\tstorages")
for name, build, shape in (("conv", Conv, (1, 3, 32, 32)), ("path", Path, (16, 64))):
    torch.manual_seed(0)
    model = build().train()
    x = torch.randn(*shape)
    static = {p.storage().data_ptr() for p in model.parameters()}
    calls = {}
    moments = []

    def hook(seg):
        def run(module, inputs, output):
            calls[seg] = calls.get(seg, 0) + 1
            if calls[seg] == 2:
                # with and without the recomputed output: transient where the segment's last layer does not save it (a
                # convolution, whose input is what it saves), its own saved activation where it does (a ReLU's result)
                outputs = {o.storage().data_ptr() for o in (output if isinstance(output, tuple) else (output,))}
                moments.append((seg, alive(static), alive(static | outputs)))
        return run

    for seg in model.segments:
        getattr(model, seg).register_forward_hook(hook(seg))
    out = model(x)
    static.add(out.storage().data_ptr())
    print(f"{name}\tafter forward\t{alive(static)}\t\t{alive(static, True)}")
    out.sum().backward()
    for seg, with_output, without_output in moments:
        print(f"{name}\trecomputing {seg}\t{with_output}\t{without_output}\t")
    del model, x, out, moments
    gc.collect()
