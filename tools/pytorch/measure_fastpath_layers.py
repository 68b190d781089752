#!/usr/bin/env python3
"""Inference peak of live activation bytes of stacked nn.TransformerEncoderLayer on PyTorch 1.13's fused fast path.

In eval mode under no_grad, a batch-first layer whose attention could take the fast path runs as one op,
torch._transformer_encoder_layer_fwd, which adds each residual in place into the branch's result (x.add_(src)):
the layer's input is kept by its caller, not overwritten. Layers applied one after another (nn.Sequential, as
nn.TransformerEncoder without nested tensors) hold the previous layer's output while the next runs. This prints, per
case, the layers, norm_first, batch, L, E, heads, feed-forward width, then torch.profiler's peak of the bytes
allocated during the call plus the input's (allocated before it), float32, dropout 0, ReLU, weights seeded
(measure_memory.py's profiler method, as measure_fastpath_attention.py).

  /usr/bin/python3 tools/pytorch/measure_fastpath_layers.py > tools/pytorch/fastpath-layers-peak.tsv
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402

# layers, norm_first, batch, L, E, heads, feed-forward
CASES = ((1, False, 1, 16, 256, 8, 1024), (1, True, 1, 16, 256, 8, 1024),
         (2, False, 1, 16, 256, 8, 1024), (2, True, 1, 16, 256, 8, 1024),
         (2, False, 1, 128, 256, 8, 1024), (2, True, 1, 128, 256, 8, 1024),
         (3, True, 2, 20, 64, 4, 256))


def peak(layers, norm_first, batch, length, embed, heads, ff):
    torch.manual_seed(0)
    stack = nn.Sequential(*[nn.TransformerEncoderLayer(embed, heads, ff, dropout=0.0, batch_first=True, norm_first=norm_first)
                            for _ in range(layers)]).eval()
    x = torch.randn(batch, length, embed)
    with torch.no_grad():
        run = lambda: stack(x)  # noqa: E731
        run()
        _, prof = mm.profile(run)
    fused = [e.key for e in prof.key_averages() if e.key == "aten::_transformer_encoder_layer_fwd"]
    if not fused:
        raise SystemExit(f"not fused: {sorted({e.key for e in prof.key_averages()})}")
    stream, _, _ = mm.allocation_stream(prof)
    return mm.profiler_peak(stream)["peak"] + mm.storage_nbytes(x)


def main():
    torch.set_num_threads(1)
    print("# command: /usr/bin/python3 tools/pytorch/measure_fastpath_layers.py > tools/pytorch/fastpath-layers-peak.tsv")
    print(f"# torch {torch.__version__}; layers, norm_first, batch, L, E, heads, feed-forward, peak bytes with the input")
    for case in CASES:
        print(*[int(c) if isinstance(c, bool) else c for c in case], peak(*case), sep="\t", flush=True)


if __name__ == "__main__":
    main()
