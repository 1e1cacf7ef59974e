#!/usr/bin/python3
"""PyTorch reference fixtures for message passing on graphs (SparseFixtureTest).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 autograd/src/test/python/make_sparse_fixtures.py
The graph is the gradient check's: 7 nodes (node 6 isolated), undirected edges src[e] - dst[e]. PyTorch's own
routes, in float64 on float32-representable inputs:
    sparse_gather:   out = x[src]                                   (torch indexing; backward is index_add)
    segment_sum:     out = zeros(7, d).index_add(0, dst, m)          (scatter-add)
    spmm_gcn:        out = D^-1/2 (A + I) D^-1/2 x, A dense from the edges, D its row sums
    bce_with_logits: torch.nn.functional.binary_cross_entropy_with_logits(s, y), mean
Each fixture holds the inputs, the constants (index arrays as float32), "out", "grad_out" and "grad_<input>", in
make_fixtures.py's safetensors format. Seeded: rerunning writes identical files.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import fixture, leaf  # noqa: E402  (same folder: the shared safetensors writer)

SRC = [0, 0, 1, 1, 2, 3, 3, 4, 2]
DST = [1, 2, 2, 3, 4, 4, 5, 5, 5]
N = 7


def gcn_matrix():
    a = torch.eye(N, dtype=torch.float64)
    for u, v in zip(SRC, DST):
        a[u, v] = a[v, u] = 1
    d = a.sum(1).rsqrt()
    return d[:, None] * a * d[None, :]


def main():
    gen = torch.Generator().manual_seed(20261205)
    src = torch.tensor(SRC)
    dst = torch.tensor(DST)
    as_float = lambda t: t.to(torch.float64)  # noqa: E731  (index arrays stored as float32, exact below 2^24)
    fixture("sparse_gather", lambda x, s_: x[src], {"x": leaf(gen, N, 3)}, constants={"src": as_float(src)}, seed=201)
    fixture("segment_sum", lambda m, d_: torch.zeros(N, 5, dtype=torch.float64).index_add(0, dst, m),
            {"m": leaf(gen, len(DST), 5)}, constants={"dst": as_float(dst)}, seed=202)
    a = gcn_matrix()
    fixture("spmm_gcn", lambda x: a @ x, {"x": leaf(gen, N, 17)}, seed=203)
    y = torch.tensor([1, 0, 0, 1, 1, 0, 1], dtype=torch.float64)
    fixture("bce_with_logits", lambda s, y_: F.binary_cross_entropy_with_logits(s, y_).reshape(1),
            {"s": leaf(gen, N)}, constants={"labels": y}, seed=204)
    for name in ("sparse_gather", "segment_sum", "spmm_gcn", "bce_with_logits"):
        print("wrote", name)


if __name__ == "__main__":
    main()
