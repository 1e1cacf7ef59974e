"""PyTorch peers of the op-family JMH benches: the same ops on the same shapes, in µs per call.

Each case is named after the JMH benchmark it answers (LayerNormBench.forward, ...), on the shapes of
bench/src/main/java/dev/posenc/bench/OpShape.java ("vit": a train-vit step, batch 128, 50 tokens, D 64, 4 heads,
MLP 128, 10 classes; "large": a ViT-S/16 step at 224², batch 32, 197 tokens, D 384, 6 heads, MLP 1536, 1000
classes). Forwards run under no_grad (the posenc kernels keep no graph); backwards re-run autograd's backward
of a graph built once (torch.autograd.grad with retain_graph), so they time the backward kernels plus
autograd's dispatch, as training pays it. Adam is torch.optim.Adam over one flat tensor (1.13's default
single-tensor loop). PyTorch 1.13 has no fused CPU attention, so attention is the materialised route
(q@kᵀ·scale, softmax, @v); the JMH fused-attention rows are compared against it too.

Run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, so OpenBLAS picks its AVX-512 kernels:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch/op_families.py --threads 2 1
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F

# Keep in step with OpShape.java (AdamBench fails its setup if the ViT's parameter count drifts; main() checks
# it against vit.py's twin of the model).
SHAPES = {
    "vit": dict(batch=128, tokens=50, dim=64, heads=4, mlp=128, classes=10, parameters=140_074),
    "large": dict(batch=32, tokens=197, dim=384, heads=6, mlp=1536, classes=1000, parameters=1 << 22),
}


def measure(fn, seconds, rounds=5):
    """µs per call: median, min and max over rounds of about seconds/rounds each, after a warm-up."""
    deadline = time.perf_counter() + max(0.1, seconds / rounds)
    calls = 0
    while time.perf_counter() < deadline or calls < 3:
        fn()
        calls += 1
    per_round = calls
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            fn()
        times.append((time.perf_counter() - start) / per_round * 1e6)
    return statistics.median(times), min(times), max(times)


def grad_fn(out, inputs, d_out=None):
    return lambda: torch.autograd.grad(out, inputs, d_out, retain_graph=True)


def no_grad(fn):
    def run():
        with torch.no_grad():
            return fn()
    return run


def cases(s, gen):
    """(JMH name, callable) pairs for one shape."""
    randn = lambda *shape, std=1.0, mean=0.0: torch.randn(*shape, generator=gen) * std + mean
    rows, c = s["batch"] * s["tokens"], s["dim"]

    x = randn(rows, c, std=2.0, mean=0.5).requires_grad_()
    w = randn(c, std=0.1, mean=1.0).requires_grad_()
    b = randn(c, std=0.1).requires_grad_()
    ln = F.layer_norm(x, (c,), w, b, 1e-5)
    yield "LayerNormBench.forward", no_grad(lambda: F.layer_norm(x, (c,), w, b, 1e-5))
    yield "LayerNormBench.backward", grad_fn(ln, (x, w, b), randn(rows, c))

    n, t, d = s["batch"] * s["heads"], s["tokens"], s["dim"] // s["heads"]
    scores = randn(n * t, t, std=3.0).requires_grad_()
    sm = torch.softmax(scores, -1)
    yield "SoftmaxBench.forward", no_grad(lambda: torch.softmax(scores, -1))
    yield "SoftmaxBench.backward", grad_fn(sm, (scores,), randn(n * t, t))

    h = randn(rows, s["mlp"], std=2.0).requires_grad_()
    gelu = F.gelu(h)
    yield "GeluBench.forward", no_grad(lambda: F.gelu(h))
    yield "GeluBench.backward", grad_fn(gelu, (h,), randn(rows, s["mlp"]))

    logits = randn(s["batch"], s["classes"], std=3.0).requires_grad_()
    labels = torch.randint(0, s["classes"], (s["batch"],), generator=gen)
    loss = F.cross_entropy(logits, labels)
    yield "CrossEntropyBench.forward", no_grad(lambda: F.cross_entropy(logits, labels))
    yield "CrossEntropyBench.backward", grad_fn(loss, (logits,))

    q, k, v = (randn(n, t, d).requires_grad_() for _ in range(3))
    scale = d ** -0.5
    attention = lambda: torch.softmax(q @ k.transpose(-1, -2) * scale, -1) @ v
    out = attention()
    yield "AttentionBench.materializedForward", no_grad(attention)
    yield "AttentionBench.materializedBackward", grad_fn(out, (q, k, v), randn(n, t, d))

    p = (randn(s["parameters"], std=0.1)).requires_grad_()
    p.grad = randn(s["parameters"], std=0.01)
    opt = torch.optim.Adam([p], lr=1e-3)
    yield "AdamBench.step", opt.step


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, nargs="+", default=[2], help="torch.set_num_threads values, each run")
    ap.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    ap.add_argument("--time", type=float, default=0.5, help="seconds of timing per case (after as much warm-up)")
    ap.add_argument("--json", help="also write the rows as JSON to this file")
    a = ap.parse_args()
    import vit   # the train-vit model's PyTorch twin, beside this script
    count = sum(p.numel() for p in vit.Vit().parameters() if p.requires_grad)
    if count != SHAPES["vit"]["parameters"]:
        raise SystemExit(f"SHAPES['vit']['parameters']: expected vit.py's {count}, got {SHAPES['vit']['parameters']}")
    print(f"torch {torch.__version__}, threads {a.threads}, {a.time} s per case")
    rows = []
    print(f"{'case':38} {'shape':6} {'threads':>7} {'us/op median':>13} {'min':>10} {'max':>10}")
    for threads in a.threads:
        torch.set_num_threads(threads)
        for shape in a.shapes:
            for name, fn in cases(SHAPES[shape], torch.Generator().manual_seed(0)):
                med, lo, hi = measure(fn, a.time)
                rows.append(dict(name=name, params=dict(shape=shape, threads=str(threads)), unit="us/op",
                                 median=med, min=lo, max=hi))
                print(f"{name:38} {shape:6} {threads:7d} {med:13.1f} {lo:10.1f} {hi:10.1f}", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
