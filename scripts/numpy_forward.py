#!/usr/bin/env python3
"""A reference forward pass of an Inkling model in NumPy alone.

Reads a model exported by `inkling export --format safetensors` (PyTorch's names and layouts,
the architecture in the file's metadata), runs every MNIST (or Fashion-MNIST) test image through
it in float32 and prints the accuracy. With --logits (a .npy written by `inkling eval --logits`)
it also compares the logits of the first images with Inkling's and fails if any differs by more
than --tolerance. Nothing here imports Inkling: it checks that the export says everything a
reader needs (names, layouts, padding, batch-norm epsilon, input standardisation).

Usage: numpy_forward.py MODEL.safetensors --data-dir DIR [--logits inkling.npy] [--tolerance 1e-4]
"""

import argparse
import gzip
import json
import struct
import sys
from pathlib import Path

import numpy as np

DTYPES = {"F32": np.float32, "I64": np.int64}


def read_safetensors(path):
    """The tensors (name -> array) and the metadata of a SafeTensors file."""
    raw = Path(path).read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_len])
    metadata = header.pop("__metadata__", {})
    data = raw[8 + header_len :]
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=DTYPES[info["dtype"]])
        tensors[name] = array.reshape(info["shape"])
    return tensors, metadata


def read_idx(path):
    """An IDX file (gzip), as a uint8 array of its dimensions."""
    raw = gzip.decompress(Path(path).read_bytes())
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4 : 4 + 4 * dims])
    return np.frombuffer(raw[4 + 4 * dims :], dtype=np.uint8).reshape(shape)


def conv2d(x, weight, bias, stride=1, padding=0, dilation=1, groups=1):
    """PyTorch's conv2d: x [n, c, h, w], weight [out, c / groups, kh, kw]."""
    n, c, h, w = x.shape
    out, per_group, kh, kw = weight.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh = (h + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    ow = (w + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            top, left = i * dilation, j * dilation
            cols[:, :, i, j] = xp[
                :,
                :,
                top : top + stride * (oh - 1) + 1 : stride,
                left : left + stride * (ow - 1) + 1 : stride,
            ]
    cols = cols.reshape(n, groups, per_group * kh * kw, oh * ow)
    kernels = weight.reshape(groups, out // groups, per_group * kh * kw)
    y = np.einsum("gok,ngkp->ngop", kernels, cols).reshape(n, out, oh, ow)
    if bias is not None:
        y = y + bias[None, :, None, None]
    return y


class Reader:
    """Reads an exported model's tensors by Inkling module path, checking each is used once."""

    def __init__(self, tensors, epsilon):
        self.tensors = tensors
        self.epsilon = epsilon
        self.used = set()

    def get(self, name):
        self.used.add(name)
        return self.tensors[name]

    def maybe(self, name):
        return self.get(name) if name in self.tensors else None

    def norm(self, prefix, x):
        """Batch norm in inference mode, if the layer has one."""
        if prefix + ".weight" not in self.tensors:
            return x
        self.used.add(prefix + ".num_batches_tracked")
        mean = self.get(prefix + ".running_mean")[None, :, None, None]
        var = self.get(prefix + ".running_var")[None, :, None, None]
        gamma = self.get(prefix + ".weight")[None, :, None, None]
        beta = self.get(prefix + ".bias")[None, :, None, None]
        return (x - mean) / np.sqrt(var + self.epsilon) * gamma + beta

    def conv_norm(self, prefix, x, **conv):
        y = conv2d(x, self.get(prefix + ".conv.weight"), self.maybe(prefix + ".conv.bias"), **conv)
        return self.norm(prefix + ".norm", y)

    def linear(self, prefix, x):
        return x @ self.get(prefix + ".weight").T + self.get(prefix + ".bias")


def relu(x):
    return np.maximum(x, 0)


def forward(model, r, x):
    """Logits [n, 10] for standardised images x [n, 1, 28, 28]."""
    kind = model["kind"]
    if kind == "dsd":
        x = relu(r.conv_norm("stem", x, padding=1))
        channels = model["stem_channels"]
        for i, block in enumerate(model["blocks"]):
            d, s = block["dilation"], block["stride"]
            x = conv2d(x, r.get(f"blocks.{i}.depthwise.weight"), None, s, d, d, channels)
            x = relu(r.conv_norm(f"blocks.{i}.pointwise", x))
            channels = block["out_channels"]
        return r.linear("head", x.mean(axis=(2, 3)))
    if kind == "cnn":
        for i in range(len(model["channels"])):
            x = relu(r.conv_norm(f"stages.{i}", x, padding=1))
            n, c, h, w = x.shape
            x = x[:, :, : h // 2 * 2, : w // 2 * 2].reshape(n, c, h // 2, 2, w // 2, 2)
            x = x.max(axis=(3, 5))
        x = relu(r.linear("hidden", x.reshape(len(x), -1)))
        return r.linear("output", x)
    if kind == "mlp":
        x = x.reshape(len(x), -1)
        for i in range(len(model["hidden"])):
            x = relu(r.linear(f"layers.{i}", x))
        return r.linear("output", x)
    raise SystemExit(f"unknown architecture {kind!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--data-dir", required=True, help="folder of the dataset's .gz files")
    parser.add_argument("--logits", help=".npy of Inkling's logits for the first test images")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()

    tensors, metadata = read_safetensors(args.model)
    header = json.loads(metadata["inkling.header"])
    mean = np.float32(metadata["inkling.input_mean"])
    std = np.float32(metadata["inkling.input_std"])
    reader = Reader(tensors, np.float32(metadata["inkling.batch_norm_epsilon"]))

    data = Path(args.data_dir)
    images = read_idx(data / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(data / "t10k-labels-idx1-ubyte.gz")
    x = ((images.astype(np.float32) / np.float32(255) - mean) / std)[:, None, :, :]

    logits = np.concatenate([forward(header["model"], reader, x[i : i + 500]) for i in range(0, len(x), 500)])
    unused = set(tensors) - reader.used
    if unused:
        raise SystemExit(f"tensors the forward pass did not use: {sorted(unused)}")
    correct = int((logits.argmax(axis=1) == labels).sum())
    print(f"numpy forward: {correct} of {len(labels)} test images correct ({100 * correct / len(labels):.2f} %)")

    if args.logits:
        theirs = np.load(args.logits)
        diff = float(np.abs(logits[: len(theirs)] - theirs).max())
        print(f"largest logit difference from Inkling over {len(theirs)} images: {diff:.2e}")
        if not diff <= args.tolerance:
            print(f"FAILED: more than {args.tolerance}", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
