#!/usr/bin/python3
"""Message passing in PyTorch on a graph of 10^6 edges: the peer of SparseBench (`./posenc bench sparse`), issue 16.

The same sizes as SparseBench: 10^6 distinct random undirected edges on N = 10^5 nodes (drawn here with torch's
generator, so not the same edges, the same distribution), features of width d = 32, float32. Three ops:
  gather       out = x[src]                                     (E, d)
  segment_sum  out = zeros(N, d).index_add_(0, dst, m)           (N, d)   PyTorch's scatter-add (atomics on GPU)
  gcn          out = Â @ x, Â = D^-1/2 (A + I) D^-1/2 as a torch sparse CSR tensor, nnz = 2E + N
Each op is checked against a second route (20 rows by hand from the CSR arrays for gcn, plain loops for the
others) before timing; then the median and range of --repeats calls after one warm-up, at --threads threads.

Example: /usr/bin/python3 bench/pytorch/sparse_mp.py --threads 1 --repeats 10
(unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE first, as for every PyTorch timing here).
"""
import argparse
import statistics
import time

import torch

NODES, EDGES = 100_000, 1_000_000


def random_graph(seed):
    g = torch.Generator().manual_seed(seed)
    u = torch.randint(0, NODES, (2 * EDGES,), generator=g)
    v = torch.randint(0, NODES, (2 * EDGES,), generator=g)
    keep = u != v
    lo, hi = torch.minimum(u[keep], v[keep]), torch.maximum(u[keep], v[keep])
    key = torch.unique(lo * NODES + hi)                   # distinct undirected edges
    key = key[torch.randperm(key.numel(), generator=g)[:EDGES]]
    return key // NODES, key % NODES


def gcn_matrix(src, dst):
    loops = torch.arange(NODES)
    rows = torch.cat([dst, src, loops])
    cols = torch.cat([src, dst, loops])
    deg = torch.bincount(rows, minlength=NODES).to(torch.float32)
    vals = deg[rows].rsqrt() * deg[cols].rsqrt()
    return torch.sparse_coo_tensor(torch.stack([rows, cols]), vals, (NODES, NODES)).coalesce().to_sparse_csr()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--d", type=int, default=32)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    src, dst = random_graph(7)
    x = torch.randn(NODES, a.d)
    m = torch.randn(EDGES, a.d)
    adj = gcn_matrix(src, dst)
    ops = {
        "gather": lambda: x[src],
        "segment_sum": lambda: torch.zeros(NODES, a.d).index_add_(0, dst, m),
        "gcn": lambda: adj @ x,
    }
    out = ops["gather"]()
    assert torch.equal(out[:1000], torch.stack([x[int(s)] for s in src[:1000]]))
    out = ops["segment_sum"]()
    ref = torch.zeros(NODES, a.d, dtype=torch.float64)
    for e in (dst < 50).nonzero().flatten().tolist():
        ref[dst[e]] += m[e].double()
    assert torch.allclose(out[:50].double(), ref[:50], atol=1e-4)
    out = ops["gcn"]()
    crow, col, val = adj.crow_indices(), adj.col_indices(), adj.values()
    for r in range(20):                                   # rows by hand from the CSR arrays
        k = slice(int(crow[r]), int(crow[r + 1]))
        assert torch.allclose(out[r], (val[k, None] * x[col[k]]).sum(0), atol=1e-5)
    for name, fn in ops.items():
        fn()
        times = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1e3)
        print(f"{name:12s} threads {a.threads}  d {a.d}  median {statistics.median(times):8.2f} ms  "
              f"min {min(times):8.2f}  max {max(times):8.2f}  (torch {torch.__version__})")


if __name__ == "__main__":
    main()
