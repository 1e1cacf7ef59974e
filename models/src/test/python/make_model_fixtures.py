#!/usr/bin/python3
"""PyTorch reference fixtures for posenc's models (ModelFixtureTest).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 models/src/test/python/make_model_fixtures.py
(torch 1.13 on the CPU). Every fixture is computed in float64 from float32-representable inputs and
weights, then rounded once to float32. Seeded: rerunning writes identical files.

Each fixture holds the positions, every tensor of the model under posenc's names (the same names and layouts
as a posenc ModelFile: torch.nn.Linear's (out, in) weights), "out", a random output gradient "grad_out", and
"grad.<name>" for every trainable tensor (plus "grad.positions" for the encoder fixture). Its __metadata__ is
posenc's configuration of the model (CoordinateModel.config() / Encoding.config()), so the Java test rebuilds it
with the public factories.
  lff_encoder_g2:   Li et al.'s encoder alone, G = 2 groups of M = 2, |F| 6, |H| 4, D 6 (shared weights)
  model_<mapping>:  Tancik's coordinate MLP (hidden 6, 5; ReLU; sigmoid) on none, basic, positional,
                    gaussian and lff
Tancik's mappings use W = 2π·B rounded to float32 first, exactly as posenc (FourierMapping) does.
"""
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..",
                                "autograd", "src", "test", "python"))
from make_fixtures import write_safetensors  # noqa: E402  (the same hand-written writer as autograd's)

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "model-fixtures")
HIDDEN = [6, 5]


def f32(t):
    """Rounds to float32 and back: the value posenc will read."""
    return t.to(torch.float32).to(torch.float64)


def normal(gen, *shape, std=1.0):
    return f32(torch.randn(*shape, generator=gen, dtype=torch.float64) * std)


def fourier(x, w, amplitude):
    z = x @ w.t()
    return torch.cat([torch.cos(z), torch.sin(z)], dim=-1) * amplitude


def lff(x, groups, wr, w1, b1, w2, b2):
    """Algorithm 1: (N, G·M) → (N·G, M) → [cos ‖ sin]/√F → Linear → GELU (exact) → Linear → (N, D)."""
    n = x.shape[0]
    h = x.reshape(n * groups, -1)
    if wr is not None:
        h = fourier(h, wr, 1 / math.sqrt(2 * wr.shape[0]))
    if w1 is not None:
        h = F.linear(F.gelu(F.linear(h, w1, b1)), w2, b2)
    return h.reshape(n, -1)


def two_pi_times(b):
    """posenc's W = float32(2π)·B, rounded in float32."""
    return (b.to(torch.float32) * torch.tensor(2 * math.pi, dtype=torch.float32)).to(torch.float64)


def finish(name, positions, params, trainable, out, meta, gen, extra_grads=None):
    grad_out = normal(gen, *out.shape)
    out.backward(grad_out)
    tensors = {"positions": positions.detach()}
    tensors.update({k: v.detach() for k, v in params.items()})
    tensors["out"] = out.detach()
    tensors["grad_out"] = grad_out
    for k in trainable:
        tensors["grad." + k] = params[k].grad
    for k, v in (extra_grads or {}).items():
        tensors["grad." + k] = v.grad
    os.makedirs(OUT_DIR, exist_ok=True)
    write_safetensors(os.path.join(OUT_DIR, name + ".safetensors"), tensors, meta)


def lff_encoder():
    gen = torch.Generator().manual_seed(31)
    x = normal(gen, 5, 4).requires_grad_(True)
    p = {"encoding.wr": normal(gen, 3, 2), "encoding.mlp.0.weight": normal(gen, 4, 6, std=0.5),
         "encoding.mlp.0.bias": normal(gen, 4, std=0.1), "encoding.mlp.2.weight": normal(gen, 3, 4, std=0.5),
         "encoding.mlp.2.bias": normal(gen, 3, std=0.1)}
    for v in p.values():
        v.requires_grad_(True)
    out = lff(x, 2, *p.values())
    meta = {"encoding": "lff", "position_dims": "4", "groups": "2", "fourier_dims": "6", "gamma": "1.0",
            "init": "PAPER", "hidden": "4", "output_dims": "6"}
    finish("lff_encoder_g2", x, p, list(p), out, meta, gen, {"positions": x})


def model(mapping):
    gen = torch.Generator().manual_seed(100 + ["none", "basic", "positional", "gaussian", "lff"].index(mapping))
    positions = f32(torch.rand(7, 2, generator=gen, dtype=torch.float64))
    enc_meta = {"encoding": mapping, "encoding.position_dims": "2"}
    p, trainable = {}, []
    if mapping == "none":
        encode = lambda x: x  # noqa: E731
        d = 2
    elif mapping == "basic":
        p["encoding.b"] = torch.eye(2, dtype=torch.float64)
        encode = lambda x: fourier(x, two_pi_times(p["encoding.b"]), 1.0)  # noqa: E731
        d = 4
    elif mapping == "positional":
        bvals = 2.0 ** torch.linspace(0, 3, 4, dtype=torch.float64) - 1        # the notebook's posenc_new
        zeros = torch.zeros_like(bvals)
        p["encoding.b"] = f32(torch.cat([torch.stack([bvals, zeros], -1), torch.stack([zeros, bvals], -1)], 0))
        encode = lambda x: fourier(x, two_pi_times(p["encoding.b"]), 1.0)  # noqa: E731
        enc_meta.update({"encoding.scale": "3.0", "encoding.per_axis": "4"})
        d = 16
    elif mapping == "gaussian":
        p["encoding.b"] = normal(gen, 5, 2, std=1.5)
        encode = lambda x: fourier(x, two_pi_times(p["encoding.b"]), 1.0)  # noqa: E731
        enc_meta.update({"encoding.sigma": "1.5", "encoding.features": "5"})
        d = 10
    else:
        p.update({"encoding.wr": normal(gen, 4, 2, std=3.0), "encoding.mlp.0.weight": normal(gen, 6, 8, std=0.5),
                  "encoding.mlp.0.bias": normal(gen, 6, std=0.1), "encoding.mlp.2.weight": normal(gen, 6, 6, std=0.5),
                  "encoding.mlp.2.bias": normal(gen, 6, std=0.1)})
        trainable += list(p)
        encode = lambda x: lff(x, 1, *[p[k] for k in list(p)[:5]])  # noqa: E731
        enc_meta.update({"encoding.groups": "1", "encoding.fourier_dims": "8", "encoding.gamma": "0.5",
                         "encoding.init": "PAPER", "encoding.hidden": "6", "encoding.output_dims": "6"})
        d = 6
    widths = [d] + HIDDEN + [3]
    for i in range(len(widths) - 1):
        p[f"mlp.{i}.weight"] = normal(gen, widths[i + 1], widths[i], std=1 / math.sqrt(widths[i]))
        p[f"mlp.{i}.bias"] = normal(gen, widths[i + 1], std=0.1)
        trainable += [f"mlp.{i}.weight", f"mlp.{i}.bias"]
    for k in trainable:
        p[k].requires_grad_(True)
    h = encode(positions)
    for i in range(len(widths) - 1):
        h = F.linear(h, p[f"mlp.{i}.weight"], p[f"mlp.{i}.bias"])
        h = torch.relu(h) if i < len(widths) - 2 else torch.sigmoid(h)
    meta = {"format": "posenc.coordinate-model", "format_version": "1"}
    meta.update(enc_meta)
    meta.update({"mlp": "tancik", "mlp.hidden": ",".join(map(str, HIDDEN)), "mlp.out": "3",
                 "mlp.activation": "relu", "mlp.output": "sigmoid"})
    finish("model_" + mapping, positions, p, trainable, h, meta, gen)


if __name__ == "__main__":
    lff_encoder()
    for m in ["none", "basic", "positional", "gaussian", "lff"]:
        model(m)
    print("wrote", sorted(os.listdir(OUT_DIR)))
