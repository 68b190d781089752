#!/usr/bin/env python3
"""The inference peak of torchvision's convnext_tiny (1x3x224x224, fp32, eval, no_grad, CPU, PyTorch 1.13), the input included: at
the ops' boundaries under measure_memory.py's dispatch mode, and under torch.profiler alone (measure_memory.layer_peaks).

They differ by one tensor: F.linear runs the channels-last MLP's Linear (an input of four axes) as matmul and then adds the
bias in place, but under a dispatch mode every tensor looks like a subclass and the bias goes into a new tensor beside the
product (see measure_layer_peaks.py's Linear cases). The profiler's figure is eager PyTorch's, and the one modelcost follows.

  /usr/bin/python3 tools/pytorch/measure_convnext_peak.py > tools/pytorch/convnext-peak.tsv
"""
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = torchvision.models.convnext_tiny(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    print("# command: /usr/bin/python3 tools/pytorch/measure_convnext_peak.py > tools/pytorch/convnext-peak.tsv")
    print(f"# torch {torch.__version__}, torchvision {torchvision.__version__}; model, input, peak under the dispatch mode, under torch.profiler")
    print("convnext_tiny", "1x3x224x224", *mm.layer_peaks(model, x), sep="\t")


if __name__ == "__main__":
    main()
