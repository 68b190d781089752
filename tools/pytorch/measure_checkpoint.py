#!/usr/bin/env python3
"""What a non-reentrant checkpoint around each field keeps, and what an in-place layer does to it.

Each case is a small network of 16 x 64 float32 tensors (4,096 bytes) whose fields and repetitions each run under
torch.utils.checkpoint.checkpoint(..., use_reentrant=False), as @Training(recompute = true) describes. "kept" is the bytes of the
distinct storages alive after the forward pass besides the parameters and the output, found with gc: the inputs the segments keep
for their recomputation (each checkpoint's CPU RNG state, a uint8 tensor, left out). "inplace" runs a network with an in-place ReLU
forward and backward, plainly and checkpointed, and prints whether backward raised and, where it ran, whether the first layer's
weight gradient equals the one out of place (PyTorch 1.13, CPU).

  /usr/bin/python3 tools/pytorch/measure_checkpoint.py > tools/pytorch/checkpoint-kept.tsv
"""
import gc

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint


class B(nn.Module):
    """Linear(64, 64) then GELU; gives the GELU's result and the linear layer's (read by path as blk.fc)."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 64)
        self.act = nn.GELU()

    def forward(self, x):
        f = self.fc(x)
        return self.act(f), f


def segment(fn, *args):
    return checkpoint(fn, *args, use_reentrant=False)


def run_read(n, read):
    """@Repeat(n) B blocks; @From("blocks.<read>") @GELU g; @Add({"g", "blocks"}) sum; @Linear(out = 8) head."""
    blocks = nn.ModuleList([B() for _ in range(n)])
    g, head = nn.GELU(), nn.Linear(64, 8)

    def forward(x):
        outs = []
        for b in blocks:
            x = segment(lambda t, b=b: b(t)[0], x)
            outs.append(x)
        s = segment(torch.add, segment(g, outs[read]), x)
        return segment(head, s)
    return forward, [blocks, head]


def path_inplace():
    """B blk; @From("blk.fc") @ReLU(inplace = true) r; @Add({"blk", "r"}) sum; @Linear(out = 8) head."""
    blk, head = B(), nn.Linear(64, 8)

    def forward(x):
        out, f = segment(blk, x)
        r = segment(torch.relu_, f)
        return segment(head, segment(torch.add, out, r))
    return forward, [blk, head]


def kept(build):
    torch.manual_seed(0)
    forward, modules = build()
    static = {p.storage().data_ptr() for m in modules for p in m.parameters()}
    out = forward(torch.randn(16, 64))
    gc.collect()
    seen = {}
    for o in gc.get_objects():
        if torch.is_tensor(o) and not isinstance(o, nn.Parameter) and o.dtype != torch.uint8:
            key = o.storage().data_ptr()
            if key not in static and key != out.storage().data_ptr():
                seen[key] = o.storage().nbytes()
    return sum(seen.values())


def inplace(case, checkpointed, in_place):
    """pre = Linear(64); blk = B; r = ReLU of pre's output ("input") or of blk.fc ("path"); head(blk + r)."""
    torch.manual_seed(0)
    pre, blk, head = nn.Linear(64, 64), B(), nn.Linear(64, 8)
    step = segment if checkpointed else (lambda fn, *a: fn(*a))
    relu = torch.relu_ if in_place else torch.relu
    x = torch.randn(16, 64)
    h = step(pre, x)
    out, f = step(blk, h)
    r = step(relu, h if case == "input" else f)
    step(head, out + r).sum().backward()
    return pre.weight.grad.clone()


def main():
    torch.set_num_threads(1)
    print(f"# torch {torch.__version__}")
    for n, read in [(3, 1), (3, 0), (4, 1), (4, 2), (3, 2)]:
        print(f"kept\t@Repeat({n}) blocks, g reads blocks.{read}\t{kept(lambda: run_read(n, read))}")
    print(f"kept\tblk, an in-place ReLU of blk.fc\t{kept(path_inplace)}")
    for case in ("input", "path"):
        expected = inplace(case, False, False)
        for checkpointed in (False, True):
            try:
                same = torch.equal(inplace(case, checkpointed, True), expected)
                result = "runs, gradients " + ("equal" if same else "differ")
            except RuntimeError as e:
                result = "backward raises: " + str(e).split(":")[0]
            print(f"inplace\t{case}\t{'checkpointed' if checkpointed else 'plain'}\t{result}")


if __name__ == "__main__":
    main()
