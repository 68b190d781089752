#!/usr/bin/env python3
"""Measure reference costs of torchvision models with real PyTorch.

For every requested model (built with weights=None, in eval mode, batch 1) this
script runs one forward pass under torch.no_grad() with forward hooks on every
module and derives:

  params           sum(p.numel() for p in model.parameters())
  buffers          numel of BatchNorm running_mean + running_var
                   (num_batches_tracked is excluded)
  macs             per Conv2d call: out.numel() * (in_channels / groups) * kh * kw
                   per Linear call: out.numel() * in_features
                   (summed over every call, in case a module is called twice)
  convlin_outputs  output elements of those Conv2d / Linear calls
  bias_outputs     the part of convlin_outputs produced by layers with a bias
  flops            2 * macs - (convlin_outputs - bias_outputs)
  bn_elements      output elements of BatchNorm2d calls

The cost table is printed to stdout as TSV. With --out-dir it is also written
to OUT_DIR/torchvision-costs.tsv, together with OUT_DIR/layers/<model>.tsv
(every leaf-module call in execution order) and, when resnet18 is among the
models, OUT_DIR/resnet18-parameters.tsv (one row per named parameter).
With --input 1x3x512x512 (repeatable) the models are measured at those input
shapes instead of their own. With --check REF the rows of a reference TSV are
recomputed and compared.

Only torch and torchvision are needed (Debian: python3-torch python3-torchvision).
"""

import argparse
import os
import shlex
import sys

import torch
import torchvision
from torch import nn

# Models measured by default, with their input shape.
DEFAULT_MODELS = [
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "resnext50_32x4d", "wide_resnet50_2",
    "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small",
    "efficientnet_b0",
    "squeezenet1_0", "squeezenet1_1",
    "shufflenet_v2_x1_0", "shufflenet_v2_x0_5",
    "mnasnet1_0", "densenet121", "googlenet", "inception_v3",
    "regnet_y_400mf", "regnet_x_400mf",
]

# Constructor arguments beyond weights=None, and non-default input shapes.
EXTRA_KWARGS = {
    "googlenet": {"aux_logits": False, "init_weights": False},
    "inception_v3": {"aux_logits": False, "init_weights": False},
}
INPUT_SHAPES = {
    "lenet5": (1, 1, 32, 32),
    "inception_v3": (1, 3, 299, 299),
    # EfficientNet-B1 ... B7 at their native resolutions (torchvision's weights' transforms).
    "efficientnet_b1": (1, 3, 240, 240),
    "efficientnet_b2": (1, 3, 260, 260),
    "efficientnet_b3": (1, 3, 300, 300),
    "efficientnet_b4": (1, 3, 380, 380),
    "efficientnet_b5": (1, 3, 456, 456),
    "efficientnet_b6": (1, 3, 528, 528),
    "efficientnet_b7": (1, 3, 600, 600),
}
DEFAULT_INPUT = (1, 3, 224, 224)

COST_COLUMNS = ["model", "input", "out_shape", "params", "buffers", "macs",
                "convlin_outputs", "bias_outputs", "flops", "bn_elements"]


def lenet5():
    """The common PyTorch LeNet-5 (not part of torchvision)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


def build_model(name):
    """Build a model by name with random (weights=None) initialisation."""
    if name == "lenet5":
        model = lenet5()
    else:
        model = torchvision.models.get_model(name, weights=None,
                                             **EXTRA_KWARGS.get(name, {}))
    return model.eval()


def shape_str(shape):
    return "x".join(str(d) for d in shape)


def tensors_shape_str(value):
    """Shape(s) of a tensor or of the tensors in a (nested) tuple/list."""
    if isinstance(value, torch.Tensor):
        return shape_str(value.shape)
    if isinstance(value, (tuple, list)):
        parts = [tensors_shape_str(v) for v in value]
        return ",".join(p for p in parts if p)
    return ""


def pair_str(value):
    """Render an int or tuple attribute (kernel, stride, ...) as AxB."""
    if isinstance(value, (tuple, list)):
        return "x".join(str(v) for v in value)
    return str(value)


def module_details(module):
    """Readable key=value description of the settings that shape a layer."""
    m = module
    if isinstance(m, nn.Conv2d):
        return (f"in={m.in_channels} out={m.out_channels} "
                f"kernel={pair_str(m.kernel_size)} stride={pair_str(m.stride)} "
                f"padding={pair_str(m.padding)} dilation={pair_str(m.dilation)} "
                f"groups={m.groups} bias={m.bias is not None}")
    if isinstance(m, nn.Linear):
        return f"in={m.in_features} out={m.out_features} bias={m.bias is not None}"
    if isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
        s = (f"kernel={pair_str(m.kernel_size)} stride={pair_str(m.stride)} "
             f"padding={pair_str(m.padding)} ceil_mode={m.ceil_mode}")
        if isinstance(m, nn.MaxPool2d):
            s += f" dilation={pair_str(m.dilation)}"
        else:
            s += f" count_include_pad={m.count_include_pad}"
        return s
    if isinstance(m, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
        return f"output_size={pair_str(m.output_size)}"
    if isinstance(m, nn.modules.batchnorm._BatchNorm):
        return f"num_features={m.num_features} eps={m.eps} affine={m.affine}"
    if isinstance(m, (nn.Dropout, nn.Dropout2d)):
        return f"p={m.p}"
    if isinstance(m, nn.Flatten):
        return f"start_dim={m.start_dim} end_dim={m.end_dim}"
    if type(m).__name__ == "StochasticDepth":
        return f"p={m.p} mode={m.mode}"
    return ""


def measure(name, input_shape=None):
    """Run one forward pass and return (cost row dict, leaf call rows, model)."""
    torch.manual_seed(0)
    model = build_model(name)
    in_shape = input_shape or INPUT_SHAPES.get(name, DEFAULT_INPUT)
    x = torch.randn(*in_shape)

    totals = {"macs": 0, "convlin_outputs": 0, "bias_outputs": 0,
              "bn_elements": 0}
    leaf_calls = []          # rows for the layers/<model>.tsv listing
    call_counts = {}         # module path -> number of calls so far

    def make_hook(path, module, is_leaf):
        def hook(mod, inputs, output):
            if isinstance(mod, nn.Conv2d):
                kh, kw = mod.kernel_size
                n = output.numel()
                totals["macs"] += n * (mod.in_channels // mod.groups) * kh * kw
                totals["convlin_outputs"] += n
                if mod.bias is not None:
                    totals["bias_outputs"] += n
            elif isinstance(mod, nn.Linear):
                n = output.numel()
                totals["macs"] += n * mod.in_features
                totals["convlin_outputs"] += n
                if mod.bias is not None:
                    totals["bias_outputs"] += n
            elif isinstance(mod, nn.BatchNorm2d):
                totals["bn_elements"] += output.numel()
            if is_leaf:
                call_counts[path] = call_counts.get(path, 0) + 1
                leaf_calls.append({
                    "module": path,
                    "call": call_counts[path],
                    "class": type(mod).__name__,
                    "in_shape": tensors_shape_str(inputs),
                    "out_shape": tensors_shape_str(output),
                    "params": sum(p.numel()
                                  for p in mod.parameters(recurse=False)),
                    "details": module_details(mod),
                })
        return hook

    handles = []
    for path, module in model.named_modules():
        is_leaf = next(module.children(), None) is None
        handles.append(module.register_forward_hook(
            make_hook(path, module, is_leaf)))

    with torch.no_grad():
        out = model(x)
    for h in handles:
        h.remove()

    params = sum(p.numel() for p in model.parameters())
    buffers = 0
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            for buf in (m.running_mean, m.running_var):
                if buf is not None:
                    buffers += buf.numel()

    macs = totals["macs"]
    flops = 2 * macs - (totals["convlin_outputs"] - totals["bias_outputs"])
    row = {
        "model": name,
        "input": shape_str(in_shape),
        "out_shape": shape_str(out.shape),
        "params": params,
        "buffers": buffers,
        "macs": macs,
        "convlin_outputs": totals["convlin_outputs"],
        "bias_outputs": totals["bias_outputs"],
        "flops": flops,
        "bn_elements": totals["bn_elements"],
    }
    return row, leaf_calls, model


def row_line(row):
    return "\t".join(str(row[c]) for c in COST_COLUMNS)


def read_reference(path):
    """Rows of a reference TSV (comment lines skipped), keyed by model."""
    rows = {}
    header = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
                continue
            rows[fields[0]] = dict(zip(header, fields))
    return rows


def check(reference_path):
    """Recompute every row of the reference and report column differences."""
    reference = read_reference(reference_path)
    mismatches = 0
    for name, ref in reference.items():
        row, _, _ = measure(name)
        diffs = [f"{c}: reference {ref[c]} measured {row[c]}"
                 for c in COST_COLUMNS if c in ref and str(row[c]) != ref[c]]
        if diffs:
            mismatches += 1
            print(f"{name}: DIFFERS", file=sys.stderr)
            for d in diffs:
                print(f"  {d}", file=sys.stderr)
        else:
            print(f"{name}: identical", file=sys.stderr)
        print(row_line(row))
    return mismatches


def version_line(command):
    return (f"# command: {command}\n"
            f"# torch {torch.__version__}, torchvision {torchvision.__version__}"
            f", python {sys.version.split()[0]}\n")


def write_layers(path, name, row, leaf_calls, command):
    with open(path, "w") as f:
        f.write(f"# Leaf-module calls of torchvision {name} in execution order "
                f"(input {row['input']}, eval mode, weights=None).\n")
        f.write(version_line(command))
        f.write("# params: parameters owned by that module only; a module "
                "called twice (call > 1) appears on one row per call.\n")
        f.write("# Operations done in forward() without a module (residual "
                "adds, torch.cat, torch.flatten, functional pooling, "
                "channel shuffle, ...) do not appear.\n")
        f.write("index\tmodule\tcall\tclass\tin_shape\tout_shape\tparams\tdetails\n")
        for i, c in enumerate(leaf_calls, 1):
            f.write(f"{i}\t{c['module']}\t{c['call']}\t{c['class']}\t"
                    f"{c['in_shape']}\t{c['out_shape']}\t{c['params']}\t"
                    f"{c['details']}\n")


def write_parameters(path, name, model, command):
    with open(path, "w") as f:
        f.write(f"# model.named_parameters() of torchvision {name} "
                f"(weights=None): name and numel.\n")
        f.write(version_line(command))
        f.write("name\tnumel\n")
        for pname, p in model.named_parameters():
            f.write(f"{pname}\t{p.numel()}\n")


def main():
    parser = argparse.ArgumentParser(
        description="Measure parameter, buffer, MAC and FLOP counts of "
                    "torchvision models with PyTorch forward hooks.")
    parser.add_argument("models", nargs="*", default=DEFAULT_MODELS,
                        help="model names (torchvision names, or lenet5); "
                             "default: the standard list")
    parser.add_argument("--out-dir",
                        help="also write torchvision-costs.tsv, layers/*.tsv "
                             "and resnet18-parameters.tsv into this folder")
    parser.add_argument("--input", metavar="NxCxHxW", action="append",
                        help="measure at this input shape instead of the "
                             "model's own (may be repeated: one row per shape)")
    parser.add_argument("--check", metavar="REF",
                        help="recompute the rows of reference TSV REF, "
                             "report differences, exit 1 on any")
    args = parser.parse_args()

    command = shlex.join(["/usr/bin/python3"] + sys.argv)
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    if args.check:
        sys.exit(1 if check(args.check) else 0)

    header = version_line(command) + "\t".join(COST_COLUMNS) + "\n"
    lines = []
    failed = []
    if args.out_dir:
        os.makedirs(os.path.join(args.out_dir, "layers"), exist_ok=True)
    sys.stdout.write(header)
    shapes = [tuple(int(d) for d in s.split("x")) for s in args.input] if args.input else [None]
    for name, shape in [(n, s) for n in args.models for s in shapes]:
        try:
            row, leaf_calls, model = measure(name, shape)
        except Exception as exc:  # note the failure and go on
            failed.append(name)
            print(f"{name}: FAILED: {exc!r}", file=sys.stderr)
            continue
        line = row_line(row)
        lines.append(line)
        print(line, flush=True)
        if args.out_dir:
            write_layers(os.path.join(args.out_dir, "layers", f"{name}.tsv"),
                         name, row, leaf_calls, command)
            if name == "resnet18":
                write_parameters(
                    os.path.join(args.out_dir, "resnet18-parameters.tsv"),
                    name, model, command)

    if args.out_dir:
        with open(os.path.join(args.out_dir, "torchvision-costs.tsv"), "w") as f:
            f.write(header)
            for line in lines:
                f.write(line + "\n")
            for name in failed:
                f.write(f"# {name}: failed, see stderr of the command\n")
    if failed:
        print(f"failed: {' '.join(failed)}", file=sys.stderr)


if __name__ == "__main__":
    main()
