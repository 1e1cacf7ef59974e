#!/usr/bin/python3
"""PyTorch reference fixtures for kernelized attention with RPE (KernelAttentionFixtureTest; Luo et al. 2021).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 autograd/src/test/python/make_kernel_attention_fixtures.py
The model's whole path in float64 by the naive O(n^2) formula, the route the engine must agree with:
    phi(x) = exp(W x_hat - |x_hat|^2/2)/sqrt(m),   x_hat = x / sqrt(|x|^2 + 1e-12)      (unit-norm q and k, spec 5.4)
    z_i = sum_j c_{i-j} phi(q_i).phi(k_j) v_j / sum_j c_{i-j} phi(q_i).phi(k_j),   c_t = exp(b[h, t + n - 1])
with c_t = 0 for t < 0 (j > i) when causal. Differentiable inputs q, k, v, b; the projection w is a constant.
Writes rpe_kernel_attention.safetensors and rpe_kernel_attention_causal.safetensors in make_fixtures.py's format
(seeded: rerunning writes identical files).
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import fixture, leaf  # noqa: E402  (same folder: the shared safetensors writer)


def prf(x, w):
    x = x / torch.sqrt((x * x).sum(-1, keepdim=True) + 1e-12)
    return torch.exp(x @ w.T - (x * x).sum(-1, keepdim=True) / 2) / math.sqrt(w.shape[0])


def rpe_attention(q, k, v, b, causal):
    n = q.shape[1]
    i = torch.arange(n).view(n, 1)
    j = torch.arange(n).view(1, n)
    c = torch.exp(b)[:, i - j + n - 1]                      # (entries, n, n): C[e, i, j] = c_{i-j}
    if causal:
        c = c * (j <= i)
    a = (q @ k.transpose(1, 2)) * c
    return (a @ v) / a.sum(-1, keepdim=True)


def main():
    gen = torch.Generator().manual_seed(20261205)
    e, n, d, m, dv = 2, 11, 4, 6, 3
    for seed, causal in ((101, False), (102, True)):
        w = leaf(gen, m, d).detach()
        inputs = {"q": leaf(gen, e, n, d), "k": leaf(gen, e, n, d), "v": leaf(gen, e, n, dv),
                  "b": (0.5 * leaf(gen, e, 2 * n - 1)).detach().to(torch.float32).to(torch.float64).requires_grad_(True)}
        name = "rpe_kernel_attention" + ("_causal" if causal else "")
        fixture(name, lambda q, k, v, b, w_: rpe_attention(prf(q, w_), prf(k, w_), v, b, causal), inputs,
                constants={"w": w}, seed=seed)
        print("wrote", name)


if __name__ == "__main__":
    main()
