#!/usr/bin/env python3
"""Attention with logit soft-capping written out, as Gemma 2's eager code writes it: what autograd saves and the live bytes.

The attention (Hugging Face transformers' Gemma 2 eager path, its dropout 0):

    k, v = repeat_kv(k), repeat_kv(v)                 # expand and reshape where there are fewer key/value heads
    scores = torch.matmul(q, k.transpose(2, 3)) * scale
    scores = torch.tanh(scores / softcap) * softcap   # attn_logit_softcapping
    scores = scores + mask                            # the causal mask, -inf above the diagonal
    probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
    out = torch.matmul(probs, v)

on q of 8 heads, k and v of 8, 2 or 1 heads (grouped), 64 positions of 32 features, at batch 1 and 2, fp32, and at bf16 for three
of those (PyTorch 1.13, CPU).
Per case it prints the bytes of the distinct storages saved_tensors_hooks sees packed during one forward with q, k and v
requiring grad (the mask is a buffer and left out), and the peak of live bytes of one no_grad forward under measure_memory.py's
LivenessMode (as its run_liveness runs it) with q, k and v counted as held by the caller throughout (the mask, a buffer, left
out): first as written above, where the scores stay referenced until the function returns (the bound modelcost counts: every
step's result beside its input, the scores and probabilities together), then as Hugging Face writes it, rebinding one variable
(attn_weights = softmax(attn_weights)), which frees the scores before the last product. At bf16 the softmax in fp32 and its
.to(dtype) make an fp32 tensor of the scores' size and a copy of it at bf16, both saved for backward
(@ScaledDotProductAttention(softmaxDtype = "fp32")).

  /usr/bin/python3 tools/pytorch/measure_softcap.py > tools/pytorch/softcap.tsv
"""
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure_memory import LivenessMode, ModuleStack, static_storages, storage_key, storage_nbytes  # noqa: E402

HEADS, LENGTH, FEATURES = 8, 64, 32


def repeat_kv(x, groups):
    if groups == 1:
        return x
    b, h, length, e = x.shape
    return x[:, :, None, :, :].expand(b, h, groups, length, e).reshape(b, h * groups, length, e)


class Attention(nn.Module):
    def __init__(self, kv_heads, softcap, rebinding=False, dtype=torch.float32):
        super().__init__()
        self.groups = HEADS // kv_heads
        self.softcap = softcap
        self.rebinding = rebinding
        mask = torch.full((LENGTH, LENGTH), float("-inf")).triu(1).to(dtype)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, q):
        k, v = self.kv
        k, v = repeat_kv(k, self.groups), repeat_kv(v, self.groups)
        scores = torch.matmul(q, k.transpose(2, 3)) * FEATURES ** -0.5
        if self.softcap is not None:
            scores = scores / self.softcap
            scores = torch.tanh(scores)
            scores = scores * self.softcap
        scores = scores + self.mask
        if self.rebinding:
            scores = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
            return torch.matmul(scores, v)
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        return torch.matmul(probs, v)


def inputs(batch, kv_heads, requires_grad, dtype=torch.float32):
    torch.manual_seed(0)
    return [torch.randn(batch, heads, LENGTH, FEATURES, dtype=dtype, requires_grad=requires_grad) for heads in (HEADS, kv_heads, kv_heads)]


def saved_bytes(model, qkv):
    static = {b.storage().data_ptr() for b in model.buffers()}
    seen = {}

    def pack(t):
        storage = t.storage()
        if storage.data_ptr() not in static:
            seen[storage.data_ptr()] = storage.nbytes()
        return t

    model.kv = qkv[1:]
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(qkv[0])
    return sum(seen.values())


def peak_bytes(model, qkv):
    # run_liveness counts the one input it is given as held throughout; the other two and the buffer are held the same way
    model.kv = qkv[1:]
    static = static_storages(model, qkv[0])
    for t in qkv[1:]:
        static[storage_key(t)] = "input"
    modules = ModuleStack(model)
    mode = LivenessMode(static, modules)
    try:
        with torch.no_grad(), mode:
            model(qkv[0])
    finally:
        modules.remove()
    mode.close()
    return max(row["live_bytes"] for row in mode.rows) + sum(storage_nbytes(t) for t in qkv)


def main():
    torch.set_num_threads(1)
    print("# command: /usr/bin/python3 tools/pytorch/measure_softcap.py > tools/pytorch/softcap.tsv")
    print(f"# torch {torch.__version__}; case, saved bytes (q, k, v requiring grad), peak live bytes (no_grad, q, k, v held) "
          "as written, and as Hugging Face rebinds the scores")
    cases = [(torch.float32, batch, kv_heads) for batch in (1, 2) for kv_heads in (HEADS, 2, 1)]
    cases += [(torch.bfloat16, 1, HEADS), (torch.bfloat16, 1, 2), (torch.bfloat16, 2, 1)]
    for dtype, batch, kv_heads in cases:
        for softcap in (None, 50.0):
            name = ("bf16-" if dtype == torch.bfloat16 else "") + f"b{batch}-kv{kv_heads}-" + ("softcap" if softcap else "plain")
            saved = saved_bytes(Attention(kv_heads, softcap, dtype=dtype).train(), inputs(batch, kv_heads, True, dtype))
            bound = peak_bytes(Attention(kv_heads, softcap, dtype=dtype).eval(), inputs(batch, kv_heads, False, dtype))
            rebound = peak_bytes(Attention(kv_heads, softcap, rebinding=True, dtype=dtype).eval(), inputs(batch, kv_heads, False, dtype))
            print(name, saved, bound, rebound, sep="\t", flush=True)


if __name__ == "__main__":
    main()
