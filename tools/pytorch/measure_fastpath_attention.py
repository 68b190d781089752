#!/usr/bin/env python3
"""Inference peak of live activation bytes of one nn.MultiheadAttention on PyTorch 1.13's fused fast path.

In eval mode under no_grad, a batch-first self-attention with dropout 0, no bias_k/bias_v or zero key, no mask and
an even number of heads runs as one op, torch._native_multi_head_attention, whose allocations a dispatch-level
liveness tracker (measure_memory.py's LivenessMode) cannot see: it sees the op's output only. torch.profiler does
see them (profile_memory=True): the packed projection 3·L·E and its copy in heads, then that copy with the scores
H·L·L (softmaxed in place), then the heads' output and the output projection's result. This prints, per case, the
batch, L, E, heads, then the profiler's peak of the bytes allocated during the call plus the input's (allocated
before it), float32, need_weights=False, weights seeded.

  /usr/bin/python3 tools/pytorch/measure_fastpath_attention.py > tools/pytorch/fastpath-attention-peak.tsv
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_memory as mm  # noqa: E402

CASES = ((1, 128, 256, 8), (1, 10, 384, 6), (3, 37, 64, 4), (1, 1500, 384, 6))


def peak(batch, length, embed, heads):
    torch.manual_seed(0)
    attention = nn.MultiheadAttention(embed, heads, batch_first=True).eval()
    x = torch.randn(batch, length, embed)
    with torch.no_grad():
        run = lambda: attention(x, x, x, need_weights=False)[0]  # noqa: E731
        run()
        _, prof = mm.profile(run)
    fused = {e.key for e in prof.key_averages()}
    if "aten::_native_multi_head_attention" not in fused:
        raise SystemExit(f"not on the fast path: {sorted(fused)}")
    stream, _, _ = mm.allocation_stream(prof)
    return mm.profiler_peak(stream)["peak"] + mm.storage_nbytes(x)


def main():
    torch.set_num_threads(1)
    print(f"# command: /usr/bin/python3 tools/pytorch/measure_fastpath_attention.py > tools/pytorch/fastpath-attention-peak.tsv")
    print(f"# torch {torch.__version__}; batch, L, E, heads, peak bytes with the input")
    for case in CASES:
        print(*case, peak(*case), sep="\t", flush=True)


if __name__ == "__main__":
    main()
