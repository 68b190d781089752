#!/usr/bin/env python3
"""Measure reference costs of transformer architectures with real PyTorch.

Every model is built with random weights (weights=None), put in eval mode and
run once at batch 1.  The forward pass runs with gradients ENABLED: under
torch.no_grad() in eval mode nn.MultiheadAttention and nn.TransformerEncoderLayer
take a fused fast path (torch._native_multi_head_attention /
torch._transformer_encoder_layer_fwd) whose matrix products never reach the
aten mm/bmm operators.  With gradients enabled the ordinary Python path runs;
the script checks that bmm/baddbmm calls were seen for every model that has
attention.

Costs are counted at the dispatch level with a TorchDispatchMode, i.e. on the
aten operators that actually run:

  macs            aten.convolution: out.numel() * (C_in / groups) * kernel volume
                  aten.mm / addmm:  M * K * N
                  aten.bmm / baddbmm: B * M * K * N
  macs_conv / macs_mm (mm + addmm) / macs_bmm (bmm + baddbmm)
  matmul_outputs  sum of the output elements of all those calls
  bias_adds       elements added by a bias: output numel of a convolution with
                  a bias, of an addmm whose added tensor lies in a bias
                  parameter, and of an add/add_ whose operand lies in a bias
                  parameter (nn.Linear on inputs that are not 2-D may run
                  matmul followed by add_(bias)).  The attention mask added by
                  baddbmm is not a bias (reported as mask_adds).
  flops           sum over calls of (2K - 1) * outputs + bias_adds
                  = 2 * macs - matmul_outputs + bias_adds
  params          sum(p.numel() for p in model.parameters())
  buffers         numel of the floating-point model.buffers(): BatchNorm's
                  num_batches_tracked and Swin's relative_position_index (int64)
                  excluded

Informational element counts (output numel summed over calls):
  ln_elements      aten.native_layer_norm
  softmax_elements aten._softmax
  gelu_elements    aten.gelu
  add_elements     aten.add.Tensor (out-of-place; includes bias adds done that way)
  mul_elements     aten.mul.Tensor
  div_elements     aten.div.Tensor

Usage:
  /usr/bin/python3 tools/pytorch/measure_transformers.py            # all, TSV on stdout
  /usr/bin/python3 tools/pytorch/measure_transformers.py --out tools/pytorch/transformer-costs.tsv
  /usr/bin/python3 tools/pytorch/measure_transformers.py bert_base --ops   # also list every aten op

Only torch and torchvision are needed (Debian: python3-torch python3-torchvision).
"""

import argparse
import math
import shlex
import sys
from collections import defaultdict

import torch
import torchvision
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten


# --------------------------------------------------------------------------
# BERT-base encoder with pooler (layout of Hugging Face BertModel).
# --------------------------------------------------------------------------

class Embeddings(nn.Module):
    def __init__(self, vocab, hidden, positions, token_types, eps):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.token_type_embeddings = nn.Embedding(token_types, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.dropout = nn.Dropout(0.1)

    def forward(self, ids, types):
        seq = ids.shape[1]
        positions = torch.arange(seq, device=ids.device)[None, :]
        h = self.word_embeddings(ids)
        h = h + self.position_embeddings(positions)
        h = h + self.token_type_embeddings(types)
        return self.dropout(self.LayerNorm(h))


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(0.1)

    def _heads(self, t):
        b, s, _ = t.shape
        return t.view(b, s, self.heads, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, h, mask):
        q = self._heads(self.query(h))
        k = self._heads(self.key(h))
        v = self._heads(self.value(h))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        if mask is not None:
            scores = scores + mask
        probs = self.dropout(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.shape[0], ctx.shape[1], -1)


class DenseResidualNorm(nn.Module):
    """dense -> dropout -> + residual -> LayerNorm (BertSelfOutput / BertOutput)."""

    def __init__(self, d_in, hidden, eps):
        super().__init__()
        self.dense = nn.Linear(d_in, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.dropout = nn.Dropout(0.1)

    def forward(self, h, residual):
        return self.LayerNorm(self.dropout(self.dense(h)) + residual)


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, ffn, eps):
        super().__init__()
        self.attention = nn.ModuleDict({
            "self": SelfAttention(hidden, heads),
            "output": DenseResidualNorm(hidden, hidden, eps),
        })
        self.intermediate = nn.Linear(hidden, ffn)
        self.output = DenseResidualNorm(ffn, hidden, eps)

    def forward(self, h, mask):
        a = self.attention["output"](self.attention["self"](h, mask), h)
        return self.output(nn.functional.gelu(self.intermediate(a)), a)


class Bert(nn.Module):
    def __init__(self, vocab=30522, hidden=768, layers=12, heads=12, ffn=3072,
                 positions=512, token_types=2, eps=1e-12):
        super().__init__()
        self.embeddings = Embeddings(vocab, hidden, positions, token_types, eps)
        self.encoder = nn.ModuleList(
            [EncoderLayer(hidden, heads, ffn, eps) for _ in range(layers)])
        self.pooler = nn.Linear(hidden, hidden)

    def forward(self, ids, types=None, attention_mask=None):
        if types is None:
            types = torch.zeros_like(ids)
        mask = None
        if attention_mask is not None:
            mask = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        h = self.embeddings(ids, types)
        for layer in self.encoder:
            h = layer(h, mask)
        pooled = torch.tanh(self.pooler(h[:, 0]))
        return h, pooled


class Albert(nn.Module):
    """ALBERT-base (albert-base-v2 sizes, the layout of Hugging Face's AlbertModel): embeddings of 128 mapped to the
    hidden 768, one encoder layer called 12 times (cross-layer sharing), the pooler. The layer is BERT's EncoderLayer (exact
    GELU where ALBERT's gelu_new is its tanh approximation; no counted figure differs)."""

    def __init__(self, vocab=30000, embedding=128, hidden=768, layers=12, heads=12, ffn=3072,
                 positions=512, token_types=2, eps=1e-12):
        super().__init__()
        self.layers = layers
        self.embeddings = Embeddings(vocab, embedding, positions, token_types, eps)
        self.embedding_hidden_mapping_in = nn.Linear(embedding, hidden)
        self.encoder = EncoderLayer(hidden, heads, ffn, eps)
        self.pooler = nn.Linear(hidden, hidden)

    def forward(self, ids, types=None):
        if types is None:
            types = torch.zeros_like(ids)
        h = self.embedding_hidden_mapping_in(self.embeddings(ids, types))
        for _ in range(self.layers):
            h = self.encoder(h, None)
        pooled = torch.tanh(self.pooler(h[:, 0]))
        return h, pooled


# --------------------------------------------------------------------------
# Cases: name -> (builder, inputs builder, input description, notes)
# --------------------------------------------------------------------------

def _vit():
    return torchvision.models.vit_b_16(weights=None), (torch.randn(1, 3, 224, 224),), {}


def _convnext():
    return torchvision.models.convnext_tiny(weights=None), (torch.randn(1, 3, 224, 224),), {}


def _swin():
    return torchvision.models.swin_t(weights=None), (torch.randn(1, 3, 224, 224),), {}


def _bert():
    return Bert(), (torch.zeros(1, 128, dtype=torch.int64),), {}


def _albert():
    return Albert(), (torch.zeros(1, 128, dtype=torch.int64),), {}


def _enc_layer():
    m = nn.TransformerEncoderLayer(512, 8, 2048, batch_first=True)
    return m, (torch.randn(1, 32, 512),), {}


def _transformer():
    m = nn.Transformer(512, 8, 6, 6, 2048, batch_first=True)
    mask = nn.Transformer.generate_square_subsequent_mask(24)
    return m, (torch.randn(1, 32, 512), torch.randn(1, 24, 512)), {"tgt_mask": mask}


CASES = {
    "vit_b_16": (_vit, "1x3x224x224", "torchvision vit_b_16, 1x3x224x224"),
    "convnext_tiny": (_convnext, "1x3x224x224", "torchvision convnext_tiny, 1x3x224x224"),
    "swin_t": (_swin, "1x3x224x224", "torchvision swin_t, 1x3x224x224"),
    "bert_base": (_bert, "1x128(int64)",
                  "BERT-base encoder + pooler, input_ids 1x128 zeros (token_type 0, no mask); "
                  "out_shape = sequence output"),
    "albert_base": (_albert, "1x128(int64)",
                    "ALBERT-base (albert-base-v2 sizes): one encoder layer called 12 times, input_ids 1x128 zeros; "
                    "out_shape = sequence output"),
    "nn_transformer_encoder_layer": (
        _enc_layer, "1x32x512",
        "nn.TransformerEncoderLayer(512, 8, 2048, batch_first=True), src 1x32x512"),
    "nn_transformer": (
        _transformer, "1x32x512, 1x24x512, 24x24",
        "nn.Transformer(512, 8, 6, 6, 2048, batch_first=True), src 1x32x512, tgt 1x24x512, "
        "causal tgt_mask generate_square_subsequent_mask(24)"),
}

HAS_ATTENTION = set(CASES)  # every case runs attention, so bmm must appear
HAS_ATTENTION.discard("convnext_tiny")


# --------------------------------------------------------------------------
# Dispatch-level counter
# --------------------------------------------------------------------------

def _bias_ranges(model):
    """Address ranges [start, end) of every bias parameter (LayerNorm's excluded)."""
    ranges = []
    for mname, module in model.named_modules():
        if isinstance(module, nn.LayerNorm):
            continue
        for pname, p in module.named_parameters(recurse=False):
            if pname.endswith("bias"):
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

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = str(func)  # e.g. aten.addmm.default
        first = out[0] if isinstance(out, (tuple, list)) else out
        n = first.numel() if isinstance(first, torch.Tensor) else 0
        self.op_calls[name] += 1
        self.op_elements[name] += n

        packet = func.overloadpacket
        if packet is aten.convolution:
            x, w, b = args[0], args[1], args[2]
            transposed = args[6]
            groups = args[8]
            kvol = math.prod(w.shape[2:])
            if transposed:  # weight is C_in x C_out/groups x k...
                k = w.shape[1] * kvol
                macs = x.numel() * k
            else:
                k = (x.shape[1] // groups) * kvol
                macs = out.numel() * k
            self._matmul("conv", macs, k, out)
            if b is not None:
                self.c["bias_adds"] += out.numel()
        elif packet is aten.mm:
            a, b = args[0], args[1]
            m, k = a.shape
            self._matmul("mm", m * k * b.shape[1], k, out)
        elif packet is aten.addmm:
            bias, a, b = args[0], args[1], args[2]
            m, k = a.shape
            self._matmul("mm", m * k * b.shape[1], k, out)
            if self._is_bias(bias):
                self.c["bias_adds"] += out.numel()
            else:
                self.c["other_matmul_adds"] += out.numel()
        elif packet is aten.bmm:
            a, b = args[0], args[1]
            bb, m, k = a.shape
            self._matmul("bmm", bb * m * k * b.shape[2], k, out)
        elif packet is aten.baddbmm:
            inp, a, b = args[0], args[1], args[2]
            bb, m, k = a.shape
            self._matmul("bmm", bb * m * k * b.shape[2], k, out)
            if self._is_bias(inp):
                self.c["bias_adds"] += out.numel()
            else:
                self.c["mask_adds"] += out.numel()
        elif packet in (aten.add, aten.add_):
            if len(args) > 1 and (self._is_bias(args[0]) or self._is_bias(args[1])):
                self.c["bias_adds"] += n
        return out


def measure(name):
    builder, in_desc, notes = CASES[name]
    torch.manual_seed(0)
    model, inputs, kwargs = builder()
    model.eval()
    counter = CostCounter(_bias_ranges(model))
    # Gradients enabled on purpose: this disables the fused MHA / encoder
    # fast path (see module docstring).
    with torch.autograd.set_grad_enabled(True):
        with counter:
            out = model(*inputs, **kwargs)
    if isinstance(out, (tuple, list)):
        out = out[0]

    c = counter.c
    if name in HAS_ATTENTION and c["macs_bmm"] == 0:
        raise RuntimeError(f"{name}: no bmm/baddbmm seen - fused attention path taken?")

    params = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for b in model.buffers() if b.is_floating_point())
    e = counter.op_elements
    row = {
        "model": name,
        "input": in_desc,
        "out_shape": "x".join(str(d) for d in out.shape),
        "params": params,
        "buffers": buffers,
        "macs": c["macs"],
        "macs_conv": c["macs_conv"],
        "macs_mm": c["macs_mm"],
        "macs_bmm": c["macs_bmm"],
        "matmul_outputs": c["matmul_outputs"],
        "bias_adds": c["bias_adds"],
        "flops": c["flops_core"] + c["bias_adds"],
        "ln_elements": e["aten.native_layer_norm.default"],
        "softmax_elements": e["aten._softmax.default"],
        "gelu_elements": e["aten.gelu.default"],
        "add_elements": e["aten.add.Tensor"],
        "mul_elements": e["aten.mul.Tensor"],
        "div_elements": e["aten.div.Tensor"],
        "notes": notes,
    }
    assert row["flops"] == 2 * row["macs"] - row["matmul_outputs"] + row["bias_adds"]
    return row, model, counter


COLUMNS = ["model", "input", "out_shape", "params", "buffers", "macs", "macs_conv",
           "macs_mm", "macs_bmm", "matmul_outputs", "bias_adds", "flops",
           "ln_elements", "softmax_elements", "gelu_elements", "add_elements",
           "mul_elements", "div_elements", "notes"]


def main():
    parser = argparse.ArgumentParser(
        description="Measure params, MACs and FLOPs of transformer models at the "
                    "aten dispatch level with PyTorch.")
    parser.add_argument("models", nargs="*", default=list(CASES),
                        help="cases to measure (default: all): " + ", ".join(CASES))
    parser.add_argument("--out", help="also write the TSV to this file")
    parser.add_argument("--ops", action="store_true",
                        help="print every aten op (calls, output elements) to stderr")
    args = parser.parse_args()

    command = "/usr/bin/python3 " + " ".join(shlex.quote(a) for a in sys.argv)
    lines = [
        f"# command: {command}",
        f"# torch {torch.__version__}, torchvision {torchvision.__version__}, "
        f"python {sys.version.split()[0]}",
        "# eval mode, weights=None, batch 1, forward with gradients enabled (fused MHA/encoder "
        "fast path off); counted with a TorchDispatchMode on aten ops.",
        "# macs: convolution out*(Cin/groups)*kvol, mm/addmm M*K*N, bmm/baddbmm B*M*K*N. "
        "matmul_outputs: output elements of those calls.",
        "# bias_adds: elements added by a bias (conv with bias, addmm/add of a bias parameter); "
        "attention masks in baddbmm are not counted.",
        "# flops = sum (2K-1)*outputs + bias_adds = 2*macs - matmul_outputs + bias_adds.",
        "# *_elements: output numel summed over calls of aten native_layer_norm, _softmax, gelu, "
        "add.Tensor, mul.Tensor, div.Tensor (informational).",
        "\t".join(COLUMNS),
    ]
    param_lines = []
    for name in args.models:
        row, model, counter = measure(name)
        lines.append("\t".join(str(row[col]) for col in COLUMNS))
        if name == "nn_transformer_encoder_layer":
            param_lines.append("# nn_transformer_encoder_layer named_parameters (name numel):")
            for pname, p in model.named_parameters():
                param_lines.append(f"#   {pname}\t{p.numel()}")
        if args.ops:
            print(f"== {name}", file=sys.stderr)
            for op in sorted(counter.op_calls):
                print(f"  {op}\tcalls={counter.op_calls[op]}\t"
                      f"elements={counter.op_elements[op]}", file=sys.stderr)
            extra = {k: v for k, v in counter.c.items()
                     if k in ("mask_adds", "other_matmul_adds")}
            if extra:
                print(f"  {extra}", file=sys.stderr)
    text = "\n".join(lines + param_lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
