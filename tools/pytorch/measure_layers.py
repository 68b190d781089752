#!/usr/bin/env python3
"""Measure reference costs of single layers, recurrent modules and a few whole
models (segmentation, video, UNet, DCGAN) with real PyTorch.

Every case is built with random weights (torch.manual_seed(0), weights=None),
put in eval mode and run once under torch.no_grad() (none of them has
attention, so no fused fast path has to be avoided).  The constructor of every
case is a Python expression kept in CASES below and copied verbatim into the
notes column.  Recurrent modules get batch_first=True.

Costs are counted at the dispatch level with a TorchDispatchMode, i.e. on the
aten operators that actually run (same approach as measure_transformers.py).
On CPU with torch 1.13 every Conv1d/2d/3d and ConvTranspose1d/2d/3d call is
seen once as aten.convolution.default (the backend choice - mkldnn, slow_conv*
- happens below the dispatch level seen here).  LSTM/GRU/RNN precompute the
input projection of all time steps per layer and direction: layer 0 as aten.mm
+ aten.add of bias_ih, later layers as one aten.addmm with bias_ih; then per time
step an aten.addmm with bias_hh (aten.mm when bias=False) and, with proj_size,
an aten.mm with weight_hr.  LSTMCell/GRUCell/RNNCell run two aten.addmm.

  macs        aten.convolution, not transposed: out.numel() * (C_in/groups) * kernel volume
              aten.convolution, transposed:     in.numel() * (C_out/groups) * kernel volume
              aten.mm / addmm: M * K * N;  aten.bmm / baddbmm: B * M * K * N
  bias_adds   output numel of a convolution (transposed or not) with a bias,
              of an addmm whose added tensor lies in a bias parameter, and of an
              add/add_ with an operand lying in a bias parameter (LSTM's bias_ih
              added to the precomputed input projection)
  flops       not transposed convolutions and matrix products:
                sum over calls of (2K - 1) * outputs, K = products per output
              transposed convolutions: 2 * macs - reached, where reached is the
                number of output elements that receive at least one product
                (stride > dilation*(k-1)+1 and output_padding leave some
                unreached); it is measured by running the same transposed
                convolution on an all-ones input with an all-ones weight and
                no bias and counting the nonzero outputs
              plus bias_adds
  reached     sum of reached over the transposed convolution calls (empty if none)
  params      sum(p.numel() for p in model.parameters())
  buffers     numel of model.buffers(), BatchNorm/InstanceNorm num_batches_tracked excluded
  out_shape   shape of the output; for recurrent modules (and LSTMCell) the first
              output (the output sequence / h); for segmentation models out['out']

Outputs (with --out-dir):
  layer-costs.tsv             one row per case
  recurrent-parameters.tsv    case, name, shape, numel of every named_parameters()
                              entry of the recurrent cases
  layer-parameter-paths.tsv   model, module path, numel for every leaf module
                              (no children) with parameters of its own, in
                              named_modules() order, for the whole models
The rows of the reference table given with --check (e.g.
/work/shared/reference/next-wave-costs.tsv) are compared in params, buffers,
macs, macs_conv, macs_mm, macs_bmm, bias_adds and out_shape.

Usage (from the repository root):
  /usr/bin/python3 tools/pytorch/measure_layers.py --out-dir tools/pytorch \\
      --check /work/shared/reference/next-wave-costs.tsv
  /usr/bin/python3 tools/pytorch/measure_layers.py lstm_L1_uni convtranspose2d --ops
      # chosen cases, TSV on stdout, every aten op (calls, output elements) on stderr
  /usr/bin/python3 tools/pytorch/measure_layers.py unet fcn_resnet50 lraspp_mobilenet_v3_large \\
      --input 1x3x255x257 --input 1x3x481x353 --tsv tools/pytorch/sized-layer-costs.tsv
      # whole models at other input sizes (off the lattices of their strides)

Measured with torch 1.13.0 and torchvision 0.14.1 (Debian python3-torch,
python3-torchvision); only those are needed.  All cases take a few minutes on
a two-core CPU (fcn_resnet50, unet and r2plus1d_18 dominate).
"""

import argparse
import math
import os
import shlex
import sys
from collections import defaultdict

import torch
import torch.nn.functional as F
import torchvision
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten


# --------------------------------------------------------------------------
# UNet and DCGAN generator.  The architectures are defined in
# /work/shared/reference/modules.py (classic milesial UNet layout, pytorch/examples
# DCGAN generator); written out again here so that this script needs only torch.
# --------------------------------------------------------------------------

class DoubleConv(nn.Module):
    """(3x3 conv without bias -> BatchNorm -> ReLU) twice."""

    def __init__(self, cin, cout, mid=None):
        super().__init__()
        mid = mid or cout
        self.double_conv = nn.Sequential(
            nn.Conv2d(cin, mid, 3, padding=1, bias=False), nn.BatchNorm2d(mid),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True))

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(cin, cout))

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    def __init__(self, cin, cout, bilinear):
        super().__init__()
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
            self.conv = DoubleConv(cin, cout, cin // 2)
        else:
            self.up = nn.ConvTranspose2d(cin, cin // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(cin, cout)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        dy = x2.shape[2] - x1.shape[2]
        dx = x2.shape[3] - x1.shape[3]
        x1 = F.pad(x1, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])
        return self.conv(torch.cat([x2, x1], dim=1))


class UNet(nn.Module):
    def __init__(self, n_channels=3, n_classes=2, bilinear=False):
        super().__init__()
        f = 2 if bilinear else 1
        self.inc = DoubleConv(n_channels, 64)
        self.down1 = Down(64, 128)
        self.down2 = Down(128, 256)
        self.down3 = Down(256, 512)
        self.down4 = Down(512, 1024 // f)
        self.up1 = Up(1024, 512 // f, bilinear)
        self.up2 = Up(512, 256 // f, bilinear)
        self.up3 = Up(256, 128 // f, bilinear)
        self.up4 = Up(128, 64, bilinear)
        self.outc = nn.Conv2d(64, n_classes, kernel_size=1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        return self.outc(x)


def dcgan_generator(nz=100, ngf=64, nc=3):
    def block(cin, cout, stride, pad):
        return [nn.ConvTranspose2d(cin, cout, 4, stride, pad, bias=False),
                nn.BatchNorm2d(cout), nn.ReLU(True)]
    return nn.Sequential(
        *block(nz, ngf * 8, 1, 0), *block(ngf * 8, ngf * 4, 2, 1),
        *block(ngf * 4, ngf * 2, 2, 1), *block(ngf * 2, ngf, 2, 1),
        nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())


# --------------------------------------------------------------------------
# Cases: name -> (constructor expression, input shape, input dtype, extra note)
# The expression is evaluated with nn, torchvision, UNet and dcgan_generator in
# scope and written to the notes column as it stands.
# --------------------------------------------------------------------------

SEQ = (4, 35, 256)
CASES = {}


def case(name, expr, shape, note="", dtype=torch.float32):
    CASES[name] = (expr, shape, dtype, note)


for _kind in ("lstm", "gru", "rnn"):
    for _layers in (1, 2):
        for _bi in (False, True):
            case(f"{_kind}_L{_layers}_{'bi' if _bi else 'uni'}",
                 f"nn.{_kind.upper()}(256, 512, num_layers={_layers}, bidirectional={_bi}, "
                 f"batch_first=True)", SEQ)
case("lstm_proj128_L1_uni", "nn.LSTM(256, 512, proj_size=128, batch_first=True)", SEQ)
case("lstm_proj128_L2_bi", "nn.LSTM(256, 512, num_layers=2, bidirectional=True, "
     "proj_size=128, batch_first=True)", SEQ)
case("conv1d_odd", "nn.Conv1d(5, 12, 7, stride=3, padding=2, dilation=2, bias=True)", (1, 5, 101))
case("conv3d_odd", "nn.Conv3d(3, 8, (3, 5, 3), stride=(1, 2, 2), padding=(1, 2, 1), bias=True)",
     (1, 3, 7, 15, 13))
for _d, _shape in ((1, (1, 6, 11)), (2, (1, 6, 7, 9)), (3, (1, 6, 5, 7, 6))):
    case(f"convtranspose{_d}d", f"nn.ConvTranspose{_d}d(6, 10, 3, stride=2, padding=1, "
         "output_padding=1, groups=2, dilation=2)", _shape)
case("upsample_nearest", "nn.Upsample(scale_factor=2, mode='nearest')", (1, 3, 17, 23))
case("upsample_bilinear", "nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)",
     (1, 3, 17, 23))
case("pixelshuffle", "nn.PixelShuffle(2)", (1, 12, 9, 11))
case("groupnorm", "nn.GroupNorm(8, 64)", (1, 64, 15, 17))
case("instancenorm2d", "nn.InstanceNorm2d(64)", (1, 64, 15, 17),
     "affine=False, track_running_stats=False")
case("instancenorm2d_affine_tracked",
     "nn.InstanceNorm2d(64, affine=True, track_running_stats=True)", (1, 64, 15, 17))
case("layernorm_lastdim", "nn.LayerNorm(33)", (2, 7, 33))
case("layernorm_chw", "nn.LayerNorm([8, 9, 11])", (1, 8, 9, 11))
case("embedding", "nn.Embedding(1000, 64)", (1, 16), "16 token ids", torch.int64)
case("maxpool1d", "nn.MaxPool1d(3, stride=2, padding=1)", (1, 4, 37))
case("maxpool3d", "nn.MaxPool3d((2, 3, 3), stride=2, padding=(0, 1, 1))", (1, 4, 9, 15, 13))
case("maxpool2d_dilation_per_axis", "nn.MaxPool2d(3, dilation=(1, 2))", (1, 3, 16, 16))
case("maxpool3d_dilation_per_axis", "nn.MaxPool3d(2, stride=1, dilation=(1, 3, 2))", (1, 2, 5, 9, 8))
case("adaptivemaxpool2d", "nn.AdaptiveMaxPool2d((5, 7))", (1, 8, 23, 19))

case("fcn_resnet50", "torchvision.models.segmentation.fcn_resnet50(weights=None, "
     "weights_backbone=None, aux_loss=False)", (1, 3, 520, 520), "out_shape = out['out']")
case("lraspp_mobilenet_v3_large", "torchvision.models.segmentation.lraspp_mobilenet_v3_large("
     "weights=None, weights_backbone=None)", (1, 3, 520, 520), "out_shape = out['out']")
case("r2plus1d_18", "torchvision.models.video.r2plus1d_18(weights=None)", (1, 3, 16, 112, 112))
case("unet", "UNet(n_channels=3, n_classes=2, bilinear=False)", (1, 3, 256, 256),
     "classic UNet as in modules.py (milesial layout)")
case("dcgan_generator", "dcgan_generator(nz=100, ngf=64, nc=3)", (1, 100, 1, 1),
     "pytorch/examples DCGAN generator as in modules.py")
case("siamese_cnn", "SiameseCnn()", ((1, 1, 105, 105), (1, 1, 105, 105)),
     "measure_counters.py's SiameseCnn: Koch et al.'s tower on each of two images, one set of weights")

case("convtranspose2d_k4s2_nobias", "nn.ConvTranspose2d(8, 6, 4, stride=2, padding=1, bias=False)",
     (1, 8, 5, 7))
case("convtranspose2d_k1s3_gaps", "nn.ConvTranspose2d(4, 4, 1, stride=3)", (1, 4, 5, 5),
     "stride > kernel: outputs between the taps are never reached")
case("convtranspose3d_outpad", "nn.ConvTranspose3d(4, 6, (2, 3, 3), stride=(1, 2, 2), "
     "padding=(0, 1, 1), output_padding=(0, 1, 1))", (1, 4, 3, 5, 6))
case("conv1d_groups_batch2", "nn.Conv1d(16, 32, 5, padding=2, groups=4)", (2, 16, 50))
case("conv3d_groups_nobias", "nn.Conv3d(4, 8, 3, stride=2, padding=1, dilation=1, groups=2, "
     "bias=False)", (1, 4, 9, 10, 11))
case("lstmcell", "nn.LSTMCell(32, 64)", (3, 32), "out_shape = h")
case("grucell", "nn.GRUCell(32, 64)", (3, 32))
case("rnncell_relu", "nn.RNNCell(32, 64, nonlinearity='relu')", (3, 32))
case("gru_nobias_L1_uni", "nn.GRU(256, 512, bias=False, batch_first=True)", SEQ)
case("lstm_proj32_L3_bi", "nn.LSTM(64, 128, num_layers=3, bidirectional=True, proj_size=32, "
     "batch_first=True)", (2, 9, 64))
case("avgpool1d_ceil", "nn.AvgPool1d(4, stride=3, padding=2, ceil_mode=True)", (1, 3, 50))
case("avgpool3d", "nn.AvgPool3d(3, stride=2, padding=1)", (1, 2, 7, 9, 11))
case("adaptiveavgpool1d", "nn.AdaptiveAvgPool1d(7)", (1, 3, 50))
case("adaptiveavgpool3d_none", "nn.AdaptiveAvgPool3d((2, None, 5))", (1, 2, 7, 9, 11))
case("adaptivemaxpool1d", "nn.AdaptiveMaxPool1d(6)", (1, 3, 50))
case("adaptivemaxpool3d", "nn.AdaptiveMaxPool3d((3, 4, 5))", (1, 2, 7, 9, 11))
case("batchnorm1d", "nn.BatchNorm1d(20)", (3, 20, 9))
case("batchnorm3d", "nn.BatchNorm3d(4)", (1, 4, 3, 5, 6))
case("instancenorm1d_affine", "nn.InstanceNorm1d(6, affine=True)", (1, 6, 40))
case("instancenorm3d", "nn.InstanceNorm3d(4)", (1, 4, 3, 5, 6))
case("prelu", "nn.PReLU(num_parameters=16)", (1, 16, 5, 5))
case("upsample_bicubic_size", "nn.Upsample(size=(10, 30), mode='bicubic', align_corners=True)",
     (1, 3, 7, 9))
case("upsample_nearest_x1p5", "nn.Upsample(scale_factor=1.5, mode='nearest')", (1, 2, 7, 9),
     "output size floor(7*1.5) x floor(9*1.5)")
case("upsample_trilinear", "nn.Upsample(scale_factor=2, mode='trilinear')", (1, 2, 3, 4, 5))
case("upsample_linear", "nn.Upsample(scale_factor=3, mode='linear')", (1, 2, 11))
case("pixelunshuffle", "nn.PixelUnshuffle(3)", (1, 2, 9, 12))
case("reflectionpad2d", "nn.ReflectionPad2d((1, 2, 3, 0))", (1, 3, 5, 6))
case("replicationpad3d", "nn.ReplicationPad3d(2)", (1, 2, 3, 4, 5))
case("constantpad1d_negative", "nn.ConstantPad1d((3, -1), 0.5)", (1, 2, 10))
case("zeropad2d", "nn.ZeroPad2d((0, 1, 2, 3))", (1, 3, 4, 4))
case("whisper_tiny_stem", "nn.Sequential(nn.Conv1d(80, 384, 3, padding=1), nn.GELU(), "
     "nn.Conv1d(384, 384, 3, stride=2, padding=1))", (1, 80, 3000),
     "Whisper-tiny-style audio stem (log-mel 80 x 3000)")

RECURRENT = (nn.RNNBase, nn.RNNCellBase)
WHOLE_MODELS = ["fcn_resnet50", "lraspp_mobilenet_v3_large", "r2plus1d_18", "unet",
                "dcgan_generator"]


# --------------------------------------------------------------------------
# Dispatch-level counter (after CostCounter in measure_transformers.py)
# --------------------------------------------------------------------------

NORMS = (nn.LayerNorm, nn.GroupNorm, nn.modules.batchnorm._NormBase)


def _bias_ranges(model):
    """Address ranges [start, end) of every bias parameter (bias, bias_ih_l0,
    bias_hh_l1_reverse, MultiheadAttention's in_proj_bias, ...); the shift of a
    normalisation layer excluded."""
    ranges = []
    for module in model.modules():
        if isinstance(module, NORMS):
            continue
        for pname, p in module.named_parameters(recurse=False):
            if pname.startswith("bias") or pname.endswith("_bias"):
                start = p.data_ptr()
                ranges.append((start, start + p.numel() * p.element_size()))
    return ranges


class CostCounter(TorchDispatchMode):
    def __init__(self, bias_ranges):
        super().__init__()
        self.bias_ranges = bias_ranges
        self.c = defaultdict(int)
        self.op_calls = defaultdict(int)
        self.op_elements = defaultdict(int)

    def _is_bias(self, t):
        if not isinstance(t, torch.Tensor) or t.numel() == 0:
            return False
        ptr = t.data_ptr()
        return any(s <= ptr < e for s, e in self.bias_ranges)

    def _matmul(self, kind, macs, k, out):
        n = out.numel()
        self.c["macs"] += macs
        self.c["macs_" + kind] += macs
        self.c["matmul_outputs"] += n
        self.c["flops_core"] += (2 * k - 1) * n

    def _conv(self, func, args, out):
        x, w, b, stride, padding, dilation, transposed, output_padding, groups = args[:9]
        kvol = math.prod(w.shape[2:])
        if transposed:  # weight is C_in x C_out/groups x k...
            macs = x.numel() * w.shape[1] * kvol
            ones = func(torch.ones_like(x), torch.ones_like(w), None, stride, padding,
                        dilation, True, output_padding, groups)
            reached = int(torch.count_nonzero(ones))
            self.c["macs"] += macs
            self.c["macs_conv"] += macs
            self.c["reached"] += reached
            self.c["transposed_calls"] += 1
            self.c["flops_core"] += 2 * macs - reached
        else:
            k = (x.shape[1] // groups) * kvol
            self._matmul("conv", out.numel() * k, k, out)
        if b is not None:
            self.c["bias_adds"] += out.numel()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        first = out[0] if isinstance(out, (tuple, list)) else out
        n = first.numel() if isinstance(first, torch.Tensor) else 0
        self.op_calls[str(func)] += 1
        self.op_elements[str(func)] += n

        packet = func.overloadpacket
        if packet is aten.convolution:
            self._conv(func, args, out)
        elif packet is aten.mm:
            a, b = args[0], args[1]
            m, k = a.shape
            self._matmul("mm", m * k * b.shape[1], k, out)
        elif packet is aten.addmm:
            bias, a, b = args[0], args[1], args[2]
            m, k = a.shape
            self._matmul("mm", m * k * b.shape[1], k, out)
            self.c["bias_adds" if self._is_bias(bias) else "other_matmul_adds"] += out.numel()
        elif packet is aten.bmm:
            a, b = args[0], args[1]
            bb, m, k = a.shape
            self._matmul("bmm", bb * m * k * b.shape[2], k, out)
        elif packet is aten.baddbmm:
            inp, a, b = args[0], args[1], args[2]
            bb, m, k = a.shape
            self._matmul("bmm", bb * m * k * b.shape[2], k, out)
            self.c["bias_adds" if self._is_bias(inp) else "other_matmul_adds"] += out.numel()
        elif packet in (aten.add, aten.add_):
            if len(args) > 1 and (self._is_bias(args[0]) or self._is_bias(args[1])):
                self.c["bias_adds"] += n
        elif "conv" in str(packet):  # any other convolution entry point would be missed
            raise RuntimeError(f"uncounted convolution op {func}")
        return out


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------

def shape_str(shape):
    if shape and isinstance(shape[0], tuple):  # several inputs
        return ", ".join(shape_str(s) for s in shape)
    return "x".join(str(d) for d in shape)


def build(name, shape=None):
    expr, case_shape, dtype, _ = CASES[name]
    shape = shape or case_shape
    torch.manual_seed(0)
    # imported here: measure_counters imports this module, and run as a script it would find it half-initialized
    import measure_counters  # (SiameseCnn, the examples' SiameseCnn)
    scope = {"nn": nn, "torchvision": torchvision, "UNet": UNet,
             "dcgan_generator": dcgan_generator, "SiameseCnn": measure_counters.SiameseCnn}
    model = eval(expr, scope).eval()  # our own constructor strings, see CASES
    if isinstance(shape[0], tuple):  # several inputs, passed positionally
        x = tuple(torch.randn(*s) for s in shape)
    elif dtype == torch.int64:
        x = torch.randint(0, model.num_embeddings, shape)
    else:
        x = torch.randn(*shape)
    return model, x


def measure(name, shape=None):
    expr, case_shape, dtype, note = CASES[name]
    shape = shape or case_shape
    model, x = build(name, shape)
    counter = CostCounter(_bias_ranges(model))
    with torch.no_grad(), counter:
        out = model(*x) if isinstance(x, tuple) else model(x)
    if isinstance(out, dict):
        out = out["out"]
    if isinstance(out, (tuple, list)):
        out = out[0]
    c = counter.c
    in_desc = shape_str(shape) + ("(int64)" if dtype == torch.int64 else "")
    row = {
        "case": name,
        "input": in_desc,
        "out_shape": shape_str(out.shape),
        "params": sum(p.numel() for p in model.parameters()),
        "buffers": sum(b.numel() for bname, b in model.named_buffers()
                       if not bname.endswith("num_batches_tracked")),
        "macs": c["macs"],
        "flops": c["flops_core"] + c["bias_adds"],
        "bias_adds": c["bias_adds"],
        "reached": c["reached"] if c["transposed_calls"] else "",
        "notes": f"{expr} on {in_desc}" + (f"; {note}" if note else ""),
        # compared with the reference, not written
        "macs_conv": c["macs_conv"], "macs_mm": c["macs_mm"], "macs_bmm": c["macs_bmm"],
    }
    return row, model, counter


COLUMNS = ["case", "input", "out_shape", "params", "buffers", "macs", "flops", "bias_adds",
           "reached", "notes"]
CHECKED = ["out_shape", "params", "buffers", "macs", "macs_conv", "macs_mm", "macs_bmm",
           "bias_adds"]


def read_reference(path):
    rows, header = {}, None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
            else:
                rows[fields[0]] = dict(zip(header, fields))
    return rows


def main():
    parser = argparse.ArgumentParser(
        description="Measure params, MACs and FLOPs of layers and models at the aten "
                    "dispatch level with PyTorch.")
    parser.add_argument("cases", nargs="*", default=list(CASES),
                        help="cases to measure (default: all): " + ", ".join(CASES))
    parser.add_argument("--out-dir", help="write layer-costs.tsv, recurrent-parameters.tsv "
                        "and layer-parameter-paths.tsv into this folder")
    parser.add_argument("--check", metavar="REF",
                        help="compare with the rows of reference TSV REF; exit 1 on a difference")
    parser.add_argument("--input", action="append", metavar="NxCxHxW",
                        help="measure every chosen case at this input shape instead of its own "
                             "(repeatable: each case at each shape)")
    parser.add_argument("--tsv", metavar="FILE",
                        help="write the cost rows, with the header lines, to FILE")
    parser.add_argument("--ops", action="store_true",
                        help="print every aten op (calls, output elements) to stderr")
    args = parser.parse_args()

    command = shlex.join(["/usr/bin/python3"] + sys.argv)
    versions = (f"# torch {torch.__version__}, torchvision {torchvision.__version__}, "
                f"python {sys.version.split()[0]}")
    reference = read_reference(args.check) if args.check else {}
    cost_lines = [
        f"# command: {command}",
        versions,
        "# eval mode, torch.no_grad(), random weights (manual_seed 0, weights=None); counted with "
        "a TorchDispatchMode on aten ops. notes: the exact constructor and input.",
        "# macs: convolution out*(Cin/groups)*kvol, transposed convolution in*(Cout/groups)*kvol, "
        "mm/addmm M*K*N, bmm/baddbmm B*M*K*N.",
        "# bias_adds: output numel of a conv/transposed conv with bias, of addmm/add with a bias "
        "parameter operand (recurrent bias_ih and bias_hh).",
        "# flops: sum (2K-1)*outputs over convolutions and matrix products, 2*macs - reached over "
        "transposed convolutions, plus bias_adds.",
        "# reached: output elements of transposed convolutions that receive at least one product "
        "(all-ones input and weight, nonzero outputs); empty without one.",
        "# out_shape: first output of recurrent modules (output sequence, LSTMCell h); out['out'] "
        "of segmentation models. buffers exclude num_batches_tracked.",
        "\t".join(COLUMNS),
    ]
    param_lines = [
        "# model.named_parameters() of the recurrent cases of layer-costs.tsv, in order: "
        "case, name, shape, numel (no header line).",
        f"# written by {command}", versions,
    ]
    path_lines = [
        "# Every leaf module (no children) with parameters of its own, in named_modules() order: "
        "model, module path, parameter count.",
        f"# Written by {command}", versions,
        "# Constructors as in the notes column of layer-costs.tsv; weights=None, eval mode.",
    ]
    mismatches = []
    shapes = [tuple(int(d) for d in text.split("x")) for text in args.input] if args.input else [None]
    runs = [(name, shape) for name in args.cases for shape in shapes]
    for name, shape in runs:
        row, model, counter = measure(name, shape)
        line = "\t".join(str(row[col]) for col in COLUMNS)
        cost_lines.append(line)
        print(line, flush=True)
        if isinstance(model, RECURRENT):
            for pname, p in model.named_parameters():
                param_lines.append(f"{name}\t{pname}\t{shape_str(p.shape)}\t{p.numel()}")
        if name in WHOLE_MODELS:
            for mname, m in model.named_modules():
                own = sum(p.numel() for p in m.parameters(recurse=False))
                if next(m.children(), None) is None and own > 0:
                    path_lines.append(f"{name}\t{mname}\t{own}")
        if name in reference:
            ref = reference[name]
            diffs = [f"{col}: reference {ref[col]} measured {row[col]}"
                     for col in CHECKED if col in ref and str(row[col]) != ref[col]]
            print(f"{name}: " + ("; ".join(diffs) if diffs else "matches reference"),
                  file=sys.stderr)
            if diffs:
                mismatches.append(name)
        if args.ops:
            print(f"== {name}", file=sys.stderr)
            for op in sorted(counter.op_calls):
                print(f"  {op}\tcalls={counter.op_calls[op]}\t"
                      f"elements={counter.op_elements[op]}", file=sys.stderr)
            extra = {k: v for k, v in counter.c.items() if k == "other_matmul_adds"}
            if extra:
                print(f"  {extra}", file=sys.stderr)
    if args.tsv:
        with open(args.tsv, "w") as f:
            f.write("\n".join(cost_lines) + "\n")
    if args.out_dir:
        for fname, lines in (("layer-costs.tsv", cost_lines),
                             ("recurrent-parameters.tsv", param_lines),
                             ("layer-parameter-paths.tsv", path_lines)):
            with open(os.path.join(args.out_dir, fname), "w") as f:
                f.write("\n".join(lines) + "\n")
    if args.check:
        print(f"reference check: {len(mismatches)} case(s) differ {mismatches}", file=sys.stderr)
        sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
