#!/usr/bin/env python3
"""Run the real thop and nni counters on the CNN and recurrent examples.

Prints one TSV row per model with what each tool returns:

  thop_macs, thop_params     thop.profile(model, inputs=(x,)) (thop 0.1.1, the
                             Lyken17/pytorch-OpCounter source at 43c064a)
  nni_flops, nni_params      nni count_flops_params(model, x, verbose=False)
  nni_full_flops, _params    the same with mode='full' (nni 3.0,
                             nni/compression/utils/counter.py at v3.0 = 36ba04c)

Neither tool is on PyPI for this machine's Python, so both are run from their
sources. Get them from the two repositories, e.g.:

  git clone https://github.com/Lyken17/pytorch-OpCounter && git -C pytorch-OpCounter checkout 43c064a
  git clone https://github.com/microsoft/nni && git -C nni checkout v3.0

and run

  python3 tools/pytorch/measure_counters.py --thop pytorch-OpCounter \
      --nni nni/nni/compression/utils/counter.py > tools/pytorch/counter-costs.tsv

thop is imported unchanged. nni's counter.py is loaded by file path with two
stand-ins for imports that have nothing to do with counting (importing the whole
nni package needs cloudpickle, json_tricks, typeguard, scipy, filelock and
schema): prettytable's PrettyTable (used only to print with verbose=True) and
nni's ModuleWrapper (used only in an isinstance test for pruning wrappers, which
no model here contains). A tool that raises prints the exception's type in place
of a number.
"""

import argparse
import importlib.util
import os
import sys
import types

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402  (torchvision models and LeNet-5, as measured there)
import measure_layers  # noqa: E402  (segmentation, video, UNet, DCGAN and recurrent cases)

TORCHVISION = ["lenet5", "alexnet", "vgg16", "resnet18", "resnet34", "resnet50", "resnet101",
               "resnet152", "resnext50_32x4d", "mobilenet_v2", "mobilenet_v3_large",
               "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3",
               "efficientnet_b4", "efficientnet_b5", "efficientnet_b6", "efficientnet_b7",
               "mnasnet1_0", "squeezenet1_0", "shufflenet_v2_x1_0", "densenet121", "googlenet",
               "inception_v3", "convnext_tiny"]
CASES = measure_layers.WHOLE_MODELS + [n for n in measure_layers.CASES
                                       if n.split("_")[0] in ("lstm", "gru", "rnn")
                                       and n.split("_")[1].startswith(("L", "proj"))]
COLUMNS = ["model", "input", "thop_macs", "thop_params", "nni_flops", "nni_params",
           "nni_full_flops", "nni_full_params"]


def load_nni(path):
    """Load nni's counter.py by path, with stand-ins for its two non-counting imports."""
    table = types.ModuleType("prettytable")

    class PrettyTable:  # only used by ModelProfiler.format_results (verbose=True)
        def __init__(self, *args, **kwargs):
            pass

    table.PrettyTable = PrettyTable
    sys.modules["prettytable"] = table
    wrapper = types.ModuleType("nni.compression.base.wrapper")

    class ModuleWrapper(nn.Module):  # only used in an isinstance test for pruning wrappers
        pass

    wrapper.ModuleWrapper = ModuleWrapper
    for name in ("nni", "nni.compression", "nni.compression.base"):
        sys.modules.setdefault(name, types.ModuleType(name))
    sys.modules["nni.compression.base.wrapper"] = wrapper
    spec = importlib.util.spec_from_file_location("nni_counter", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(name):
    if name in TORCHVISION:
        model = measure.build_model(name)
        shape = measure.INPUT_SHAPES.get(name, measure.DEFAULT_INPUT)
        torch.manual_seed(0)
        return model, torch.randn(*shape), shape
    model, x = measure_layers.build(name)
    if isinstance(model, measure_layers.RECURRENT):
        model = Holder(model).eval()
    return model, x, tuple(x.shape)


class Holder(nn.Module):
    """A model whose one child is the layer, as a modelcost spec with one field is.

    Both tools treat the module they are called on differently from its children (thop never
    counts the root's own parameters), so a bare layer is measured inside a container.
    """

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        return self.layer(x)


def number(value):
    return str(int(round(float(value))))


def run(label, function):
    try:
        return function()
    except Exception as failure:  # the tool's own failure is a result, recorded as such
        print(f"# {label}: {type(failure).__name__}: {failure}", file=sys.stderr)
        return (type(failure).__name__,) * 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thop", required=True, help="a checkout of Lyken17/pytorch-OpCounter")
    parser.add_argument("--nni", required=True, help="nni/compression/utils/counter.py of nni v3.0")
    parser.add_argument("--models", default="", help="comma-separated subset")
    args = parser.parse_args()
    sys.path.insert(0, args.thop)
    import thop
    counter = load_nni(args.nni)
    names = [n for n in args.models.split(",") if n] or TORCHVISION + CASES
    print(f"# thop {thop.__version__}; nni counter.py from {args.nni}; torch {torch.__version__}")
    print("\t".join(COLUMNS))
    for name in names:
        model, x, shape = build(name)

        def thop_profile():
            macs, params = thop.profile(model, inputs=(x,), verbose=False)
            return number(macs), number(params)

        def nni_count(mode):
            flops, params, _ = counter.count_flops_params(model, x, verbose=False, mode=mode)
            return number(flops), number(params)

        # thop leaves total_ops/total_params buffers on the modules; count nni on a fresh build.
        row = [*run(f"{name} thop", thop_profile)]
        model, x, shape = build(name)
        row += run(f"{name} nni", lambda: nni_count("default"))
        row += run(f"{name} nni full", lambda: nni_count("full"))
        print("\t".join([name, "x".join(map(str, shape))] + row), flush=True)


if __name__ == "__main__":
    with torch.no_grad():
        main()
