#!/usr/bin/env python3
"""The inference peak of torchvision models (1x3x224x224; two segmentation models at 1x3x520x520), fp32, eval, no_grad, CPU,
PyTorch 1.13, the input included: at the ops' boundaries under measure_memory.py's dispatch mode, and under torch.profiler alone
(measure_memory.layer_peaks), with the module at the dispatch mode's peak.

The two differ where the dispatch mode changes PyTorch's path: F.linear runs a Linear on an input of four axes (ConvNeXt's
channels-last MLP) as matmul and then adds the bias in place, but under a dispatch mode every tensor looks like a subclass and
the bias goes into a new tensor beside the product (see measure_layer_peaks.py's Linear cases). The profiler's figure is eager
PyTorch's, and the one modelcost follows there. Elsewhere the profiler's is the higher by the workspaces it also sees inside
kernels (a convolution's im2col buffers), which modelcost does not count: the dispatch mode's figure is the reference.

  /usr/bin/python3 tools/pytorch/measure_model_peaks.py > tools/pytorch/model-peaks.tsv
"""
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402

MODELS = ("convnext_tiny", "squeezenet1_0", "mnasnet1_0", "shufflenet_v2_x1_0", "mobilenet_v3_large", "resnext50_32x4d")
# Segmentation models at 520x520 (torchvision's reference size), their backbones' maps returned by IntermediateLayerGetter: LR-ASPP
# reads its backbone's features.4 beside the output, as the example reads backbone.4 by its path.
SEGMENTATION = ("fcn_resnet50", "lraspp_mobilenet_v3_large")


def main():
    torch.set_num_threads(1)
    print("# command: /usr/bin/python3 tools/pytorch/measure_model_peaks.py > tools/pytorch/model-peaks.tsv")
    print(f"# torch {torch.__version__}, torchvision {torchvision.__version__}; model, input, peak under the dispatch mode, "
          "its module, peak under torch.profiler")
    cases = [(name, {}, 224) for name in MODELS] + [(name, {"weights_backbone": None}, 520) for name in SEGMENTATION]
    for name, options, size in cases:
        torch.manual_seed(0)
        model = torchvision.models.get_model(name, weights=None, **options).eval()
        x = torch.randn(1, 3, size, size)
        mode, _ = mm.run_liveness(model, x)
        at = max(mode.rows, key=lambda row: row["live_bytes"])["module"]
        dispatch, profiled = mm.layer_peaks(model, x)
        print(name, f"1x3x{size}x{size}", dispatch, at, profiled, sep="\t", flush=True)


if __name__ == "__main__":
    main()
