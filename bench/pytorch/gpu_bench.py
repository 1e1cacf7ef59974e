"""PyTorch side of the CUDA device round (bench/gpu-round.sh): the same shapes as dev.posenc.cuda.GpuBench,
timed with CUDA events (median of 20 after 3 warm-ups), then merged with posenc's TSV into one table.

Variants: eager fp32 (TF32 off), eager TF32 (matmul/cudnn allow_tf32), torch.compile (fp32).
Shapes: LFF encoder N=2^18 M=2 F=256 H=64 D=64 (inference; one training step with MSE + Adam);
the Fourier projection alone vs a device-to-device copy of its output; attention forward fp32 d=64,
8 heads, T = 4096 and 16384 (scaled_dot_product_attention; the flash backend has no fp32, so PyTorch picks
the memory-efficient or math one).
Never run here: written on a machine without a GPU; syntax-checked with python3 -m py_compile.
"""
import argparse
import math
import statistics

import torch

WARMUP, REPS = 3, 20
N, M, F, H, D = 1 << 18, 2, 256, 64, 64


def time_ms(fn):
    for _ in range(WARMUP):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(REPS):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    return statistics.median(times)


class Lff(torch.nn.Module):
    """willGuimont's LearnableFourierPositionalEncoding with G = 1: Wr, then Linear -> GELU -> Linear."""

    def __init__(self):
        super().__init__()
        self.wr = torch.nn.Linear(M, F // 2, bias=False)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(F, H), torch.nn.GELU(), torch.nn.Linear(H, D))

    def forward(self, x):
        z = self.wr(x)
        return self.mlp(torch.cat([torch.cos(z), torch.sin(z)], dim=-1) / math.sqrt(F))


def fourier(x, w):
    z = x @ w.t()
    return torch.cat([torch.cos(z), torch.sin(z)], dim=-1) * (1 / math.sqrt(F))


def set_tf32(on):
    torch.backends.cuda.matmul.allow_tf32 = on
    torch.backends.cudnn.allow_tf32 = on


def bench_variant(variant):
    set_tf32(variant == "eager_tf32")
    dev = torch.device("cuda")
    torch.manual_seed(1)
    x, target = torch.randn(N, M, device=dev), torch.randn(N, D, device=dev)
    model = Lff().to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    infer = torch.compile(model) if variant == "compile" else model
    fourier_fn = torch.compile(fourier) if variant == "compile" else fourier

    def train_step():
        opt.zero_grad(set_to_none=False)
        torch.nn.functional.mse_loss(infer(x), target).backward()
        opt.step()

    r = {}
    with torch.no_grad():
        r["lff_infer_fused"] = time_ms(lambda: infer(x))
    r["lff_train_step"] = time_ms(train_step)
    w = model.wr.weight.detach()
    with torch.no_grad():
        r["fourier_fwd"] = time_ms(lambda: fourier_fn(x, w))
        feat, copy = fourier(x, w), torch.empty(N, F, device=dev)
        r["d2d_copy_same_bytes"] = time_ms(lambda: copy.copy_(feat))
        for t in (4096, 16384):
            q, k, v = (torch.randn(1, 8, t, 64, device=dev) for _ in range(3))
            sdpa = torch.nn.functional.scaled_dot_product_attention
            fn = torch.compile(sdpa) if variant == "compile" else sdpa
            r[f"attn_fwd_d64_t{t}"] = time_ms(lambda: fn(q, k, v))
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--posenc", help="GpuBench's TSV (case, ms, figure)")
    args = ap.parse_args()
    print(f"# torch {torch.__version__}, {torch.cuda.get_device_name(0)}")
    posenc = {}
    if args.posenc:
        with open(args.posenc) as f:
            for line in f:
                if line.startswith("#") or "\t" not in line:
                    continue
                case, ms, figure = (line.rstrip("\n").split("\t") + [""])[:3]
                try:
                    posenc[case] = (float(ms), figure)
                except ValueError:  # a failed posenc run leaves other text: PyTorch's numbers still come
                    continue
    variants = ["eager_fp32", "eager_tf32", "compile"]
    torch_ms = {}
    for v in variants:
        try:
            torch_ms[v] = bench_variant(v)
        except Exception as e:  # one failing variant (e.g. no Triton) must not hide the others
            print(f"# {v} failed: {type(e).__name__}: {e}")
            torch_ms[v] = {}
        # printed as soon as measured: if a later variant (torch.compile, last) hangs into the stage's timeout,
        # the earlier numbers are already in the log
        for c, ms in torch_ms[v].items():
            print(f"# {v}\t{c}\t{ms:.4f}", flush=True)
    cases = list(dict.fromkeys(list(posenc) + [c for v in variants for c in torch_ms[v]]))
    print(f"{'case (median ms)':28} {'posenc':>10} " + " ".join(f"{v:>11}" for v in variants) + "  posenc figure")
    for c in cases:
        p = posenc.get(c)
        cells = " ".join(f"{torch_ms[v][c]:11.4f}" if c in torch_ms[v] else f"{'-':>11}" for v in variants)
        print(f"{c:28} {p[0] if p else float('nan'):10.4f} {cells}  {p[1] if p else ''}")
    print("# lff_infer_fused: posenc's one-launch kernel vs PyTorch's module; lff_infer_unfused is posenc's "
          "own three-kernel chain; lff_infer_unfused_tf32 is that chain on TF32 tensor cores, to compare with the "
          "eager_tf32 column")


if __name__ == "__main__":
    main()
