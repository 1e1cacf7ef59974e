#!/usr/bin/python3
"""The ViT of `./posenc train-vit` in PyTorch, for the side-by-side training-step time (issue 5).

Model (models/.../vit/Vit.java, spec/papers.md §1.4 item 3): images (B, S, S) -> 4×4 patches -> Linear(p², D)
-> + PE(positions) -> [cls ‖ tokens] -> L pre-norm blocks (LN -> separate q, k, v Linear -> 4-head softmax
attention -> proj; LN -> Linear(D, H) -> exact GELU -> Linear(H, D); residuals) -> LN -> head on the class token.
No dropout. Positions: patch (gy, gx) at (gy, gx) in patch units; the class token gets none.
Encodings: lff (Li et al. Algorithm 1: [cos(xWrᵀ) ‖ sin(xWrᵀ)]/√F -> Linear(F, H) -> GELU -> Linear(H, D), Wr std
1/γ), sine2d (DETR, frequencies 2π/T^(2k/P) per unit), mlp, lff-only, embed1d, embed2d (row + col tables), none.

Timing: one fixed random batch (as a training step on real data costs the same), Adam at 1e-3, cross-entropy;
--warmup steps untimed, then --steps timed; prints steps/s. torch.set_num_threads(--threads), and the same
for inter-op, so it matches `./posenc --threads N`.

Check: --checkpoint FILE loads a Java checkpoint (./posenc train-vit ... writes checkpoint-<pe>.safetensors; the
tensor names are this module's state_dict names) and prints its test accuracy on the first --test-limit
Fashion-MNIST test images, to compare with the accuracy the Java run printed (same model, same numbers).

Train: --train-epochs E trains on the first --train-limit training images (seed --seed, Adam --lr, LFF amplitude
--lff-amplitude, table std --table-std) and prints the test accuracy: the cross-check of the study's levers in another framework.

Example:  /usr/bin/python3 bench/pytorch/vit.py --threads 2 --pe lff --steps 20
          /usr/bin/python3 bench/pytorch/vit.py --checkpoint out/train-vit/checkpoint-lff.safetensors
"""
import gzip
import json
import os
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Lff(nn.Module):
    def __init__(self, m, f, h, d, gamma, mlp=True, fourier=True, amplitude="PAPER"):
        super().__init__()
        self.wr = nn.Parameter(torch.randn(f // 2, m) / gamma) if fourier else None
        self.scale = 1 / math.sqrt(f) if amplitude == "PAPER" else 1.0   # posenc's LffAmplitude
        self.mlp = nn.Sequential(nn.Linear(f if fourier else m, h), nn.GELU(), nn.Linear(h, d)) if mlp else None

    def forward(self, x):
        if self.wr is not None:
            z = x @ self.wr.t()
            x = torch.cat([torch.cos(z), torch.sin(z)], -1) * self.scale
        return self.mlp(x) if self.mlp is not None else x


class Sine2d(nn.Module):
    def __init__(self, d, temperature=10000.0):
        super().__init__()
        per_axis, pairs = d // 4, d // 2
        f = torch.tensor([2 * math.pi / temperature ** (2.0 * k / pairs) for k in range(per_axis)])
        w = torch.zeros(2 * per_axis, 2)
        w[:per_axis, 1] = f   # y rows first, as Sine2d.java
        w[per_axis:, 0] = f
        self.register_buffer("w", w)

    def forward(self, x):
        z = x @ self.w.t()
        return torch.cat([torch.cos(z), torch.sin(z)], -1)


class Table(nn.Module):
    def __init__(self, rows, cols, d, two_d, std=0.02):
        super().__init__()
        self.ncols, self.two_d = cols, two_d   # parameter names as LearnedTable.java's encoding.rows/cols/table
        if two_d:
            self.rows = nn.Parameter(torch.randn(rows, d) * std)
            self.cols = nn.Parameter(torch.randn(cols, d) * std)
        else:
            self.table = nn.Parameter(torch.randn(rows * cols, d) * std)

    def forward(self, x):
        r, c = x[:, 0].long(), x[:, 1].long()
        if self.two_d:
            return self.rows[r] + self.cols[c]
        return self.table[r * self.ncols + c]


def encoding(name, d, grid, f=64, h=32, gamma=1.0, amplitude="PAPER"):
    return {"lff": lambda: Lff(2, f, h, d, gamma, amplitude=amplitude),
            "lff-only": lambda: Lff(2, f, h, d, gamma, mlp=False, amplitude=amplitude),
            "mlp": lambda: Lff(2, f, h, d, gamma, fourier=False), "sine2d": lambda: Sine2d(d),
            "embed1d": lambda: Table(grid, grid, d, False), "embed2d": lambda: Table(grid, grid, d, True),
            "none": lambda: None}[name]()


class Block(nn.Module):
    def __init__(self, d, heads, hidden):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.q, self.k, self.v, self.proj = (nn.Linear(d, d) for _ in range(4))
        self.fc1, self.fc2 = nn.Linear(d, hidden), nn.Linear(hidden, d)

    def forward(self, x):
        b, t, d = x.shape
        h = self.norm1(x)
        split = lambda y: y.reshape(b, t, self.heads, d // self.heads).permute(0, 2, 1, 3)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // self.heads), -1)   # torch 1.13: no SDPA
        x = x + self.proj((p @ v).permute(0, 2, 1, 3).reshape(b, t, d))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Vit(nn.Module):
    def __init__(self, pe="lff", size=28, patch=4, d=64, depth=4, heads=4, hidden=128, classes=10):
        super().__init__()
        self.p, self.grid = patch, size // patch
        self.patch = nn.Linear(patch * patch, d)
        self.cls = nn.Parameter(torch.randn(1, 1, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, heads, hidden) for _ in range(depth))
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, classes)
        self.encoding = encoding(pe, d, self.grid)

    def forward(self, images):
        b, h, w = images.shape
        p, gh, gw = self.p, h // self.p, w // self.p
        x = self.patch(images.reshape(b, gh, p, gw, p).permute(0, 1, 3, 2, 4).reshape(b, gh * gw, p * p))
        if self.encoding is not None:
            gy, gx = torch.meshgrid(torch.arange(gh), torch.arange(gw), indexing="ij")
            x = x + self.encoding(torch.stack([gy.flatten(), gx.flatten()], -1).float())
        x = torch.cat([self.cls.expand(b, 1, -1), x], 1)
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x)[:, 0])


def read_safetensors(path):
    """(tensors by name, metadata) of an F32 safetensors file, read with the standard library and torch."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(info["shape"])
    return tensors, meta


def read_test_set(folder, limit):
    return read_split(folder, "t10k", limit)


def read_split(folder, prefix, limit):
    """The first `limit` Fashion-MNIST images of a split ("train" or "t10k"), normalised as FashionMnist.java
    does, and their labels."""
    def raw(name):
        for p in (os.path.join(folder, name + ".gz"), os.path.join(folder, name)):
            if os.path.exists(p):
                with (gzip.open if p.endswith(".gz") else open)(p, "rb") as f:
                    return f.read()
        raise SystemExit(f"{folder}: no {name}[.gz]; apt-get install dataset-fashion-mnist")
    images, labels = raw(prefix + "-images-idx3-ubyte"), raw(prefix + "-labels-idx1-ubyte")
    n, rows, cols = (int.from_bytes(images[4 * i:4 * i + 4], "big") for i in (1, 2, 3))
    n = min(n, limit)
    x = torch.frombuffer(bytearray(images[16:16 + n * rows * cols]), dtype=torch.uint8).float().reshape(n, rows, cols)
    y = torch.frombuffer(bytearray(labels[8:8 + n]), dtype=torch.uint8).long()
    return (x / 255 - 0.2860) / 0.3530, y


def accuracy(model, x, y):
    with torch.no_grad():
        return sum(int((model(x[i:i + 500]).argmax(-1) == y[i:i + 500]).sum()) for i in range(0, len(y), 500)) / len(y)


def train(a):
    """--train-epochs: the study's run in PyTorch (its own initialisation and data order, so the numbers differ
    from the Java run's by seed noise; what should agree is how the levers move them)."""
    torch.manual_seed(a.seed)
    model = Vit(a.pe)
    if a.pe in ("lff", "lff-only"):
        model.encoding = encoding(a.pe, 64, model.grid, amplitude=a.lff_amplitude)
    if a.pe in ("embed1d", "embed2d"):
        model.encoding = Table(model.grid, model.grid, 64, a.pe == "embed2d", a.table_std)
    x, y = read_split(a.data, "train", a.train_limit)
    tx, ty = read_test_set(a.data, a.test_limit or 2000)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps = 0
    for _ in range(a.train_epochs):
        order = torch.randperm(len(y))
        for i in range(len(y) // a.batch):
            idx = order[i * a.batch:(i + 1) * a.batch]
            opt.zero_grad(set_to_none=False)
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
            steps += 1
    print(f"pytorch {torch.__version__} vit pe={a.pe} amplitude={a.lff_amplitude} table_std={a.table_std} "
          f"seed={a.seed} lr={a.lr}: "
          f"{steps} steps, test accuracy {100 * accuracy(model, tx, ty):.2f} % on {len(ty)} images")


def check(a):
    tensors, meta = read_safetensors(a.checkpoint)
    cfg = {k[len("config."):]: v for k, v in meta.items() if k.startswith("config.")}
    model = Vit(cfg["encoding"], int(cfg["image_size"]), int(cfg["patch"]), int(cfg["dim"]), int(cfg["depth"]),
                int(cfg["heads"]), int(cfg["mlp_hidden"]))
    if cfg["encoding"] in ("lff", "lff-only", "mlp"):
        model.encoding = encoding(cfg["encoding"], int(cfg["dim"]), model.grid, int(cfg["fourier_dims"]),
                                  int(cfg["lff_hidden"]), float(cfg["gamma"]),
                                  cfg.get("lff_amplitude", "PAPER"))
    state = {k: v for k, v in tensors.items() if not k.startswith("adam.")}
    state["cls"] = state["cls"].reshape(1, 1, -1)
    model.load_state_dict(state, strict=True)
    x, y = read_test_set(a.data, int(cfg["test_limit"]) if a.test_limit is None else a.test_limit)
    print(f"pytorch on the Java checkpoint {a.checkpoint} ({cfg['encoding']}, step {meta.get('steps_done')}): "
          f"test accuracy {100 * accuracy(model, x, y):.2f} % on {len(y)} images")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pe", default="lff")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--small", action="store_true", help="D 16, 1 block, 2 heads, MLP 32 (./posenc ... --small)")
    ap.add_argument("--checkpoint", help="a Java train-vit checkpoint: print its test accuracy under PyTorch")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--test-limit", type=int, help="test images for --checkpoint (default: the run's)")
    ap.add_argument("--train-epochs", type=int, help="train on Fashion-MNIST this many epochs, print test accuracy")
    ap.add_argument("--train-limit", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--lff-amplitude", default="PAPER", choices=["PAPER", "UNIT"])
    ap.add_argument("--table-std", type=float, default=0.02, help="embed1d/embed2d initial std (--train-epochs)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.checkpoint:
        return check(a)
    if a.train_epochs:
        torch.set_num_interop_threads(a.threads)
        return train(a)
    torch.set_num_interop_threads(a.threads)
    torch.manual_seed(0)
    model = Vit(a.pe, d=16, depth=1, heads=2, hidden=32) if a.small else Vit(a.pe)
    images, labels = torch.randn(a.batch, 28, 28), torch.randint(0, 10, (a.batch,))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=False)
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - t0
    print(f"pytorch {torch.__version__} vit pe={a.pe} batch={a.batch} threads={a.threads}: "
          f"{a.steps} steps in {seconds:.2f} s, {a.steps / seconds:.2f} steps/s, {1000 * seconds / a.steps:.1f} ms/step")


if __name__ == "__main__":
    main()
