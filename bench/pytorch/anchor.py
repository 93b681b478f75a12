#!/usr/bin/python3
"""PyTorch anchor for bench/EcgOrleans.Bench: the same Kachuee CNN, the same weights, the same batch, the
same work per call as EcgOrleans.Ml's BeatScorer (Classify: inference; Score: inference + vanilla saliency).

Reads the JSON index + float32 file that the C# benchmark exports, checks that PyTorch's logits and vanilla
gradients match TorchSharp's, then prints one JSON line per measurement (beats/s of every repetition).
Run with Debian's python (/usr/bin/python3) and python3-torch.
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


class KachueeBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(FILTERS, FILTERS, KERNEL, padding=KERNEL // 2)
        self.conv2 = nn.Conv1d(FILTERS, FILTERS, KERNEL, padding=KERNEL // 2)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))) + x)


class KachueeCnn(nn.Module):
    """Mirror of grains/EcgOrleans.Ml/Models/KachueeCnn.cs, with the same parameter names."""

    def __init__(self, length, rhythm):
        super().__init__()
        pooled = length
        for _ in range(BLOCKS):
            pooled = (pooled - 5) // 2 + 1
        self.rhythm = rhythm
        self.stem = nn.Conv1d(1, FILTERS, KERNEL, padding=KERNEL // 2)
        self.blocks = nn.ModuleList([KachueeBlock() for _ in range(BLOCKS)])
        self.pool = nn.MaxPool1d(5, stride=2)
        self.fc1 = nn.Linear(FILTERS * pooled + rhythm, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, HIDDEN)
        self.output = nn.Linear(HIDDEN, CLASSES)

    def forward(self, waveform, rhythm):
        x = self.stem(waveform)
        for block in self.blocks:
            x = self.pool(block(x))
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


def score(model, waveforms, rhythm, batch, length, features):
    """BeatScorer.Score with vanilla gradients: probabilities, predictions and normalised maps, one backward pass."""
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


def vanilla_gradient(model, w, r):
    w = w.clone().requires_grad_()
    r = r.clone().requires_grad_()
    logits = model(w, r)
    selected = logits.gather(1, logits.detach().argmax(1).unsqueeze(1)).sum()
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


def measure(actions, batch, repetitions, seconds, warmup):
    """Beats/s of every repetition; several actions run on their own threads, starting and stopping together."""
    calls = [warmup]
    barrier = threading.Barrier(len(actions) + 1)

    def worker(action):
        for _ in range(repetitions + 1):
            barrier.wait()
            for _ in range(calls[0]):
                action()
            barrier.wait()

    threads = [threading.Thread(target=worker, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    rates = []
    for phase in range(repetitions + 1):
        barrier.wait()
        start = time.perf_counter()
        barrier.wait()
        elapsed = time.perf_counter() - start
        if phase == 0:
            calls[0] = max(2, int(np.ceil(seconds / max(elapsed / calls[0], 1e-6))))
        else:
            rates.append(len(actions) * calls[0] * batch / elapsed)
    for t in threads:
        t.join()
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("indexes", nargs="+", help="JSON indexes written by EcgOrleans.Bench")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--explore", action="store_true", help="also time tensor-level variants, as the C# --explore does")
    args = parser.parse_args()
    torch.set_num_interop_threads(1)
    print(f"torch {torch.__version__}, {torch.backends.mkldnn.is_available() and 'mkldnn' or 'no mkldnn'}", flush=True)

    failed = False
    for path in args.indexes:
        index, model, tensors = load(path)
        batch, length, features = index["batch"], index["length"], index["rhythm"]
        w, r = tensors["input.waveform"], tensors["input.rhythm"]
        with torch.no_grad():
            logits_diff = (model(w, r) - tensors["reference.logits"]).abs().max().item()
        gradient = vanilla_gradient(model, w, r)
        reference = tensors["reference.vanilla_gradient"]
        gradient_diff = ((gradient - reference).abs().max() / reference.abs().max()).item()
        ok = logits_diff <= args.tolerance and gradient_diff <= args.tolerance
        failed |= not ok
        print(json.dumps({"length": length, "check": "same model", "max_abs_logit_diff": logits_diff,
                          "max_gradient_diff_relative": gradient_diff, "ok": ok}), flush=True)

        waveforms, rhythm = w.numpy().reshape(-1).copy(), r.numpy().reshape(-1).copy()
        if args.explore:
            for threads in map(int, args.threads.split(",")):
                torch.set_num_threads(threads)
                for name, fn in variants(model, w, r).items():
                    rates = measure([fn], batch, args.repetitions, args.seconds, args.warmup)
                    print(f"variant L={length} threads {threads}: {name:<36} median {np.median(rates):9,.0f} beats/s", flush=True)
        runs = [(t, 1) for t in map(int, args.threads.split(","))]
        if args.workers > 1:
            runs.append((1, args.workers))
        for threads, workers in runs:
            torch.set_num_threads(threads)
            models = [model] if workers == 1 else [copy.deepcopy(model) for _ in range(workers)]
            for mode, fn in (("inference", classify), ("inference+vanilla", score)):
                actions = [lambda m=m, fn=fn: fn(m, waveforms, rhythm, batch, length, features) for m in models]
                rates = measure(actions, batch, args.repetitions, args.seconds, args.warmup)
                print(json.dumps({"length": length, "mode": mode, "threads": threads, "workers": workers,
                                  "median": float(np.median(rates)), "rates": rates}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
