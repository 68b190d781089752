#!/usr/bin/env python3
"""Peak live activation bytes of torchvision's swin_t at batch 1 and 2, the model input included.

Uses measure_memory.py's LivenessMode (a no_grad eager forward; each storage alive until its last
Python reference dies), as tools/pytorch/memory-costs.tsv does for the other examples, and prints the
peak and the five largest steps with the op and the module that runs it.

  /usr/bin/python3 tools/pytorch/measure_swin_peak.py > tools/pytorch/swin-peak.txt

torchvision's shifted_window_attention keeps its locals (the windowed input, the scaled q, the mask,
the bias) until it returns, which at batch 1 puts the peak inside a shifted block's attn @ v; at
batch 2 the peak is the first stage's MLP, where no such local is held.
"""
import gc
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure_memory import run_liveness, storage_nbytes  # noqa: E402

for batch in (1, 2):
    torch.manual_seed(0)
    model = torchvision.models.swin_t(weights=None).eval()
    x = torch.randn(batch, 3, 224, 224)
    with torch.no_grad():
        model(x)
    gc.collect()
    mode, out = run_liveness(model, x)
    rows = mode.rows
    peak = max(rows, key=lambda r: r["live_bytes"])
    print(f"batch {batch}: peak {peak['live_bytes'] + storage_nbytes(x)} bytes (input included) at op "
          f"{peak['index']}:{peak['op']} in {peak['module']}")
    for r in sorted(rows, key=lambda r: -r["live_bytes"])[:5]:
        print(f"   {r['live_bytes'] + storage_nbytes(x)}  {r['index']}:{r['op']} @ {r['module']}")
