#!/usr/bin/env python3
"""What a non-reentrant checkpoint around each field keeps, and what an in-place layer does to it.

Each case is a small network of 16 x 64 float32 tensors (4,096 bytes) whose fields and repetitions each run under
torch.utils.checkpoint.checkpoint(..., use_reentrant=False), as @Training(recompute = true) describes. "kept" is the bytes of the
distinct storages alive after the forward pass besides the parameters and the output, found with gc: the inputs the segments keep
for their recomputation (each checkpoint's CPU RNG state, a uint8 tensor, left out). "inplace" runs a network with an in-place ReLU
forward and backward, plainly and checkpointed, and prints whether backward raised and, where it ran, whether the first layer's
weight gradient equals the one out of place: overwriting an earlier segment's kept input ("input"), a tensor inside an earlier
segment ("path"), one its own segment saved ("block"), its own segment's input with a SiLU ("silu"), and a product's operand
that the product keeps but does not save ("product"), its own segment's input that an earlier segment's layer saved too
("shared"), and a field that is an in-place LeakyReLU or dropout alone ("leaky", "dropout") (PyTorch 1.13, CPU).

  /usr/bin/python3 tools/pytorch/measure_checkpoint.py > tools/pytorch/checkpoint-kept.tsv
"""
import gc

import torch
import torch.nn.functional as F
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


class SameSegment(nn.Module):
    """A block whose in-place ReLU overwrites fc's result, which its GELU saved: fc, GELU, ReLU(fc) in place, their sum."""

    def __init__(self, in_place):
        super().__init__()
        self.fc = nn.Linear(64, 64)
        self.relu = torch.relu_ if in_place else torch.relu

    def forward(self, x):
        f = self.fc(x)
        g = F.gelu(f)
        return g + self.relu(f)


def more_inplace(case, checkpointed, in_place):
    """Linear(64) pre, then "block": SameSegment, head; "silu": a field that is an in-place SiLU, head; "product": pre * m, then an
    in-place ReLU of pre (which the product keeps but does not save), their sum, head."""
    torch.manual_seed(0)
    pre, head = nn.Linear(64, 64), nn.Linear(64, 8)
    blk = SameSegment(in_place)
    step = segment if checkpointed else (lambda fn, *a: fn(*a))
    x, m = torch.randn(16, 64), torch.randn(16, 64)
    h = step(pre, x)
    if case == "block":
        y = step(blk, h)
    elif case == "silu":
        y = step(lambda t: F.silu(t, inplace=in_place), h)
    elif case == "shared":
        # blk = Linear then tanh (which saves its result); c = GELU of it, an in-place ReLU of it, their sum
        t = step(lambda v: torch.tanh(blk.fc(v)), h)
        y = step(lambda v: F.gelu(v) + (torch.relu_(v) if in_place else torch.relu(v)), t)
    elif case in ("leaky", "dropout"):
        act = (lambda v: F.leaky_relu(v, 0.01, inplace=in_place)) if case == "leaky" else (lambda v: F.dropout(v, 0.5, True, in_place))
        y = step(act, h)
    else:
        p = step(torch.mul, h, m)
        y = step(torch.add, p, step(torch.relu_ if in_place else torch.relu, h))
    step(head, y).sum().backward()
    return pre.weight.grad.clone()


def main():
    torch.set_num_threads(1)
    print(f"# torch {torch.__version__}")
    for n, read in [(3, 1), (3, 0), (4, 1), (4, 2), (3, 2)]:
        print(f"kept\t@Repeat({n}) blocks, g reads blocks.{read}\t{kept(lambda: run_read(n, read))}")
    print(f"kept\tblk, an in-place ReLU of blk.fc\t{kept(path_inplace)}")
    for run, cases in ((inplace, ("input", "path")), (more_inplace, ("block", "silu", "product", "shared", "leaky", "dropout"))):
        for case in cases:
            expected = run(case, False, False)
            for checkpointed in (False, True):
                try:
                    same = torch.equal(run(case, checkpointed, True), expected)
                    result = "runs, gradients " + ("equal" if same else "differ")
                except RuntimeError as e:
                    result = "backward raises: " + str(e).split(":")[0]
                print(f"inplace\t{case}\t{'checkpointed' if checkpointed else 'plain'}\t{result}")

if __name__ == "__main__":
    main()
