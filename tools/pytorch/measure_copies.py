#!/usr/bin/env python3
"""Memory of small models in which PyTorch 1.13 copies a tensor that is not contiguous, measured
with measure_memory.py's own methods (its measure_inference and measure_saved, the model builders
substituted), so that the conventions are exactly that script's:

  peak_live_bytes   inference (eval, torch.no_grad()): live bytes of the storages at the aten ops'
                    boundaries, the model input added; a copy an op makes and frees inside itself
                    (a workspace) is not counted
  saved_bytes       training (train mode, gradients on): what autograd saves for backward
                    (saved_tensors_hooks), each storage once, parameters and the model input left out
  input_saved       the model input's bytes where a layer saves it (modelcost counts it in
                    SAVED_ACTIVATION_BYTES: add it to saved_bytes to compare)

Models (float32, every nn.Linear without a bias, so that the dispatch mode does not turn the bias's
add_ into an add; each forward dels a local after its last use):

  M1  x [B, 8, 16] -> Linear(16, 16) -> transpose(1, 2) -> flatten(1) (a copy) -> Linear(128, 10)
  M2  x [B, 1, 16] -> Linear(16, 16) -> expand(B, 1000, 16) -> Linear(16, 32) (matmul folds the
      expanded input into rows: a copy above a batch of 1, kept for backward)
  M3  x [B, 16, 12] -> Conv1d(16, 16, 3, padding=1) -> transpose(1, 2) -> Linear(16, 24) -> relu
      (a transposed input of three axes goes to bmm as it is: no copy)
  M4  attention written out, x [B, 10, 32], 4 heads of 8: three Linears, each
      .view(B, 10, 4, 8).transpose(1, 2); matmul(q, k.transpose(-1, -2)); softmax; matmul(p, v);
      .transpose(1, 2).reshape(B, 10, 32); Linear (matmul copies each transposed operand above a
      batch of 1, and the reshape copies)
  M5  as M2, then reshape(B, 16000) (a copy) -> Linear(16000, 4)
  M6  one key head for four query heads, x [B, 10, 32]: q = Linear(32, 32)(x).view(B, 10, 4, 8)
      .transpose(1, 2); k = Linear(32, 8)(x).view(B, 1, 10, 8); softmax(matmul(q, k.transpose(-1, -2)))
      (matmul expands the keys to the four heads, a copy four times their size)
  M7  a learned 5 x 7 matrix times x [B, 7, 6]: matmul folds x's transpose (a copy above a batch of 1)
      and transposes the product back contiguous (a copy of the output, the product held beside it)
  R1  x [B, 12, 64] -> transformers' LlamaRMSNorm(64) written out (x.to(float32), pow(2).mean(-1),
      x * rsqrt(var + eps), weight * x.to(dtype)) -> Linear(64, 32): on data autograd records the weight's
      product alone, which saves the normalized tensor (no copy; the memory of a norm on the model's input)
  P1-P3  x [B, 4, 12] -> Conv1d(4, 4, 1) -> Conv1d(4, 8, 3, padding=2, padding_mode=reflect /
      replicate / circular): F.pad's copy of the input, convolved without padding
  P4  x [B, 4, 6, 5] -> Conv2d(4, 4, 1) -> Conv2d(4, 4, 4, padding='same', padding_mode='reflect')
      (one position before each axis, two after)
  P5  as P4 in padding_mode 'zeros': _convolution_mode pads a copy by the one position the sides differ by
  S1  x [B, 6, 6, 8] -> Linear(8, 8) -> torch.roll(shifts=(-2, -2), dims=(1, 2)) -> Linear(8, 4): Swin's shifted
      windows; roll writes a new tensor (its intermediate, one axis rolled, is made and freed inside the op)
  S2  x [B, 8, 6, 6] -> Conv2d(8, 8, 1) -> permute(0, 2, 3, 1) -> torch.roll(5) (flattened; the copy of the permuted input is
      made inside the op) -> Linear(8, 4)
  W1  x [B, 16, 8] (one 4 x 4 window of 8 channels) -> q, k = Linear(8, 8) each, viewed (B, 16, 2, 4) and transposed to two
      heads; scores q @ k^T + torchvision's Swin relative position bias (a (2·4 - 1)² x 2 table indexed by a 256-entry int64
      buffer, view(16, 16, -1).permute(2, 0, 1).contiguous().unsqueeze(0)); softmax

Usage (from the repository root, a few seconds on one CPU thread):

  /usr/bin/python3 tools/pytorch/measure_copies.py > tools/pytorch/copy-costs.tsv
"""

import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


class M1(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin0 = nn.Linear(16, 16, bias=False)
        self.lin1 = nn.Linear(128, 10, bias=False)

    def forward(self, x):
        y = self.lin0(x)
        t = y.transpose(1, 2)
        del y
        f = t.flatten(1)
        del t
        out = self.lin1(f)
        del f
        return out


class M2(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin0 = nn.Linear(16, 16, bias=False)
        self.lin1 = nn.Linear(16, 32, bias=False)

    def forward(self, x):
        y = self.lin0(x)
        v = y.expand(x.shape[0], 1000, 16)
        del y
        out = self.lin1(v)
        del v
        return out


class M3(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(16, 16, 3, padding=1, bias=False)
        self.lin = nn.Linear(16, 24, bias=False)

    def forward(self, x):
        y = self.conv(x)
        t = y.transpose(1, 2)
        del y
        z = self.lin(t)
        del t
        out = torch.relu(z)
        del z
        return out


class M4(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = nn.Linear(32, 32, bias=False)
        self.k = nn.Linear(32, 32, bias=False)
        self.v = nn.Linear(32, 32, bias=False)
        self.o = nn.Linear(32, 32, bias=False)

    def forward(self, x):
        b = x.shape[0]
        q = self.q(x).view(b, 10, 4, 8).transpose(1, 2)
        k = self.k(x).view(b, 10, 4, 8).transpose(1, 2)
        v = self.v(x).view(b, 10, 4, 8).transpose(1, 2)
        s = torch.matmul(q, k.transpose(-1, -2))
        del q, k
        p = torch.softmax(s, -1)
        del s
        o = torch.matmul(p, v)
        del p, v
        o = o.transpose(1, 2).reshape(b, 10, 32)
        out = self.o(o)
        del o
        return out


class M5(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin0 = nn.Linear(16, 16, bias=False)
        self.lin1 = nn.Linear(16000, 4, bias=False)

    def forward(self, x):
        y = self.lin0(x)
        v = y.expand(x.shape[0], 1000, 16)
        del y
        r = v.reshape(x.shape[0], 16000)
        del v
        out = self.lin1(r)
        del r
        return out


class M6(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = nn.Linear(32, 32, bias=False)
        self.k = nn.Linear(32, 8, bias=False)

    def forward(self, x):
        b = x.shape[0]
        q = self.q(x).view(b, 10, 4, 8).transpose(1, 2)
        k = self.k(x).view(b, 1, 10, 8)
        s = torch.matmul(q, k.transpose(-1, -2))
        del q, k
        out = torch.softmax(s, -1)
        del s
        return out


class M7(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(5, 7))

    def forward(self, x):
        return torch.matmul(self.w, x)


class LlamaRMSNorm(nn.Module):
    """transformers' LlamaRMSNorm, as it is written: its locals live until it returns."""

    def __init__(self, hidden_size, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)


class RMSNormLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = LlamaRMSNorm(64)
        self.lin = nn.Linear(64, 32, bias=False)

    def forward(self, x):
        y = self.norm(x)
        out = self.lin(y)
        del y
        return out


class Padded(nn.Module):
    def __init__(self, conv0, conv1):
        super().__init__()
        self.conv0 = conv0
        self.conv1 = conv1

    def forward(self, x):
        y = self.conv0(x)
        out = self.conv1(y)
        del y
        return out


class Rolled(nn.Module):
    def __init__(self, before, roll, permute):
        super().__init__()
        self.before = before
        self.roll = roll
        self.permute = permute
        self.after = nn.Linear(8, 4, bias=False)

    def forward(self, x):
        y = self.before(x)
        if self.permute:
            y = y.permute(0, 2, 3, 1)
        z = self.roll(y)
        del y
        return self.after(z)


class WindowBias(nn.Module):
    """torchvision 0.14's ShiftedWindowAttention's relative position bias, as its get_relative_position_bias computes it."""

    def __init__(self, window, heads):
        super().__init__()
        self.window = window
        self.relative_position_bias_table = nn.Parameter(torch.randn((2 * window[0] - 1) * (2 * window[1] - 1), heads))
        coords = torch.stack(torch.meshgrid(torch.arange(window[0]), torch.arange(window[1]), indexing="ij"))
        flat = torch.flatten(coords, 1)
        relative = (flat[:, :, None] - flat[:, None, :]).permute(1, 2, 0).contiguous()
        relative[:, :, 0] += window[0] - 1
        relative[:, :, 1] += window[1] - 1
        relative[:, :, 0] *= 2 * window[1] - 1
        self.register_buffer("relative_position_index", relative.sum(-1).flatten())

    def forward(self):
        n = self.window[0] * self.window[1]
        bias = self.relative_position_bias_table[self.relative_position_index]
        bias = bias.view(n, n, -1)
        bias = bias.permute(2, 0, 1).contiguous().unsqueeze(0)
        return bias


class WindowScores(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = nn.Linear(8, 8, bias=False)
        self.k = nn.Linear(8, 8, bias=False)
        self.bias = WindowBias((4, 4), 2)

    def forward(self, x):
        b = x.shape[0]
        q = self.q(x).view(b, 16, 2, 4).transpose(1, 2)
        k = self.k(x).view(b, 16, 2, 4).transpose(1, 2)
        scores = q @ k.transpose(-2, -1)
        del q, k
        biased = scores + self.bias()
        del scores
        return biased.softmax(-1)


def rolled_windows():
    return Rolled(nn.Linear(8, 8, bias=False), lambda y: torch.roll(y, shifts=(-2, -2), dims=(1, 2)), False)


def rolled_flat():
    return Rolled(nn.Conv2d(8, 8, 1, bias=False), lambda y: torch.roll(y, 5), True)


def padded1d(mode):
    return lambda: Padded(nn.Conv1d(4, 4, 1, bias=False), nn.Conv1d(4, 8, 3, padding=2, padding_mode=mode, bias=False))


def padded2d_same(mode):
    return lambda: Padded(nn.Conv2d(4, 4, 1, bias=False), nn.Conv2d(4, 4, 4, padding="same", padding_mode=mode, bias=False))


MODELS = {"M1": (M1, (8, 16)), "M2": (M2, (1, 16)), "M3": (M3, (16, 12)), "M4": (M4, (10, 32)), "M5": (M5, (1, 16)),
          "M6": (M6, (10, 32)), "M7": (M7, (7, 6)), "R1": (RMSNormLinear, (12, 64)), "P1": (padded1d("reflect"), (4, 12)), "P2": (padded1d("replicate"), (4, 12)),
          "P3": (padded1d("circular"), (4, 12)), "P4": (padded2d_same("reflect"), (4, 6, 5)),
          "P5": (padded2d_same("zeros"), (4, 6, 5)), "S1": (rolled_windows, (6, 6, 8)), "S2": (rolled_flat, (8, 6, 6)),
          "W1": (WindowScores, (16, 8))}


def split(name):
    model, batch = name.split("_b")
    cls, rest = MODELS[model]
    return cls, (int(batch),) + rest


def build_model(name):
    return split(name)[0]()


def build_saved_case(name):
    torch.manual_seed(0)
    cls, shape = split(name)
    return cls().train(), torch.randn(*shape), f"{name} train, input {mm.shape_str(shape)}"


def main():
    torch.set_num_threads(1)
    mm.build_model = build_model
    mm.build_saved_case = build_saved_case
    names = [f"{m}_b{b}" for m in MODELS for b in (1, 2)]
    names = [n for n in names if not n[0] in "PRSW" or n.endswith("_b2")]
    for name in names:
        mm.INPUT_SHAPES[name] = split(name)[1]
    print("# command: /usr/bin/python3 " + " ".join(shlex.quote(a) for a in ["tools/pytorch/measure_copies.py"] + sys.argv[1:]))
    print(f"# torch {torch.__version__}, torch threads {torch.get_num_threads()}, float32")
    for line in mm.self_test():
        print(line if line.startswith("#") else "# " + line)
    print("case\tbatch\tinput_bytes\tpeak_live_bytes\tpeak_op\tsaved_bytes\tinput_saved\tboundary_mismatches\tfree_mismatches")
    for name in names:
        res, _ = mm.measure_inference(name)
        saved, _, _ = mm.measure_saved(name)
        model, batch = name.split("_b")
        print("\t".join(str(v) for v in [model, batch, res["input_bytes"], res["peak_live_bytes"], res["peak_op"],
                                          saved["saved_bytes_excl_params_and_input"], saved["input_bytes_saved"],
                                          res["boundary_mismatches"], res["free_mismatches"]]))


if __name__ == "__main__":
    main()
