#!/usr/bin/python3
"""The empirical NTK of fit-image's model in PyTorch: the peer of NtkBench (`./posenc bench ntk`), issue 9.

Model (the same shapes as posenc's NtkNetwork): N points x_j = j/N of [0,1); Gaussian features
[cos 2πxBᵀ ‖ sin 2πxBᵀ] with B ~ N(0, σ²) of shape (256, 1), fixed; then Linear(512,256)+ReLU, Linear(256,256)+ReLU,
Linear(256,256)+ReLU, Linear(256,3); f = output channel 0 (before any sigmoid). K(x, x') = <∂f(x)/∂θ, ∂f(x')/∂θ>
over the 263,683 weights and biases.

Two routes, timed separately after one untimed warm-up call each:
  naive       the Jacobian J (N, P), then J·Jᵀ. --naive loop (default): one autograd.grad per point, as posenc's NaiveNtk; --naive jacobian: torch.autograd.functional.jacobian
              with vectorize=True (batched backward passes through torch's internal vmap; torch 1.13 as shipped by
              Debian has no torch.func); --naive loop: one autograd.grad per point.
  structured  K = Σ_l (X_l X_lᵀ + 1) ⊙ (G_l G_lᵀ), X_l the layer inputs, G_l = ∂f/∂z_l per sample, batched:
              G_L = 1, G_l = (G_{l+1} W_{l+1}) ⊙ relu′(z_l); torch matmuls.
The two are checked against each other (max |Δ| ≤ 1e-4 · max |K|) before anything is timed.

Example: /usr/bin/python3 bench/pytorch/ntk.py --points 1024 --threads 2 --repeats 5
(unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE first, as for every PyTorch timing here).
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn


def build(sigma, seed):
    g = torch.Generator().manual_seed(seed)
    b = torch.randn(256, 1, generator=g) * sigma
    layers = nn.ModuleList([nn.Linear(512, 256), nn.Linear(256, 256), nn.Linear(256, 256), nn.Linear(256, 3)])
    return b, layers


def features(x, b):
    z = 2 * math.pi * x @ b.T
    return torch.cat([torch.cos(z), torch.sin(z)], dim=1)


def f_of(layers, phi):
    h = phi
    for i, layer in enumerate(layers):
        h = layer(h)
        if i < len(layers) - 1:
            h = torch.relu(h)
    return h[:, 0]


def naive_jacobian(layers, phi):
    params = tuple(p for p in layers.parameters())
    names = [n for n, _ in layers.named_parameters()]

    def f(*ps):
        h = phi
        for i in range(4):
            w, bias = ps[2 * i], ps[2 * i + 1]
            h = h @ w.T + bias
            if i < 3:
                h = torch.relu(h)
        return h[:, 0]

    assert names[0].endswith("weight") and names[1].endswith("bias")
    jac = torch.autograd.functional.jacobian(f, params, vectorize=True)
    j = torch.cat([t.reshape(phi.shape[0], -1) for t in jac], dim=1)
    return j @ j.T


def naive_loop(layers, phi):
    params = list(layers.parameters())
    rows = []
    for i in range(phi.shape[0]):
        out = f_of(layers, phi[i:i + 1])
        grads = torch.autograd.grad(out.sum(), params)
        rows.append(torch.cat([g.reshape(-1) for g in grads]))
    j = torch.stack(rows)
    return j @ j.T


@torch.no_grad()
def structured(layers, phi):
    xs, zs = [], []
    h = phi
    for i, layer in enumerate(layers):
        xs.append(h)
        z = layer(h)
        zs.append(z)
        h = torch.relu(z)
    n = phi.shape[0]
    g = torch.ones(n, 1)
    w = layers[-1].weight[0:1]
    k = torch.zeros(n, n)
    for l in range(len(layers) - 1, -1, -1):
        k += (xs[l] @ xs[l].T + 1) * (g @ g.T)
        if l == 0:
            break
        g = (g @ w) * (zs[l - 1] > 0)
        w = layers[l - 1].weight
    return k


def timed(fn, repeats):
    """Wall and process CPU seconds (all threads) per call, after one warm-up call. On a machine shared with
    other work the CPU time is the figure the load barely changes; on an idle one wall ≈ CPU / threads."""
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=1024)
    ap.add_argument("--sigma", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--naive", choices=("jacobian", "loop"), default="loop")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    b, layers = build(a.sigma, a.seed)
    x = (torch.arange(a.points, dtype=torch.float32) / a.points).reshape(-1, 1)
    phi = features(x, b)
    naive = naive_jacobian if a.naive == "jacobian" else naive_loop

    ks, kn = structured(layers, phi), naive(layers, phi)
    err = (ks - kn).abs().max().item() / kn.abs().max().item()
    print(f"check: max |structured − naive| / max |K| = {err:.2e}")
    if err > 1e-4:
        raise SystemExit("structured and naive disagree")

    params = sum(p.numel() for p in layers.parameters())
    print(f"torch {torch.__version__}, {a.threads} threads, N = {a.points}, P = {params}")
    for name, fn in (("structured", lambda: structured(layers, phi)), (f"naive ({a.naive})", lambda: naive(layers, phi))):
        wall, cpu = timed(fn, a.repeats)
        print(f"{name:18s} wall median {statistics.median(wall) * 1e3:8.1f} ms [{min(wall) * 1e3:.1f}, {max(wall) * 1e3:.1f}]"
              f"  CPU median {statistics.median(cpu) * 1e3:8.1f} ms [{min(cpu) * 1e3:.1f}, {max(cpu) * 1e3:.1f}]"
              f"  ({a.repeats} runs)")


if __name__ == "__main__":
    main()
