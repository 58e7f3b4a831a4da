#!/usr/bin/env python3
"""Prints the side-by-side tables of bench/invoke/ab.sh from the RESULTS files run.sh wrote.

Usage: ab_report.py DIR ROUNDS   (reads DIR/results-{before,after}-{1..ROUNDS})
Each cell is the median over the rounds; with more than one round the lowest and highest round follow in brackets.
Delta is after against before, in percent of before.
"""
import re, statistics, sys

SIDES = ("before", "after")


def wrk_ms(text):
    """wrk's latency ("270.00us", "1.20ms", "1.02s") in milliseconds."""
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        return float("nan")
    return float(m[1]) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m[2]]


def load(path):
    warm, cold = {}, {}
    for line in open(path):
        f = line.split()
        if f and f[0] == "WARM":
            rt, c, rps, p50, p99, non2xx = f[1:7]
            errors = int(non2xx) + int(f[7] if len(f) > 7 else 0)
            warm[(rt, int(c))] = {"req/s": float(rps), "p50 ms": wrk_ms(p50), "p99 ms": wrk_ms(p99), "errors": errors}
        elif f and f[0] == "COLD":
            kv = dict(x.split("=") for x in f[2:] if re.fullmatch(r"\w+=-?[\d.]+|\w+=nan", x))
            cold[f[1]] = {"create->first ms": float(kv["create_to_first_ms"]),
                          "cold invoke ms": float(kv["cold_invoke_ms"]),
                          "warm invoke ms": float(kv["warm_invoke_ms"])}
            # Init Duration of the cold invokes and a bare `python3 -c pass`: written by newer bench.py only
            for key, metric in (("init_ms", "init ms"), ("bare_python_ms", "bare python ms"),
                                ("init_over_bare_ms", "init - bare ms")):
                if key in kv:
                    cold[f[1]][metric] = float(kv[key])
    return warm, cold


def cell(values, digits):
    med = f"{statistics.median(values):.{digits}f}"
    if len(values) > 1:
        med += f" [{min(values):.{digits}f}-{max(values):.{digits}f}]"
    return med


def delta(before, after):
    b, a = statistics.median(before), statistics.median(after)
    return f"{(a - b) / b * 100:+.1f}%" if b else "n/a"


def table(title, runs, keys, metrics, key_header):
    """runs[side] is a list (one per round) of dicts key -> {metric: value}."""
    print(f"\n== {title} ==")
    width = {m: max(len(m) + 7, 18) for m, _ in metrics}
    header = f"{key_header:<22}"
    for metric, _ in metrics:
        header += f" | {metric + ' before':>{width[metric]}} {metric + ' after':>{width[metric]}} {'delta':>7}"
    print(header)
    for key in keys:
        label = " ".join(str(k) for k in key) if isinstance(key, tuple) else key
        row = f"{label:<22}"
        for metric, digits in metrics:
            vals = {s: [r[key][metric] for r in runs[s] if key in r and metric in r[key]] for s in SIDES}
            if not vals["before"] or not vals["after"]:
                row += f" | {'missing':>{width[metric]}} {'':>{width[metric]}} {'':>7}"
                continue
            row += f" | {cell(vals['before'], digits):>{width[metric]}} {cell(vals['after'], digits):>{width[metric]}}" \
                   f" {delta(vals['before'], vals['after']):>7}"
        print(row)


def main(directory, rounds):
    warm = {s: [] for s in SIDES}
    cold = {s: [] for s in SIDES}
    for side in SIDES:
        for r in range(1, rounds + 1):
            w, c = load(f"{directory}/results-{side}-{r}")
            warm[side].append(w)
            cold[side].append(c)
    warm_keys = list(dict.fromkeys(k for s in SIDES for r in warm[s] for k in r))  # in run.sh's order
    cold_keys = list(dict.fromkeys(k for s in SIDES for r in cold[s] for k in r))
    table(f"Warm invocations (wrk), median of {rounds} round(s) [min-max]", warm, warm_keys,
          [("req/s", 0), ("p50 ms", 2), ("p99 ms", 2)], "runtime conc")
    errors = {s: sum(r[k]["errors"] for r in warm[s] for k in r) for s in SIDES}
    print(f"(non-2xx responses and socket errors over all warm cells: before {errors['before']}, "
          f"after {errors['after']})")
    table(f"Cold starts (botocore), medians of COLD_N per round, median of {rounds} round(s) [min-max], ms", cold,
          cold_keys, [("create->first ms", 1), ("cold invoke ms", 1), ("warm invoke ms", 2)], "runtime")
    if any("init ms" in r[k] for s in SIDES for r in cold[s] for k in r):
        table(f"Init Duration of the cold invokes (REPORT), and a bare `python3 -c pass` between them, ms", cold,
              cold_keys, [("init ms", 1), ("bare python ms", 1), ("init - bare ms", 1)], "runtime")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))
