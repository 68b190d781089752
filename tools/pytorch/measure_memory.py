#!/usr/bin/env python3
"""Measure activation memory of eager PyTorch models: inference liveness and
tensors saved for backward.

Usage (from the repository root; about 10 s on one CPU thread):

  /usr/bin/python3 tools/pytorch/measure_memory.py --out-dir tools/pytorch
  /usr/bin/python3 tools/pytorch/measure_memory.py resnet18      # chosen models, TSV on stdout
  /usr/bin/python3 tools/pytorch/measure_memory.py --self-test   # only the hand-derived checks

Writes, with --out-dir DIR:
  DIR/memory-costs.tsv          one row per inference model (columns below)
  DIR/memory/<model>.tsv        one row per aten op of the inference forward
  DIR/memory-ops.tsv            per model and aten op kind: what it allocates
                                beyond its output (unused extra outputs and
                                internal workspace) and how long that lives
  DIR/saved-tensors.tsv         one row per training case: saved-for-backward bytes
  DIR/saved/<case>.tsv          one row per saved tensor (pack-hook call)

Inference convention (models: torchvision resnet18, mobilenet_v2, inception_v3
with aux_logits=False, init_weights=False and a 1x3x299x299 input, densenet121;
weights=None, eval mode, batch 1, 1x3x224x224 float32 unless noted):

  One eager forward under torch.no_grad() runs inside a TorchDispatchMode that
  sees every aten op (composite ops such as conv2d, linear, flatten, dropout,
  max_pool2d, adaptive_avg_pool2d are seen as what they decompose into).  For
  every output tensor of an op it looks up the storage (StorageImpl, via
  t._storage()._cdata in torch 1.13, t.untyped_storage() in 2.x):
    - a storage not seen before is a NEW allocation of storage.nbytes() bytes,
      live from that op on;
    - an output sharing a live storage (a view) or being an already tracked
      tensor (the result of an in-place op such as relu_, add_, hardtanh_)
      allocates nothing;
    - outputs sharing the storage of a parameter, a buffer or the model input
      (e.g. aten.t of a Linear weight) allocate nothing and are not tracked.
  A weakref.finalize on every tracked output tensor decrements a per-storage
  count of live Python tensors; at zero the storage is freed.  Frees are
  booked at the boundary before the next op ("freed_bytes" of that op).
  CPython reference counting makes the finalizers fire when the last reference
  is dropped (tensors kept only by C++, e.g. the indices returned by
  max_pool2d_with_indices inside the composite max_pool2d, keep their Python
  object alive through PyObject preservation until C++ drops them).
  live_bytes is the sum of live tracked storages after an op: activations
  only, without parameters, buffers and the model input.  The input
  (held by the caller for the whole forward) is added in peak_live_bytes.

  Second method: the same forward runs under torch.profiler with
  profile_memory=True (every c10 CPU allocation and free, with its address),
  each dispatched op wrapped in a profiler record_function "##<index>".  The
  script checks, op by op, that the allocator's live bytes at the end of each
  op equal the dispatch-mode live_bytes, and that every storage the finalizer
  declared dead was freed by the allocator at the same op boundary.
  Allocations made and freed inside one op are that op's internal workspace
  (invisible to the dispatch mode: im2col columns, BatchNorm scale/shift,
  mean()'s scalar temporaries, ...).  A third forward runs under the profiler
  without the dispatch mode to show that the mode does not change what is
  allocated (profiler_peak_no_mode).

  The mode can change it: PyTorch 1.13's linear with a bias on an input that
  is neither 2-D nor contiguous 3-D (ConvNeXt's pointwise layers on N,H,W,C
  maps, a Linear after a transpose) runs mm and then adds the bias in place
  (add_) in eager mode, but out of place (add, one more output-sized tensor)
  while any dispatch mode is active, because the mode makes every tensor
  "subclass-like" to ATen.  For such models the dispatch mode's live bytes are
  one output too many during that op; profiler_peak_no_mode is eager's figure
  (ConvNeXt-Tiny at 1x3x224x224: 12,042,240 bytes without the input, as
  modelcost gives; the mode says 13,246,464).

memory-costs.tsv columns:
  param_bytes, buffer_bytes   all parameters / all buffers (buffers include
                              BatchNorm num_batches_tracked, int64 8 bytes each)
  input_bytes, output_bytes   model input, model output
  peak_live_bytes             max over ops of live_bytes + input_bytes
  peak_live_bytes_without_input  max over ops of live_bytes
  peak_op                     index:aten op@module path of the first op that
                              reaches the peak
  aten_ops                    number of aten ops dispatched
  new_bytes_total             sum of all new storages (total allocation traffic)
  peak_with_workspace_without_input  allocator peak, profiler run with the mode
                              (live activations + internal workspace)
  profiler_peak_no_mode       the same from the profiler run without the mode
  boundary_mismatches         ops whose allocator live bytes at op end differ
                              from live_bytes (expected 0)
  free_mismatches             dead storages whose allocator free happened at
                              another op boundary than the finalizer (expected 0)

Training convention (saved tensors): torchvision resnet18 and mobilenet_v2 in train mode, 1x3x224x224,
and nn.TransformerEncoderLayer(d_model=512, nhead=8, dim_feedforward=2048,
dropout=0.1, batch_first=True) in train mode on a 1x128x512 input; one forward
with gradients enabled inside torch.autograd.graph.saved_tensors_hooks.  The
pack hook records each saved tensor (storage, bytes, innermost running module,
whether it is a parameter/buffer, the model input, or the module's input or
output); after the forward the autograd graph is walked and every node's
_saved_* attributes are read, so the unpack hook tells which grad_fn saved
which tensor.  Totals are deduplicated by storage (storage.nbytes()).  As a
second method another forward runs under the profiler without hooks: the
allocator bytes still live after the forward (graph kept) must equal the
unique saved storages (model input, parameters and buffers excluded) plus the
output storage when it is not saved.

Runs on one CPU thread by default (--threads): the CPU convolution backend
(mkldnn or the im2col slow path), and therefore the workspace, depends on the
thread count.

Only torch and torchvision are needed (Debian: python3-torch
python3-torchvision); written against torch 1.13 / torchvision 0.14.
"""

import argparse
import gc
import os
import shlex
import sys
import weakref
from collections import defaultdict

import torch
import torchvision
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

DEFAULT_MODELS = ["resnet18", "mobilenet_v2", "inception_v3", "densenet121"]
EXTRA_KWARGS = {
    "inception_v3": {"aux_logits": False, "init_weights": False},
}
INPUT_SHAPES = {"inception_v3": (1, 3, 299, 299)}
DEFAULT_INPUT = (1, 3, 224, 224)

SAVED_CASES = ["resnet18_train", "mobilenet_v2_train", "transformer_encoder_layer_train",
               "self_attention_one_position_train", "self_attention_two_positions_train"]


class SelfAttention(nn.Module):
    """nn.MultiheadAttention(8, 2, batch_first=True) on its input as query, key and value, need_weights=False."""

    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(8, 2, batch_first=True)

    def forward(self, x):
        return self.attn(x, x, x, need_weights=False)[0]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def untyped_storage(t):
    """The untyped storage of a tensor (torch 1.13: _storage(); 2.x: untyped_storage())."""
    if hasattr(t, "untyped_storage"):
        return t.untyped_storage()
    return t._storage()


def storage_key(t):
    """Identity of the StorageImpl behind a tensor (stable while it is alive)."""
    return untyped_storage(t)._cdata


def storage_nbytes(t):
    return untyped_storage(t).nbytes()


def tensor_bytes(t):
    return t.numel() * t.element_size()


def shape_str(shape):
    return "x".join(str(d) for d in shape) if len(shape) else "scalar"


def dtype_str(dtype):
    return str(dtype).replace("torch.", "")


def tensors_in(value):
    return [t for t in tree_flatten(value)[0] if isinstance(t, torch.Tensor)]


def print_case_peaks(command, cases):
    """Prints the header of a table of small models' peaks, then per case (name, constructor, input shape): the input, the
    parameters, the peak live bytes at the ops' boundaries under the dispatch mode (input included) and the returned tensors'
    shapes (a tuple's or a dict's values in order, or the one tensor)."""
    torch.set_num_threads(1)
    print(f"# command: {command}")
    print(f"# torch {torch.__version__}; case, input, parameters, peak live bytes at the ops' boundaries (input included), "
          "the returned tensors' shapes")
    for name, build, shape in cases:
        torch.manual_seed(0)
        model = build().eval()
        x = torch.randn(*shape)
        mode, out = run_liveness(model, x)
        peak = max(row["live_bytes"] for row in mode.rows) + storage_nbytes(x)
        outs = out.values() if isinstance(out, dict) else out if isinstance(out, tuple) else (out,)
        params = sum(p.numel() for p in model.parameters())
        print(name, "x".join(map(str, shape)), params, peak, " ".join("x".join(map(str, t.shape)) for t in outs), sep="\t", flush=True)


def version_line(command):
    return (f"# command: {command}\n"
            f"# torch {torch.__version__}, torchvision {torchvision.__version__}"
            f", python {sys.version.split()[0]}, torch threads "
            f"{torch.get_num_threads()}\n")


class ModuleStack:
    """Innermost running module, tracked with forward pre/post hooks."""

    def __init__(self, model, on_enter=None, on_exit=None):
        self.stack = []
        self.handles = []
        self.on_enter = on_enter
        self.on_exit = on_exit
        for path, module in model.named_modules():
            path = path or "<root>"
            self.handles.append(module.register_forward_pre_hook(self._pre(path)))
            self.handles.append(module.register_forward_hook(self._post(path)))

    def _pre(self, path):
        def hook(mod, inputs):
            frame = {"path": path}
            if self.on_enter:
                self.on_enter(frame, inputs)
            self.stack.append(frame)
        return hook

    def _post(self, path):
        def hook(mod, inputs, output):
            frame = self.stack.pop()
            assert frame["path"] == path, (frame["path"], path)
            if self.on_exit:
                self.on_exit(frame, output)
        return hook

    def path(self):
        return self.stack[-1]["path"] if self.stack else "<outside>"

    def top(self):
        return self.stack[-1] if self.stack else None

    def remove(self):
        for h in self.handles:
            h.remove()


# --------------------------------------------------------------------------
# Inference liveness: dispatch mode
# --------------------------------------------------------------------------

class Storage:
    __slots__ = ("key", "nbytes", "ptr", "birth", "death", "death_in_op",
                 "refs", "uses", "op", "out_pos", "dtype", "shape", "first_out")

    def __init__(self, key, nbytes, ptr, birth, op, out_pos, t):
        self.key = key
        self.nbytes = nbytes
        self.ptr = ptr
        self.birth = birth
        self.death = None        # number of ops started when it died
        self.death_in_op = False  # died while an op was running
        self.refs = 0
        self.uses = 0            # later ops that took it as an argument
        self.op = op
        self.out_pos = out_pos
        self.dtype = t.dtype
        self.shape = tuple(t.shape)


class LivenessMode(TorchDispatchMode):
    """Records every aten op, its outputs and the live activation bytes."""

    def __init__(self, static, modules, mark_ops=False):
        super().__init__()
        self.static = static       # storage key -> "param" / "buffer" / "input"
        self.modules = modules
        self.mark_ops = mark_ops
        self.rows = []             # one dict per op
        self.storages = []         # every Storage in creation order
        self.live = {}             # key -> Storage
        self.tensors = {}          # id(tensor) -> key of tracked tensors
        self.live_bytes = 0
        self.pending_freed = 0
        self.started = 0
        self.in_op = False
        self.closed = False        # set after the forward has returned
        self.end_freed = self.end_live = None
        self.static_uses = defaultdict(list)  # "input" -> op indices using it

    def close(self):
        """Freeze the end state; later deaths (the caller dropping the model
        output) are not recorded."""
        self.closed = True
        self.end_freed = self.pending_freed
        self.end_live = self.live_bytes

    def _died(self, tid, key):
        self.tensors.pop(tid, None)
        st = self.live[key]
        st.refs -= 1
        if st.refs == 0:
            del self.live[key]
            if self.closed:
                return
            st.death = self.started
            st.death_in_op = self.in_op
            self.live_bytes -= st.nbytes
            self.pending_freed += st.nbytes

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        i = self.started
        self.started += 1
        freed = self.pending_freed
        self.pending_freed = 0
        for a in tensors_in((args, kwargs)):
            k = storage_key(a)
            st = self.live.get(k)
            if st is not None:
                st.uses += 1
            elif k in self.static:
                self.static_uses[self.static[k]].append(i)
        self.in_op = True
        if self.mark_ops:
            handle = torch.ops.profiler._record_function_enter_new(f"##{i}", None)
        out = func(*args, **kwargs)
        if self.mark_ops:
            torch.ops.profiler._record_function_exit._RecordFunction(handle)
        self.in_op = False
        new_bytes = 0
        outs = []
        for pos, t in enumerate(tensors_in(out)):
            desc = [shape_str(t.shape), dtype_str(t.dtype)]
            if id(t) in self.tensors:
                desc.append("inplace")
                outs.append((desc, None))
                continue
            k = storage_key(t)
            if k in self.static:
                desc.append(self.static[k] + "-view")
                outs.append((desc, None))
                continue
            st = self.live.get(k)
            if st is None:
                s = untyped_storage(t)
                st = Storage(k, s.nbytes(), s.data_ptr(), i, str(func), pos, t)
                self.live[k] = st
                self.storages.append(st)
                self.live_bytes += st.nbytes
                new_bytes += st.nbytes
                desc.append("new")
                outs.append((desc, st))
            else:
                desc.append("view")
                outs.append((desc, None))
            st.refs += 1
            self.tensors[id(t)] = k
            fin = weakref.finalize(t, self._died, id(t), k)
            fin.atexit = False
        self.rows.append({
            "index": i, "op": str(func), "module": self.modules.path(),
            "outs": outs, "new_bytes": new_bytes, "freed_bytes": freed,
            "live_bytes": self.live_bytes,
        })
        return out


def build_model(name):
    return torchvision.models.get_model(name, weights=None,
                                        **EXTRA_KWARGS.get(name, {}))


def static_storages(model, x):
    """The parameters', the buffers' and the inputs' storages (x one tensor, a tuple of them, or None), which no op allocates."""
    static = {}
    for p in model.parameters():
        static[storage_key(p)] = "param"
    for b in model.buffers():
        static[storage_key(b)] = "buffer"
    for t in (x if isinstance(x, tuple) else () if x is None else (x,)):
        static[storage_key(t)] = "input"
    return static


def run_liveness(model, x, mark_ops=False):
    """One no_grad forward inside LivenessMode, of one input or a tuple of several; returns (mode, output)."""
    modules = ModuleStack(model)
    mode = LivenessMode(static_storages(model, x), modules, mark_ops)
    try:
        with torch.no_grad():
            with mode:
                out = model(*x) if isinstance(x, tuple) else model(x)
    finally:
        modules.remove()
    mode.close()
    return mode, out


def layer_peaks(module, x):
    """The peak of live bytes of one eval, no_grad forward, the input included: at the ops' boundaries under LivenessMode
    (the README's convention), and under torch.profiler alone, which also sees kernels' workspaces and runs the path
    PyTorch takes without a dispatch mode."""
    mode, _ = run_liveness(module, x)
    at_ops = max(row["live_bytes"] for row in mode.rows) + storage_nbytes(x)
    with torch.no_grad():
        run = lambda: module(x)  # noqa: E731
        run()
        _, prof = profile(run)
    stream, _, _ = allocation_stream(prof)
    return at_ops, profiler_peak(stream)["peak"] + storage_nbytes(x)


# --------------------------------------------------------------------------
# Profiler: allocation events
# --------------------------------------------------------------------------

PROFILE_ACTIVITIES = [torch.profiler.ProfilerActivity.CPU]


def profile(fn):
    with torch.profiler.profile(activities=PROFILE_ACTIVITIES,
                                profile_memory=True) as prof:
        result = fn()
    return result, prof


def allocation_stream(prof):
    """Chronological list of ('enter', i) / ('exit', i) / ('mem', size, ptr, leaf),
    the number of allocation events out of time order, and per op index the
    backend ops run by aten::_convolution (the CPU convolution kernel)."""
    stream = []
    unordered = [0]
    last_t = [None]
    kernels = defaultdict(list)
    mark = [None]

    def walk(node, leaf):
        name = node.name
        is_mark = name.startswith("##")
        if name == "aten::_convolution" and mark[0] is not None:
            kernels[mark[0]].extend(c.name.replace("aten::", "")
                                    for c in node.children)
        if type(node.extra_fields).__name__ == "_ExtraFields_Allocation":
            ef = node.extra_fields
            if last_t[0] is not None and node.start_time_ns < last_t[0]:
                unordered[0] += 1
            last_t[0] = node.start_time_ns
            stream.append(("mem", ef.alloc_size, ef.ptr, leaf))
            return
        if is_mark:
            mark[0] = int(name[2:])
            stream.append(("enter", mark[0]))
        else:
            leaf = name
        for c in sorted(node.children, key=lambda n: n.start_time_ns):
            walk(c, leaf)
        if is_mark:
            stream.append(("exit", mark[0]))
            mark[0] = None

    roots = prof.profiler.kineto_results.experimental_event_tree()
    for r in sorted(roots, key=lambda n: n.start_time_ns):
        walk(r, "<top>")
    return stream, unordered[0], kernels


def profiler_peak(stream):
    """Peak and final bytes of allocations made while profiling (frees of
    older memory are not reported by the profiler)."""
    live = peak = n = total = 0
    for ev in stream:
        if ev[0] == "mem":
            live += ev[1]
            peak = max(peak, live)
            if ev[1] > 0:
                n += 1
                total += ev[1]
    return {"peak": peak, "final": live, "allocs": n, "alloc_bytes": total}


def analyse_profile(stream, mode):
    """Cross-check the dispatch-mode liveness against allocator events."""
    live = 0
    peak = 0
    cur = None              # op index whose mark is open
    started = 0             # marks entered so far
    open_allocs = {}        # ptr -> [size, op index or None, leaf, idx]
    op_peak = {}            # op index -> max allocator live inside the op
    workspace = defaultdict(list)   # op index -> [(leaf, size)]
    survivors = defaultdict(dict)   # op index -> {ptr: size}
    free_boundary = {}      # (birth op, ptr) -> boundary index of its free
    outside = 0
    boundary_mismatch = []
    for ev in stream:
        if ev[0] == "enter":
            cur = ev[1]
            started = cur + 1
            op_peak[cur] = live
        elif ev[0] == "exit":
            row = mode.rows[ev[1]]
            if live != row["live_bytes"]:
                boundary_mismatch.append((ev[1], live, row["live_bytes"]))
            cur = None
        else:
            _, size, ptr, leaf = ev
            live += size
            peak = max(peak, live)
            if cur is not None:
                op_peak[cur] = max(op_peak[cur], live)
            if size > 0:
                if cur is None:
                    outside += 1
                open_allocs[ptr] = [size, cur, leaf]
            else:
                a = open_allocs.pop(ptr, None)
                if a is None:
                    continue
                asize, aop, aleaf = a
                if aop is not None and aop == cur:
                    workspace[aop].append((aleaf, asize))
                elif aop is not None:
                    # freed after its op: death boundary = ops started so far,
                    # flagged if it happened inside a later op
                    free_boundary[(aop, ptr)] = (started, cur is not None)
    for ptr, (size, aop, leaf) in open_allocs.items():
        if aop is not None:
            survivors[aop][ptr] = size
    free_mismatch = []
    for st in mode.storages:
        if st.nbytes == 0:
            continue
        got = free_boundary.get((st.birth, st.ptr))
        want = None if st.death is None else (st.death, st.death_in_op)
        if got != want:
            free_mismatch.append((st.birth, st.op, st.nbytes, want, got))
    return {
        "peak": peak, "op_peak": op_peak, "workspace": workspace,
        "outside": outside, "boundary_mismatch": boundary_mismatch,
        "free_mismatch": free_mismatch,
    }


# --------------------------------------------------------------------------
# Inference measurement
# --------------------------------------------------------------------------

def measure_inference(name):
    torch.manual_seed(0)
    model = build_model(name).eval()
    in_shape = INPUT_SHAPES.get(name, DEFAULT_INPUT)
    x = torch.randn(*in_shape)
    with torch.no_grad():      # warm-up (lazy initialisations, first-call caches)
        model(x)
    gc.collect()

    (mode, out), prof = profile(lambda: run_liveness(model, x, mark_ops=True))
    stream, unordered, kernels = allocation_stream(prof)
    check = analyse_profile(stream, mode)
    check["kernels"] = kernels
    out_key = storage_key(out)
    out_bytes = storage_nbytes(out)
    alive_end = [st.key for st in mode.storages if st.death is None]
    del out
    gc.collect()

    def plain():
        with torch.no_grad():
            return model(x)
    out2, prof2 = profile(plain)
    stream2, _, _ = allocation_stream(prof2)
    plain_stats = profiler_peak(stream2)
    del out2

    rows = mode.rows
    input_bytes = storage_nbytes(x)
    peak_row = max(rows, key=lambda r: r["live_bytes"])  # first maximum
    param_bytes = sum(tensor_bytes(p) for p in model.parameters())
    buffer_bytes = sum(tensor_bytes(b) for b in model.buffers())
    result = {
        "model": name,
        "input": shape_str(in_shape),
        "param_bytes": param_bytes,
        "buffer_bytes": buffer_bytes,
        "input_bytes": input_bytes,
        "output_bytes": out_bytes,
        "peak_live_bytes": peak_row["live_bytes"] + input_bytes,
        "peak_live_bytes_without_input": peak_row["live_bytes"],
        "peak_op": f"{peak_row['index']}:{peak_row['op']}@{peak_row['module']}",
        "aten_ops": len(rows),
        "new_bytes_total": sum(st.nbytes for st in mode.storages),
        "peak_with_workspace_without_input": check["peak"],
        "profiler_peak_no_mode": plain_stats["peak"],
        "boundary_mismatches": len(check["boundary_mismatch"]),
        "free_mismatches": len(check["free_mismatch"]),
    }
    problems = []
    if unordered:
        problems.append(f"{unordered} allocation events out of time order")
    if check["outside"]:
        problems.append(f"{check['outside']} allocations outside any op")
    for b in check["boundary_mismatch"][:5]:
        problems.append(f"op {b[0]}: allocator live {b[1]} != mode live {b[2]}")
    for f in check["free_mismatch"][:5]:
        problems.append(f"storage of op {f[0]} {f[1]} ({f[2]} B): finalizer "
                        f"death {f[3]}, allocator free {f[4]}")
    if plain_stats["peak"] != check["peak"]:
        problems.append(f"profiler peak without mode {plain_stats['peak']} != "
                        f"with mode {check['peak']}")
    if alive_end != [out_key]:
        problems.append(f"{len(alive_end)} storages alive at the end "
                        f"(expected only the output)")
    extra = {"mode": mode, "check": check, "problems": problems,
             "plain": plain_stats, "input_uses": mode.static_uses.get("input", [])}
    return result, extra


INFERENCE_COLUMNS = [
    "model", "input", "param_bytes", "buffer_bytes", "input_bytes",
    "output_bytes", "peak_live_bytes", "peak_live_bytes_without_input",
    "peak_op", "aten_ops", "new_bytes_total",
    "peak_with_workspace_without_input", "profiler_peak_no_mode",
    "boundary_mismatches", "free_mismatches"]


def workspace_str(items):
    agg = defaultdict(list)
    for leaf, size in items:
        agg[leaf].append(size)
    return ",".join(f"{leaf}:{'+'.join(str(s) for s in sizes)}"
                    for leaf, sizes in agg.items())


def write_trace(path, name, result, extra, command):
    mode, check = extra["mode"], extra["check"]
    with open(path, "w") as f:
        f.write(f"# Aten ops of one eager forward of torchvision {name} "
                f"(input {result['input']} float32, eval, torch.no_grad(), "
                f"weights=None), in dispatch order.\n")
        f.write(version_line(command))
        f.write("# outputs: shape:dtype:status per output tensor; status new@D = "
                "new storage, freed before op D (end = still alive: model "
                "output), unused = no later op took it as an argument; view = "
                "shares a live storage; inplace = the same tensor as an "
                "argument; param-view/buffer-view/input-view = shares a "
                "parameter/buffer/input storage.\n")
        f.write("# new_bytes: new storages of the op; freed_bytes: storages "
                "freed since the previous op; live_bytes: live activation "
                "storages after the op (model input "
                f"{result['input_bytes']} B, parameters and buffers "
                "excluded).\n")
        f.write("# op_peak_bytes: allocator peak inside the op (profiler, same "
                "baseline as live_bytes); workspace: allocations made and freed "
                "inside the op, as profiler-op:bytes; kernel: the CPU "
                "convolution backend aten::_convolution called.\n")
        f.write("index\top\tmodule\toutputs\tnew_bytes\tfreed_bytes\tlive_bytes"
                "\top_peak_bytes\tworkspace\tkernel\n")
        for r in mode.rows:
            outs = []
            for desc, st in r["outs"]:
                d = ":".join(desc)
                if st is not None:
                    d += "@" + ("end" if st.death is None else str(st.death))
                    if st.uses == 0 and st.death is not None:
                        d += ":unused"
                outs.append(d)
            f.write(f"{r['index']}\t{r['op']}\t{r['module']}\t{','.join(outs)}\t"
                    f"{r['new_bytes']}\t{r['freed_bytes']}\t{r['live_bytes']}\t"
                    f"{check['op_peak'].get(r['index'], '')}\t"
                    f"{workspace_str(check['workspace'].get(r['index'], []))}\t"
                    f"{'+'.join(check['kernels'].get(r['index'], []))}\n")
        f.write(f"# after the last op: {mode.end_freed} B freed, "
                f"{mode.end_live} B live (the output)\n")


def op_summary(name, extra):
    """Per aten op kind: calls, new bytes, unused outputs, workspace."""
    mode, check = extra["mode"], extra["check"]
    by_op = defaultdict(lambda: {"calls": 0, "new": 0, "status": defaultdict(int),
                                 "unused": [], "ws": [], "ws_calls": 0,
                                 "first_out": []})
    for r in mode.rows:
        kernel = "+".join(check["kernels"].get(r["index"], [])) or "-"
        s = by_op[(r["op"], kernel)]
        s["calls"] += 1
        s["new"] += r["new_bytes"]
        first_new = None
        for desc, st in r["outs"]:
            s["status"][desc[2]] += 1
            if st is not None and first_new is None:
                first_new = st.nbytes
            if st is not None and st.uses == 0 and st.death is not None:
                s["unused"].append((st, first_new))
        ws = check["workspace"].get(r["index"], [])
        if ws:
            s["ws_calls"] += 1
            s["ws"].append((ws, r))
    lines = []
    for (op, kernel), s in sorted(by_op.items()):
        status = " ".join(f"{k}={v}" for k, v in sorted(s["status"].items()))
        unused = ""
        if s["unused"]:
            groups = defaultdict(list)
            for st, first in s["unused"]:
                groups[(st.out_pos, dtype_str(st.dtype))].append((st, first))
            parts = []
            for (pos, dt), sts in sorted(groups.items()):
                sizes = [st.nbytes for st, _ in sts]
                life = sorted({st.death - st.birth for st, _ in sts})
                ratio = sorted({round(st.nbytes / first, 3) for st, first in sts
                                if first and st.out_pos != 0})
                parts.append(
                    f"out{pos} {dt} x{len(sts)} {min(sizes)}..{max(sizes)} B"
                    + (f" (= {'/'.join(str(x) for x in ratio)} x output0)"
                       if ratio else "")
                    + f", freed {'/'.join(str(x) for x in life)} op(s) later")
            unused = "; ".join(parts)
        ws = ""
        if s["ws"]:
            per_leaf = defaultdict(list)
            for items, r in s["ws"]:
                agg = defaultdict(int)
                cnt = defaultdict(int)
                for leaf, size in items:
                    agg[leaf] += size
                    cnt[leaf] += 1
                for leaf in agg:
                    per_leaf[leaf].append((agg[leaf], cnt[leaf]))
            parts = []
            for leaf, vals in per_leaf.items():
                tot = [v for v, _ in vals]
                cnts = sorted({c for _, c in vals})
                parts.append(f"{leaf} in {len(vals)} call(s), "
                             f"{'/'.join(str(c) for c in cnts)} alloc(s) per call, "
                             f"{min(tot)}..{max(tot)} B per call")
            ws = "; ".join(parts) + "; freed inside the op"
        lines.append(f"{name}\t{op}\t{kernel}\t{s['calls']}\t{s['new']}\t{status}\t"
                     f"{unused or '-'}\t{ws or '-'}")
    return lines


# --------------------------------------------------------------------------
# Self-test: hand-derived liveness of small Sequentials
# --------------------------------------------------------------------------

def self_test():
    """Returns a list of '# self-test ...' lines; raises on failure."""
    lines = []
    torch.manual_seed(0)
    # Conv(3->8) -> ReLU -> Conv(8->4), 3x3 padding 1, on 1x3x16x16.
    # conv1 out 8*256*4 = 8192 B, relu out 8192 B (conv1 out still held by
    # Sequential's loop variable while relu runs), conv2 out 4096 B.
    # live after ops: 8192, 16384, 8192 - 8192 freed before conv2 + 4096 = 12288.
    seq = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
                        nn.Conv2d(8, 4, 3, padding=1)).eval()
    x = torch.randn(1, 3, 16, 16)
    mode, out = run_liveness(seq, x)
    got = [(r["op"], r["new_bytes"], r["freed_bytes"], r["live_bytes"])
           for r in mode.rows]
    want = [("aten.convolution.default", 8192, 0, 8192),
            ("aten.relu.default", 8192, 0, 16384),
            ("aten.convolution.default", 4096, 8192, 12288)]
    if got != want:
        raise AssertionError(f"self-test conv: got {got}, want {want}")
    # the relu output dies when Sequential.forward returns, the output on del
    after_forward = (mode.end_freed, mode.end_live)
    if after_forward != (8192, 4096):
        raise AssertionError("self-test conv: (freed, live) after the forward "
                             f"{after_forward}, want (8192, 4096)")
    lines.append("# self-test conv3x3(3->8)-relu-conv3x3(8->4) 1x3x16x16: "
                 "live 8192,16384,12288 B as derived by hand; peak 16384 B "
                 "(19456 B with the 3072 B input): ok")
    # Linear(64,128) -> ReLU(inplace) -> Linear(128,10) on 1x64:
    # aten.t (weight view, 0 B), addmm 512 B, relu_ (in place, 0 B),
    # aten.t, addmm 40 B -> live 512, 512, 512, 512, 552.
    seq = nn.Sequential(nn.Linear(64, 128), nn.ReLU(inplace=True),
                        nn.Linear(128, 10)).eval()
    x = torch.randn(1, 64)
    (mode, out), prof = profile(lambda: run_liveness(seq, x, mark_ops=True))
    got = [(r["op"], r["new_bytes"], r["live_bytes"]) for r in mode.rows]
    want = [("aten.t.default", 0, 0), ("aten.addmm.default", 512, 512),
            ("aten.relu_.default", 0, 512), ("aten.t.default", 0, 512),
            ("aten.addmm.default", 40, 552)]
    if got != want:
        raise AssertionError(f"self-test linear: got {got}, want {want}")
    stream, _, _ = allocation_stream(prof)
    check = analyse_profile(stream, mode)
    if check["boundary_mismatch"] or check["free_mismatch"] or check["peak"] != 552:
        raise AssertionError(f"self-test linear: profiler disagrees: {check}")
    lines.append("# self-test linear(64,128)-relu_-linear(128,10) 1x64: live "
                 "0,512,512,512,552 B as derived by hand, profiler agrees: ok")
    return lines


# --------------------------------------------------------------------------
# Saved tensors for backward
# --------------------------------------------------------------------------

class Packed:
    __slots__ = ("rec", "t")

    def __init__(self, rec, t):
        self.rec = rec
        self.t = t


def build_saved_case(name):
    torch.manual_seed(0)
    if name == "resnet18_train":
        model = torchvision.models.resnet18(weights=None)
        x = torch.randn(1, 3, 224, 224)
        desc = "torchvision resnet18 train, input 1x3x224x224"
    elif name == "mobilenet_v2_train":
        model = torchvision.models.mobilenet_v2(weights=None)
        x = torch.randn(1, 3, 224, 224)
        desc = "torchvision mobilenet_v2 train, input 1x3x224x224"
    elif name == "transformer_encoder_layer_train":
        model = nn.TransformerEncoderLayer(d_model=512, nhead=8,
                                           dim_feedforward=2048, dropout=0.1,
                                           batch_first=True)
        x = torch.randn(1, 128, 512)
        desc = ("nn.TransformerEncoderLayer(d_model=512, nhead=8, "
                "dim_feedforward=2048, dropout=0.1, batch_first=True) train, "
                "input 1x128x512")
    elif name in ("self_attention_one_position_train", "self_attention_two_positions_train"):
        # one position at a batch of 1: the packed projection is contiguous already, so the keys and values
        # saved are views of all of it; two positions: contiguous copies of its slices
        length = 1 if name == "self_attention_one_position_train" else 2
        model = SelfAttention()
        x = torch.randn(1, length, 8)
        desc = f"nn.MultiheadAttention(8, 2, batch_first=True) self-attention train, input 1x{length}x8"
    else:
        raise ValueError(name)
    return model.train(), x, desc


def measure_saved(name):
    model, x, desc = build_saved_case(name)
    # warm-up forward+backward (lazy initialisations), then a clean state
    model(x).sum().backward()
    model.zero_grad(set_to_none=True)
    gc.collect()

    static = {}
    for pname, p in model.named_parameters():
        static[storage_key(p)] = ("param", pname)
    for bname, b in model.named_buffers():
        static[storage_key(b)] = ("buffer", bname)
    input_key = storage_key(x)

    records = []
    seen = set()
    unpacked = []

    def on_enter(frame, inputs):
        frame["in_keys"] = {storage_key(t) for t in tensors_in(inputs)}
        frame["records"] = []

    def on_exit(frame, output):
        out_keys = {storage_key(t) for t in tensors_in(output)}
        for rec in frame["records"]:
            roles = []
            if rec["key"] in frame["in_keys"]:
                roles.append("module_input")
            if rec["key"] in out_keys:
                roles.append("module_output")
            rec["role"] = "+".join(roles) or "internal"

    modules = ModuleStack(model, on_enter, on_exit)

    def pack(t):
        k = storage_key(t)
        kind, pname = static.get(k, (None, ""))
        rec = {
            "index": len(records), "key": k, "module": modules.path(),
            "shape": shape_str(t.shape), "dtype": dtype_str(t.dtype),
            "tensor_bytes": tensor_bytes(t), "storage_bytes": storage_nbytes(t),
            "kind": kind or ("model_input" if k == input_key else "activation"),
            "param": pname, "first": k not in seen, "grad_fn": "?",
            "role": "outside",
        }
        seen.add(k)
        records.append(rec)
        frame = modules.top()
        if kind:
            rec["role"] = kind
        elif frame is not None:
            frame["records"].append(rec)
        return Packed(rec, t)

    def unpack(p):
        unpacked.append(p.rec)
        return p.t

    try:
        with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
            out = model(x)
    finally:
        modules.remove()

    # Which grad_fn saved what: read every _saved_* attribute of every node.
    todo, visited = [out.grad_fn], set()
    while todo:
        node = todo.pop()
        if node is None or node in visited:
            continue
        visited.add(node)
        for attr in dir(node):
            if attr.startswith("_saved_"):
                unpacked.clear()
                getattr(node, attr)
                for rec in unpacked:
                    if rec["grad_fn"] == "?":
                        rec["grad_fn"] = f"{node.name()}.{attr[len('_saved_'):]}"
        todo.extend(fn for fn, _ in node.next_functions)
    out_key = storage_key(out)
    out_bytes = storage_nbytes(out)
    del out, todo, visited, node
    gc.collect()

    def unique(pred):
        done, total = set(), 0
        for r in records:
            if r["key"] not in done and pred(r):
                done.add(r["key"])
                total += r["storage_bytes"]
        return total

    excl = unique(lambda r: r["kind"] in ("activation", "model_input"))
    excl_input = unique(lambda r: r["kind"] == "activation")
    result = {
        "case": name,
        "input": shape_str(x.shape),
        "pack_calls": len(records),
        "unique_storages": len({r["key"] for r in records}),
        "saved_bytes_excl_params": excl,
        "saved_bytes_excl_params_and_input": excl_input,
        "saved_bytes_incl_params": unique(lambda r: True),
        "param_bytes_saved": unique(lambda r: r["kind"] == "param"),
        "buffer_bytes_saved": unique(lambda r: r["kind"] == "buffer"),
        "input_bytes_saved": unique(lambda r: r["kind"] == "model_input"),
        "param_bytes_total": sum(tensor_bytes(p) for p in model.parameters()),
        "output_bytes": out_bytes,
    }

    # Second method: allocator bytes still live after a hook-free forward
    # (graph kept) = unique saved activation storages + the output storage.
    saved_keys_act = {r["key"] for r in records if r["kind"] == "activation"}
    expected_live = excl_input + (0 if out_key in saved_keys_act else out_bytes)
    model.zero_grad(set_to_none=True)
    torch.manual_seed(1)
    out2, prof = profile(lambda: model(x))
    stream, _, _ = allocation_stream(prof)
    live_after = profiler_peak(stream)["final"]
    result["profiler_live_after_forward"] = live_after
    result["expected_live_after_forward"] = expected_live
    del out2
    return result, records, desc


SAVED_COLUMNS = [
    "case", "input", "pack_calls", "unique_storages",
    "saved_bytes_excl_params", "saved_bytes_excl_params_and_input",
    "saved_bytes_incl_params", "param_bytes_saved", "buffer_bytes_saved",
    "input_bytes_saved", "param_bytes_total", "output_bytes",
    "profiler_live_after_forward", "expected_live_after_forward"]


def write_saved_records(path, name, desc, records, command):
    with open(path, "w") as f:
        f.write(f"# Tensors saved for backward by one forward of {desc}, "
                "gradients enabled, weights random; one row per pack-hook call "
                "in call order.\n")
        f.write(version_line(command))
        f.write("# module: innermost module running at pack time; grad_fn: "
                "autograd node and its _saved_ attribute that holds the tensor; "
                "kind: activation / model_input / param / buffer; role: relative "
                "to that module (module_input, module_output, internal = "
                "made inside the module); first: 1 for the first save of the "
                "storage, 0 for a duplicate (not counted again).\n")
        f.write("index\tmodule\tgrad_fn\tshape\tdtype\ttensor_bytes\t"
                "storage_bytes\tkind\tparam\trole\tfirst\n")
        for r in records:
            f.write(f"{r['index']}\t{r['module']}\t{r['grad_fn']}\t{r['shape']}\t"
                    f"{r['dtype']}\t{r['tensor_bytes']}\t{r['storage_bytes']}\t"
                    f"{r['kind']}\t{r['param'] or '-'}\t{r['role']}\t"
                    f"{int(r['first'])}\n")


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(
        description="Measure inference activation liveness and saved-for-"
                    "backward tensors of PyTorch models.")
    parser.add_argument("models", nargs="*", default=None,
                        help="inference models and/or saved-tensor cases "
                             f"(default: {' '.join(DEFAULT_MODELS + SAVED_CASES)})")
    parser.add_argument("--out-dir", help="write the TSV files into this folder")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch.set_num_threads (default 1)")
    parser.add_argument("--self-test", action="store_true",
                        help="run only the hand-derived self-tests")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    command = shlex.join(["/usr/bin/python3"] + sys.argv)
    test_lines = self_test()
    for line in test_lines:
        print(line, file=sys.stderr)
    if args.self_test:
        return

    names = args.models or DEFAULT_MODELS + SAVED_CASES
    inference = [n for n in names if n not in SAVED_CASES]
    saved = [n for n in names if n in SAVED_CASES]
    if args.out_dir:
        os.makedirs(os.path.join(args.out_dir, "memory"), exist_ok=True)
        os.makedirs(os.path.join(args.out_dir, "saved"), exist_ok=True)

    problems = []
    if inference:
        head = (version_line(command)
                + "# Inference: eval, torch.no_grad(), batch 1, float32, "
                  "weights=None; bytes of storages (see the docstring of "
                  "measure_memory.py).\n"
                + "\n".join(test_lines) + "\n"
                + "\t".join(INFERENCE_COLUMNS) + "\n")
        sys.stdout.write(head)
        lines, op_lines, notes = [], [], []
        for name in inference:
            result, extra = measure_inference(name)
            line = "\t".join(str(result[c]) for c in INFERENCE_COLUMNS)
            lines.append(line)
            print(line, flush=True)
            uses = extra["input_uses"]
            notes.append(f"# {name}: input last used by op {max(uses) if uses else '-'}"
                         f"; allocator: {extra['plain']['allocs']} allocations, "
                         f"{extra['plain']['alloc_bytes']} B in the run without "
                         f"the mode")
            for p in extra["problems"]:
                problems.append(f"{name}: {p}")
            op_lines.extend(op_summary(name, extra))
            if args.out_dir:
                write_trace(os.path.join(args.out_dir, "memory", f"{name}.tsv"),
                            name, result, extra, command)
        for p in problems:
            print(f"PROBLEM {p}", file=sys.stderr)
        if args.out_dir:
            with open(os.path.join(args.out_dir, "memory-costs.tsv"), "w") as f:
                f.write(head)
                for line in lines:
                    f.write(line + "\n")
                for n in notes:
                    f.write(n + "\n")
                for p in problems:
                    f.write(f"# PROBLEM {p}\n")
            with open(os.path.join(args.out_dir, "memory-ops.tsv"), "w") as f:
                f.write("# Per model and aten op kind (inference, no_grad, eval, "
                        "batch 1): what each op allocates.\n")
                f.write(version_line(command))
                f.write("# new_bytes: new output storages summed over calls; "
                        "outputs: count of output tensors by status (new, view, "
                        "inplace, param-view, ...).\n")
                f.write("# unused_outputs: new outputs no later op used, by "
                        "output position and dtype: count, size range, ratio "
                        "to output 0, and after how many ops they were freed "
                        "(1 = before the next op).\n")
                f.write("# kernel: for aten.convolution the backend op that "
                        "aten::_convolution called (profiler), one row per "
                        "backend.\n")
                f.write("# workspace: allocations made and freed inside the op "
                        "(profiler), by the profiler op that made them; bytes "
                        "summed per call.\n")
                f.write("model\top\tkernel\tcalls\tnew_bytes\toutputs\t"
                        "unused_outputs\tworkspace\n")
                for line in op_lines:
                    f.write(line + "\n")

    if saved:
        head = (version_line(command)
                + "# Saved tensors for backward: train mode, one forward with "
                  "gradients enabled inside saved_tensors_hooks; bytes "
                  "deduplicated by storage (storage.nbytes()).\n"
                + "# saved_bytes_excl_params: parameters and buffers excluded, "
                  "model input included when it is saved; "
                  "saved_bytes_incl_params: everything; profiler_live_after_forward: allocator bytes live "
                  "after a hook-free forward with the graph kept; "
                  "expected_live_after_forward: saved_bytes_excl_params_and_input"
                  " + output_bytes (output not saved).\n"
                + "\t".join(SAVED_COLUMNS) + "\n")
        sys.stdout.write(head)
        lines = []
        for name in saved:
            result, records, desc = measure_saved(name)
            line = "\t".join(str(result[c]) for c in SAVED_COLUMNS)
            lines.append(line)
            print(line, flush=True)
            if result["profiler_live_after_forward"] != result["expected_live_after_forward"]:
                problems.append(f"{name}: allocator live after forward "
                                f"{result['profiler_live_after_forward']} != "
                                f"{result['expected_live_after_forward']}")
                print(f"PROBLEM {problems[-1]}", file=sys.stderr)
            if args.out_dir:
                write_saved_records(os.path.join(args.out_dir, "saved", f"{name}.tsv"),
                                    name, desc, records, command)
        if args.out_dir:
            with open(os.path.join(args.out_dir, "saved-tensors.tsv"), "w") as f:
                f.write(head)
                for line in lines:
                    f.write(line + "\n")
    if problems:
        print(f"{len(problems)} problem(s), see above", file=sys.stderr)


if __name__ == "__main__":
    main()
