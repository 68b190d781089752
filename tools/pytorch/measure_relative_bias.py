#!/usr/bin/env python3
"""Measure T5's relative position bias: what PyTorch and the counters see, and its memory.

The bias is T5's (Hugging Face transformers 4.x, T5Attention.compute_bias and
_relative_position_bucket), written out below for PyTorch 1.13 with the same aten ops in the
same order and the same Python locals alive, so that the memory it holds while it runs is
the same: two aranges, their differences, the buckets (int64), one boolean mask (two
looking both ways), a float32 logarithm, then an nn.Embedding(num_buckets, n_heads) lookup
permuted to 1 x heads x Lq x Lk.

Prints tab-separated rows (figure, value) for the cases RelativePositionBiasTest checks:

  attention enc|dec|cross   T5 self-attention (8 heads of 8 on d 64, no mask, no cache) with
                            the bias, dropout and residual, batch 2, 10 tokens (cross: keys and
                            values from 7 encoder states); PARAMS, MACS, FLOPS from
                            measure_layers.CostCounter, and every counter as
                            measure_counters.py calls it
  peak H L enc|dec          the bias alone on a 1 x L x 4 input: measure_memory.py's liveness
                            of one no_grad forward, peak live bytes plus the input
  saved L                   bytes autograd saves besides the table (saved_tensors_hooks)

Usage (the counters' checkouts as in measure_counters.py):

  /usr/bin/python3 tools/pytorch/measure_relative_bias.py --thop pytorch-OpCounter \\
      --nni nni/nni/compression/utils/counter.py --ptflops flops-counter.pytorch \\
      --fvcore fvcore --torchinfo torchinfo --torchinfo-v180 torchinfo-v1.8.0
"""

import argparse
import contextlib
import math
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_counters  # noqa: E402
import measure_layers  # noqa: E402
import measure_memory  # noqa: E402


def buckets_of(distance, both_ways, count, farthest):
    """T5's bucket of each key-minus-query distance, op for op as transformers computes it."""
    bucket = 0
    if both_ways:
        count //= 2
        bucket += (distance > 0).to(torch.long) * count
        distance = torch.abs(distance)
    else:
        distance = -torch.min(distance, torch.zeros_like(distance))
    exact = count // 2
    near = distance < exact
    far = exact + (torch.log(distance.float() / exact) / math.log(farthest / exact) * (count - exact)).to(torch.long)
    far = torch.min(far, torch.full_like(far, count - 1))
    bucket += torch.where(near, distance, far)
    return bucket


class RelativeBias(nn.Module):
    """relative_attention_bias and compute_bias(query_length, key_length)."""

    def __init__(self, heads, count=32, farthest=128, decoder=False):
        super().__init__()
        self.relative_attention_bias = nn.Embedding(count, heads)
        self.count, self.farthest, self.decoder = count, farthest, decoder

    def compute_bias(self, queries, keys):
        query_positions = torch.arange(queries, dtype=torch.long)[:, None]
        key_positions = torch.arange(keys, dtype=torch.long)[None, :]
        distance = key_positions - query_positions
        bucket = buckets_of(distance, not self.decoder, self.count, self.farthest)
        values = self.relative_attention_bias(bucket)
        values = values.permute([2, 0, 1]).unsqueeze(0)
        return values


class BiasAlone(nn.Module):
    """The bias of an input's length: the output is the bias itself."""

    def __init__(self, heads, decoder):
        super().__init__()
        self.bias = RelativeBias(heads, decoder=decoder)

    def forward(self, x):
        return self.bias.compute_bias(x.shape[1], x.shape[1])


class T5Attention(nn.Module):
    """q, k, v, o without bias, scores = q·kᵀ (T5 does not scale), + bias, functional softmax, dropout, residual."""

    def __init__(self, d=64, heads=8, head_dim=8, decoder=False):
        super().__init__()
        inner = heads * head_dim
        self.q = nn.Linear(d, inner, bias=False)
        self.k = nn.Linear(d, inner, bias=False)
        self.v = nn.Linear(d, inner, bias=False)
        self.o = nn.Linear(inner, d, bias=False)
        self.bias = RelativeBias(heads, decoder=decoder)
        self.dropout = nn.Dropout(0.1)
        self.dropout2 = nn.Dropout(0.1)
        self.heads, self.head_dim = heads, head_dim

    def forward(self, x, states=None):
        states = x if states is None else states
        n = x.shape[0]

        def split(t):
            return t.view(n, -1, self.heads, self.head_dim).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(states)), split(self.v(states))
        scores = torch.matmul(q, k.transpose(3, 2))
        scores = scores + self.bias.compute_bias(q.shape[2], k.shape[2])
        weights = self.dropout(nn.functional.softmax(scores, dim=-1))
        context = torch.matmul(weights, v).transpose(1, 2).reshape(n, -1, self.heads * self.head_dim)
        return x + self.dropout2(self.o(context))


def counted(factory, tools):
    """PyTorch's own figures and every counter's, for a fresh model from factory() -> (model, inputs)."""
    thop, nni, complexity, flop_count, summary_head, summary_v180 = tools
    figures = {}
    model, inputs = factory()
    counter = measure_layers.CostCounter(measure_layers._bias_ranges(model))
    with counter:
        model(*inputs)
    figures["PARAMS"] = sum(p.numel() for p in model.parameters())
    figures["MACS"] = counter.c["macs"]
    figures["FLOPS"] = counter.c["flops_core"] + counter.c["bias_adds"]
    figures["MATMUL_MACS"] = counter.c["macs_bmm"]

    def each(label, call):
        with contextlib.redirect_stdout(sys.stderr):
            model, inputs = factory()
            return call(model.eval(), inputs)

    figures["THOP_MACS"], figures["THOP_PARAMS"] = each("thop", lambda m, i: thop.profile(m, inputs=i, verbose=False))
    for mode, prefix in (("default", "NNI"), ("full", "NNI_FULL")):
        flops, params, _ = each("nni", lambda m, i: nni.count_flops_params(m, i[0] if len(i) == 1 else i, verbose=False, mode=mode))
        figures[prefix + "_FLOPS"], figures[prefix + "_PARAMS"] = flops, params
    for backend, functional, name in (("pytorch", True, "PTFLOPS_MACS"), ("pytorch", False, "PTFLOPS_NOFUNC_MACS"), ("aten", True, "PTFLOPS_ATEN_MACS")):
        macs, params = each("ptflops", lambda m, i: complexity(m, tuple(i[0].shape[1:]), as_strings=False, print_per_layer_stat=False,
                                                             verbose=False, backend=backend, input_constructor=lambda _: i[0] if len(i) == 1 else
                                                             dict(zip(("x", "states"), i)), ost=sys.stderr,
                                                             backend_specific_config={"count_functional": functional}))
        figures[name] = macs
        if name == "PTFLOPS_MACS":
            figures["PTFLOPS_PARAMS"] = params
    figures["FVCORE_FLOPS"] = each("fvcore", lambda m, i: flop_count(m, i).unsupported_ops_warnings(False).uncalled_modules_warnings(False).total())
    head = each("torchinfo", lambda m, i: summary_head(m, input_data=list(i), verbose=0))
    figures["TORCHINFO_MULT_ADDS"], figures["TORCHINFO_PARAMS"] = head.total_mult_adds, head.total_params
    figures["TORCHINFO_V180_MULT_ADDS"] = each("torchinfo", lambda m, i: summary_v180(m, input_data=list(i), verbose=0)).total_mult_adds
    return {name: int(round(float(value))) for name, value in figures.items()}


def peak(heads, length, decoder):
    model = BiasAlone(heads, decoder).eval()
    x = torch.randn(1, length, 4)
    mode, _ = measure_memory.run_liveness(model, x)
    return max(row["live_bytes"] for row in mode.rows) + x.numel() * x.element_size()


def saved(length):
    model = BiasAlone(1, False).train()
    table = model.bias.relative_attention_bias.weight
    sizes = []

    def pack(tensor):
        if tensor is not table:
            sizes.append(tensor.numel() * tensor.element_size())
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        model(torch.randn(3, length, 4))
    return sum(sizes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for tool in ("thop", "nni", "ptflops", "fvcore", "torchinfo", "torchinfo-v180"):
        parser.add_argument("--" + tool, required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.thop)
    import thop
    sys.path.insert(0, args.ptflops)
    from ptflops import get_model_complexity_info
    tools = (thop, measure_counters.load_nni(args.nni), get_model_complexity_info, measure_counters.load_fvcore(args.fvcore),
             measure_counters.load_torchinfo(args.torchinfo), measure_counters.load_torchinfo(args.torchinfo_v180))
    print(f"# {' '.join(sys.argv)}; torch {torch.__version__}")
    cases = {
        "attention enc": lambda: (T5Attention(), (torch.randn(2, 10, 64),)),
        "attention dec": lambda: (T5Attention(decoder=True), (torch.randn(2, 10, 64),)),
        "attention cross": lambda: (T5Attention(decoder=True), (torch.randn(2, 10, 64), torch.randn(2, 7, 64))),
    }
    for case, factory in cases.items():
        torch.manual_seed(0)
        for figure, value in counted(factory, tools).items():
            print(f"{case}\t{figure}\t{value}")
    for heads in (1, 8, 64):
        for decoder in (False, True):
            print(f"peak {heads} 40 {'dec' if decoder else 'enc'}\tPEAK_ACTIVATION_BYTES\t{peak(heads, 40, decoder)}")
    print(f"saved 40\tSAVED_ACTIVATION_BYTES\t{saved(40)}")


if __name__ == "__main__":
    main()
