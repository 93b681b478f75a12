#!/usr/bin/env python3
"""Writes the seed corpora under bench/fuzz/corpus/ from MIT-BIH: real headers, the first frames
of record 100 (re-encoded in every format the reader supports, with headers that match them), and
prefixes of annotation files. Every seed is a few hundred bytes; no MIT-BIH file is copied whole.

usage: make-seeds.py <mitdb folder> <corpus folder>
"""
import os
import struct
import sys

FRAMES = 48  # frames of record 100 in each signal seed


def decode_212(data, count):
    samples = []
    for i in range(0, len(data) - 2, 3):
        b0, b1, b2 = data[i], data[i + 1], data[i + 2]
        for v in (b0 | (b1 & 0x0F) << 8, b2 | (b1 & 0xF0) << 4):
            samples.append(v - 4096 if v & 0x800 else v)
        if len(samples) >= count:
            break
    return samples[:count]


def encode(fmt, interleaved, signals):
    """Encoders written from signal(5); the reader's checksum check proves them right (see README)."""
    out = bytearray()
    if fmt == 8:
        previous = list(interleaved[:signals])  # the header's initial values: first difference is 0
        for i, v in enumerate(interleaved):
            out.append((v - previous[i % signals]) & 0xFF)
            previous[i % signals] = v
    elif fmt == 16:
        for v in interleaved: out += struct.pack('<h', v)
    elif fmt == 61:
        for v in interleaved: out += struct.pack('>h', v)
    elif fmt == 80:
        for v in interleaved: out.append(v + 128)
    elif fmt == 160:
        for v in interleaved: out += struct.pack('<H', v + 32768)
    elif fmt == 24:
        for v in interleaved: out += struct.pack('<i', v)[:3]
    elif fmt == 32:
        for v in interleaved: out += struct.pack('<i', v)
    elif fmt == 212:
        for i in range(0, len(interleaved), 2):
            a = interleaved[i] & 0xFFF
            if i + 1 < len(interleaved):
                b = interleaved[i + 1] & 0xFFF
                out += bytes([a & 0xFF, (a >> 8) | ((b >> 8) << 4), b & 0xFF])
            else:
                out += bytes([a & 0xFF, a >> 8])  # a lone last sample: the two bytes it needs
    elif fmt == 310:
        for i in range(0, len(interleaved), 3):
            group = [v & 0x3FF for v in interleaved[i:i + 3]] + [0, 0]
            w0 = group[0] << 1 | (group[2] & 0x1F) << 11
            w1 = group[1] << 1 | (group[2] >> 5) << 11
            out += struct.pack('<HH', w0, w1)[:2 * min(2, len(interleaved) - i)]
    elif fmt == 311:
        for i in range(0, len(interleaved), 3):
            group = [v & 0x3FF for v in interleaved[i:i + 3]] + [0, 0]
            word = group[0] | group[1] << 10 | group[2] << 20
            out += struct.pack('<I', word)[:2 * min(2, len(interleaved) - i)]
    else:
        raise ValueError(fmt)
    return bytes(out)


def checksum(values):
    s = sum(values) & 0xFFFF
    return s - 0x10000 if s & 0x8000 else s


def signal_seed(fmt, samples, signals, frames, files, bits, zero, with_count=True):
    interleaved = [samples[f][s] for f in range(frames) for s in range(signals)]
    lines = [f"100 {signals} 360 {frames}" if with_count else f"100 {signals} 360"]
    descriptions = ["MLII", "V5"]
    for s in range(signals):
        column = interleaved[s::signals]
        lines.append(f"{files[s]} {fmt} 200 {bits} {zero} {column[0]} {checksum(column)} 0 {descriptions[s]}"
                     if with_count else f"{files[s]} {fmt} 200 {bits} {zero}")
    width = signals if len(set(files)) == 1 else 1
    data = encode(fmt, interleaved if width == signals else interleaved[0::signals], width)
    return ("\n".join(lines) + "\n").encode("latin-1") + b"\0" + data


def annotation_prefix(data, count):
    """The first `count` annotations of an annotation file, with their pseudo-code words, and the end word."""
    at, seen = 0, 0
    while at + 1 < len(data):
        word = data[at] | data[at + 1] << 8
        code, value = word >> 10, word & 0x3FF
        if word == 0:
            break
        if code not in (59, 60, 61, 62, 63):
            if seen == count:
                break
            seen += 1
        at += 2
        if code == 59:
            at += 4
        elif code == 63:
            at += value + (value & 1)
    return data[:at] + b"\0\0"


def main(mitdb, corpus):
    def write(target, name, content):
        folder = os.path.join(corpus, target)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), "wb") as f:
            f.write(content)

    for record in ("100", "102", "232"):
        with open(os.path.join(mitdb, record + ".hea"), "rb") as f:
            write("header", record + ".hea", f.read())
    write("header", "all-fields.hea",
          b"100 2 360/720(3) 650000 12:30:05.5 01/02/2020\n"
          b"100.dat 212+0 200(1000)/uV 11 1024 995 -22131 0 MLII\n"
          b"100.dat 212 0 0 1024 1011 20052 0 lead V5, reversed\n"
          b"# 69 M 1085 1629 x1\n")

    with open(os.path.join(mitdb, "100.dat"), "rb") as f:
        raw = decode_212(f.read(FRAMES * 3 + 3), FRAMES * 2)
    frames = [raw[2 * i:2 * i + 2] for i in range(FRAMES)]
    small = [[max(-128, min(127, v - 1024)) for v in frame] for frame in frames]  # 8-bit formats
    tenbit = [[v - 1024 for v in frame] for frame in frames]  # 10-bit formats
    same = ["100.dat", "100.dat"]
    for fmt, samples, bits, zero in ((212, frames, 11, 1024), (16, frames, 11, 1024), (61, frames, 11, 1024),
                                     (160, frames, 11, 1024), (24, frames, 11, 1024), (32, frames, 11, 1024),
                                     (8, small, 8, 0), (80, small, 8, 0), (310, tenbit, 10, 0), (311, tenbit, 10, 0)):
        write("signal", f"100-{fmt}", signal_seed(fmt, samples, 2, FRAMES, same, bits, zero))
    # A partial last group (formats 212, 310 and 311 write only the bytes the last samples need).
    write("signal", "100-212-tail", signal_seed(212, frames, 1, FRAMES - 1, ["100.dat"], 11, 1024))
    write("signal", "100-310-tail", signal_seed(310, tenbit, 1, FRAMES - 1, ["100.dat"], 10, 0))
    write("signal", "100-311-tail", signal_seed(311, tenbit, 1, FRAMES - 2, ["100.dat"], 10, 0))
    # No sample count, no initial values, no checksums: the reader reads to the end of the file.
    write("signal", "100-212-uncounted", signal_seed(212, frames, 2, FRAMES, same, 11, 1024, with_count=False))
    # One signal per file (the harness hands every file the same bytes).
    write("signal", "100-16-two-files", signal_seed(16, [[f[0], f[0]] for f in frames], 2, FRAMES, ["a.dat", "b.dat"], 11, 1024))

    for record, count in (("100", 40), ("203", 60), ("232", 30)):
        with open(os.path.join(mitdb, record + ".atr"), "rb") as f:
            write("annotation", record + "-prefix.atr", annotation_prefix(f.read(4096), count))
    # Every pseudo-code once: N, SUB 1, CHN 1, NUM 2, SKIP 100000, V with AUX "(VT", end.
    write("annotation", "pseudo-codes.atr",
          struct.pack("<HHHHHHHHH", 1 << 10 | 10, 61 << 10 | 1, 62 << 10 | 1, 60 << 10 | 2,
                      59 << 10, 100000 >> 16, 100000 & 0xFFFF, 5 << 10 | 300, 63 << 10 | 3)
          + b"(VT\0" + b"\0\0")
    # WFDB's time-resolution preamble (as putann writes it), then N at 5 and V at 105.
    note = b"## time resolution: 128"
    write("annotation", "preamble-128.atr",
          struct.pack("<HH", 22 << 10, 63 << 10 | len(note)) + note + b"\0"
          + struct.pack("<HHHH", 59 << 10, 0xFFFF, 0xFFFF, 1) + struct.pack("<HHH", 1 << 10 | 5, 5 << 10 | 100, 0))
    # Two channels in turn: N at 5000 (a SKIP), then back 4960 samples to a V on channel 1 (a negative SKIP).
    write("annotation", "skip-back.atr",
          struct.pack("<HHHH", 59 << 10, 0, 5000, 1 << 10)
          + struct.pack("<HHHHH", 59 << 10, 0xFFFF, (-4960) & 0xFFFF, 5 << 10, 62 << 10 | 1) + b"\0\0")
    # A download cut short: the first 40 annotations of 100.atr without the end word.
    with open(os.path.join(mitdb, "100.atr"), "rb") as f:
        write("annotation", "100-cut.atr", annotation_prefix(f.read(4096), 40)[:-2])

    # annotation-write: a layout byte, then 5 bytes per annotation (code index, signed 24-bit step, selector)
    # and the fields the selector asks for (SUB, CHN, NUM, AUX length and text).
    write("annotation-write", "plain", bytes([2]) + bytes([1, 0, 0, 200, 0]) + bytes([4, 0, 1, 44, 0]))
    write("annotation-write", "preamble-skip-back",
          bytes([1 | 1 << 2]) + bytes([1, 0, 0, 10, 0]) + bytes([20, 0, 200, 0, 8, 3]) + b"(AF"
          + bytes([4, 0xFF, 0x90, 0, 2 | 4, 1, 0xFE]))
    write("annotation-write", "cut-fields", bytes([2 | 1]) + bytes([13, 0, 3, 0, 1 | 2 | 4 | 8, 0xFF, 7, 3, 4]) + b"(SVT")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
