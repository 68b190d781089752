#!/usr/bin/env python3
"""The inference peak of small models that return several tensors (a detector's heads, a backbone's feature maps, an encoder's
output and final hidden state), fp32, eval, no_grad, CPU, PyTorch 1.13, the input included: at the ops' boundaries under
measure_memory.py's dispatch mode, where every returned tensor is held by the tuple or dict the module returns until it returns.
Each case is written as a modelcost spec in the processor's MultipleOutputsTest.

  /usr/bin/python3 tools/pytorch/measure_multi_output.py > tools/pytorch/multi-output-peaks.tsv
"""
import os
import sys

from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402


class TwoHeads(nn.Module):
    """A box head written early, held while a wider branch computes the class scores; returns (cls, box)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.relu = nn.ReLU()
        self.box = nn.Conv2d(16, 4, 1)
        self.wide = nn.Conv2d(16, 64, 3, padding=1)
        self.cls = nn.Conv2d(64, 10, 1)

    def forward(self, x):
        x = self.relu(self.conv(x))
        box = self.box(x)
        x = self.wide(x)  # rebinding x drops the ReLU's output, as the spec's liveness does after its last reader
        return self.cls(x), box


class Pyramid(nn.Module):
    """A backbone returning its last three stages' maps, as torchvision's IntermediateLayerGetter does for an FPN; its last stage
    the widest, so that the peak holds the earlier maps returned."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.relu = nn.ReLU(inplace=True)
        self.layer2 = nn.Conv2d(8, 32, 3, padding=1)
        self.layer3 = nn.Conv2d(32, 64, 3, stride=2, padding=1)
        self.layer4 = nn.Conv2d(64, 256, 3, padding=1)

    def forward(self, x):
        c2 = self.layer2(self.relu(self.stem(x)))
        c3 = self.layer3(c2)
        c4 = self.layer4(c3)
        return {"layer4": c4, "layer3": c3, "layer2": c2}


class Encoder(nn.Module):
    """An LSTM encoder returning its per-step projection and its final hidden state h_n."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 64, batch_first=True)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        out, (h_n, _) = self.lstm(x)
        return self.fc(out), h_n


CASES = (("TwoHeads", TwoHeads, (1, 3, 32, 32)), ("Pyramid", Pyramid, (1, 3, 64, 64)), ("Encoder", Encoder, (1, 20, 32)))


def main():
    mm.print_case_peaks("/usr/bin/python3 tools/pytorch/measure_multi_output.py > tools/pytorch/multi-output-peaks.tsv", CASES)


if __name__ == "__main__":
    main()
