#!/usr/bin/env python3
"""Sets two markdown reports of the same experiment side by side (`stacklab report RUN --format md`), workload by
workload: achieved rate, p50, p90 and p99 per variant and offered rate, the stored run's value with
its 95% interval against the new one, and whether the two intervals overlap (the repeats' spread, which is what
"within noise" can mean for runs of two to five repeats). Used to check that a change to the load engine or the
runner left an example's results where docs/results has them:

    bench/report-vs-report.py docs/results/gateways-report.md /tmp/gateways-report.md
"""
import re
import sys

NUMBER = re.compile(r"([0-9][0-9,]*\.?[0-9]*)\s*(µs|us|ms|s|/s)?")


def value(text):
    """A cell's value in base units (seconds, or a plain number), or None."""
    m = NUMBER.search(text.replace("−", "-"))
    if not m:
        return None
    number = float(m.group(1).replace(",", ""))
    unit = m.group(2) or ""
    return number * {"µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}.get(unit, 1.0)


def interval(text):
    """(point, low, high) of a cell such as `1.49ms [1.40ms–1.58ms]`; low = high = point when it has none."""
    point = value(re.split(r"[\[(]", text)[0])
    m = re.search(r"[\[(](?:range )?(.*)–(.*)[\])]", text)
    if not m:
        return point, point, point
    return point, value(m.group(1)), value(m.group(2))


def tables(path):
    """{(workload, variant, offered): {column: cell}} from each variant's latency table (the first table after a
    `Variant` heading, within its workload's section when the run has several)."""
    rows, workload, variant, header = {}, "-", None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("## Workload"):
            workload, variant, header = line.split("`")[1], None, None
            continue
        if line.startswith("#") and "Variant `" in line:
            variant, header = line.split("`")[1], None
            continue
        if line.startswith("#"):
            variant = None
            continue
        if variant is None:
            continue
        if not line.startswith("|"):
            if header is not None:
                variant = None
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if header is None:
            header = cells
            if "offered" not in header:
                variant = None
            continue
        if set(cells[0]) <= set(":- "):
            continue
        row = dict(zip(header, cells))
        rows[(workload, variant, row["offered"])] = row
    return rows


def fmt(x, column):
    if x is None:
        return "–"
    if column.startswith("p"):
        return f"{x * 1e3:.2f}ms"
    return f"{x:,.0f}" if x >= 100 else f"{x:.2f}"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report-vs-report.py STORED.md NEW.md")
    old, new = tables(sys.argv[1]), tables(sys.argv[2])
    short = ["rate", "p50", "p90", "p99"]
    prefixes = ["achieved", "p50", "p90", "p99"]
    print(f"{'workload':<14} {'variant':<16} {'offered':>8}  " + "  ".join(f"{s:>27}" for s in short))
    overlap, total, missing = 0, 0, 0
    for key in old:
        if key not in new:
            missing += 1
            print(f"{key[0]:<14} {key[1]:<16} {key[2]:>8}  not in the new run")
            continue
        cells = []
        for prefix, name in zip(prefixes, short):
            was = next((v for k, v in old[key].items() if k.startswith(prefix)), None)
            now = next((v for k, v in new[key].items() if k.startswith(prefix)), None)
            if was is None or now is None:
                cells.append(f"{'':>27}")
                continue
            a, b = interval(was), interval(now)
            if None in a or None in b:
                cells.append(f"{'–':>27}")
                continue
            total += 1
            same = not (b[2] < a[1] or b[1] > a[2])
            overlap += same
            cells.append(f"{fmt(a[0], name):>11} → {fmt(b[0], name):>11} {'≈' if same else '≠'}")
        print(f"{key[0]:<14} {key[1]:<16} {key[2]:>8}  " + "  ".join(cells))
    print(f"\n{overlap} of {total} figures with overlapping 95% intervals (≈), {total - overlap} apart (≠)"
          + (f"; {missing} rows missing from the new run" if missing else ""))


main()
