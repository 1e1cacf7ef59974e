#!/usr/bin/python3
"""Tancik et al. 2020's 2-D image regression in PyTorch: the peer of `./posenc fit-image` (issue 3).

Protocol (spec/papers.md §2.2): an S×S RGB image in [0,1]; coordinates (x, y) = (column, row) on a grid over
[0,1) (np.meshgrid order, as the notebook); train on the even-even pixels (a quarter), test on the odd-odd
pixels (another quarter); encoding -> 3 × [Linear(256) + ReLU] -> Linear(3) + sigmoid; loss 0.5·MSE; full-batch
Adam; PSNR = -10·log10(MSE) = -10·log10(2·loss).

Encodings (spec §2.1 and §1.1):
  none        raw (x, y)
  basic       [sin 2πx, sin 2πy, cos 2πx, cos 2πy]                      (B = I)
  positional  sin/cos(2π·v·Bᵀ), B = [[b,0],[0,b]], b = 2^linspace(0, posenc_scale, posenc_freqs) − 1
  gaussian    sin/cos(2π·v·Bᵀ), B ~ N(0, σ²) of shape (m, 2), fixed
  lff         [cos(v·Wrᵀ) ‖ sin(v·Wrᵀ)]/√F, Wr learnable (F/2, 2), std 1/γ (paper; no 2π), then
              Linear(F,H) → GELU → Linear(H,D) (Li et al. 2021, Algorithm 1, G=1), then the same MLP.

Timing: 5 warm-up steps run on a throw-away copy of the model (so the timed run trains exactly --steps steps from
its own initialisation); then the --steps training steps are timed, test evaluations excluded. seconds is that
time and steps_per_second = steps / seconds, the same definitions as results.csv on the Java side.

Example:  /usr/bin/python3 bench/pytorch/fit_image.py --size 64 --steps 50 --threads 2 --out /tmp/torch.csv
"""
import argparse
import math
import os
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn

CSV_HEADER = "encoding,train_psnr,test_psnr,steps,seconds,steps_per_second"
ENCODINGS = ("none", "basic", "positional", "gaussian", "lff", "lff-only")
# Tancik's div2k learning rates (spec §2.2): 1e-2 without a mapping and for basic, 1e-3 otherwise
DEFAULT_LR = {"none": 1e-2, "basic": 1e-2, "positional": 1e-3, "gaussian": 1e-3, "lff": 3e-3, "lff-only": 3e-3}
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ASTRONAUT = os.path.join(REPO, "models/src/main/resources/dev/posenc/models/images/astronaut-256.png")


# ---------------------------------------------------------------------------------------------- image input
def read_image(path):
    """H×W×3 float64 in [0,1]; the same conversions as dev.posenc.core.io.Png: grey replicated, 16-bit scaled
    by 65535, alpha composited over white (skimage's rgba2rgb default)."""
    import skimage.io
    if not os.path.isfile(path):
        sys.exit(f"image {path}: no such file")
    img = skimage.io.imread(path)
    if img.dtype == np.uint8:
        img = img / 255.0
    elif img.dtype == np.uint16:
        img = img / 65535.0
    elif img.dtype == bool:
        img = img.astype(np.float64)
    else:
        img = img.astype(np.float64)
    if img.ndim == 2:
        img = img[..., None]
    if img.shape[-1] in (2, 4):  # grey+alpha or RGBA: over white
        color, alpha = img[..., :-1], img[..., -1:]
        img = color * alpha + (1.0 - alpha)
    if img.shape[-1] == 1:
        img = np.repeat(img, 3, axis=-1)
    return img


def tent_weights(n_in, n_out):
    """(n_out, n_in) weights of the tent filter of dev.posenc.core.io.Resample (PIL's BILINEAR): centre
    c = (i+½)·s, radius r = max(s, 1), weight max(0, 1 − |j+½−c|/r), taps outside dropped, rows normalised."""
    s = n_in / n_out
    r = max(s, 1.0)
    w = np.zeros((n_out, n_in))
    for i in range(n_out):
        c = (i + 0.5) * s
        lo, hi = max(0, math.floor(c - r)), min(n_in, math.ceil(c + r))
        j = np.arange(lo, hi)
        w[i, lo:hi] = np.maximum(0.0, 1.0 - np.abs(j + 0.5 - c) / r)
        w[i] /= w[i].sum()
    return w


def resize_triangle(img, height, width):
    """Twin of Resample.resize: horizontal pass, then vertical."""
    if img.shape[:2] == (height, width):
        return img.copy()
    wx, wy = tent_weights(img.shape[1], width), tent_weights(img.shape[0], height)
    mid = np.einsum("xj,yjc->yxc", wx, img)
    return np.einsum("yi,ixc->yxc", wy, mid)


# ---------------------------------------------------------------------------------------------- the model
class Fourier(nn.Module):
    """sin/cos(2π·v·Bᵀ) with a fixed B (m, 2): basic, positional and gaussian (sin first, as the notebook)."""

    def __init__(self, b):
        super().__init__()
        self.register_buffer("b", torch.as_tensor(b, dtype=torch.float32))

    def forward(self, v):
        z = (2.0 * math.pi * v) @ self.b.T
        return torch.cat([torch.sin(z), torch.cos(z)], dim=-1)


class LearnableFourier(nn.Module):
    """Li et al. 2021: [cos(v·Wrᵀ) ‖ sin(v·Wrᵀ)]/√F, then Linear(F,H) → GELU → Linear(H,D)."""

    def __init__(self, features, hidden, dim, wr_std, amplitude, gen, mlp=True):
        super().__init__()
        self.wr = nn.Parameter(torch.randn(features // 2, 2, generator=gen) * wr_std)
        self.scale = {"paper": 1.0 / math.sqrt(features), "unit": 1.0}[amplitude]
        self.mlp = nn.Sequential(nn.Linear(features, hidden), nn.GELU(), nn.Linear(hidden, dim)) if mlp else None

    def forward(self, v):
        z = v @ self.wr.T
        r = torch.cat([torch.cos(z), torch.sin(z)], dim=-1) * self.scale
        return self.mlp(r) if self.mlp is not None else r


def encoding(name, args, gen):
    """The encoding module and its output width."""
    if name == "none":
        return nn.Identity(), 2
    if name == "basic":
        b = np.eye(2)
    elif name == "positional":
        f = 2.0 ** np.linspace(0, args.posenc_scale, args.posenc_freqs) - 1
        z = np.zeros_like(f)
        b = np.concatenate([np.stack([f, z], -1), np.stack([z, f], -1)])
    elif name == "gaussian":
        b = torch.randn(args.gaussian_m, 2, generator=gen).numpy() * args.sigma
    elif name in ("lff", "lff-only"):
        gamma = args.gamma if args.gamma is not None else 1.0 / (2 * math.pi * args.sigma)
        std = {"paper": 1 / gamma, "guimont": gamma ** -2, "jhlew": gamma ** 2}[args.lff_init]
        mlp = name == "lff"
        enc = LearnableFourier(args.lff_features, args.lff_hidden, args.lff_dim, std, args.lff_amplitude, gen, mlp)
        return enc, args.lff_dim if mlp else args.lff_features
    else:
        raise ValueError(name)
    return Fourier(b), 2 * len(b)


def init_dense(layer, mode, gen):
    """stax.Dense defaults (the notebook): W ~ glorot normal, b ~ N(0, 0.01²). 'torch' keeps PyTorch's."""
    if mode == "stax" and isinstance(layer, nn.Linear):
        fan_in, fan_out = layer.in_features, layer.out_features
        with torch.no_grad():
            layer.weight.copy_(torch.randn(layer.weight.shape, generator=gen) * math.sqrt(2.0 / (fan_in + fan_out)))
            layer.bias.copy_(torch.randn(layer.bias.shape, generator=gen) * 1e-2)


def build(name, args, seed):
    gen = torch.Generator().manual_seed(seed)
    enc, width = encoding(name, args, gen)
    layers, d = [enc], width
    for _ in range(args.depth - 1):
        layers += [nn.Linear(d, args.width), nn.ReLU()]
        d = args.width
    layers += [nn.Linear(d, 3), nn.Sigmoid()]
    model = nn.Sequential(*layers)
    for m in model[1:].modules():
        init_dense(m, args.init, gen)
    if getattr(enc, "mlp", None) is not None:
        for m in enc.mlp.modules():
            init_dense(m, args.lff_mlp_init, gen)
    return model


def psnr(pred, target):
    return -10.0 * math.log10(torch.mean((pred - target) ** 2).item())


def fit(name, lr, data, args):
    (xtr, ytr), (xte, yte) = data
    # warm-up on a throw-away model: first-call allocations and kernel selection stay out of the timing
    warm = build(name, args, args.seed + 1)
    opt = torch.optim.Adam(warm.parameters(), lr=lr)
    for _ in range(args.warmup):
        opt.zero_grad(set_to_none=True)
        (0.5 * torch.mean((warm(xtr) - ytr) ** 2)).backward()
        opt.step()

    model = build(name, args, args.seed)
    wr = [p for n, p in model.named_parameters() if n == "0.wr"]
    rest = [p for n, p in model.named_parameters() if n != "0.wr"]
    groups = [{"params": rest}] + ([{"params": wr, "lr": lr * args.lff_wr_lr}] if wr else [])
    opt = torch.optim.Adam(groups, lr=lr, betas=(args.beta1, args.beta2), eps=args.eps)
    curve, seconds = [], 0.0
    with torch.no_grad():
        curve.append((0, psnr(model(xte), yte)))
    for step in range(1, args.steps + 1):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = 0.5 * torch.mean((model(xtr) - ytr) ** 2)
        loss.backward()
        opt.step()
        seconds += time.perf_counter() - t0
        if step % args.eval_every == 0 or step == args.steps:
            with torch.no_grad():
                curve.append((step, psnr(model(xte), yte)))
            if args.verbose:
                print(f"{name:<10} {step:>5}/{args.steps} loss {loss.item():.3e} test {curve[-1][1]:.2f} dB",
                      file=sys.stderr)
    with torch.no_grad():
        train_psnr, test_psnr = psnr(model(xtr), ytr), psnr(model(xte), yte)
    return train_psnr, test_psnr, seconds, curve


def write_atomically(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def parse_lr(text):
    """'1e-3' for all encodings, or 'none=1e-2,gaussian=1e-3,...' over the defaults."""
    lr = dict(DEFAULT_LR)
    if text:
        if "=" not in text:
            return {k: float(text) for k in lr}
        for part in text.split(","):
            k, v = part.split("=")
            if k not in lr:
                sys.exit(f"--lr: unknown encoding '{k}', expected one of {', '.join(ENCODINGS)}")
            lr[k] = float(v)
    return lr


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--image", default="astronaut", help="a PNG/JPEG file, or 'astronaut' (the built-in PNG)")
    p.add_argument("--size", type=int, default=256, help="image side S after resizing (tent filter)")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--encodings", default=",".join(ENCODINGS))
    p.add_argument("--sigma", type=float, default=10.0, help="Gaussian scale σ (cycles per unit)")
    p.add_argument("--gaussian-m", type=int, default=256, help="number of Gaussian frequencies m")
    p.add_argument("--posenc-scale", type=float, default=6.0, help="positional: max frequency 2^scale − 1")
    p.add_argument("--posenc-freqs", type=int, default=128, help="positional: frequencies per axis")
    p.add_argument("--gamma", type=float, default=None, help="LFF γ; default 1/(2πσ), the Gaussian's scale")
    p.add_argument("--lff-init", choices=("paper", "guimont", "jhlew"), default="paper",
                   help="Wr std: paper 1/γ, guimont γ^-2, jhlew γ^2 (spec §1.2)")
    p.add_argument("--lff-amplitude", choices=("paper", "unit"), default="unit",
                   help="feature amplitude: paper 1/√F (Li et al. Eq. 2), unit 1 (Tancik's a_j = 1)")
    p.add_argument("--lff-mlp-init", choices=("stax", "torch"), default="torch",
                   help="init of LFF's own Linear(F,H), Linear(H,D) (Java: torch)")
    p.add_argument("--lff-wr-lr", type=float, default=1.0, help="W_r learning rate = this × the encoding's lr")
    p.add_argument("--lff-features", type=int, default=256, help="LFF F (cos and sin halves of F/2)")
    p.add_argument("--lff-hidden", type=int, default=256, help="LFF H")
    p.add_argument("--lff-dim", type=int, default=256, help="LFF output D")
    p.add_argument("--depth", type=int, default=4, help="MLP layers including the output (notebook: 4)")
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--init", choices=("stax", "torch"), default="stax")
    p.add_argument("--lr", default="", help="'1e-3', or per encoding 'none=1e-2,lff=5e-3' (defaults: div2k)")
    p.add_argument("--beta1", type=float, default=0.9)
    p.add_argument("--beta2", type=float, default=0.999)
    p.add_argument("--eps", type=float, default=1e-8)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--eval-every", type=int, default=25)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 keeps torch's default")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", help="write results CSV here (atomically)")
    p.add_argument("--curves", help="write test-PSNR curves CSV (encoding,step,test_psnr) here")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)

    names = [e.strip() for e in args.encodings.split(",") if e.strip()]
    for n in names:
        if n not in ENCODINGS:
            sys.exit(f"--encodings: unknown '{n}', expected some of {', '.join(ENCODINGS)}")
    if args.size < 2 or args.steps < 1 or args.eval_every < 1:
        sys.exit("--size must be >= 2, --steps and --eval-every >= 1")
    lr = parse_lr(args.lr)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    img = read_image(ASTRONAUT if args.image == "astronaut" else args.image)
    img = resize_triangle(img, args.size, args.size)
    coords = np.linspace(0, 1, args.size, endpoint=False)
    grid = np.stack(np.meshgrid(coords, coords), -1)  # [..., 0] = x (column), [..., 1] = y (row)
    t = lambda a: torch.as_tensor(np.ascontiguousarray(a).reshape(-1, a.shape[-1]), dtype=torch.float32)
    data = ((t(grid[::2, ::2]), t(img[::2, ::2])), (t(grid[1::2, 1::2]), t(img[1::2, 1::2])))

    lines, curve_lines = [CSV_HEADER], ["encoding,step,test_psnr"]
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, image {args.image} {args.size}x{args.size}, "
          f"{len(data[0][0])} train / {len(data[1][0])} test pixels, {args.steps} steps", file=sys.stderr)
    for name in names:
        train_psnr, test_psnr, seconds, curve = fit(name, lr[name], data, args)
        lines.append(f"{name},{train_psnr:.3f},{test_psnr:.3f},{args.steps},{seconds:.3f},{args.steps / seconds:.2f}")
        curve_lines += [f"{name},{s},{v:.4f}" for s, v in curve]
    text = "\n".join(lines) + "\n"
    if args.out:
        write_atomically(args.out, text)
    if args.curves:
        write_atomically(args.curves, "\n".join(curve_lines) + "\n")
    print(text, end="")


if __name__ == "__main__":
    main()
