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
    vit_fixtures()
    print("wrote fixtures to", os.path.normpath(OUT_DIR), file=sys.stderr)


def attention(q, k, v):
    """softmax(q·kᵀ/√d)·v over the last two axes."""
    return torch.softmax(q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5, -1) @ v


def patchify(images, p):
    """(B, H, W) -> (B, (H/p)(W/p), p·p): einops 'b (gh p1) (gw p2) -> b (gh gw) (p1 p2)'."""
    b, h, w = images.shape
    return images.reshape(b, h // p, p, w // p, p).permute(0, 1, 3, 2, 4).reshape(b, (h // p) * (w // p), p * p)


def vit_fixtures():
    """The vision transformer's ops, then a one-block pre-norm ViT end to end. A generator of its own, so the
    fixtures above keep their draws."""
    gen = torch.Generator().manual_seed(20250101)
    fixture("attention", attention, {"q": leaf(gen, 2, 2, 5, 4), "k": leaf(gen, 2, 2, 6, 4), "v": leaf(gen, 2, 2, 6, 4)},
            seed=30)
    fixture("heads_split", lambda x: x.reshape(2, 3, 2, 3).permute(0, 2, 1, 3), {"x": leaf(gen, 2, 3, 6)}, seed=31)
    fixture("heads_merge", lambda y: y.permute(0, 2, 1, 3).reshape(2, 3, 6), {"y": leaf(gen, 2, 2, 3, 3)}, seed=32)
    index = torch.tensor([2, 0, 2, 4])
    fixture("embedding", lambda t, i: F.embedding(i.long(), t), {"table": leaf(gen, 5, 3)},
            constants={"index": index.to(torch.float64)}, seed=33)
    fixture("concat", lambda a, c: torch.cat([a, c], 1), {"a": leaf(gen, 2, 1, 3), "c": leaf(gen, 2, 4, 3)}, seed=34)
    fixture("slice", lambda x: x[:, 1:3], {"x": leaf(gen, 2, 5, 3)}, seed=35)
    fixture("add_batch_broadcast", lambda x, t: x + t, {"x": leaf(gen, 3, 5, 2), "table": leaf(gen, 5, 2)}, seed=36)
    fixture("patchify", lambda x: patchify(x, 2), {"images": leaf(gen, 2, 6, 4)}, seed=37)

    # images (B, 4, 4) -> 4 patches of 2 × 2 -> tokens (B, 4, D) -> [cls ‖ tokens] + pos (B, 5, D) -> one pre-norm
    # block (2 heads, MLP 2D, GELU) -> final layer norm -> class token -> logits (B, C) -> cross entropy.
    B, D, H, C = 2, 8, 2, 3

    def vit(w_e, b_e, cls, pos, g1, n1, wq, bq, wk, bk, wv, bv, wo, bo, g2, n2, w1, c1, w2, c2, gf, nf, wh, bh,
            images, labels):
        x = F.linear(patchify(images, 2), w_e, b_e)
        x = torch.cat([cls.expand(B, 1, D), x], 1) + pos
        t = x.shape[1]
        h = F.layer_norm(x, (D,), g1, n1, eps=1e-5)
        split = lambda y: y.reshape(B, t, H, D // H).permute(0, 2, 1, 3)
        a = attention(split(F.linear(h, wq, bq)), split(F.linear(h, wk, bk)), split(F.linear(h, wv, bv)))
        x = x + F.linear(a.permute(0, 2, 1, 3).reshape(B, t, D), wo, bo)
        x = x + F.linear(F.gelu(F.linear(F.layer_norm(x, (D,), g2, n2, eps=1e-5), w1, c1)), w2, c2)
        logits = F.linear(F.layer_norm(x, (D,), gf, nf, eps=1e-5)[:, 0], wh, bh)
        return F.cross_entropy(logits, labels.long())

    params = {"w_e": (D, 4), "b_e": (D,), "cls": (1, 1, D), "pos": (5, D), "g1": (D,), "n1": (D,),
              "wq": (D, D), "bq": (D,), "wk": (D, D), "bk": (D,), "wv": (D, D), "bv": (D,), "wo": (D, D), "bo": (D,),
              "g2": (D,), "n2": (D,), "w1": (2 * D, D), "c1": (2 * D,), "w2": (D, 2 * D), "c2": (D,),
              "gf": (D,), "nf": (D,), "wh": (C, D), "bh": (C,)}
    inputs = {name: leaf(gen, *shape) for name, shape in params.items()}
    images = torch.rand(B, 4, 4, generator=gen, dtype=torch.float64).to(torch.float32).to(torch.float64)
    fixture("vit", vit, inputs, constants={"images": images, "labels": torch.tensor([2.0, 0.0], dtype=torch.float64)},
            seed=38)


if __name__ == "__main__":
    main()
