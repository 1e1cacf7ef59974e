#!/usr/bin/python3
"""PyTorch reference fixtures for posenc's autograd (FixtureTest).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 autograd/src/test/python/make_fixtures.py
(torch 1.13 on the CPU; no other package is needed). Every op is evaluated in float64 on float32-representable
inputs, so the stored float32 outputs and gradients are the exact answers rounded once. Each fixture
<op>.safetensors holds the inputs under their names, "out", the output gradient "grad_out" (a fixed random
seed for backward, the role of R in Σ out ⊙ R), and "grad_<input>" for each differentiable input. The metadata
names the op and its inputs. Seeded: rerunning writes identical files.
"""
import json
import os
import struct
import sys

import torch
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")


def write_safetensors(path, tensors, metadata):
    """Hugging Face safetensors by hand: u64 LE header length, JSON header padded to 8, raw LE float32."""
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def leaf(gen, *shape, positive=False):
    """A float32-representable float64 leaf: N(0, 1), or U[0.5, 2) for log."""
    if positive:
        x = torch.rand(*shape, generator=gen, dtype=torch.float64) * 1.5 + 0.5
    else:
        x = torch.randn(*shape, generator=gen, dtype=torch.float64)
    return x.to(torch.float32).to(torch.float64).requires_grad_(True)


def fixture(name, fn, inputs, constants=None, extra_meta=None, seed=0):
    """Runs fn(*inputs, *constants), backpropagates a seeded random grad_out, writes the fixture."""
    gen = torch.Generator().manual_seed(1000 + seed)
    out = fn(*inputs.values(), *(constants or {}).values())
    grad_out = torch.randn(out.shape, generator=gen, dtype=torch.float64).to(torch.float32).to(torch.float64)
    out.backward(grad_out)
    tensors = dict(inputs)
    tensors.update(constants or {})
    tensors["out"] = out
    tensors["grad_out"] = grad_out
    for k, v in inputs.items():
        tensors["grad_" + k] = v.grad
    meta = {"op": name, "inputs": ",".join(inputs), "constants": ",".join(constants or {}),
            "torch": torch.__version__}
    meta.update(extra_meta or {})
    write_safetensors(os.path.join(OUT_DIR, name + ".safetensors"), tensors, meta)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    gen = torch.Generator().manual_seed(20240607)
    m, k, n, b = 5, 3, 7, 2
    # Stored shapes as posenc's MatmulForm: NN a (m,k) b (k,n); TN a (k,m) b (k,n); NT a (m,k) b (n,k).
    fixture("matmul_nn", lambda a, c: a @ c, {"a": leaf(gen, m, k), "b": leaf(gen, k, n)}, seed=1)
    fixture("matmul_tn", lambda a, c: a.T @ c, {"a": leaf(gen, k, m), "b": leaf(gen, k, n)}, seed=2)
    fixture("matmul_nt", lambda a, c: a @ c.T, {"a": leaf(gen, m, k), "b": leaf(gen, n, k)}, seed=3)
    fixture("batched_matmul_nn", lambda a, c: a @ c, {"a": leaf(gen, b, m, k), "b": leaf(gen, b, k, n)}, seed=4)
    fixture("batched_matmul_tn", lambda a, c: a.transpose(1, 2) @ c, {"a": leaf(gen, b, k, m), "b": leaf(gen, b, k, n)}, seed=5)
    fixture("batched_matmul_nt", lambda a, c: a @ c.transpose(1, 2), {"a": leaf(gen, b, m, k), "b": leaf(gen, b, n, k)}, seed=6)
    fixture("linear", F.linear, {"x": leaf(gen, m, k), "w": leaf(gen, n, k), "b": leaf(gen, n)}, seed=7)

    acts = {
        "exp": torch.exp, "log": torch.log, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
        "gelu_erf": F.gelu, "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"), "sin": torch.sin, "cos": torch.cos,
    }
    for i, (name, f) in enumerate(acts.items()):
        fixture(name, f, {"x": leaf(gen, 7, 5, positive=(name == "log"))}, seed=10 + i)

    fixture("softmax", lambda x: torch.softmax(x, -1), {"x": leaf(gen, 5, 7)}, seed=20)
    fixture("log_softmax", lambda x: torch.log_softmax(x, -1), {"x": leaf(gen, 5, 7)}, seed=21)
    fixture("layer_norm", lambda x, g, bb: F.layer_norm(x, (7,), g, bb, eps=1e-5),
            {"x": leaf(gen, 5, 7), "gamma": leaf(gen, 7), "beta": leaf(gen, 7)}, extra_meta={"eps": "1e-5"}, seed=22)
    fixture("mse", F.mse_loss, {"pred": leaf(gen, 5, 3)},
            constants={"target": leaf(gen, 5, 3).detach()}, seed=23)
    labels = torch.randint(0, 7, (5,), generator=gen)
    fixture("cross_entropy", lambda x, y: F.cross_entropy(x, y.long()), {"logits": leaf(gen, 5, 7)},
            constants={"labels": labels.to(torch.float64)}, seed=24)

    def fourier(x, w):
        z = x @ w.T
        return torch.cat([torch.cos(z), torch.sin(z)], dim=-1) / (2 * w.shape[0]) ** 0.5

    fixture("fourier_features", fourier, {"x": leaf(gen, 5, 2), "w": leaf(gen, 3, 2)}, seed=25)

    # A 2-layer MLP on learnable Fourier features, trained against a target with MSE: the end-to-end case.
    # positions (N, 2) -> r = FF(x; W_f) (N, 2K) -> h = gelu(r·W1ᵀ + b1) (N, H) -> y = h·W2ᵀ + b2 (N, O).
    N, M, K, H, O = 9, 2, 4, 11, 3

    def mlp(w_f, w1, b1, w2, b2, x, target):
        y = F.linear(F.gelu(F.linear(fourier(x, w_f), w1, b1)), w2, b2)
        return F.mse_loss(y, target)

    fixture("mlp", mlp, {"w_f": leaf(gen, K, M), "w1": leaf(gen, H, 2 * K), "b1": leaf(gen, H),
                         "w2": leaf(gen, O, H), "b2": leaf(gen, O)},
            constants={"x": leaf(gen, N, M).detach(), "target": leaf(gen, N, O).detach()}, seed=26)
    print("wrote fixtures to", os.path.normpath(OUT_DIR), file=sys.stderr)


if __name__ == "__main__":
    main()
