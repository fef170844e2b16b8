#!/usr/bin/python3
"""Charts of the benchmark results, as PNGs next to them.

usage: benchmarks/charts.py [--results DIR] [--out DIR]
                            [--drivers FILE ...] [--classifier FILE] [--proxy FILE]

Reads the result files that benchmarks/run-jmh.sh and benchmarks/proxy-bench.sh write and draws:

  drivers.png     DriverBenchmark: each driver's operations per second as a ratio to raw
                  Connector/J (`connectorj`) in the same file, one panel per file and thread count
  proxy-qps.png   proxy-bench.sh: queries per second of every target (direct, HAProxy, rwsplit,
                  rwsplit-nio, whatever the TSV holds) by workload and thread count
  classifier.png  ClassifierBenchmark: rwsplit's cached, fast and parser paths against JSqlParser and
                  ShardingSphere's parser per statement, on a log scale

Every figure is a median over the measurement iterations (JMH's raw data) or the repetitions
(proxy-bench), and every ratio is taken within one file, i.e. one run. Without file arguments the
newest file of each kind in the results directory is used: for the drivers the newest
jmh-drivers-*.json of the newest date and every file of that date with the same name apart from
the thread count. A chart whose input is missing is skipped with a note.

Needs python3 and matplotlib: on Debian `apt-get install python3-matplotlib`, which installs it for
Debian's /usr/bin/python3, the interpreter the first line names (elsewhere run it as
`python3 benchmarks/charts.py` with matplotlib installed). The build does not use it.
"""
import argparse
import csv
import json
import os
import re
import statistics
import sys
from collections import OrderedDict, defaultdict

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")

DRIVER_ORDER = ["connectorj", "connectorj-replication", "aws-wrapper", "shardingsphere", "rwsplit",
                "rwsplit-primary-only"]
OPERATION_ORDER = ["pointSelect", "preparedPointSelect", "insert", "mix"]
TARGET_ORDER = ["direct", "haproxy", "rwsplit", "rwsplit-nio"]
TARGET_LABEL = {"direct": "direct", "haproxy": "HAProxy", "rwsplit": "rwsplit", "rwsplit-nio": "rwsplit (NIO)"}
# ClassifierBenchmark methods drawn, in order, and their labels
CLASSIFIER_SERIES = [
    ("cached", "rwsplit cached"),
    ("uncached", "rwsplit uncached (fast or parser path)"),
    ("shardingsphereCached", "ShardingSphere cached"),
    ("jsqlparserInThread", "JSqlParser parse, in thread"),
    ("jsqlparserRaw", "JSqlParser parse(String)"),
    ("shardingsphereUncached", "ShardingSphere parse"),
]
STATEMENT_ORDER = ["point_select", "join_select", "insert", "update", "select_for_update", "set_names", "begin",
                   "commit", "string_literal", "multi_statement", "cte", "cte_recursive"]


def color(name, order):
    """One colour per driver, target or series, the same in every panel and every chart run."""
    palette = plt.get_cmap("tab10").colors
    index = order.index(name) if name in order else len(order) + sum(map(ord, name))
    return palette[index % len(palette)]


def ordered(names, order):
    known = [n for n in order if n in names]
    return known + sorted(n for n in names if n not in order)


def median_of_run(entry):
    """Median of every measurement iteration of every fork of a JMH result entry."""
    raw = entry["primaryMetric"].get("rawData") or []
    values = [v for fork in raw for v in fork]
    return statistics.median(values) if values else entry["primaryMetric"]["score"]


def newest(paths):
    """The path with the newest date in its name, then the newest modification time."""
    def key(p):
        m = DATE.search(os.path.basename(p))
        return (m.group(1) if m else "", os.path.getmtime(p))
    return max(paths, key=key) if paths else None


def in_dir(directory, pattern):
    rx = re.compile(pattern)
    return [os.path.join(directory, f) for f in sorted(os.listdir(directory)) if rx.fullmatch(f)]


def benchmark_files(directory, name):
    """JMH JSON files in the directory that hold results of the benchmark class `name`."""
    found = []
    for p in in_dir(directory, r"jmh-.*\.json"):
        try:
            with open(p) as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        if any(("." + name + ".") in e.get("benchmark", "") for e in data):
            found.append(p)
    return found


def default_driver_files(directory):
    files = benchmark_files(directory, "DriverBenchmark")
    last = newest(files)
    if not last:
        return []
    # the same run at another thread count: the name with another -t<n>-
    pattern = re.escape(os.path.basename(last))
    pattern = re.sub(r"-t\d+-", r"-t\\d+-", pattern.replace(r"\-", "-"))
    return [p for p in files if re.fullmatch(pattern, os.path.basename(p))]


def label_bars(ax, bars, fmt):
    for b in bars:
        h = b.get_height()
        if h > 0:
            ax.annotate(fmt(h), (b.get_x() + b.get_width() / 2, h), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=7)


def drivers_chart(files, out):
    panels = []  # (title, {operation: {driver: median}})
    for path in files:
        with open(path) as f:
            data = json.load(f)
        by_threads = defaultdict(lambda: defaultdict(dict))
        for e in data:
            if ".DriverBenchmark." not in e["benchmark"]:
                continue
            op = e["benchmark"].rsplit(".", 1)[1]
            by_threads[e["threads"]][op][e["params"]["driver"]] = median_of_run(e)
        for threads in sorted(by_threads):
            panels.append((f"{os.path.basename(path)}: {threads} thread{'s' if threads > 1 else ''}",
                           by_threads[threads]))
    panels = [(t, ops) for t, ops in panels if any("connectorj" in d for d in ops.values())]
    if not panels:
        print("charts: no DriverBenchmark results with `connectorj` in them; drivers chart skipped", file=sys.stderr)
        return None
    fig, axes = plt.subplots(len(panels), 1, figsize=(12, 3.6 * len(panels)), squeeze=False)
    for ax, (title, ops) in zip(axes[:, 0], panels):
        operations = ordered([o for o in ops if "connectorj" in ops[o]], OPERATION_ORDER)
        drivers = ordered({d for o in operations for d in ops[o] if d != "connectorj"}, DRIVER_ORDER)
        width = 0.8 / max(len(drivers), 1)
        for i, d in enumerate(drivers):
            xs, ys = [], []
            for j, o in enumerate(operations):
                if d in ops[o]:
                    xs.append(j - 0.4 + width * (i + 0.5))
                    ys.append(ops[o][d] / ops[o]["connectorj"])
            bars = ax.bar(xs, ys, width, label=d, color=color(d, DRIVER_ORDER))
            label_bars(ax, bars, lambda v: f"{v:.2f}")
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_xticks(range(len(operations)))
        ax.set_xticklabels(operations)
        ax.set_ylabel("ops/s ÷ connectorj")
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
        ax.set_ylim(0, max(1.2, ax.get_ylim()[1] * 1.1))
    fig.suptitle("JDBC drivers: throughput as a ratio to raw Connector/J (medians; 1.0 = connectorj)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def proxy_chart(path, out):
    cells = defaultdict(lambda: defaultdict(list))  # (workload, threads) -> target -> [qps]
    with open(path) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            if r.get("rc") != "0":
                continue
            try:
                cells[(r["workload"], int(r["threads"]))][r["target"]].append(float(r["qps"]))
            except (KeyError, ValueError):
                continue
    if not cells:
        print(f"charts: no successful runs in {path}; proxy chart skipped", file=sys.stderr)
        return None
    workloads = list(OrderedDict.fromkeys(w for w, _ in cells))
    targets = ordered({t for c in cells.values() for t in c}, TARGET_ORDER)
    fig, axes = plt.subplots(1, len(workloads), figsize=(4.2 * len(workloads), 4.2), squeeze=False)
    width = 0.8 / len(targets)
    for ax, w in zip(axes[0], workloads):
        threads = sorted(th for ww, th in cells if ww == w)
        for i, t in enumerate(targets):
            xs, ys = [], []
            for j, th in enumerate(threads):
                q = cells[(w, th)].get(t)
                if q:
                    xs.append(j - 0.4 + width * (i + 0.5))
                    ys.append(statistics.median(q))
            bars = ax.bar(xs, ys, width, label=TARGET_LABEL.get(t, t), color=color(t, TARGET_ORDER))
            label_bars(ax, bars, lambda v: f"{v / 1000:.1f}k")
        ax.set_xticks(range(len(threads)))
        ax.set_xticklabels([f"{th} thr" for th in threads])
        ax.set_title(w, fontsize=9)
        ax.set_ylabel("queries/s (median)")
    axes[0][0].legend(fontsize=7)
    fig.suptitle(f"Proxy under sysbench: QPS by workload and threads ({os.path.basename(path)})")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def classifier_chart(path, out):
    with open(path) as f:
        data = json.load(f)
    ns = defaultdict(dict)  # statement -> series -> ns/op
    for e in data:
        if ".ClassifierBenchmark." not in e["benchmark"]:
            continue
        method = e["benchmark"].rsplit(".", 1)[1]
        statement = e.get("params", {}).get("statement")
        if not statement:
            continue
        value = median_of_run(e)
        unit = e["primaryMetric"]["scoreUnit"]
        value *= {"ns/op": 1, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}.get(unit, 1)
        series = "uncached" if method in ("fastPathUncached", "parserPathUncached") else method
        ns[statement][series] = value
    series = [(k, label) for k, label in CLASSIFIER_SERIES if any(k in s for s in ns.values())]
    if not ns or not series:
        print(f"charts: no ClassifierBenchmark results in {path}; classifier chart skipped", file=sys.stderr)
        return None
    statements = ordered(list(ns), STATEMENT_ORDER)
    fig, ax = plt.subplots(figsize=(11, 0.55 * len(statements) * len(series) / 3 + 2))
    height = 0.8 / len(series)
    for i, (key, label) in enumerate(series):
        ys, xs = [], []
        for j, s in enumerate(statements):
            if key in ns[s]:
                ys.append(j - 0.4 + height * (i + 0.5))
                xs.append(ns[s][key])
        ax.barh(ys, xs, height, label=label, color=color(key, [k for k, _ in CLASSIFIER_SERIES]))
        for y, x in zip(ys, xs):
            text = f"{x:,.0f} ns" if x < 10_000 else f"{x / 1000:,.0f} µs"
            ax.annotate(text, (x, y), xytext=(2, 0), textcoords="offset points", va="center", fontsize=6)
    # a parser that could not read a statement, or not all of it, has no bar: say so where it would be
    for j, s in enumerate(statements):
        missing = sorted({label.split(" ")[0] for key, label in series
                          if key not in ns[s] and key.startswith(("jsqlparser", "shardingsphere"))})
        if missing:
            ax.annotate("no figure: " + ", ".join(missing), (1, j),
                        xycoords=("axes fraction", "data"), xytext=(-4, 0), textcoords="offset points",
                        ha="right", va="center", fontsize=6, color="dimgray")
    ax.set_xscale("log")
    ax.set_yticks(range(len(statements)))
    ax.set_yticklabels(statements)
    ax.invert_yaxis()
    ax.set_xlabel("ns per statement (median, log scale)")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.05 * 12 / len(statements)), ncol=3)
    ax.set_title(f"Statement classification vs parsing ({os.path.basename(path)})", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", default=os.path.join(HERE, "results"), help="where the result files are")
    ap.add_argument("--out", help="where the PNGs go (default: the results directory)")
    ap.add_argument("--drivers", nargs="+", help="DriverBenchmark JSON files")
    ap.add_argument("--classifier", help="a JMH JSON file with ClassifierBenchmark results")
    ap.add_argument("--proxy", help="a proxy-bench.sh TSV file")
    args = ap.parse_args()
    out = args.out or args.results
    os.makedirs(out, exist_ok=True)

    drivers = args.drivers or default_driver_files(args.results)
    classifier = args.classifier or newest(benchmark_files(args.results, "ClassifierBenchmark"))
    proxy = args.proxy or newest(in_dir(args.results, r"proxy-sysbench-.*\.tsv"))

    written = []
    if drivers:
        written.append(drivers_chart(drivers, os.path.join(out, "drivers.png")))
    if proxy:
        written.append(proxy_chart(proxy, os.path.join(out, "proxy-qps.png")))
    if classifier:
        written.append(classifier_chart(classifier, os.path.join(out, "classifier.png")))
    for inputs, name in ((drivers, "drivers"), (proxy, "proxy"), (classifier, "classifier")):
        print(f"charts: {name}: {inputs or 'no input found'}", file=sys.stderr)
    for w in filter(None, written):
        print(f"charts: wrote {w}")


if __name__ == "__main__":
    main()
