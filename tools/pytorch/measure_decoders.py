#!/usr/bin/env python3
"""Measure reference costs of decoder-only language models with real PyTorch.

Models (batch 1, eval mode, torch.no_grad(), random weights):

  gpt2_small    GPT-2 small: learned positions, pre-LN, tied LM head (T = 64 .. 1024)
  llama_tiny    Llama-style decoder d512 L4 H8 KV2 ffn1536 V32000, untied head
  mixtral_tiny  Mixtral-style sparse MoE d256 L2 H8 KV2 ffn512, 8 experts, top-2
  llama3_8b, mistral_7b, mixtral_8x7b, llama3_70b, llama3_405b
                the published configurations, built on device='meta' (no memory,
                no arithmetic; shapes only) and run at T = 2048

The architectures follow the layouts of the Hugging Face implementations
(GPT2LMHeadModel, LlamaForCausalLM, MixtralSparseMoeBlock): RMSNorm, rotary
position embedding computed on the fly (no parameters, no matrix product),
grouped-query attention with repeat_kv by expand + reshape, SwiGLU MLP.  They are
written out in this file so that it needs nothing but torch.

Costs are counted at the dispatch level with a TorchDispatchMode, i.e. on the
aten operators that actually run:

  macs            aten.mm / addmm:       M * K * N
                  aten.bmm / baddbmm:    B * M * K * N
                  aten.convolution:      out.numel() * (C_in / groups) * kernel volume
                                         (none of these models has one)
  macs_mm         mm + addmm;  macs_bmm: bmm + baddbmm
  matmul_outputs  output elements of all those calls
  bias_adds       elements added by a bias: output numel of every addmm, of a
                  convolution with a bias, and of an add/add_ whose operand is a
                  bias parameter (nn.Linear on an input that is not 2-D may run
                  matmul followed by add_(bias)).  A mask added by baddbmm is not
                  a bias add.
  flops           2 * macs - matmul_outputs + bias_adds
                  (a K-long dot product is K multiplies and K - 1 adds)
  params          sum of numel over model.parameters() (a tied tensor once)

Mixture of experts: every token goes to exactly top_k experts, so the MACs do
not depend on the routing.  mixtral_tiny runs the real routed block on random
token ids (torch.manual_seed(0)).  On 'meta' tensors the routed block cannot
run (torch.where / nonzero needs data), so mixtral_8x7b is measured with the
block replaced by an equivalent dense computation: the router, then experts
0 .. top_k-1 applied to every token.  That is exactly the same set of matrix
products with the same total row count (tokens * top_k) as the routed block;
the script checks the equivalence on mixtral_tiny (real tensors, both ways).

Usage (from the repository root):
  /usr/bin/python3 tools/pytorch/measure_decoders.py --out tools/pytorch/decoder-costs.tsv
  /usr/bin/python3 tools/pytorch/measure_decoders.py gpt2_small:1024 llama3_8b:2048   # TSV on stdout

Only torch is needed (Debian: python3-torch, 1.13).  All runs together take
about three and a half minutes on a two-core CPU.
"""

import argparse
import math
import platform
import shlex
import sys
from collections import defaultdict

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten


# ----------------------------------------------------------------------------
# Architectures
# ----------------------------------------------------------------------------

class GPT2Block(nn.Module):
    def __init__(self, d, heads, eps=1e-5):
        super().__init__()
        self.h, self.hd = heads, d // heads
        self.ln_1 = nn.LayerNorm(d, eps=eps)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=eps)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, causal):
        B, T, d = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        q, k, v = (t.view(B, T, self.h, self.hd).transpose(1, 2) for t in (q, k, v))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.hd)
        scores = scores.masked_fill(causal, float("-inf"))
        y = torch.matmul(torch.softmax(scores, dim=-1), v)
        y = y.transpose(1, 2).contiguous().view(B, T, d)
        x = x + self.drop(self.c_proj(y))
        mlp = self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x + self.drop(mlp)


class GPT2LMHeadModel(nn.Module):
    """GPT-2 small by default: vocab 50257, 1024 positions, d 768, 12 layers, 12 heads."""

    def __init__(self, vocab=50257, n_ctx=1024, d=768, layers=12, heads=12):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(n_ctx, d)
        self.drop = nn.Dropout(0.1)
        self.h = nn.ModuleList(GPT2Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d, eps=1e-5)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight  # tied with the token embedding

    def forward(self, input_ids):
        T = input_ids.shape[1]
        dev = input_ids.device
        pos = torch.arange(T, device=dev)
        causal = torch.ones(T, T, dtype=torch.bool, device=dev).triu(1)
        x = self.drop(self.wte(input_ids) + self.wpe(pos))
        for block in self.h:
            x = block(x, causal)
        return self.lm_head(self.ln_f(x))


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-5, device=None):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d, device=device))

    def forward(self, x):
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * xf.to(x.dtype)


def rotary_tables(T, head_dim, theta, device):
    """cos/sin tables of the rotary embedding, (T, head_dim); outer is elementwise."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, device=device,
                                             dtype=torch.float32) / head_dim))
    t = torch.arange(T, device=device, dtype=torch.float32)
    angles = torch.outer(t, inv_freq)
    emb = torch.cat((angles, angles), dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class LlamaAttention(nn.Module):
    def __init__(self, d, heads, kv_heads, device=None):
        super().__init__()
        self.h, self.kv, self.hd = heads, kv_heads, d // heads
        self.q_proj = nn.Linear(d, heads * self.hd, bias=False, device=device)
        self.k_proj = nn.Linear(d, kv_heads * self.hd, bias=False, device=device)
        self.v_proj = nn.Linear(d, kv_heads * self.hd, bias=False, device=device)
        self.o_proj = nn.Linear(heads * self.hd, d, bias=False, device=device)

    def forward(self, x, cos, sin, mask):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = self.h // self.kv  # grouped-query attention: repeat_kv by expand + reshape
        k = k[:, :, None].expand(B, self.kv, rep, T, self.hd).reshape(B, self.h, T, self.hd)
        v = v[:, :, None].expand(B, self.kv, rep, T, self.hd).reshape(B, self.h, T, self.hd)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.hd) + mask
        probs = torch.softmax(scores.float(), dim=-1).to(q.dtype)
        y = torch.matmul(probs, v).transpose(1, 2).reshape(B, T, self.h * self.hd)
        return self.o_proj(y)


class SwiGLU(nn.Module):
    def __init__(self, d, ffn, device=None):
        super().__init__()
        self.gate_proj = nn.Linear(d, ffn, bias=False, device=device)
        self.up_proj = nn.Linear(d, ffn, bias=False, device=device)
        self.down_proj = nn.Linear(ffn, d, bias=False, device=device)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class SparseMoE(nn.Module):
    """Mixtral sparse MoE block: softmax router, top-k, renormalised weights,
    each expert runs only on the tokens routed to it.

    dense_equivalent=True replaces the data-dependent routing (not possible on
    'meta' tensors) by sending every token to experts 0 .. top_k-1: the same
    matrix products, the same number of expert rows in total."""

    def __init__(self, d, ffn, n_experts, top_k, device=None):
        super().__init__()
        self.top_k, self.n = top_k, n_experts
        self.gate = nn.Linear(d, n_experts, bias=False, device=device)
        self.experts = nn.ModuleList(SwiGLU(d, ffn, device) for _ in range(n_experts))
        self.dense_equivalent = False

    def forward(self, x):
        B, T, d = x.shape
        h = x.reshape(-1, d)
        w = torch.softmax(self.gate(h).float(), dim=1)
        w, sel = torch.topk(w, self.top_k, dim=-1)
        w = (w / w.sum(dim=-1, keepdim=True)).to(h.dtype)
        if self.dense_equivalent:
            out = torch.zeros_like(h)
            for slot in range(self.top_k):
                out = out + self.experts[slot](h) * w[:, slot, None]
            return out.reshape(B, T, d)
        out = torch.zeros_like(h)
        mask = F.one_hot(sel, num_classes=self.n).permute(2, 1, 0)  # (expert, slot, token)
        for e in range(self.n):
            slot, tok = torch.where(mask[e])
            if tok.numel() == 0:
                continue
            y = self.experts[e](h[tok]) * w[tok, slot, None]
            out.index_add_(0, tok, y)
        return out.reshape(B, T, d)


class LlamaDecoderLayer(nn.Module):
    def __init__(self, cfg, device=None):
        super().__init__()
        d = cfg["d"]
        self.input_layernorm = RMSNorm(d, cfg["eps"], device)
        self.self_attn = LlamaAttention(d, cfg["heads"], cfg["kv_heads"], device)
        self.post_attention_layernorm = RMSNorm(d, cfg["eps"], device)
        if cfg.get("experts"):
            self.mlp = SparseMoE(d, cfg["ffn"], cfg["experts"], cfg["top_k"], device)
        else:
            self.mlp = SwiGLU(d, cfg["ffn"], device)

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class LlamaForCausalLM(nn.Module):
    """Llama-style decoder (also Mistral, and Mixtral when cfg has experts); untied LM head."""

    def __init__(self, cfg, device=None):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg["vocab"], cfg["d"], device=device)
        self.layers = nn.ModuleList(LlamaDecoderLayer(cfg, device) for _ in range(cfg["layers"]))
        self.norm = RMSNorm(cfg["d"], cfg["eps"], device)
        self.lm_head = nn.Linear(cfg["d"], cfg["vocab"], bias=False, device=device)

    def forward(self, input_ids):
        T = input_ids.shape[1]
        dev = input_ids.device
        cos, sin = rotary_tables(T, self.cfg["d"] // self.cfg["heads"], self.cfg["theta"], dev)
        mask = torch.full((T, T), float("-inf"), device=dev).triu(1)
        x = self.embed_tokens(input_ids)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.lm_head(self.norm(x))


LLAMA_TINY = dict(vocab=32000, d=512, layers=4, heads=8, kv_heads=2, ffn=1536, eps=1e-5,
                  theta=10000.0)
LLAMA3_8B = dict(vocab=128256, d=4096, layers=32, heads=32, kv_heads=8, ffn=14336, eps=1e-5,
                 theta=500000.0)
LLAMA3_70B = dict(vocab=128256, d=8192, layers=80, heads=64, kv_heads=8, ffn=28672, eps=1e-5,
                  theta=500000.0)
LLAMA3_405B = dict(vocab=128256, d=16384, layers=126, heads=128, kv_heads=8, ffn=53248,
                   eps=1e-5, theta=500000.0)
MISTRAL_7B = dict(vocab=32000, d=4096, layers=32, heads=32, kv_heads=8, ffn=14336, eps=1e-5,
                  theta=10000.0)  # sliding window (4096) has no effect at T <= 4096
MIXTRAL_TINY = dict(vocab=32000, d=256, layers=2, heads=8, kv_heads=2, ffn=512, eps=1e-5,
                    theta=1e6, experts=8, top_k=2)
MIXTRAL_8X7B = dict(vocab=32000, d=4096, layers=32, heads=32, kv_heads=8, ffn=14336, eps=1e-5,
                    theta=1e6, experts=8, top_k=2)

# name -> (builder(device), vocab, run on meta?, notes)
MODELS = {
    "gpt2_small": (lambda dev: GPT2LMHeadModel(), 50257, False,
                   "GPT-2 small, tied head, CPU, input_ids zeros"),
    "llama_tiny": (lambda dev: LlamaForCausalLM(LLAMA_TINY, dev), 32000, False,
                   "Llama-style d512 L4 H8 KV2 ffn1536 V32000, CPU, input_ids zeros"),
    "mixtral_tiny": (lambda dev: LlamaForCausalLM(MIXTRAL_TINY, dev), 32000, False,
                     "Mixtral-style d256 L2 8 experts top-2, CPU, random ids (seed 0), routed MoE"),
    "llama3_8b": (lambda dev: LlamaForCausalLM(LLAMA3_8B, dev), 128256, True,
                  "Llama-3-8B config, meta"),
    "mistral_7b": (lambda dev: LlamaForCausalLM(MISTRAL_7B, dev), 32000, True,
                   "Mistral-7B config, meta"),
    "mixtral_8x7b": (lambda dev: LlamaForCausalLM(MIXTRAL_8X7B, dev), 32000, True,
                     "Mixtral-8x7B config, meta"),
    "llama3_70b": (lambda dev: LlamaForCausalLM(LLAMA3_70B, dev), 128256, True,
                   "Llama-3-70B config, meta"),
    "llama3_405b": (lambda dev: LlamaForCausalLM(LLAMA3_405B, dev), 128256, True,
                    "Llama-3.1-405B config, meta"),
}

DEFAULT_RUNS = [
    ("gpt2_small", 64), ("gpt2_small", 128), ("gpt2_small", 256), ("gpt2_small", 512),
    ("gpt2_small", 1024),
    ("llama_tiny", 64), ("llama_tiny", 128), ("llama_tiny", 256), ("llama_tiny", 512),
    ("mixtral_tiny", 256),
    ("llama3_8b", 2048), ("mistral_7b", 2048), ("mixtral_8x7b", 2048),
    ("llama3_70b", 2048), ("llama3_405b", 2048),
]

# Figures from the reference measurements that this script must reproduce.
EXPECTED = {
    ("gpt2_small", 1024): dict(params=124439808, macs=145824153600, bias_adds=84934656),
    ("gpt2_small", 64): dict(macs=7981547520, bias_adds=5308416),
    ("gpt2_small", 128): dict(macs=16114089984, bias_adds=10616832),
    ("gpt2_small", 256): dict(macs=32832159744, bias_adds=21233664),
    ("gpt2_small", 512): dict(macs=68080238592, bias_adds=42467328),
    ("llama_tiny", 256): dict(params=44831232, macs=7549747200),
    ("llama_tiny", 64): dict(macs=1837105152),
    ("llama_tiny", 128): dict(macs=3707764736),
    ("llama_tiny", 512): dict(macs=15636365312),
    ("mixtral_tiny", 256): dict(params=23008512, macs=2651848704),
    ("llama3_8b", 2048): dict(params=8030261248, macs=16469052096512),
    ("mistral_7b", 2048): dict(params=7241732096),
    ("mixtral_8x7b", 2048): dict(params=46702792704),
}


# ----------------------------------------------------------------------------
# Counting
# ----------------------------------------------------------------------------

def _bias_ranges(model):
    """Byte ranges [start, end) of every bias parameter of a non-meta model."""
    ranges = []
    for name, p in model.named_parameters():
        if name.endswith("bias") and p.device.type != "meta":
            start = p.data_ptr()
            ranges.append((start, start + p.numel() * p.element_size()))
    return ranges


class CostCounter(TorchDispatchMode):
    def __init__(self, bias_ranges):
        super().__init__()
        self.c = defaultdict(int)
        self.bias_ranges = bias_ranges
        self.ops = defaultdict(int)

    def _is_bias(self, t):
        if not isinstance(t, torch.Tensor) or t.device.type == "meta" or not self.bias_ranges:
            return False
        ptr = t.data_ptr()
        return any(s <= ptr < e for s, e in self.bias_ranges)

    def _matmul(self, kind, macs, out):
        self.c["macs_" + kind] += macs
        self.c["matmul_outputs"] += out.numel()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        packet = func.overloadpacket
        self.ops[packet.__name__] += 1
        if packet is aten.mm:
            a, b = args[0], args[1]
            self._matmul("mm", a.shape[0] * a.shape[1] * b.shape[1], out)
        elif packet is aten.addmm:
            a, b = args[1], args[2]
            self._matmul("mm", a.shape[0] * a.shape[1] * b.shape[1], out)
            self.c["bias_adds"] += out.numel()
        elif packet is aten.bmm:
            a, b = args[0], args[1]
            self._matmul("bmm", a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2], out)
        elif packet is aten.baddbmm:
            inp, a, b = args[0], args[1], args[2]
            self._matmul("bmm", a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2], out)
            if self._is_bias(inp):  # an attention mask is not a bias
                self.c["bias_adds"] += out.numel()
        elif packet is aten.convolution:
            w = args[1]
            kvol = math.prod(w.shape[2:])
            transposed = args[6]
            if transposed:  # in_elements * (C_out / groups) * kernel volume
                x = args[0]
                self._matmul("conv", x.numel() * w.shape[1] * kvol, out)
            else:
                self._matmul("conv", out.numel() * w.shape[1] * kvol, out)
            if args[2] is not None:
                self.c["bias_adds"] += out.numel()
        elif packet in (aten.add, aten.add_):
            if len(args) > 1 and (self._is_bias(args[0]) or self._is_bias(args[1])):
                self.c["bias_adds"] += out.numel()
        return out


def count_params(model):
    return sum(p.numel() for p in model.parameters())  # parameters() yields a tied tensor once


def run_forward(model, ids):
    counter = CostCounter(_bias_ranges(model))
    with torch.no_grad(), counter:
        model(ids)
    return counter


def set_dense_moe(model, on):
    n = 0
    for m in model.modules():
        if isinstance(m, SparseMoE):
            m.dense_equivalent = on
            n += 1
    return n


def measure(name, T, log):
    build, vocab, on_meta, notes = MODELS[name]
    device = "meta" if on_meta else "cpu"
    torch.manual_seed(0)
    model = build(device).eval()
    params = count_params(model)
    if name.startswith("mixtral"):
        ids = torch.randint(0, vocab, (1, T), dtype=torch.long, device=device)
    else:
        ids = torch.zeros(1, T, dtype=torch.long, device=device)
    try:
        counter = run_forward(model, ids)
    except Exception as exc:  # routed MoE on meta tensors: data-dependent shapes
        if not any(isinstance(m, SparseMoE) for m in model.modules()):
            raise
        log(f"{name}: routed MoE forward failed on {device} "
            f"({type(exc).__name__}: {str(exc).splitlines()[0][:120]}); "
            f"using the dense top-k equivalent (experts 0..top_k-1 on every token)")
        set_dense_moe(model, True)
        counter = run_forward(model, ids)
        notes += ", MoE as dense equivalent (every token to experts 0 and 1)"
    c = counter.c
    macs_mm, macs_bmm, macs_conv = c["macs_mm"], c["macs_bmm"], c["macs_conv"]
    macs = macs_mm + macs_bmm + macs_conv
    if macs_conv:
        notes += f", macs_conv {macs_conv}"
    row = dict(model=name, T=T, params=params, macs=macs, macs_mm=macs_mm, macs_bmm=macs_bmm,
               matmul_outputs=c["matmul_outputs"], bias_adds=c["bias_adds"],
               flops=2 * macs - c["matmul_outputs"] + c["bias_adds"], notes=notes)
    if macs_bmm == 0:
        raise RuntimeError(f"{name}: no bmm/baddbmm seen")
    return row, model, ids


def check_moe_equivalence(log):
    """On real tensors, the dense top-k stand-in must count exactly what routing counts."""
    _, model, ids = measure("mixtral_tiny", 256, log)
    routed = run_forward(model, ids).c
    set_dense_moe(model, True)
    dense = run_forward(model, ids).c
    keys = ("macs_mm", "macs_bmm", "matmul_outputs", "bias_adds")
    ok = all(routed[k] == dense[k] for k in keys)
    log("mixtral_tiny routed vs dense-equivalent MoE: "
        + ", ".join(f"{k} {routed[k]} / {dense[k]}" for k in keys)
        + (" -> identical" if ok else " -> DIFFERENT"))
    return ok


COLUMNS = ["model", "T", "params", "macs", "macs_mm", "macs_bmm", "matmul_outputs",
           "bias_adds", "flops"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="*", help="model:T (default: all)")
    ap.add_argument("--out", help="write the TSV here instead of stdout")
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: default)")
    opts = ap.parse_args()
    if opts.threads:
        torch.set_num_threads(opts.threads)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    runs = []
    for spec in opts.runs:
        name, _, t = spec.partition(":")
        if name not in MODELS:
            ap.error(f"unknown model {name}; known: {', '.join(MODELS)}")
        runs.append((name, int(t or (1024 if name == "gpt2_small" else
                                     256 if name in ("llama_tiny", "mixtral_tiny") else 2048))))
    runs = runs or DEFAULT_RUNS

    rows, failures, notes = [], [], []
    for name, T in runs:
        row, model, _ = measure(name, T, lambda m: (log(m), notes.append(m)))
        del model
        rows.append(row)
        exp = EXPECTED.get((name, T), {})
        bad = {k: (row[k], v) for k, v in exp.items() if row[k] != v}
        status = "OK vs reference" if exp and not bad else ("MISMATCH " + str(bad) if bad else "")
        if bad:
            failures.append(f"{name} T={T}: {bad}")
        log(f"{name:13s} T={T:5d} params={row['params']} macs={row['macs']} "
            f"flops={row['flops']} {status}")
    if any(n == "mixtral_8x7b" for n, _ in runs) and any("dense" in r["notes"] for r in rows):
        if not check_moe_equivalence(log):
            failures.append("dense MoE stand-in does not match routed MoE on mixtral_tiny")

    cmd = "/usr/bin/python3 tools/pytorch/measure_decoders.py" + "".join(
        " " + shlex.quote(a) for a in sys.argv[1:])
    lines = [
        f"# command: {cmd}",
        f"# torch {torch.__version__}, python {platform.python_version()}",
        "# batch 1, eval mode, torch.no_grad(); counted with a TorchDispatchMode on aten mm/addmm/bmm/baddbmm/convolution.",
        "# gpt2_small, llama_tiny, mixtral_tiny: real tensors on CPU (input_ids zeros; mixtral_tiny random ids, seed 0, routed MoE).",
        "# llama3_8b, mistral_7b, mixtral_8x7b, llama3_70b, llama3_405b: built and run on device='meta'.",
        "# macs: mm/addmm M*K*N, bmm/baddbmm B*M*K*N (+ convolution, none here); macs_mm = mm+addmm, macs_bmm = bmm+baddbmm.",
        "# matmul_outputs: output elements of those calls. bias_adds: addmm output elements (attention masks not counted).",
        "# flops = 2*macs - matmul_outputs + bias_adds. params: sum numel of unique parameters (tied once).",
    ]
    for n in dict.fromkeys(notes):
        lines.append("# note: " + n)
    lines.append("\t".join(COLUMNS))
    for r in rows:
        lines.append("\t".join(str(r[c]) for c in COLUMNS))
    text = "\n".join(lines) + "\n"
    if opts.out:
        with open(opts.out, "w") as f:
            f.write(text)
        log(f"wrote {opts.out}")
    else:
        sys.stdout.write(text)
    if failures:
        log("FAILED: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
