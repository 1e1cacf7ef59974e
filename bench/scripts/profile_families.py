#!/usr/bin/env python3
"""Shares of a ViT step's CPU samples by op family: each stack goes to the family of its innermost posenc kernel
frame (the class that does the work), so a Vector API or JDK frame above it counts for its kernel.
   families.py FILE.collapsed"""
import collections, re, sys
FAMILIES = [  # (family, regex on a frame), first match from the leaf wins
    ('products (MatmulCpu: NN/NT/TN, batched)', r'kernels/Matmul'),
    ('GELU', r'kernels/(GeluCpu|Erf)|ActivationCpu\.(gelu|lambda\$unary)'),
    ('layer norm', r'kernels/LayerNormCpu'),
    ('softmax', r'kernels/SoftmaxCpu'),
    ('layout moves (heads, patchify, concat, slice)', r'core/(LayoutKernels|RunLayout)|kernels/LayoutCpu'),
    ('element-wise (add, scale, bias, axpy)', r'kernels/ElementwiseCpu'),
    ('reductions (bias grads, sums)', r'kernels/ReduceCpu'),
    ('Adam', r'kernels/AdamCpu'),
    ('cross-entropy', r'kernels/LossCpu'),
    ('LFF (Fourier features)', r'kernels/(FourierCpu|SinCos)'),
    ('other activations', r'kernels/ActivationCpu'),
    ('step memory zero-fill / allocation', r'autograd/StepMemory|core/HostMemory|Tensor\.zeros'),
    ('thread hand-off (Parallel, ForkJoin)', r'kernels/Parallel|ForkJoin|Unsafe\.park|futex'),
    ('tape, autograd bookkeeping', r'autograd/'),
]
path = sys.argv[1]
c, total = collections.Counter(), 0
for line in open(path):
    stack, _, n = line.rstrip().rpartition(' ')
    n = int(n); total += n
    frames = stack.split(';')
    fam = 'other'
    for f in reversed(frames):
        hit = next((name for name, rx in FAMILIES if re.search(rx, f)), None)
        if hit: fam = hit; break
    c[fam] += n
print(f'{total} samples')
for k, v in c.most_common(): print(f'{100 * v / total:5.1f} %  {k}')
