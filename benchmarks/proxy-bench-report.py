#!/usr/bin/env python3
"""Medians and ratios of a proxy-bench.sh run, as markdown.

usage: proxy-bench-report.py RESULTS.tsv [META.txt]
       proxy-bench-report.py --delta BEFORE AFTER   (the script's server-counter deltas)

RESULTS.tsv has one row per sysbench run (see proxy-bench.sh). A cell is a workload at a thread
count; for each target the median over the repetitions is taken, then ratios of those medians.
Runs that failed (sysbench exit code not 0) are left out of the medians and listed at the end.
"""
import csv
import statistics
import sys
from collections import OrderedDict, defaultdict

TARGETS = ["direct", "haproxy", "rwsplit", "rwsplit-nio"]
LABEL = {"direct": "direct", "haproxy": "HAProxy", "rwsplit": "rwsplit", "rwsplit-nio": "rwsplit (NIO)"}


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    if v is None:
        return "–"
    return f"{v:,.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "–"


def main():
    rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
    meta = open(sys.argv[2]).read().strip() if len(sys.argv) > 2 else ""
    cells = OrderedDict()
    for r in rows:
        cells.setdefault((r["workload"], int(r["threads"])), defaultdict(list))[r["target"]].append(r)
    targets = [t for t in TARGETS if any(t in c for c in cells.values())]
    ok = lambda rs: [r for r in rs if r["rc"] == "0"]

    out = []
    reps = max((int(r["rep"]) for r in rows), default=0)
    out.append(f"Medians of {reps} repetition(s) per cell. {meta}")
    out.append("")

    out.append("#### Queries per second (median)")
    out.append("")
    head = "| workload | threads | " + " | ".join(LABEL[t] for t in targets)
    both = "rwsplit" in targets
    if both and "haproxy" in targets:
        head += " | rwsplit/HAProxy"
    if both and "direct" in targets:
        head += " | rwsplit/direct"
    out.append(head + " |")
    out.append("|---|--:|" + "--:|" * (head.count("|") - 2))
    med_qps = {}
    for (w, th), by in cells.items():
        m = {t: median(num(r["qps"]) for r in ok(by.get(t, []))) for t in targets}
        med_qps[(w, th)] = m
        line = f"| {w} | {th} | " + " | ".join(fmt(m[t]) for t in targets)
        if both and "haproxy" in targets:
            line += f" | {ratio(m['rwsplit'], m['haproxy'])}"
        if both and "direct" in targets:
            line += f" | {ratio(m['rwsplit'], m['direct'])}"
        out.append(line + " |")
    out.append("")

    out.append("#### 95th percentile latency, ms (median)")
    out.append("")
    out.append(head + " |")
    out.append("|---|--:|" + "--:|" * (head.count("|") - 2))
    for (w, th), by in cells.items():
        m = {t: median(num(r["lat_p95_ms"]) for r in ok(by.get(t, []))) for t in targets}
        line = f"| {w} | {th} | " + " | ".join(fmt(m[t], 2) for t in targets)
        if both and "haproxy" in targets:
            line += f" | {ratio(m['rwsplit'], m['haproxy'])}"
        if both and "direct" in targets:
            line += f" | {ratio(m['rwsplit'], m['direct'])}"
        out.append(line + " |")
    out.append("")

    out.append("#### Where the SELECTs ran, and CPU per query")
    out.append("")
    out.append("Share of `Com_select` per node (all repetitions together), and CPU time per query in µs "
               "(median): of the HAProxy or rwsplit process, and of the three servers together.")
    out.append("")
    nodes = []
    for r in rows:
        for kv in filter(None, r["com_select"].split(",")):
            n = kv.split("=")[0]
            if n and n not in nodes:
                nodes.append(n)
    spread_targets = [t for t in targets if t != "direct"] or targets
    h = "| workload | threads | " + " | ".join(f"{LABEL[t]} SELECTs on {'/'.join(nodes)}" for t in spread_targets)
    h += " | " + " | ".join(f"{LABEL[t]} CPU µs/q" for t in targets if t != "direct")
    h += " | " + " | ".join(f"servers µs/q via {LABEL[t]}" for t in targets)
    out.append(h + " |")
    out.append("|---|--:|" + "--:|" * (h.count("|") - 2))
    for (w, th), by in cells.items():
        parts = []
        for t in spread_targets:
            tot = defaultdict(int)
            for r in ok(by.get(t, [])):
                for kv in filter(None, r["com_select"].split(",")):
                    n, v = kv.split("=")
                    tot[n] += int(v)
            s = sum(tot.values())
            parts.append(" / ".join(f"{100 * tot[n] / s:.0f} %" for n in nodes) if s else "–")
        for t in targets:
            if t == "direct":
                continue
            parts.append(fmt(median(per_query(r, "proxy_cpu_ticks") for r in ok(by.get(t, []))), 1))
        for t in targets:
            parts.append(fmt(median(per_query(r, "servers_cpu_ticks") for r in ok(by.get(t, []))), 1))
        out.append(f"| {w} | {th} | " + " | ".join(parts) + " |")
    out.append("")

    out.append("#### What the servers did beyond the client's statements")
    out.append("")
    out.append("Summed over the three servers and all repetitions, per 1,000 queries sysbench counted: "
               "`Questions`, prepares, `USE`/`COM_INIT_DB`, `SET`; and `Connections` in all the cell's runs: "
               "sysbench's logins, the status reads' (one per node and snapshot), the proxy's new backend "
               "logins, and on the replicas some that replication itself counts while it applies writes "
               "(about 14 a second per replica here, with or without a proxy). A proxy that logged in per "
               "statement would show thousands.")
    out.append("")
    names = ["Questions", "Com_stmt_prepare", "Com_change_db", "Com_set_option"]
    h = "| workload | threads | target | " + " | ".join(f"{n} /1k q" for n in names) + " | Connections |"
    out.append(h)
    out.append("|---|--:|---|" + "--:|" * (len(names) + 1))
    for (w, th), by in cells.items():
        for t in targets:
            rs = ok(by.get(t, []))
            if not rs or "server_counters" not in rs[0]:
                continue
            tot = defaultdict(int)
            queries = 0
            for r in rs:
                queries += int(num(r["queries"]) or 0)
                for kv in filter(None, r["server_counters"].split(",")):
                    n, v = kv.split("=")
                    tot[n] += int(v)
            per_k = [fmt(1000 * tot[n] / queries, 0) if queries else "–" for n in names]
            out.append(f"| {w} | {th} | {LABEL[t]} | " + " | ".join(per_k) + f" | {tot['Connections']} |")
    out.append("")

    failed = [r for r in rows if r["rc"] != "0" or (num(r["ignored_errors"]) or 0) > 0]
    out.append("#### Errors")
    out.append("")
    out.append("Runs that failed, or in which sysbench met errors it ignores by default (1213 deadlock, "
               "1020 record changed, 1205 lock wait timeout) and retried the transaction.")
    out.append("")
    if not failed:
        out.append("None: every run ended normally, with no ignored errors.")
    else:
        out.append("| rep | workload | threads | target | exit code | ignored errors | first error line |")
        out.append("|--:|---|--:|---|--:|--:|---|")
        for r in failed:
            out.append(f"| {r['rep']} | {r['workload']} | {r['threads']} | {LABEL.get(r['target'], r['target'])} | "
                       f"{r['rc']} | {r['ignored_errors']} | {r['error'].strip().replace('|', ' ')} |")
    print("\n".join(out))


def per_query(r, column):
    ticks, q, hz = num(r[column]), num(r["queries"]), num(r["clk_tck"])
    if ticks is None or ticks < 0 or not q or not hz:
        return None
    return ticks / hz * 1e6 / q


def delta(before, after):
    """Two snapshots "n1.Com_select=5,n1.Questions=9,...": Com_select per node, then the others summed."""
    a = dict(kv.split("=") for kv in before.split(",") if kv)
    b = dict(kv.split("=") for kv in after.split(",") if kv)
    d = {k: int(v) - int(a.get(k, 0)) for k, v in b.items()}
    per_node = [k.split(".")[0] + "=" + str(v) for k, v in d.items() if k.endswith(".Com_select")]
    summed = {}
    for k, v in d.items():
        counter = k.split(".", 1)[1]
        if counter != "Com_select":
            summed[counter] = summed.get(counter, 0) + v
    return ",".join(per_node) + "|" + ",".join(f"{c}={v}" for c, v in summed.items())


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--delta":
        print(delta(sys.argv[2], sys.argv[3]))
    else:
        main()
