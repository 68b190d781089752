#!/usr/bin/env python3
"""Two diffusion denoisers at latent sizes where a step's copies vanish: a DiT (patches of 2x2, adaLN-Zero blocks) and a
Stable Diffusion-style UNet (time embedding, self- and cross-attention over the map's positions, GEGLU). At a latent of
2 positions on an axis the DiT is one patch wide there, and PyTorch puts its patches back without a copy; at 2x2 the DiT
has one token and its attention copies nothing; the UNet's half-size stage is one position wide at 2 and its attention
heads' copies vanish at one position. Then a window partition (4x4 windows of 2x2 patches, batch 2), whose partition is a
view where the input is one window wide (8), keeping the patches alive while the projection runs: a step that rises there,
and falls back at a batch of 1 too; at batches 1 to 3.
fp32, eval, no_grad, CPU, PyTorch 1.13, batch 1 for the denoisers; MACs of Conv2d, Linear and matmul
counted from their outputs (what modelcost calls MACS for these models); the peak is the live bytes at the ops' boundaries
under measure_memory.py's dispatch mode, the inputs included. The processor's SmallestSizePeaksTest writes both as modelcost
specs with sizes {latent.H, latent.W} and checks the closed forms of MACS and PEAK_ACTIVATION_BYTES against these rows.

  /usr/bin/python3 tools/pytorch/measure_size_peaks.py > tools/pytorch/size-peaks.tsv
"""
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402

SIZES = [(2, 2), (2, 34), (40, 2), (6, 10), (32, 32), (48, 64)]


class MatMul(nn.Module):
    """torch.matmul as a module, so that its MACs are counted by a hook."""

    def forward(self, a, b):
        return torch.matmul(a, b)


# ---- DiT: x_embedder, positional buffer, adaLN-Zero blocks, final layer, unpatchify


def modulate(x, shift, scale):
    return x * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1)


class DiTAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.head_dim = heads, d // heads
        self.scale = self.head_dim ** -0.5
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mm1, self.mm2 = MatMul(), MatMul()

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        del qkv
        a = self.mm1(q, k.transpose(-2, -1))
        del q, k
        a = a * self.scale
        a = a.softmax(dim=-1)
        o = self.mm2(a, v)
        del a, v
        return self.proj(o.transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc1 = nn.Linear(d, 4 * d)
        self.act = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(4 * d, d)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class DiTBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.attn = DiTAttention(d, heads)
        self.norm2 = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.mlp = Mlp(d)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(d, 6 * d))

    def forward(self, x, c):
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = self.adaLN_modulation(c).chunk(6, dim=1)
        y = gate_msa.unsqueeze(1) * self.attn(modulate(self.norm1(x), shift_msa, scale_msa))
        del shift_msa, scale_msa, gate_msa
        x = x + y
        del y
        y = gate_mlp.unsqueeze(1) * self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))
        del shift_mlp, scale_mlp, gate_mlp
        return x + y


class DiT(nn.Module):
    def __init__(self, tokens, d=192, heads=3, depth=4, patch=2, channels=4):
        super().__init__()
        self.patch, self.out_channels = patch, 2 * channels
        self.x_embedder = nn.Conv2d(channels, d, patch, stride=patch)
        self.register_buffer("pos_embed", torch.randn(1, tokens, d))
        self.blocks = nn.ModuleList(DiTBlock(d, heads) for _ in range(depth))
        self.norm_final = nn.LayerNorm(d, elementwise_affine=False, eps=1e-6)
        self.final_adaLN = nn.Sequential(nn.SiLU(), nn.Linear(d, 2 * d))
        self.linear = nn.Linear(d, patch * patch * self.out_channels)

    def forward(self, x, c):
        n, _, height, width = x.shape
        x = self.x_embedder(x).flatten(2).transpose(1, 2) + self.pos_embed
        for block in self.blocks:
            x = block(x, c)
        shift, scale = self.final_adaLN(c).chunk(2, dim=1)
        x = self.linear(modulate(self.norm_final(x), shift, scale))
        del shift, scale
        h, w = height // self.patch, width // self.patch
        x = x.reshape(n, h, w, self.patch, self.patch, self.out_channels)
        x = torch.einsum("nhwpqc->nchpwq", x)
        return x.reshape(n, self.out_channels, h * self.patch, w * self.patch)


# ---- UNet: two resolutions, a residual block and a spatial transformer at each, a middle, skips by concatenation


class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, heads, head_dim):
        super().__init__()
        inner = heads * head_dim
        self.heads, self.head_dim, self.scale = heads, head_dim, head_dim ** -0.5
        self.to_q = nn.Linear(query_dim, inner, bias=False)
        self.to_k = nn.Linear(context_dim, inner, bias=False)
        self.to_v = nn.Linear(context_dim, inner, bias=False)
        self.mm1, self.mm2 = MatMul(), MatMul()
        self.to_out = nn.Linear(inner, query_dim)

    def forward(self, x, context):
        b, n, _ = x.shape
        m = context.shape[1]
        q, k, v = self.to_q(x), self.to_k(context), self.to_v(context)
        q = q.reshape(b, n, self.heads, self.head_dim).transpose(1, 2)
        k = k.reshape(b, m, self.heads, self.head_dim).transpose(1, 2)
        v = v.reshape(b, m, self.heads, self.head_dim).transpose(1, 2)
        s = self.mm1(q, k.transpose(-1, -2))
        del q, k
        s = s * self.scale
        p = s.softmax(-1)
        del s
        o = self.mm2(p, v)
        del p, v
        return self.to_out(o.transpose(1, 2).reshape(b, n, self.heads * self.head_dim))


def geglu(h):
    a, gate = h.chunk(2, dim=-1)
    return a * F.gelu(gate)


class GEGLUFeedForward(nn.Module):
    def __init__(self, d, mult=4):
        super().__init__()
        self.proj = nn.Linear(d, 2 * d * mult)
        self.out = nn.Linear(d * mult, d)

    def forward(self, x):
        return self.out(geglu(self.proj(x)))


class SpatialTransformer(nn.Module):
    """One BasicTransformerBlock over the map's positions: self-attention, cross-attention to the context, GEGLU."""

    def __init__(self, c, context_dim, head_dim=32):
        super().__init__()
        self.norm = nn.GroupNorm(32, c, eps=1e-6)
        self.proj_in = nn.Conv2d(c, c, 1)
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(c), nn.LayerNorm(c), nn.LayerNorm(c)
        self.attn1 = CrossAttention(c, c, c // head_dim, head_dim)
        self.attn2 = CrossAttention(c, context_dim, c // head_dim, head_dim)
        self.ff = GEGLUFeedForward(c)
        self.proj_out = nn.Conv2d(c, c, 1)

    def forward(self, x, context):
        b, c, height, width = x.shape
        h = self.proj_in(self.norm(x))
        h = h.flatten(2).transpose(1, 2)
        a = self.ln1(h)
        h = self.attn1(a, a) + h
        del a
        h = self.attn2(self.ln2(h), context) + h
        h = self.ff(self.ln3(h)) + h
        h = h.transpose(1, 2).reshape(b, c, height, width)
        return self.proj_out(h) + x


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb_dim=256):
        super().__init__()
        self.norm1, self.act1, self.conv1 = nn.GroupNorm(32, cin), nn.SiLU(), nn.Conv2d(cin, cout, 3, padding=1)
        self.emb_act, self.emb_proj = nn.SiLU(), nn.Linear(emb_dim, cout)
        self.norm2, self.act2, self.conv2 = nn.GroupNorm(32, cout), nn.SiLU(), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb):
        h = self.conv1(self.act1(self.norm1(x)))
        h = h + self.emb_proj(self.emb_act(emb))[:, :, None, None]
        h = self.conv2(self.act2(self.norm2(h)))
        return self.skip(x) + h


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.time_embed = nn.Sequential(nn.Linear(128, 256), nn.SiLU(), nn.Linear(256, 256))
        self.conv_in = nn.Conv2d(4, 64, 3, padding=1)
        self.down0_res, self.down0_attn = ResBlock(64, 64), SpatialTransformer(64, 64)
        self.downsample = nn.Conv2d(64, 64, 3, stride=2, padding=1)
        self.down1_res, self.down1_attn = ResBlock(64, 128), SpatialTransformer(128, 64)
        self.mid_res1, self.mid_attn, self.mid_res2 = ResBlock(128, 128), SpatialTransformer(128, 64), ResBlock(128, 128)
        self.up1_res, self.up1_attn = ResBlock(256, 128), SpatialTransformer(128, 64)
        self.up_conv = nn.Conv2d(128, 128, 3, padding=1)
        self.up0_res, self.up0_attn = ResBlock(192, 64), SpatialTransformer(64, 64)
        self.norm_out, self.act_out, self.conv_out = nn.GroupNorm(32, 64), nn.SiLU(), nn.Conv2d(64, 4, 3, padding=1)

    def forward(self, x, temb, context):
        emb = self.time_embed(temb)
        h = self.conv_in(x)
        h = self.down0_res(h, emb)
        h = self.down0_attn(h, context)
        s0 = h
        h = self.downsample(h)
        h = self.down1_res(h, emb)
        h = self.down1_attn(h, context)
        s1 = h
        h = self.mid_res1(h, emb)
        h = self.mid_attn(h, context)
        h = self.mid_res2(h, emb)
        h = torch.cat([h, s1], 1)
        del s1
        h = self.up1_res(h, emb)
        h = self.up1_attn(h, context)
        h = self.up_conv(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = torch.cat([h, s0], 1)
        del s0
        h = self.up0_res(h, emb)
        del emb
        h = self.up0_attn(h, context)
        return self.conv_out(self.act_out(self.norm_out(h)))


# ---- Window attention: 4x4 windows of patches (Swin's window partition), a projection and scores per window's heads


class WindowScores(nn.Module):
    """Patches of 2x2 to 8 channels, split into windows of 4x4 patches, projected, and scored per window: at a latent one window
    wide the partition is a view that keeps the patches alive while the projection runs."""

    def __init__(self):
        super().__init__()
        self.patch = nn.Conv2d(3, 8, 2, stride=2)
        self.q = nn.Linear(8, 8, bias=False)
        self.mm = MatMul()

    def forward(self, x):
        b, _, height, width = x.shape
        h = self.patch(x).permute(0, 2, 3, 1)
        h = h.reshape(b, height // 8, 4, width // 8, 4, 8)
        h = h.permute(0, 1, 3, 2, 4, 5)
        h = h.reshape(b, -1, 16, 8)
        h = self.q(h)
        h = h.reshape(b, h.shape[1], 16, 2, 4)
        h = h.transpose(1, 2)
        return self.mm(h, h.transpose(-2, -1))


WINDOW_SIZES = [(8, 8, 2), (8, 16, 2), (16, 8, 2), (8, 40, 2), (24, 32, 2), (56, 48, 2),
                (8, 8, 1), (16, 8, 1), (8, 16, 1), (8, 8, 3), (24, 8, 1), (16, 16, 1), (8, 80, 1)]


def macs(model, inputs):
    """Conv2d's, Linear's and matmul's MACs: each output element's products."""
    total = [0]

    def hook(module, args, out):
        if isinstance(module, nn.Conv2d):
            total[0] += out.numel() * (module.in_channels // module.groups) * module.kernel_size[0] * module.kernel_size[1]
        elif isinstance(module, nn.Linear):
            total[0] += out.numel() * module.in_features
        else:
            total[0] += out.numel() * args[0].shape[-1]

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear, MatMul))]
    with torch.no_grad():
        model(*inputs)
    for handle in handles:
        handle.remove()
    return total[0]


def main():
    torch.set_num_threads(1)
    print("# command: /usr/bin/python3 tools/pytorch/measure_size_peaks.py > tools/pytorch/size-peaks.tsv")
    print(f"# torch {torch.__version__}; model, H, W, batch, parameters, MACs, peak live bytes at the ops' boundaries "
          "(inputs included), output shape")
    rows = [("dit", h, w, 1) for h, w in SIZES] + [("unet", h, w, 1) for h, w in SIZES] + [("windows", *s) for s in WINDOW_SIZES]
    for name, height, width, batch in rows:
        torch.manual_seed(0)
        if name == "dit":
            model, inputs = DiT(tokens=(height // 2) * (width // 2)), (torch.randn(1, 4, height, width), torch.randn(1, 192))
        elif name == "unet":
            model, inputs = UNet(), (torch.randn(1, 4, height, width), torch.randn(1, 128), torch.randn(1, 77, 64))
        else:
            model, inputs = WindowScores(), (torch.randn(batch, 3, height, width),)
        model.eval()
        count = macs(model, inputs)
        mode, out = mm.run_liveness(model, inputs)
        peak = max(row["live_bytes"] for row in mode.rows) + sum(mm.storage_nbytes(t) for t in inputs)
        params = sum(p.numel() for p in model.parameters())
        print(name, height, width, batch, params, count, peak, "x".join(map(str, out.shape)), sep="\t", flush=True)


if __name__ == "__main__":
    main()
