#!/usr/bin/env python3
"""The inference peak of small models whose later layers read, or return, a tensor written inside a block (a backbone's stage
that an FPN's lateral reads, a stage inside a stage), fp32, eval, no_grad, CPU, PyTorch 1.13, the input included: at the ops'
boundaries under measure_memory.py's dispatch mode. The block returns the tensor beside its output (a tuple or a dict, as
torchvision's IntermediateLayerGetter does), so PyTorch holds it from the layer that writes it. Each case is written as a
modelcost spec in the processor's InnerReadPeaksTest, reading the tensor by its path (backbone.c2, blocks.2.fc1).

  /usr/bin/python3 tools/pytorch/measure_inner_reads.py > tools/pytorch/inner-read-peaks.tsv
"""
import os
import sys

from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402


class Backbone(nn.Module):
    """s1 then three more convolutions, the third the widest; returns its output and s1's."""

    def __init__(self):
        super().__init__()
        self.s1 = nn.Conv2d(3, 32, 3, padding=1)
        self.s2 = nn.Conv2d(32, 8, 1)
        self.s3 = nn.Conv2d(8, 256, 3, padding=1)
        self.s4 = nn.Conv2d(256, 4, 1)

    def forward(self, x):
        s1 = self.s1(x)
        return self.s4(self.s3(self.s2(s1))), s1


class ReturnedInside(nn.Module):
    """The model returns (head(backbone), backbone.s1)."""

    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        self.head = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        y, s1 = self.backbone(x)
        return self.head(y), s1


class FpnBackbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.c2 = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.c3 = nn.Conv2d(16, 256, 3, padding=1)
        self.c4 = nn.Conv2d(256, 32, 3, stride=2, padding=1)

    def forward(self, x):
        c2 = self.c2(x)
        return {"c2": c2, "c4": self.c4(self.c3(c2))}


class FpnRead(nn.Module):
    """An FPN's top-down step over a backbone's last map and, by its lateral, an earlier one: the earlier is held while the
    backbone's widest stage (c3) runs."""

    def __init__(self):
        super().__init__()
        self.backbone = FpnBackbone()
        self.top = nn.Conv2d(32, 32, 1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.lateral = nn.Conv2d(16, 32, 1)

    def forward(self, x):
        maps = self.backbone(x)
        up = self.up(self.top(maps.pop("c4")))  # popped: the dict would hold c4 to the end (a Python local, which a spec has not)
        return self.lateral(maps.pop("c2")) + up


class Stage(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 16, 3, padding=1)
        self.b = nn.Conv2d(16, 16, 3, stride=2, padding=1)

    def forward(self, x):
        a = self.a(x)
        return self.b(a), a


class NestedBackbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.stage1 = Stage()
        self.wide = nn.Conv2d(16, 128, 3, padding=1)
        self.out = nn.Conv2d(128, 8, 1)

    def forward(self, x):
        b, a = self.stage1(x)
        return self.out(self.wide(b)), a, b


class NestedRead(nn.Module):
    """Reads backbone.stage1.a (a tensor inside a stage inside the backbone) and backbone.stage1 (the stage's output, which the
    backbone's wide layer reads first); returns (tail, head, mid)."""

    def __init__(self):
        super().__init__()
        self.backbone = NestedBackbone()
        self.tail = nn.Conv2d(8, 4, 1)
        self.head = nn.Conv2d(16, 4, 1)
        self.mid = nn.Conv2d(16, 4, 1)

    def forward(self, x):
        y, a, b = self.backbone(x)
        tail = self.tail(y)
        del y  # each local dropped after its reader, as the spec's liveness drops a tensor after its last reader
        head = self.head(a)
        del a
        return tail, head, self.mid(b)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(32, 128)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(128, 32)


class RepetitionTaps(nn.Module):
    """Six alike blocks in a row (a ModuleList), with taps on the second block's output and on the third's hidden layer (fc1's
    output), as DPT taps a ViT's blocks; returns (head, tap1, tap2)."""

    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList(Mlp() for _ in range(6))
        self.head = nn.Linear(32, 8)
        self.tap1 = nn.Linear(32, 8)
        self.tap2 = nn.Linear(128, 8)

    def forward(self, x):
        taps = {}
        for i, block in enumerate(self.blocks):
            if i == 2:
                taps["fc1"] = block.fc1(x)
                x = block.fc2(block.act(taps["fc1"]))
            else:
                x = block.fc2(block.act(block.fc1(x)))  # no local: fc1's output goes after act, as the spec's liveness has it
            if i == 1:
                taps["out"] = x
        head = self.head(x)
        del x
        return head, self.tap1(taps.pop("out")), self.tap2(taps.pop("fc1"))


CASES = (("ReturnedInside", ReturnedInside, (1, 3, 32, 32)), ("FpnRead", FpnRead, (1, 3, 64, 64)),
         ("NestedRead", NestedRead, (1, 3, 32, 32)), ("RepetitionTaps", RepetitionTaps, (1, 16, 32)))


def main():
    mm.print_case_peaks("/usr/bin/python3 tools/pytorch/measure_inner_reads.py > tools/pytorch/inner-read-peaks.tsv", CASES)


if __name__ == "__main__":
    main()
