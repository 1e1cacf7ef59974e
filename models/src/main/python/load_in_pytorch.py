#!/usr/bin/python3
"""Rebuilds a posenc coordinate model (a safetensors file from posenc's ModelFile) as a torch.nn.Module.

Run with Debian's interpreter (python3-torch, no other package):
    /usr/bin/python3 models/src/main/python/load_in_pytorch.py MODEL.safetensors --size 256 --out render.f32
    /usr/bin/python3 models/src/main/python/load_in_pytorch.py MODEL.safetensors --size 64 --compare posenc.f32

The file's __metadata__ holds the configuration (format posenc.coordinate-model, encoding name and its
hyperparameters as encoding.<key>, MLP widths); its tensors carry torch.nn.Linear's names and layouts
(weight (out, in), bias (out)), plus fixed buffers: encoding.b (Tancik's B, cycles per unit) for
basic/positional/gaussian, encoding.w (radians per unit) for sine2d, encoding.wr for LFF.
The module computes exactly what posenc computes (see the Java Javadoc of each encoding):
    basic, positional, gaussian: [cos(x (2π B)ᵀ) ‖ sin(x (2π B)ᵀ)]
    sine2d:                      [cos(x Wᵀ) ‖ sin(x Wᵀ)]
    lff:      x (N, G·M) → (N·G, M) → [cos(x W_rᵀ) ‖ sin(x W_rᵀ)]/√F → Linear → GELU → Linear → (N, D)
    lff-only: the Fourier features only;  mlp: Linear → GELU → Linear on the raw coordinates
followed by Tancik's MLP: [Linear + ReLU] × len(hidden), Linear(3), sigmoid.
Renders put pixel (r, c) at (x, y) = (c/W, r/H) and are written as raw little-endian float32, H × W × 3.
"""
import argparse
import json
import math
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

FORMAT = "posenc.coordinate-model"


def read_safetensors(path):
    """(tensors by name, metadata) of an F32 safetensors file, read by hand: no safetensors package needed."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name}: dtype {info['dtype']} is not F32")
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
        tensors[name] = t.reshape(info["shape"]) if info["shape"] else t.reshape(())
    return tensors, meta


class FourierMapping(nn.Module):
    """[cos z ‖ sin z]·amplitude with z = x·Wᵀ; W = 2π·B for Tancik's mappings (rounded in float32 as posenc)."""

    def __init__(self, w, amplitude):
        super().__init__()
        self.register_buffer("w", w)
        self.amplitude = amplitude

    def forward(self, x):
        z = x @ self.w.t()
        return torch.cat([torch.cos(z), torch.sin(z)], dim=-1) * self.amplitude


class LearnableFourier(nn.Module):
    """Li et al.'s encoding and its ablations (wr None: mlp on raw coordinates; mlp None: lff-only)."""

    def __init__(self, groups, wr, mlp):
        super().__init__()
        self.groups = groups
        self.wr = None if wr is None else nn.Parameter(wr)
        self.mlp = mlp

    def forward(self, x):
        n = x.shape[0]
        h = x.reshape(n * self.groups, x.shape[1] // self.groups)
        if self.wr is not None:
            z = h @ self.wr.t()
            h = torch.cat([torch.cos(z), torch.sin(z)], dim=-1) * (1 / math.sqrt(2 * self.wr.shape[0]))
        if self.mlp is not None:
            h = self.mlp(h)
        return h.reshape(n, -1)


def linear(tensors, prefix):
    w, b = tensors[prefix + ".weight"], tensors[prefix + ".bias"]
    layer = nn.Linear(w.shape[1], w.shape[0])
    with torch.no_grad():
        layer.weight.copy_(w)
        layer.bias.copy_(b)
    return layer


def build_encoding(meta, tensors):
    name = meta["encoding"]
    if name == "none":
        return nn.Identity()
    if name in ("basic", "positional", "gaussian"):
        two_pi = torch.tensor(2 * math.pi, dtype=torch.float32)
        return FourierMapping(tensors["encoding.b"] * two_pi, 1.0)
    if name == "sine2d":
        return FourierMapping(tensors["encoding.w"], 1.0)
    if name in ("lff", "lff-only", "mlp"):
        groups = int(meta["encoding.groups"])
        wr = tensors["encoding.wr"] if name != "mlp" else None
        mlp = None
        if name != "lff-only":
            mlp = nn.Sequential(linear(tensors, "encoding.mlp.0"), nn.GELU(), linear(tensors, "encoding.mlp.2"))
        return LearnableFourier(groups, wr, mlp)
    raise ValueError(f"unknown encoding '{name}'")


class CoordinateModel(nn.Module):
    def __init__(self, encoding, mlp):
        super().__init__()
        self.encoding = encoding
        self.mlp = mlp

    def forward(self, xy):
        return self.mlp(self.encoding(xy))


def load(path):
    """The torch.nn.Module equivalent to posenc's model in `path`, in float32, in eval mode."""
    tensors, meta = read_safetensors(path)
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path}: not a posenc coordinate model (format {meta.get('format')!r})")
    if meta.get("mlp") != "tancik" or meta.get("mlp.activation") != "relu" or meta.get("mlp.output") != "sigmoid":
        raise ValueError(f"{path}: unsupported MLP {meta.get('mlp')}/{meta.get('mlp.activation')}/{meta.get('mlp.output')}")
    hidden = [int(h) for h in meta["mlp.hidden"].split(",") if h]
    layers = []
    for i in range(len(hidden)):
        layers += [linear(tensors, f"mlp.{i}"), nn.ReLU()]
    layers += [linear(tensors, f"mlp.{len(hidden)}"), nn.Sigmoid()]
    return CoordinateModel(build_encoding(meta, tensors), nn.Sequential(*layers)).eval()


def render(model, height, width, chunk=65536):
    """(H, W, 3) float32: pixel (r, c) is the model at (c/W, r/H), coordinates rounded in float32 as posenc."""
    xs = torch.arange(width, dtype=torch.float32) / width
    ys = torch.arange(height, dtype=torch.float32) / height
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), dim=-1).reshape(-1, 2)
    out = []
    with torch.no_grad():
        for i in range(0, grid.shape[0], chunk):
            out.append(model(grid[i:i + chunk]))
    return torch.cat(out).reshape(height, width, 3)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model")
    p.add_argument("--size", type=int, default=256, help="render size × size")
    p.add_argument("--out", help="write the render here (raw float32 LE, H × W × 3)")
    p.add_argument("--compare", help="posenc's render of the same size (raw float32): print the max abs difference")
    p.add_argument("--tolerance", type=float, default=1e-4, help="fail (exit 1) when --compare differs by more")
    a = p.parse_args(argv)
    img = render(load(a.model), a.size, a.size)
    if a.out:
        img.numpy().astype("<f4").tofile(a.out)
    if a.compare:
        theirs = torch.frombuffer(bytearray(open(a.compare, "rb").read()), dtype=torch.float32).reshape(img.shape)
        diff = (img - theirs).abs().max().item()
        print(f"{a.model}: max |torch − posenc| = {diff:.3g} over {img.numel()} values")
        return 0 if diff < a.tolerance else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
