#!/usr/bin/env python3
"""Convergence of the ViT study's runs, median over seeds: test accuracy at fixed steps, steps to fixed accuracies
and the mean training loss over the first evaluations, from compare-pe's curves.csv files.

    bench/scripts/vit_curves.py LABEL=DIR [LABEL=DIR ...] [--at 100,250,500] [--reach 0.75,0.80,0.85]

Each DIR holds seed-*/curves.csv (bench/scripts/vit_compare_seeds.sh writes that layout); LABEL prefixes the
encoding names of that DIR (e.g. "unit" gives "lff (unit)"). Standard library only.
"""
import argparse
import csv
import glob
import statistics
import sys


def curves(directory):
    """{encoding: [[(step, accuracy, loss), ...] per seed]} for one study folder."""
    out = {}
    files = sorted(glob.glob(f"{directory}/seed-*/curves.csv"))
    if not files:
        sys.exit(f"vit_curves: {directory}: expected seed-*/curves.csv files, found none")
    for f in files:
        per = {}
        for row in csv.DictReader(open(f)):
            per.setdefault(row["encoding"], []).append(
                (int(row["step"]), float(row["test_accuracy"]), float(row["train_loss"])))
        for enc, points in per.items():
            out.setdefault(enc, []).append(points)
    return out


def accuracy_at(points, step):
    """The last evaluated accuracy at or before step (None if the run never got there)."""
    if points[-1][0] < step:
        return None
    before = [a for s, a, _ in points if s <= step]
    return before[-1] if before else None


def steps_to(points, target):
    return next((s for s, a, _ in points if a >= target), None)


def median_cell(values, fmt, total, missing="n/a"):
    got = [v for v in values if v is not None]
    if not got:
        return missing
    if len(got) < total:
        return f"{len(got)} of {total} seeds"
    return f"{fmt(statistics.median(got))} [{fmt(min(got))}–{fmt(max(got))}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("studies", nargs="+", metavar="LABEL=DIR")
    ap.add_argument("--at", default="100,250,500", help="steps to read the test accuracy at")
    ap.add_argument("--reach", default="0.75,0.80,0.85", help="accuracies to count steps to")
    ap.add_argument("--loss-until", type=int, default=200, help="mean training loss over steps up to this one")
    a = ap.parse_args()
    at = [int(s) for s in a.at.split(",")]
    reach = [float(r) for r in a.reach.split(",")]
    pct = lambda v: f"{100 * v:.1f}"
    head = ["run", "seeds"] + [f"acc @ {s}" for s in at] + ["final acc"] + [f"steps to {pct(r)} %" for r in reach] \
        + [f"train loss ≤ step {a.loss_until}"]
    print("| " + " | ".join(head) + " |")
    print("|---|---:|" + "---:|" * (len(head) - 2))
    for spec in a.studies:
        label, _, directory = spec.partition("=")
        if not directory:
            sys.exit(f"vit_curves: expected LABEL=DIR, got '{spec}'")
        for enc, runs in curves(directory).items():
            n = len(runs)
            cells = [f"{enc} ({label})" if label else enc, str(n)]
            cells += [median_cell([accuracy_at(p, s) for p in runs], pct, n) for s in at]
            cells.append(median_cell([p[-1][1] for p in runs], pct, n))
            cells += [median_cell([steps_to(p, r) for p in runs], str, n, "not reached") for r in reach]
            losses = []
            for p in runs:
                # each point's loss is the mean over the steps since the previous point: weight by those steps
                prev, total, count = 0, 0.0, 0
                for s, _, loss in p:
                    if s > a.loss_until:
                        break
                    total += loss * (s - prev)
                    count += s - prev
                    prev = s
                losses.append(total / count if count else None)
            cells.append(median_cell(losses, lambda v: f"{v:.3f}", n))
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
