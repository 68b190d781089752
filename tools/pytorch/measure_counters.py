#!/usr/bin/env python3
"""Run the real counters (thop, nni, ptflops, fvcore, torchinfo) on the examples.

Prints one TSV row per model with what each tool returns (COLUMNS):

  thop_macs, thop_params          thop.profile(model, inputs=(x,)) (thop 0.1.1, the
                                  Lyken17/pytorch-OpCounter source at 43c064a)
  nni_flops, nni_params           nni count_flops_params(model, x, verbose=False)
  nni_full_flops, _params         the same with mode='full' (nni 3.0,
                                  nni/compression/utils/counter.py at v3.0 = 36ba04c)
  ptflops_macs, ptflops_params    get_model_complexity_info(..., backend='pytorch')
  ptflops_nofunc_macs             the same with backend_specific_config={'count_functional': False}
  ptflops_aten_macs               the same with backend='aten' (ptflops 0.7.6 at d612c75)
  fvcore_flops                    FlopCountAnalysis(model, inputs).total() (fvcore 0.1.6 at 3378afe)
  torchinfo_multadds, _params     summary(model, input_data=...).total_mult_adds / total_params
                                  (torchinfo at 5c4164f)
  torchinfo_v180_multadds         the same with the v1.8.0 release

None of the tools is on PyPI for this machine's Python, so all run from their sources. Get them
from their repositories at those revisions (git clone, git checkout), then

  python3 tools/pytorch/measure_counters.py --thop pytorch-OpCounter \
      --nni nni/nni/compression/utils/counter.py --ptflops flops-counter.pytorch \
      --fvcore fvcore --torchinfo torchinfo --torchinfo-v180 torchinfo-v1.8.0 \
      > tools/pytorch/counter-costs.tsv

Every source is imported unchanged. Stand-ins replace imports that have nothing to do with
counting: for nni's counter.py (importing the whole nni package needs cloudpickle, json_tricks,
typeguard, scipy, filelock and schema), prettytable's PrettyTable (printing with verbose=True only)
and nni's ModuleWrapper (an isinstance test for pruning wrappers, which no model here contains);
for fvcore, iopath's file handlers (checkpoint I/O), termcolor's colored, tabulate and tqdm
(printing and progress bars). A tool that raises or returns None prints that in place of a number
("-" where the tool is not run on the model: fvcore cannot trace a None argument, and nni's
count_flops_params takes positional tensors only, so nn.Transformer's tgt_mask cannot reach it).
"""

import argparse
import contextlib
import importlib.util
import inspect
import os
import sys
import types

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402  (torchvision models and LeNet-5, as measured there)
import measure_decoders  # noqa: E402  (GPT-2 small, the Llama- and Mixtral-style decoders)
import measure_layers  # noqa: E402  (segmentation, video, UNet, DCGAN and recurrent cases)
import measure_transformers  # noqa: E402  (ViT, ConvNeXt, BERT, nn.TransformerEncoderLayer, nn.Transformer)

TORCHVISION = ["lenet5", "alexnet", "vgg16", "resnet18", "resnet34", "resnet50", "resnet101",
               "resnet152", "resnext50_32x4d", "mobilenet_v2", "mobilenet_v3_large",
               "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3",
               "efficientnet_b4", "efficientnet_b5", "efficientnet_b6", "efficientnet_b7",
               "mnasnet1_0", "squeezenet1_0", "shufflenet_v2_x1_0", "densenet121", "googlenet",
               "inception_v3"]
CASES = measure_layers.WHOLE_MODELS + [n for n in measure_layers.CASES
                                       if n.split("_")[0] in ("lstm", "gru", "rnn")
                                       and n.split("_")[1].startswith(("L", "proj"))]
# example name -> measure_transformers case
TRANSFORMERS = {"vit_b_16": "vit_b_16", "convnext_tiny": "convnext_tiny", "swin_t": "swin_t", "bert_base": "bert_base", "albert_base": "albert_base",
                "transformer_encoder_layer": "nn_transformer_encoder_layer",
                "transformer": "nn_transformer"}
# example name -> (measure_decoders model, sequence length)
DECODERS = {"gpt2_small": 1024, "llama_tiny": 256, "mixtral_tiny": 256}
COLUMNS = ["model", "input", "thop_macs", "thop_params", "nni_flops", "nni_params",
           "nni_full_flops", "nni_full_params", "ptflops_macs", "ptflops_params",
           "ptflops_nofunc_macs", "ptflops_aten_macs", "fvcore_flops", "torchinfo_multadds",
           "torchinfo_params", "torchinfo_v180_multadds"]


def stand_in(name, **members):
    module = types.ModuleType(name)
    module.__dict__.update(members)
    sys.modules[name] = module
    return module


def load_nni(path):
    """Load nni's counter.py by path, with stand-ins for its two non-counting imports."""

    class PrettyTable:  # only used by ModelProfiler.format_results (verbose=True)
        def __init__(self, *args, **kwargs):
            pass

    class ModuleWrapper(nn.Module):  # only used in an isinstance test for pruning wrappers
        pass

    stand_in("prettytable", PrettyTable=PrettyTable)
    for name in ("nni", "nni.compression", "nni.compression.base"):
        sys.modules.setdefault(name, types.ModuleType(name))
    stand_in("nni.compression.base.wrapper", ModuleWrapper=ModuleWrapper)
    spec = importlib.util.spec_from_file_location("nni_counter", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_fvcore(path):
    """Import fvcore from its source, with stand-ins for printing, progress bars and checkpoint I/O."""

    class PathManager:
        def register_handler(self, *args, **kwargs):
            pass

    class PathManagerFactory:
        @staticmethod
        def get(*args, **kwargs):
            return PathManager()

    stand_in("iopath")
    stand_in("iopath.common")
    stand_in("iopath.common.file_io", HTTPURLHandler=type("HTTPURLHandler", (), {}),
             PathManager=PathManager, PathManagerFactory=PathManagerFactory)
    stand_in("termcolor", colored=lambda text, *args, **kwargs: text)
    stand_in("tabulate", tabulate=lambda *args, **kwargs: "")
    stand_in("tqdm", tqdm=lambda iterable=None, *args, **kwargs: iterable)
    sys.path.insert(0, path)
    from fvcore.nn import FlopCountAnalysis
    return FlopCountAnalysis


def load_torchinfo(path):
    """Import a torchinfo source tree under its own name, so that two revisions can be loaded."""
    for name in [n for n in sys.modules if n == "torchinfo" or n.startswith("torchinfo.")]:
        del sys.modules[name]
    sys.path.insert(0, path)
    import torchinfo
    sys.path.remove(path)
    for name in [n for n in sys.modules if n == "torchinfo" or n.startswith("torchinfo.")]:
        sys.modules["_" + os.path.basename(path) + "_" + name] = sys.modules.pop(name)
    return torchinfo.summary


class Holder(nn.Module):
    """A model whose one child is the layer, as a modelcost spec with one field is.

    The tools treat the module they are called on differently from its children (thop never
    counts the root's own parameters), so a bare layer is measured inside a container.
    """

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        return self.layer(x)


class SharedBlock(nn.Module):
    """Linear(64, 64), LayerNorm(64), ReLU: the block SharedLayerX3 calls three times."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 64)
        self.norm = nn.LayerNorm(64)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.norm(self.fc(x)))


class SharedLayerX3(nn.Module):
    """One block called three times, ALBERT's cross-layer sharing, then a head: shared_layer_x3, input 1x10x64."""

    def __init__(self):
        super().__init__()
        self.layer = SharedBlock()
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        for _ in range(3):
            x = self.layer(x)
        return self.head(x)


class SiameseTowers(nn.Module):
    """One tower (SharedBlock) on each of two inputs, their sum, then a head: siamese_towers, inputs a and b of 1x10x64."""

    def __init__(self):
        super().__init__()
        self.tower = SharedBlock()
        self.head = nn.Linear(64, 10)

    def forward(self, a, b):
        return self.head(self.tower(a) + self.tower(b))


class SiameseCnn(nn.Module):
    """Koch et al.'s (2015) one-shot tower on two 105x105 images, the embeddings concatenated, then a head: siamese_cnn."""

    def __init__(self):
        super().__init__()
        self.tower = nn.Sequential(
            nn.Conv2d(1, 64, 10), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 7), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(128, 128, 4), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(128, 256, 4), nn.ReLU(), nn.Flatten(),
            nn.Linear(9216, 4096), nn.Sigmoid())
        self.head = nn.Linear(8192, 1)

    def forward(self, a, b):
        return self.head(torch.cat([self.tower(a), self.tower(b)], dim=1))


class SharedConvTwoScales(nn.Module):
    """One convolution on an image and on its pooled half, each averaged, summed, then a head: shared_conv_two_scales, input 1x3x32x32."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        whole = self.gap(self.conv(x))
        half = self.gap(self.conv(self.pool(x)))
        return self.fc(torch.flatten(whole + half, 1))


class SharedEmbeddingTwoLengths(nn.Module):
    """One embedding on source ids (8) and target ids (5), concatenated, normed, then a head: shared_embedding_two_lengths."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16)
        self.norm = nn.LayerNorm(16)
        self.head = nn.Linear(16, 100)

    def forward(self, src, tgt):
        return self.head(self.norm(torch.cat([self.emb(src), self.emb(tgt)], 1)))


class SharedConv1dTransposed(nn.Module):
    """One Conv1d on two (L, D) sequences of 10 and 6 steps, each transposed to channels first: shared_conv1d_transposed."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(16, 16, 3, padding=1)

    def forward(self, a, b):
        return torch.cat([self.conv(a.transpose(1, 2)), self.conv(b.transpose(1, 2))], 2)


class SharedLstmState(nn.Module):
    """One LSTM on a (9 steps), then on b (5 steps) from a's final state, then a head: shared_lstm_state."""

    def __init__(self):
        super().__init__()
        self.enc = nn.LSTM(16, 24, batch_first=True)
        self.head = nn.Linear(24, 3)

    def forward(self, a, b):
        _, state = self.enc(a)
        y, _ = self.enc(b, state)
        return self.head(y)


class SharedAttentionSelfThenCross(nn.Module):
    """One MultiheadAttention: self-attention on x (10 steps), then its output attending to m (7 steps): shared_attention_self_then_cross."""

    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)
        self.head = nn.Linear(32, 3)

    def forward(self, x, m):
        u, _ = self.attn(x, x, x)
        v, _ = self.attn(u, m, m)
        return self.head(v)


class InPlaceOnView(nn.Module):
    """Linear(8, 8), then an in-place ReLU on the first half of its output, as chunk or as a slice returns it, or on the first
    half of the input itself (which needs no gradients), the halves joined again: inplace_relu_on_chunk, inplace_relu_on_slice,
    inplace_relu_on_input_chunk, input 1x3x8."""

    def __init__(self, view):
        super().__init__()
        self.view = view
        self.fc = nn.Linear(8, 8)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        if self.view == "input_chunk":
            a, b = x.chunk(2, -1)
            return self.fc(torch.cat([self.relu(a), b], -1))
        y = self.fc(x)
        a, b = y.chunk(2, -1) if self.view == "chunk" else (y[..., :4], y[..., 4:])
        return torch.cat([self.relu(a), b], -1)


class InPlaceOnOtherTensors(nn.Module):
    """Other tensors modified in place, 1x3x8: reshape_of_chunk (a chunk of a Linear's output reshaped, which copies, then an
    in-place ReLU), dropout_on_chunk (an in-place dropout in eval on a chunk), parameter_added_into_input_chunk (a parameter
    added in place into a chunk of the input), relu_on_parameter (an in-place ReLU on a parameter) and
    relu_on_chunk_of_modified_input (a parameter added in place into the input, then an in-place ReLU on a chunk of it) and
    relu_on_base_of_read_chunk (a chunk of a Linear's output taken, the output modified in place, then the chunk read)."""

    def __init__(self, case):
        super().__init__()
        self.case = case
        self.fc = nn.Linear(8, 8)
        self.relu = nn.ReLU(inplace=True)
        self.drop = nn.Dropout(inplace=True)
        self.out = nn.Linear(12, 4) if case == "reshape_of_chunk" else None
        if case == "parameter_added_into_input_chunk":
            self.p = nn.Parameter(torch.randn(3, 4))
        if case in ("relu_on_parameter", "relu_on_chunk_of_modified_input"):
            self.p = nn.Parameter(torch.randn(3, 8))
        if case == "relu_on_chunk_of_modified_input":
            self.fc = nn.Linear(16, 8)

    def forward(self, x):
        if self.case == "reshape_of_chunk":
            return self.out(self.relu(self.fc(x).chunk(2, -1)[0].reshape(1, 12)))
        if self.case == "dropout_on_chunk":
            a, b = self.fc(x).chunk(2, -1)
            return torch.cat([self.drop(a), b], -1)
        if self.case == "parameter_added_into_input_chunk":
            a, b = x.chunk(2, -1)
            a += self.p
            return self.fc(torch.cat([a, b], -1))
        if self.case == "relu_on_base_of_read_chunk":
            y = self.fc(x)
            a = y.chunk(2, -1)[0]
            return torch.cat([self.relu(y), a], -1)  # the chunk is read after its base was modified in place
        if self.case == "relu_on_chunk_of_modified_input":
            x += self.p  # the input now needs gradients
            a = self.relu(x.chunk(2, -1)[0])
            return self.fc(torch.cat([a, x.chunk(2, -1)[1], x], -1))
        return self.fc(x + self.relu(self.p))


GRADIENT_VIEWS = {"inplace_relu_on_" + view: (lambda v: lambda: (InPlaceOnView(v), (torch.randn(1, 3, 8),)))(view)
                  for view in ("chunk", "slice", "input_chunk")}
GRADIENT_VIEWS.update({"inplace_" + case: (lambda c: lambda: (InPlaceOnOtherTensors(c), (torch.randn(1, 3, 8),)))(case)
                       for case in ("reshape_of_chunk", "dropout_on_chunk", "parameter_added_into_input_chunk", "relu_on_parameter",
                                    "relu_on_chunk_of_modified_input", "relu_on_base_of_read_chunk")})

SHARED = {"shared_layer_x3": lambda: (SharedLayerX3(), (torch.randn(1, 10, 64),)),
          "shared_embedding_two_lengths": lambda: (SharedEmbeddingTwoLengths(), (torch.randint(0, 100, (1, 8)), torch.randint(0, 100, (1, 5)))),
          "shared_conv1d_transposed": lambda: (SharedConv1dTransposed(), (torch.randn(1, 10, 16), torch.randn(1, 6, 16))),
          "shared_lstm_state": lambda: (SharedLstmState(), (torch.randn(1, 9, 16), torch.randn(1, 5, 16))),
          "shared_attention_self_then_cross": lambda: (SharedAttentionSelfThenCross(), (torch.randn(1, 10, 32), torch.randn(1, 7, 32))),
          "siamese_towers": lambda: (SiameseTowers(), (torch.randn(1, 10, 64), torch.randn(1, 10, 64))),
          "siamese_cnn": lambda: (SiameseCnn(), (torch.randn(1, 1, 105, 105), torch.randn(1, 1, 105, 105))),
          "shared_conv_two_scales": lambda: (SharedConvTwoScales(), (torch.randn(1, 3, 32, 32),))}


def build(name):
    """The model in eval mode, its positional inputs and keyword inputs, and the input's shape."""
    torch.manual_seed(0)
    if name in SHARED or name in GRADIENT_VIEWS:
        model, inputs = {**SHARED, **GRADIENT_VIEWS}[name]()
        return model.eval(), inputs, {}, tuple(inputs[0].shape)
    name, _, size = name.partition("@")  # name@1x3x512x512: a torchvision model at that input shape
    if name in TORCHVISION:
        shape = tuple(int(d) for d in size.split("x")) if size else measure.INPUT_SHAPES.get(name, measure.DEFAULT_INPUT)
        return measure.build_model(name), (torch.randn(*shape),), {}, shape
    if name in TRANSFORMERS:
        builder = measure_transformers.CASES[TRANSFORMERS[name]][0]
        model, inputs, kwargs = builder()
        return model.eval(), inputs, kwargs, tuple(inputs[0].shape)
    if name in DECODERS:
        factory, vocabulary = measure_decoders.MODELS[name][:2]
        model = factory(None).eval()
        length = DECODERS[name]
        ids = torch.randint(0, vocabulary, (1, length)) if name == "mixtral_tiny" else torch.zeros(1, length, dtype=torch.int64)
        return model, (ids,), {}, (1, length)
    model, x = measure_layers.build(name)
    if isinstance(model, measure_layers.RECURRENT):
        model = Holder(model).eval()
    return model, (x,), {}, tuple(x.shape)


def number(value):
    return str(int(round(float(value))))


def run(label, function, width):
    try:
        with contextlib.redirect_stdout(sys.stderr):  # ptflops prints its warnings and failures on stdout
            return function()
    except Exception as failure:  # the tool's own failure is a result, recorded as such
        print(f"# {label}: {type(failure).__name__}: {failure}", file=sys.stderr)
        return (type(failure).__name__,) * width


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thop", required=True, help="a checkout of Lyken17/pytorch-OpCounter")
    parser.add_argument("--nni", required=True, help="nni/compression/utils/counter.py of nni v3.0")
    parser.add_argument("--ptflops", help="a checkout of sovrasov/flops-counter.pytorch")
    parser.add_argument("--fvcore", help="a checkout of facebookresearch/fvcore")
    parser.add_argument("--torchinfo", help="a checkout of TylerYep/torchinfo")
    parser.add_argument("--torchinfo-v180", help="the same at its v1.8.0 tag")
    parser.add_argument("--models", default="", help="comma-separated subset; a torchvision model may be written name@1x3x512x512 for that input shape")
    args = parser.parse_args()
    sys.path.insert(0, args.thop)
    import thop
    counter = load_nni(args.nni)
    if args.ptflops:
        sys.path.insert(0, args.ptflops)
        from ptflops import get_model_complexity_info
    flop_count = load_fvcore(args.fvcore) if args.fvcore else None
    summary_head = load_torchinfo(args.torchinfo) if args.torchinfo else None
    summary_v180 = load_torchinfo(args.torchinfo_v180) if args.torchinfo_v180 else None
    names = [n for n in args.models.split(",") if n] or TORCHVISION + CASES + list(TRANSFORMERS) + list(DECODERS)
    print(f"# thop {thop.__version__}; nni counter.py from {args.nni}; torch {torch.__version__}")
    print("\t".join(COLUMNS))
    for name in names:
        row = []

        def fresh():
            return build(name)

        def thop_profile():
            model, inputs, kwargs, _ = fresh()
            if kwargs:  # nn.Transformer's tgt_mask, positionally: (src, tgt, src_mask, tgt_mask)
                inputs = inputs + (None, kwargs["tgt_mask"])
            macs, params = thop.profile(model, inputs=inputs, verbose=False)
            return number(macs), number(params)

        def nni_count(mode):
            model, inputs, kwargs, _ = fresh()
            if kwargs:  # count_flops_params passes positional tensors only, and no mask can be None there
                return ("-", "-")
            # A tuple of tensors is passed positionally (model(*x)): the two inputs of siamese_towers.
            flops, params, _ = counter.count_flops_params(model, inputs[0] if len(inputs) == 1 else tuple(inputs), verbose=False, mode=mode)
            return number(flops), number(params)

        def ptflops_count(backend, functional):
            model, inputs, kwargs, _ = fresh()
            if kwargs:
                feed = {"src": inputs[0], "tgt": inputs[1], **kwargs}
            elif len(inputs) > 1:  # ptflops calls model(**feed) for a dict: the forward's own argument names
                feed = dict(zip(list(inspect.signature(model.forward).parameters), inputs))
            else:
                feed = inputs[0]
            macs, params = get_model_complexity_info(
                model, tuple(inputs[0].shape[1:]), as_strings=False, print_per_layer_stat=False,
                verbose=False, backend=backend, input_constructor=lambda res: feed, ost=sys.stderr,
                backend_specific_config={"count_functional": functional})
            return ("None", "None") if macs is None else (number(macs), number(params))

        def fvcore_count():
            model, inputs, kwargs, _ = fresh()
            if kwargs:
                return ("-",)
            analysis = flop_count(model, inputs)
            analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
            return (number(analysis.total()),)

        def torchinfo_count(summary):
            model, inputs, kwargs, _ = fresh()
            stats = summary(model, input_data=list(inputs), verbose=0, **kwargs)
            return number(stats.total_mult_adds), number(stats.total_params)

        shape = fresh()[3]
        row += run(f"{name} thop", thop_profile, 2)
        row += run(f"{name} nni", lambda: nni_count("default"), 2)
        row += run(f"{name} nni full", lambda: nni_count("full"), 2)
        if args.ptflops:
            row += run(f"{name} ptflops", lambda: ptflops_count("pytorch", True), 2)
            row += run(f"{name} ptflops nofunc", lambda: ptflops_count("pytorch", False)[:1], 1)
            row += run(f"{name} ptflops aten", lambda: ptflops_count("aten", True)[:1], 1)
        else:
            row += ["-"] * 4
        row += run(f"{name} fvcore", fvcore_count, 1) if flop_count else ["-"]
        row += run(f"{name} torchinfo", lambda: torchinfo_count(summary_head), 2) if summary_head else ["-"] * 2
        row += run(f"{name} torchinfo v1.8.0", lambda: torchinfo_count(summary_v180)[:1], 1) if summary_v180 else ["-"]
        print("\t".join([name.partition("@")[0], "x".join(map(str, shape))] + list(row)), flush=True)


if __name__ == "__main__":
    main()
