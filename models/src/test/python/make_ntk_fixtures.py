#!/usr/bin/python3
"""PyTorch reference NTKs for posenc's StructuredNtk (NtkFixtureTest).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 models/src/test/python/make_ntk_fixtures.py
(torch 1.13 on the CPU). Like make_model_fixtures.py, everything is computed in float64 from
float32-representable inputs and weights and rounded once to float32; seeded, so reruns write identical files.

Each fixture holds a small coordinate model under posenc's tensor names (its __metadata__ is posenc's
CoordinateModel.config()), the positions, and "ntk" (N, N): K(x_i, x_j) = <∂f(x_i)/∂θ, ∂f(x_j)/∂θ> with
f = output channel 0 of the last Linear layer BEFORE the sigmoid (posenc's NtkNetwork) and θ every trainable
tensor (the MLP; for lff also W_r and its MLP; Tancik's B is a fixed buffer). The kernel comes from the plainest
route there is: one torch.autograd.grad per point, flattened, then J·Jᵀ.
  ntk_gaussian:  9 points of [0,1) (1-D), Gaussian B (5, 1), hidden 6, 5
  ntk_lff:       9 points of [0,1)² (2-D), LFF |F| 8, |H| 6, D 6 (amplitude 1/√F), hidden 6, 5
"""
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_model_fixtures import HIDDEN, OUT_DIR, f32, fourier, lff, normal, two_pi_times, write_safetensors  # noqa: E402

N = 9


def jacobian_ntk(f, params, positions):
    rows = []
    for i in range(positions.shape[0]):
        grads = torch.autograd.grad(f(positions[i:i + 1])[0], params)
        rows.append(torch.cat([g.reshape(-1) for g in grads]))
    j = torch.stack(rows)
    return j @ j.t()


def fixture(name, dims, seed):
    gen = torch.Generator().manual_seed(seed)
    positions = f32(torch.rand(N, dims, generator=gen, dtype=torch.float64))
    meta = {"format": "posenc.coordinate-model", "format_version": "1", "encoding.position_dims": str(dims)}
    p, trainable = {}, []
    if name == "gaussian":
        p["encoding.b"] = normal(gen, 5, dims, std=1.5)
        encode = lambda x: fourier(x, two_pi_times(p["encoding.b"]), 1.0)  # noqa: E731
        meta.update({"encoding": "gaussian", "encoding.sigma": "1.5", "encoding.features": "5"})
        d = 10
    else:
        p.update({"encoding.wr": normal(gen, 4, dims, std=3.0), "encoding.mlp.0.weight": normal(gen, 6, 8, std=0.5),
                  "encoding.mlp.0.bias": normal(gen, 6, std=0.1), "encoding.mlp.2.weight": normal(gen, 6, 6, std=0.5),
                  "encoding.mlp.2.bias": normal(gen, 6, std=0.1)})
        trainable += list(p)
        encode = lambda x: lff(x, 1, *[p[k] for k in list(p)[:5]])  # noqa: E731
        meta.update({"encoding": "lff", "encoding.groups": "1", "encoding.fourier_dims": "8", "encoding.gamma": "0.5",
                     "encoding.init": "PAPER", "encoding.hidden": "6", "encoding.output_dims": "6"})
        d = 6
    widths = [d] + HIDDEN + [3]
    for i in range(len(widths) - 1):
        p[f"mlp.{i}.weight"] = normal(gen, widths[i + 1], widths[i], std=1 / math.sqrt(widths[i]))
        p[f"mlp.{i}.bias"] = normal(gen, widths[i + 1], std=0.1)
        trainable += [f"mlp.{i}.weight", f"mlp.{i}.bias"]
    for k in trainable:
        p[k].requires_grad_(True)

    def f(x):
        h = encode(x)
        for i in range(len(widths) - 1):
            h = F.linear(h, p[f"mlp.{i}.weight"], p[f"mlp.{i}.bias"])
            if i < len(widths) - 2:
                h = torch.relu(h)
        return h[:, 0]                                             # channel 0, before the sigmoid

    meta.update({"mlp": "tancik", "mlp.hidden": ",".join(map(str, HIDDEN)), "mlp.out": "3",
                 "mlp.activation": "relu", "mlp.output": "sigmoid"})
    tensors = {"positions": positions}
    tensors.update({k: v.detach() for k, v in p.items()})
    tensors["ntk"] = jacobian_ntk(f, [p[k] for k in trainable], positions)
    os.makedirs(OUT_DIR, exist_ok=True)
    write_safetensors(os.path.join(OUT_DIR, "ntk_" + name + ".safetensors"), tensors, meta)


if __name__ == "__main__":
    fixture("gaussian", 1, 200)
    fixture("lff", 2, 201)
    print("wrote", sorted(n for n in os.listdir(OUT_DIR) if n.startswith("ntk_")))
