#!/usr/bin/python3
"""PyTorch anchor for bench/EcgOrleans.Bench: the same Kachuee CNN, the same weights, the same batch, the
same work per call as EcgOrleans.Ml's BeatScorer (Classify: inference; Score: inference + vanilla saliency).

Reads the JSON index + float32 file that the C# benchmark exports and checks that PyTorch's logits and vanilla
gradients match TorchSharp's. Then either serves timing requests from EcgOrleans.Bench (--serve: the two sides
alternate repetitions), times the tensor-level variants (--explore-only), or measures on its own and prints one
JSON line per configuration. Run with Debian's python (/usr/bin/python3) and python3-torch.
"""
import argparse
import copy
import json
import os
import sys
import threading
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FILTERS, KERNEL, BLOCKS, HIDDEN, CLASSES = 32, 5, 5, 32, 5

# "channels-last" runs the trunk as EcgOrleans.Ml does (Models/ChannelsLast1d.cs): each Conv1d's weights as a
# [1, K] 2-D convolution and each max-pool as a 2-D one over [B, C, 1, L] in channels-last memory. "plain" runs
# the nn.Conv1d / nn.MaxPool1d layers as a PyTorch user would write them. Same function either way.
LAYOUT = "channels-last"


def channels_last(x):
    return x.transpose(1, 2).contiguous().transpose(1, 2)


def conv(layer, x):
    if LAYOUT == "plain":
        return layer(x)
    return F.conv2d(x.unsqueeze(2), layer.weight.unsqueeze(2), layer.bias, padding=(0, KERNEL // 2)).squeeze(2)


def pool(x):
    if LAYOUT == "plain":
        return F.max_pool1d(x, 5, 2)
    return F.max_pool2d(x.unsqueeze(2), (1, 5), (1, 2)).squeeze(2)


def keep_freed_buffers():
    """What EcgOrleans.Ml's NativeHeap does at start-up: glibc keeps freed buffers under 32 MiB for reuse."""
    import ctypes
    libc = ctypes.CDLL("libc.so.6")
    return libc.mallopt(-3, 32 << 20) == 1 and libc.mallopt(-1, 512 << 20) == 1


class KachueeBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(FILTERS, FILTERS, KERNEL, padding=KERNEL // 2)
        self.conv2 = nn.Conv1d(FILTERS, FILTERS, KERNEL, padding=KERNEL // 2)

    def forward(self, x):
        return F.relu(conv(self.conv2, F.relu(conv(self.conv1, x))) + x)


class KachueeCnn(nn.Module):
    """Mirror of lib/EcgOrleans.Ml/Models/KachueeCnn.cs, with the same parameter names."""

    def __init__(self, length, rhythm):
        super().__init__()
        pooled = length
        for _ in range(BLOCKS):
            pooled = (pooled - 5) // 2 + 1
        self.rhythm = rhythm
        self.stem = nn.Conv1d(1, FILTERS, KERNEL, padding=KERNEL // 2)
        self.blocks = nn.ModuleList([KachueeBlock() for _ in range(BLOCKS)])
        self.fc1 = nn.Linear(FILTERS * pooled + rhythm, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, HIDDEN)
        self.output = nn.Linear(HIDDEN, CLASSES)

    def forward(self, waveform, rhythm):
        x = self.stem(waveform)
        if LAYOUT != "plain":
            x = channels_last(x)
        for block in self.blocks:
            x = pool(block(x))
        flat = x.flatten(1)
        if self.rhythm > 0:
            flat = torch.cat([flat, rhythm], 1)
        return self.output(F.relu(self.fc2(F.relu(self.fc1(flat)))))


def load(index_path):
    with open(index_path) as f:
        index = json.load(f)
    data = np.fromfile(os.path.join(os.path.dirname(index_path), index["data"]), dtype="<f4")
    tensors = {e["name"]: torch.from_numpy(data[e["offset"]:e["offset"] + e["count"]].copy()).reshape(e["shape"])
               for e in index["tensors"]}
    model = KachueeCnn(index["length"], index["rhythm"])
    state = {k: v for k, v in tensors.items() if not k.startswith(("input.", "reference."))}
    model.load_state_dict(state, strict=True)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return index, model, tensors


def classify(model, waveforms, rhythm, batch, length, features):
    """BeatScorer.Classify: arrays in, probabilities and predicted classes out."""
    with torch.inference_mode():
        w = torch.tensor(waveforms).reshape(batch, 1, length)
        r = torch.tensor(rhythm).reshape(batch, features)
        logits = model(w, r)
        return F.softmax(logits, 1).numpy(), logits.argmax(1).numpy()


def score(model, waveforms, rhythm, batch, length, features, rows_per_pass):
    """BeatScorer.Score with vanilla gradients: probabilities, predictions and normalised maps, one forward and one
    backward pass per rows_per_pass beats (as BeatScorer's RowsPerPass)."""
    if batch <= rows_per_pass:
        return score_pass(model, waveforms, rhythm, batch, length, features)
    parts = []
    for start in range(0, batch, rows_per_pass):
        rows = min(rows_per_pass, batch - start)
        parts.append(score_pass(model, waveforms[start * length:(start + rows) * length],
                                rhythm[start * features:(start + rows) * features], rows, length, features))
    return tuple(np.concatenate(column) for column in zip(*parts))


def score_pass(model, waveforms, rhythm, batch, length, features):
    w = torch.tensor(waveforms).reshape(batch, 1, length).requires_grad_()
    r = torch.tensor(rhythm).reshape(batch, features).requires_grad_()
    logits = model(w, r)
    targets = logits.detach().argmax(1)
    selected = logits.gather(1, targets.unsqueeze(1)).sum()
    gw, gr = torch.autograd.grad([selected], [w, r])
    raw = torch.cat([gw.flatten(1), gr], 1)
    magnitude = raw.abs()
    peak = magnitude.amax(1, keepdim=True)
    maps = magnitude / torch.where(peak > 0, peak, torch.ones_like(peak))
    return F.softmax(logits.detach(), 1).numpy(), targets.numpy(), maps.numpy()


def vanilla_gradient(model, w, r, targets=None):
    w = w.clone().requires_grad_()
    r = r.clone().requires_grad_()
    logits = model(w, r)
    if targets is None:
        targets = logits.detach().argmax(1)
    selected = logits.gather(1, targets.unsqueeze(1)).sum()
    gw, gr = torch.autograd.grad([selected], [w, r])
    return torch.cat([gw.flatten(1), gr], 1)


def variants(model, w, r):
    """Tensor-level variants matching EcgOrleans.Bench's Variants.cs."""
    trainable = copy.deepcopy(model)
    for p in trainable.parameters():
        p.requires_grad_(True)

    def forward_inference():
        with torch.inference_mode():
            model(w, r)

    def forward_no_grad():
        with torch.no_grad():
            model(w, r)

    def forward_graph():
        model(w.clone().requires_grad_(), r)

    def backward_trainable():
        x = w.clone().requires_grad_()
        logits = trainable(x, r)
        logits.gather(1, logits.detach().argmax(1).unsqueeze(1)).sum().backward()
        trainable.zero_grad()

    return {
        "forward, inference_mode": forward_inference,
        "forward, no_grad": forward_no_grad,
        "forward recording the graph, no backward": forward_graph,
        "vanilla gradient, frozen weights": lambda: vanilla_gradient(model, w, r),
        "vanilla gradient, trainable weights": lambda: vanilla_gradient(trainable, w, r),
        "vanilla via backward(), trainable": backward_trainable,
    }


def run(actions, calls):
    """Seconds for every action to be called `calls` times; several actions run on their own threads."""
    if len(actions) == 1:
        start = time.perf_counter()
        for _ in range(calls):
            actions[0]()
        return time.perf_counter() - start
    barrier = threading.Barrier(len(actions) + 1)

    def worker(action):
        barrier.wait()
        for _ in range(calls):
            action()

    threads = [threading.Thread(target=worker, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def calibrate(actions, warmup, seconds):
    elapsed = run(actions, max(1, warmup))
    return max(2, int(np.ceil(seconds / max(elapsed / max(1, warmup), 1e-6))))


def measure(actions, batch, repetitions, seconds, warmup):
    calls = calibrate(actions, warmup, seconds)
    return [len(actions) * calls * batch / run(actions, calls) for _ in range(repetitions)]


class Workloads:
    """The callables for a (mode, length, threads, workers) configuration, each worker with its own model copy."""

    def __init__(self, loaded, rows_per_pass):
        self.loaded = loaded  # length -> (index, model, tensors)
        self.rows_per_pass = rows_per_pass
        self.cache = {}

    def actions(self, mode, length, threads, workers):
        torch.set_num_threads(threads)
        key = (mode, length, workers)
        if key not in self.cache:
            index, model, tensors = self.loaded[length]
            batch, features = index["batch"], index["rhythm"]
            waveforms = tensors["input.waveform"].numpy().reshape(-1).copy()
            rhythm = tensors["input.rhythm"].numpy().reshape(-1).copy()
            models = [model] if workers == 1 else [copy.deepcopy(model) for _ in range(workers)]
            if mode == "inference":
                self.cache[key] = [lambda m=m: classify(m, waveforms, rhythm, batch, length, features) for m in models]
            else:
                self.cache[key] = [lambda m=m: score(m, waveforms, rhythm, batch, length, features, self.rows_per_pass)
                                   for m in models]
        return self.cache[key]


def serve(loaded, rows_per_pass):
    """Line protocol for EcgOrleans.Bench: one JSON request per line on stdin, one JSON reply per line on stdout."""
    workloads = Workloads(loaded, rows_per_pass)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["cmd"] == "quit":
                return
            actions = workloads.actions(request["mode"], request["length"], request["threads"], request["workers"])
            if request["cmd"] == "calibrate":
                reply = {"calls": calibrate(actions, request["warmup"], request["seconds"])}
            elif request["cmd"] == "run":
                reply = {"seconds": run(actions, request["calls"])}
            else:
                reply = {"error": f"unknown command {request['cmd']}"}
        except Exception as e:  # report to the caller instead of dying mid-protocol
            reply = {"error": repr(e)}
        print(json.dumps(reply), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("indexes", nargs="+", help="JSON indexes written by EcgOrleans.Bench")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--rows-per-pass", type=int, default=64, help="beats per forward + backward pass when scoring")
    parser.add_argument("--layout", choices=["channels-last", "plain"], default="channels-last",
                        help="channels-last: the trunk as EcgOrleans.Ml runs it; plain: nn.Conv1d and nn.MaxPool1d")
    parser.add_argument("--heap", choices=["tuned", "default"], default="tuned",
                        help="tuned: glibc keeps freed buffers, as EcgOrleans.Ml's NativeHeap; default: glibc's defaults")
    parser.add_argument("--serve", action="store_true", help="answer EcgOrleans.Bench's requests on stdin")
    parser.add_argument("--explore-only", action="store_true", help="only time the tensor-level variants")
    args = parser.parse_args()
    global LAYOUT
    LAYOUT = args.layout
    heap = "tuned" if args.heap == "tuned" and keep_freed_buffers() else "default"
    torch.set_num_interop_threads(1)
    print(f"torch {torch.__version__}, {'mkldnn' if torch.backends.mkldnn.is_available() else 'no mkldnn'}, "
          f"layout {LAYOUT}, heap {heap}", flush=True)

    loaded, failed = {}, False
    for path in args.indexes:
        index, model, tensors = load(path)
        length = index["length"]
        loaded[length] = (index, model, tensors)
        w, r = tensors["input.waveform"], tensors["input.rhythm"]
        with torch.no_grad():
            logits_diff = (model(w, r) - tensors["reference.logits"]).abs().max().item()
        reference = tensors["reference.vanilla_gradient"]
        # TorchSharp's own targets: on an untrained model two logits can lie within rounding of each other, and
        # a target flipped by a 1e-7 difference would compare the gradients of different classes.
        targets = tensors["reference.logits"].argmax(1)
        relative = (vanilla_gradient(model, w, r, targets) - reference).abs() / reference.abs().max()
        gradient_diff = relative.max().item()
        flipped = int((model(w, r).detach().argmax(1) != targets).sum())
        # A vanilla gradient is piecewise constant: where a ReLU input or two max-pool candidates lie within
        # rounding of each other, libraries whose convolutions round differently (oneDNN 2.6 in PyTorch 1.13, 3.x
        # in LibTorch 2.10) route part of one beat's gradient differently. A wrong model or wrong weights would
        # differ on every beat; allow rounding-level ties on at most 1 % of the beats.
        differing = int((relative.amax(1) > args.tolerance).sum())
        ok = logits_diff <= args.tolerance and differing <= 0.01 * len(targets)
        failed |= not ok
        print(json.dumps({"length": length, "check": "same model", "max_abs_logit_diff": logits_diff,
                          "max_gradient_diff_relative": gradient_diff, "beats_with_gradient_diff": differing, "beats": len(targets),
                          "argmax_flips": flipped, "ok": ok}), flush=True)
    if failed:
        return 1
    if args.serve:
        serve(loaded, args.rows_per_pass)
        return 0

    for length, (index, model, tensors) in loaded.items():
        batch, w, r = index["batch"], tensors["input.waveform"], tensors["input.rhythm"]
        if args.explore_only:
            for threads in map(int, args.threads.split(",")):
                torch.set_num_threads(threads)
                for name, fn in variants(model, w, r).items():
                    rates = measure([fn], batch, args.repetitions, args.seconds, args.warmup)
                    print(f"variant L={length} threads {threads}: {name:<40} median {np.median(rates):9,.0f} beats/s", flush=True)
            continue
        workloads = Workloads(loaded, args.rows_per_pass)
        runs = [(t, 1) for t in map(int, args.threads.split(","))] + ([(1, args.workers)] if args.workers > 1 else [])
        for threads, workers in runs:
            for mode in ("inference", "inference+vanilla"):
                rates = measure(workloads.actions(mode, length, threads, workers), batch, args.repetitions, args.seconds, args.warmup)
                print(json.dumps({"length": length, "mode": mode, "threads": threads, "workers": workers,
                                  "median": float(np.median(rates)), "rates": rates}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
