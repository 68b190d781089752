#!/usr/bin/env python3
"""Measure a small Whisper-like encoder-decoder at many audio and token lengths with real PyTorch.

The model follows openai/whisper's model.py (AudioEncoder, TextDecoder, ResidualAttentionBlock,
MultiHeadAttention with q and k each scaled by d_head^-0.25), written out here so that it needs
nothing but torch and numpy: 16 mel channels, width 32, 4 heads, 2 encoder and 2 decoder layers,
a vocabulary of 100, 16 token positions, and a sinusoidal table of 1,500 audio positions sliced to
the length the strided convolution gives (x + pe[:x.shape[1]]), so that every mel length up to
3,000 runs. The logits reuse the token embedding's weight.

Batch 1, eval mode, gradients on (the eager attention path). Costs are counted at the dispatch
level with a TorchDispatchMode, on the aten operators that actually run:

  macs       aten.mm / addmm / bmm / baddbmm: output elements * K; aten.convolution: output
             elements * C_in / groups * kernel size
  flops      2 * macs - output elements of those calls + bias adds (the elements of every call
             that adds a bias parameter)
  other_ops  modelcost's convention applied to the elements of the operators that ran: 7 per
             layer-norm output element, 5 per softmax element, 1 per GELU, multiply and add element
  params     sum of numel over model.parameters()

Usage: /usr/bin/python3 tools/pytorch/measure_whisper_sizes.py --out tools/pytorch/whisper-sizes.tsv
"""
import argparse
import sys
from collections import defaultdict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten


class Counter(TorchDispatchMode):
    """MACs, matmul outputs, bias adds and output elements per operator, as the docstring says."""

    def __init__(self, model):
        super().__init__()
        self.biases = {p.storage().data_ptr() for n, p in model.named_parameters() if n.endswith("bias")}
        self.macs = 0
        self.outputs = 0
        self.bias_adds = 0
        self.elements = defaultdict(int)

    def is_bias(self, t):
        return isinstance(t, torch.Tensor) and t.storage().data_ptr() in self.biases

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        packet = func.overloadpacket
        first = out[0] if isinstance(out, (tuple, list)) else out
        if isinstance(first, torch.Tensor):
            self.elements[packet.__name__] += first.numel()
        if packet in (aten.mm, aten.addmm, aten.bmm, aten.baddbmm):
            a = args[1] if packet in (aten.addmm, aten.baddbmm) else args[0]
            self.macs += first.numel() * a.shape[-1]
            self.outputs += first.numel()
            if packet is aten.addmm and self.is_bias(args[0]):
                self.bias_adds += first.numel()
        elif packet is aten.convolution:
            weight = args[1]
            self.macs += first.numel() * weight.shape[1] * weight[0, 0].numel()
            self.outputs += first.numel()
            if args[2] is not None:
                self.bias_adds += first.numel()
        elif packet in (aten.add, aten.add_) and any(self.is_bias(a) for a in args[:2]):
            self.bias_adds += first.numel()
        return out

    @property
    def flops(self):
        return 2 * self.macs - self.outputs + self.bias_adds


def sinusoids(length, channels, max_timescale=10000):
    increment = np.log(max_timescale) / (channels // 2 - 1)
    inv_timescales = torch.exp(-increment * torch.arange(channels // 2))
    scaled_time = torch.arange(length)[:, np.newaxis] * inv_timescales[np.newaxis, :]
    return torch.cat([torch.sin(scaled_time), torch.cos(scaled_time)], dim=1)


class MultiHeadAttention(nn.Module):
    def __init__(self, n_state, n_head):
        super().__init__()
        self.n_head = n_head
        self.query = nn.Linear(n_state, n_state)
        self.key = nn.Linear(n_state, n_state, bias=False)
        self.value = nn.Linear(n_state, n_state)
        self.out = nn.Linear(n_state, n_state)

    def forward(self, x, xa=None, mask=None):
        q = self.query(x)
        k = self.key(x if xa is None else xa)
        v = self.value(x if xa is None else xa)
        n_batch, n_ctx, n_state = q.shape
        scale = (n_state // self.n_head) ** -0.25
        q = q.view(*q.shape[:2], self.n_head, -1).permute(0, 2, 1, 3) * scale
        k = k.view(*k.shape[:2], self.n_head, -1).permute(0, 2, 3, 1) * scale
        v = v.view(*v.shape[:2], self.n_head, -1).permute(0, 2, 1, 3)
        qk = q @ k
        if mask is not None:
            qk = qk + mask[:n_ctx, :n_ctx]
        w = F.softmax(qk.float(), dim=-1).to(q.dtype)
        return self.out((w @ v).permute(0, 2, 1, 3).flatten(start_dim=2))


class ResidualAttentionBlock(nn.Module):
    def __init__(self, n_state, n_head, cross_attention=False):
        super().__init__()
        self.attn = MultiHeadAttention(n_state, n_head)
        self.attn_ln = nn.LayerNorm(n_state)
        self.cross_attn = MultiHeadAttention(n_state, n_head) if cross_attention else None
        self.cross_attn_ln = nn.LayerNorm(n_state) if cross_attention else None
        self.mlp = nn.Sequential(nn.Linear(n_state, 4 * n_state), nn.GELU(), nn.Linear(4 * n_state, n_state))
        self.mlp_ln = nn.LayerNorm(n_state)

    def forward(self, x, xa=None, mask=None):
        x = x + self.attn(self.attn_ln(x), mask=mask)
        if self.cross_attn:
            x = x + self.cross_attn(self.cross_attn_ln(x), xa)
        return x + self.mlp(self.mlp_ln(x))


class AudioEncoder(nn.Module):
    def __init__(self, n_mels, n_ctx, n_state, n_head, n_layer):
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, n_state, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(n_state, n_state, kernel_size=3, stride=2, padding=1)
        self.register_buffer("positional_embedding", sinusoids(n_ctx, n_state))
        self.blocks = nn.ModuleList([ResidualAttentionBlock(n_state, n_head) for _ in range(n_layer)])
        self.ln_post = nn.LayerNorm(n_state)

    def forward(self, x):
        x = F.gelu(self.conv1(x))
        x = F.gelu(self.conv2(x))
        x = x.permute(0, 2, 1)
        x = x + self.positional_embedding[:x.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x)


class TextDecoder(nn.Module):
    def __init__(self, n_vocab, n_ctx, n_state, n_head, n_layer):
        super().__init__()
        self.token_embedding = nn.Embedding(n_vocab, n_state)
        self.positional_embedding = nn.Parameter(torch.empty(n_ctx, n_state))
        self.blocks = nn.ModuleList([ResidualAttentionBlock(n_state, n_head, cross_attention=True) for _ in range(n_layer)])
        self.ln = nn.LayerNorm(n_state)
        self.register_buffer("mask", torch.empty(n_ctx, n_ctx).fill_(-np.inf).triu_(1), persistent=False)

    def forward(self, x, xa):
        x = self.token_embedding(x) + self.positional_embedding[: x.shape[-1]]
        for block in self.blocks:
            x = block(x, xa, mask=self.mask)
        x = self.ln(x)
        return (x @ torch.transpose(self.token_embedding.weight, 0, 1)).float()


class Whisper(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = AudioEncoder(n_mels=16, n_ctx=1500, n_state=32, n_head=4, n_layer=2)
        self.decoder = TextDecoder(n_vocab=100, n_ctx=16, n_state=32, n_head=4, n_layer=2)

    def forward(self, mel, tokens):
        return self.decoder(tokens, self.encoder(mel))


SIZES = [(1, 1), (2, 1), (7, 6), (39, 3), (40, 6), (41, 16), (100, 2), (2999, 5), (3000, 5), (3001, 5)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.manual_seed(0)
    model = Whisper().eval()
    nn.init.normal_(model.decoder.positional_embedding)
    params = sum(p.numel() for p in model.parameters())
    rows = []
    for mel, tokens in SIZES:
        counter = Counter(model)
        try:
            with torch.enable_grad(), counter:
                out = model(torch.randn(1, 16, mel), torch.randint(0, 100, (1, tokens)))
        except RuntimeError as e:
            rows.append(f"{mel}\t{tokens}\trefused\t{str(e).splitlines()[0]}")
            continue
        e = counter.elements
        other = 7 * e["native_layer_norm"] + 5 * e["_softmax"] + e["gelu"] + e["mul"] + e["add"]
        rows.append(f"{mel}\t{tokens}\t{params}\t{counter.macs}\t{counter.flops}\t{other}\t{out.shape[1]}x{out.shape[2]}")
    with open(args.out, "w") as f:
        f.write(f"# command: /usr/bin/python3 tools/pytorch/measure_whisper_sizes.py --out {args.out}\n")
        f.write(f"# torch {torch.__version__}, python {sys.version.split()[0]}\n")
        f.write("# batch 1, eval mode, gradients on; counted with a TorchDispatchMode as the script's docstring says.\n")
        f.write("mel\ttokens\tparams\tmacs\tflops\tother_ops\toutput\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
