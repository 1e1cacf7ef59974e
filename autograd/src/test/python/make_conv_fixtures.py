#!/usr/bin/python3
"""PyTorch reference fixtures for posenc's convolution family and DARTS's mixed operation (ConvFixtureTest).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 autograd/src/test/python/make_conv_fixtures.py
Everything in float64 on float32-representable inputs, NCHW, in make_fixtures.py's format (seeded: rerunning
writes identical files). Geometry metadata: kernel, stride, padding, dilation. The ops:
    conv2d (bias=False), depthwise conv2d (groups=C), avg_pool2d (count_include_pad=False), max_pool2d,
    batch_norm (affine=False, training=True: batch statistics), a DARTS separable-conv chain, and the mixture
    sum_i w_i o_i with w = softmax(alpha) * mask (not renormalised).
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import fixture, leaf  # noqa: E402  (same folder: the shared safetensors writer)


def geo(k, s, p, d=1):
    return {"kernel": str(k), "stride": str(s), "padding": str(p), "dilation": str(d)}


def main():
    gen = torch.Generator().manual_seed(20261205)
    b, c, h, w, o = 2, 3, 9, 7, 5
    for name, (k, s, p, d) in {"conv2d_3x3": (3, 1, 1, 1), "conv2d_3x3_s2": (3, 2, 1, 1),
                               "conv2d_3x3_d2": (3, 1, 2, 2), "conv2d_1x1": (1, 1, 0, 1)}.items():
        fixture(name, lambda x, wt: F.conv2d(x, wt, stride=s, padding=p, dilation=d),
                {"x": leaf(gen, b, c, h, w), "w": leaf(gen, o, c, k, k)}, extra_meta=geo(k, s, p, d), seed=201)
    for name, (k, s, p, d) in {"depthwise_3x3": (3, 1, 1, 1), "depthwise_3x3_d2": (3, 1, 2, 2),
                               "depthwise_3x3_s2": (3, 2, 1, 1)}.items():
        # stored as (C, k, k); torch wants (C, 1, k, k)
        fixture(name, lambda x, wt: F.conv2d(x, wt.unsqueeze(1), stride=s, padding=p, dilation=d, groups=c),
                {"x": leaf(gen, b, c, h, w), "w": leaf(gen, c, k, k)}, extra_meta=geo(k, s, p, d), seed=202)
    for name, (k, s, p) in {"avg_pool_3x3": (3, 1, 1), "avg_pool_3x3_s2": (3, 2, 1)}.items():
        fixture(name, lambda x: F.avg_pool2d(x, k, stride=s, padding=p, count_include_pad=False),
                {"x": leaf(gen, b, c, h, w)}, extra_meta=geo(k, s, p), seed=203)
    for name, (k, s, p) in {"max_pool_3x3": (3, 1, 1), "max_pool_3x3_s2": (3, 2, 1)}.items():
        fixture(name, lambda x: F.max_pool2d(x, k, stride=s, padding=p), {"x": leaf(gen, b, c, h, w)},
                extra_meta=geo(k, s, p), seed=204)
    fixture("batch_norm2d", lambda x: F.batch_norm(x, None, None, training=True, eps=1e-5),
            {"x": leaf(gen, b, c, h, w)}, seed=205)

    def sep_conv(x, dw, pw):  # DARTS's SepConv half: ReLU, depthwise 3x3, pointwise 1x1, BN(affine=False)
        y = F.conv2d(F.relu(x), dw.unsqueeze(1), padding=1, groups=c)
        return F.batch_norm(F.conv2d(y, pw), None, None, training=True, eps=1e-5)
    fixture("sep_conv_chain", sep_conv, {"x": leaf(gen, b, c, h, w), "dw": leaf(gen, c, 3, 3), "pw": leaf(gen, o, c, 1, 1)},
            seed=206)

    mask = torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64)

    def mixture(alpha, o0, o2, m):  # candidate 1 is "none" (zero): masked out here as well
        wts = torch.softmax(alpha, 0) * m
        return wts[0] * o0 + wts[2] * o2
    fixture("mixture", mixture, {"alpha": leaf(gen, 3), "o0": leaf(gen, b, c, 4, 4), "o2": leaf(gen, b, c, 4, 4)},
            constants={"mask": mask}, seed=207)
    print("wrote the conv fixtures")


if __name__ == "__main__":
    main()
