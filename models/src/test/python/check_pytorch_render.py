#!/usr/bin/python3
"""Cross-checks posenc's renders against PyTorch rebuilds of the same saved models.

First let the Java suite write the models and renders (ModelFileTest), then run from the repository root:
    ./mvnw -B -q -o -pl models -am test -Dtest=ModelFileTest -Dsurefire.failIfNoSpecifiedTests=false
    /usr/bin/python3 models/src/test/python/check_pytorch_render.py models/target/pytorch-check
For each <encoding>.safetensors it rebuilds the torch.nn.Module (models/src/main/python/load_in_pytorch.py),
renders 64 × 64 and compares with <encoding>.render64.f32. Exit status 1 if any max |difference| >= 1e-4.
"""
import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "main", "python"))
import load_in_pytorch  # noqa: E402

TOLERANCE = 1e-4


def main(folder):
    models = sorted(glob.glob(os.path.join(folder, "*.safetensors")))
    if not models:
        print(f"no models in {folder}: run ModelFileTest first")
        return 1
    worst = 0.0
    for path in models:
        stem = path[:-len(".safetensors")]
        status = load_in_pytorch.main([path, "--size", "64", "--compare", stem + ".render64.f32",
                                       "--tolerance", str(TOLERANCE)])
        worst = max(worst, 0.0 if status == 0 else float("inf"))
    print("all within %g" % TOLERANCE if worst == 0 else "FAILED")
    return 0 if worst == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "models/target/pytorch-check"))
