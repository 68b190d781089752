#!/usr/bin/env python3
"""Bytes autograd saves for backward where the model's input is data, and where it requires grad.

A tensor from a loader does not require grad, so autograd records no op whose inputs come from the data alone: a pad, a pooling or an
activation of the input saves nothing. An activation of a larger network does (x.requires_grad_()). This prints, per case, the
case, whether the input requires grad, then the bytes of the distinct storages saved_tensors_hooks sees packed during one
training-mode forward, the module's parameters and buffers left out (PyTorch 1.13, CPU, float32, weights seeded). Where a
case has two inputs, the second is data either way.

  /usr/bin/python3 tools/pytorch/measure_input_grad_saved.py > tools/pytorch/input-grad-saved.tsv
"""
import torch
from torch import nn

CASES = {
    "maxpool-conv": (lambda: nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(3, 8, 3)), (1, 3, 32, 32)),
    "reflectionpad-conv": (lambda: nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(3, 8, 3)), (1, 3, 32, 32)),
    "gelu-linear": (lambda: nn.Sequential(nn.GELU(), nn.Linear(64, 8)), (1, 16, 64)),
    "dropout-relu-linear": (lambda: nn.Sequential(nn.Dropout(0.5), nn.ReLU(), nn.Linear(64, 8)), (2, 16, 64)),
    "instancenorm": (lambda: nn.InstanceNorm2d(4), (3, 4, 3, 5)),
    "instancenorm-affine": (lambda: nn.InstanceNorm2d(4, affine=True), (3, 4, 3, 5)),
    # two inputs, the second one data in both columns: a product saves each operand only where the other requires grad
    "linear-mul-input": (lambda: Product(lambda y, m: y * m), (16, 64), (16, 8)),
    "linear-matmul-input": (lambda: Product(lambda y, m: y @ m), (16, 64), (8, 5)),
    # a product of three, computed left to right: (a * b) * c saves the partial product a * b where c requires grad
    "linear3-mul": (lambda: Chain(64, with_data=False), (16, 64)),
    # Linear(64, 1) of x, times the data m (16 x 64), times Linear(64, 64) of x: a is not saved (m is data), a * m is
    "linear-mul-data-linear": (lambda: Chain(1, with_data=True), (16, 64), (16, 64)),
    # batch first above a batch of 1 each input projection of nn.MultiheadAttention saves a contiguous copy of what it reads (the
    # float64 scaling factor, 8 bytes a call, is counted here too)
    "attention-twice-on-memory": (lambda: CrossTwice(), (2, 10, 32), (2, 30, 32)),
    "attention-twice-on-memory-batch-1": (lambda: CrossTwice(), (1, 10, 32), (1, 30, 32)),
    "attention-query-is-key": (lambda: QueryIsKey(), (2, 10, 32)),
    # key and value of 16 features (kdim, vdim): one projection each, each copying the memory; learned queries expanded over the batch
    "attention-kdim-on-memory": (lambda: KdimMemory(), (2, 10, 32), (2, 30, 16)),
    "attention-learned-queries": (lambda: LearnedQueries(), (2, 30, 32)),
}


class KdimMemory(nn.Module):
    """q = Linear(src), mem = Linear(feats) to 16; MHA(32, 4, kdim=16, vdim=16, batch_first=True)(q, mem, mem)."""

    def __init__(self):
        super().__init__()
        self.q, self.mem = nn.Linear(32, 32), nn.Linear(16, 16)
        self.attn = nn.MultiheadAttention(32, 4, kdim=16, vdim=16, batch_first=True)

    def forward(self, src, feats):
        mem = self.mem(feats)
        return self.attn(self.q(src), mem, mem, need_weights=False)[0]


class LearnedQueries(nn.Module):
    """mem = Linear(x); 10 learned queries of 32 expanded over the batch; MHA(32, 4, batch_first=True)(queries, mem, mem)."""

    def __init__(self):
        super().__init__()
        self.mem = nn.Linear(32, 32)
        self.queries = nn.Parameter(torch.randn(10, 32))
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)

    def forward(self, x):
        mem = self.mem(x)
        q = self.queries.unsqueeze(0).expand(x.shape[0], -1, -1)
        return self.attn(q, mem, mem, need_weights=False)[0]


class CrossTwice(nn.Module):
    """mem = Linear(feats), q = Linear(src); a1 = MHA(q, mem, mem), a2 = MHA(a1, mem, mem); 4 heads, batch first."""

    def __init__(self):
        super().__init__()
        self.mem, self.q = nn.Linear(32, 32), nn.Linear(32, 32)
        self.a1 = nn.MultiheadAttention(32, 4, batch_first=True)
        self.a2 = nn.MultiheadAttention(32, 4, batch_first=True)

    def forward(self, src, feats):
        mem = self.mem(feats)
        a1 = self.a1(self.q(src), mem, mem, need_weights=False)[0]
        return self.a2(a1, mem, mem, need_weights=False)[0]


class QueryIsKey(nn.Module):
    """DETR's self-attention: x1 = Linear(x), qk = x1 + pos (a learned 10 x 32 tensor), MHA(qk, qk, x1); 4 heads, batch first."""

    def __init__(self):
        super().__init__()
        self.x1 = nn.Linear(32, 32)
        self.pos = nn.Parameter(torch.randn(10, 32))
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)

    def forward(self, x):
        x1 = self.x1(x)
        qk = x1 + self.pos
        return self.attn(qk, qk, x1, need_weights=False)[0]


class Chain(nn.Module):
    """a = Linear(64, first)(x), b = Linear(64, 64)(x); a * b * Linear(64, 64)(x), or a * m * b with the second input m."""

    def __init__(self, first, with_data):
        super().__init__()
        self.fa = nn.Linear(64, first)
        self.fb = nn.Linear(64, 64)
        self.fc = nn.Linear(64, 64)
        self.with_data = with_data

    def forward(self, x, m=None):
        if self.with_data:
            return self.fa(x) * m * self.fb(x)
        return self.fa(x) * self.fb(x) * self.fc(x)


class Product(nn.Module):
    """Linear(64, 8) of the first input, then a product with the second input (which never requires grad)."""

    def __init__(self, product):
        super().__init__()
        self.fc = nn.Linear(64, 8)
        self.product = product

    def forward(self, x, m):
        return self.product(self.fc(x), m)


def saved_bytes(build, shapes, requires_grad):
    torch.manual_seed(0)
    model = build().train()
    static = {p.untyped_storage().data_ptr() if hasattr(p, "untyped_storage") else p.storage().data_ptr()
              for p in list(model.parameters()) + list(model.buffers())}
    inputs = [torch.randn(*shapes[0], requires_grad=requires_grad)] + [torch.randn(*shape) for shape in shapes[1:]]
    seen = {}

    def pack(t):
        storage = t.storage()
        key = storage.data_ptr()
        if key not in static:
            seen[key] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(*inputs)
    return sum(seen.values())


def main():
    torch.set_num_threads(1)
    print("# command: /usr/bin/python3 tools/pytorch/measure_input_grad_saved.py > tools/pytorch/input-grad-saved.tsv")
    print(f"# torch {torch.__version__}; case, input requires grad, saved bytes")
    for name, (build, *shapes) in CASES.items():
        for requires_grad in (False, True):
            print(name, int(requires_grad), saved_bytes(build, shapes, requires_grad), sep="\t", flush=True)


if __name__ == "__main__":
    main()
