#!/usr/bin/env python3
"""summarize.py - turn run.sh's raw.tsv into the Markdown report.

Called by run.sh; can be re-run on a kept raw.tsv:
  summarize.py --raw OUT/raw.tsv --out OUT/latest.md [MANIFEST...]

Medians and min-max of wall time over the rounds, throughput in GB/s
(10^9 bytes of uncompressed input per second of median wall time), median
CPU seconds (user + sys), peak RSS (largest over the rounds), and the
ratios the issue sets targets for. Throughput ratios are given twice: from
wall time (what the issue asks) and from CPU time (steadier when other
processes share the machine; see the load column).
"""
import argparse
import filecmp
import json
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict

GB = 1e9


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=60).stdout.strip()
    except Exception:
        return ""


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = "%.1f GiB" % (int(line.split()[1]) / 1048576)
    flags = sh("grep -m1 '^flags' /proc/cpuinfo")
    simd = " ".join(x for x in ("avx2", "avx512f", "avx512bw", "avx512vbmi")
                    if " " + x + " " in flags + " ")
    return {"nproc": sh("nproc"), "cpu": cpu, "mem": mem, "simd": simd,
            "kernel": platform.release()}


def load_raw(path):
    rows = []
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            v = line.rstrip("\n").split("\t")
            if len(v) != len(head):
                continue
            r = dict(zip(head, v))
            for k in ("wall_s", "user_s", "sys_s", "load1"):
                r[k] = float(r[k] or 0)
            for k in ("maxrss_kb", "rc", "bytes", "round"):
                r[k] = int(float(r[k] or 0))
            rows.append(r)
    return rows


class Stat:
    def __init__(self, runs):
        ok = [r for r in runs if r["rc"] == 0]
        self.failed = len(runs) - len(ok)
        use = ok or runs
        walls = [r["wall_s"] for r in use]
        cpus = [r["user_s"] + r["sys_s"] for r in use]
        self.n = len(use)
        self.wall = statistics.median(walls)
        self.lo, self.hi = min(walls), max(walls)
        self.cpu = statistics.median(cpus)
        self.rss = max(r["maxrss_kb"] for r in use) / 1024
        self.bytes = use[0]["bytes"]
        self.load = statistics.median(r["load1"] for r in use)

    def gbps(self):
        return self.bytes / self.wall / GB if self.wall > 0 else 0.0

    def cpu_gbps(self):
        return self.bytes / self.cpu / GB if self.cpu > 0 else 0.0


TOOL_DOC = {
    "cat": "`cat FILES > /dev/null` (read limit)",
    "redflag-j1": "`redflag scan --quiet -j 1 --format jsonl --output F FILES`",
    "redflag-j2": "`redflag scan --quiet -j 2 --format jsonl --output F FILES`",
    "rg-j1": "`rg -j1 -F -c -f terms FILES`",
    "rg-j2": "`rg -j2 -F -c -f terms FILES`",
    "rg-all-j1": "`rg -j1 -F --count-matches -f terms FILES` (every match)",
    "grep-C": "`LC_ALL=C grep -F -c -f terms FILES`",
    "grep-UTF8": "`LC_ALL=C.UTF-8 grep -F -c -f terms FILES`",
    "hs-j1": "`hs_ceiling -j1 terms FILES` (raw Hyperscan, caseless literals)",
    "hs-j2": "`hs_ceiling -j2 terms FILES`",
    "hs-anchor-j1": "`hs_ceiling -j1 anchors FILES` (raw Hyperscan on "
                    "what redflag's first pass looks for, `redflag rules "
                    "terms --anchors`)",
    "unzip-hs-anchor": "`unzip -p ZIP | hs_ceiling anchors -`",
    "unzip-cat": "`unzip -p ZIP > /dev/null`",
    "unzip-rg": "`unzip -p ZIP | rg -F -c -f terms`",
    "unzip-hs": "`unzip -p ZIP | hs_ceiling terms -`",
    "cat-zip": "`cat ZIP > /dev/null`",
    "compile-cold": "`REDFLAG_CACHE_DIR=off redflag rules list` (load, "
                    "expand, compile with Hyperscan)",
    "compile-cached": "`redflag rules list` with the compiled databases "
                      "cached on disk (what every scan here pays)",
}


def fmt(x, nd=2):
    """nd decimals from 1 up; 3 significant digits below 1 (0.00412)."""
    if x is None:
        return "n/a"
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    if x >= 1 or x == 0:
        return ("%%.%df" % nd) % x
    return "%.3g" % x


def md(s):
    """escape table-breaking pipes in a Markdown cell"""
    return s.replace("|", "\\|")


def truth_check(findings, manifest):
    """planted passages found, traps flagged, other findings"""
    if not manifest or "_dir" not in manifest:
        return ""
    tpath = os.path.join(manifest["_dir"], manifest.get("truth", ""))
    if not os.path.isfile(tpath):
        return ""
    spans = defaultdict(list)  # (file, member) -> [(start, end, kind)]
    plants = traps = 0
    with open(tpath, encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            if t["offset"] < 0:
                continue
            spans[(t["file"], t["member"])].append(
                [t["offset"], t["offset"] + t["length"], t["kind"], False])
            plants += t["kind"] == "plant"
            traps += t["kind"] == "trap"
    other = 0
    with open(findings, encoding="utf-8") as f:
        for line in f:
            try:
                x = json.loads(line)
                key = (os.path.basename(x["path"]), x.get("member"))
                a, b = int(x["start"]), int(x["end"])
            except (ValueError, KeyError, TypeError):
                continue
            hit = False
            for sp in spans.get(key, ()):
                if a < sp[1] and sp[0] < b:
                    sp[3] = hit = True
            other += not hit
    found = sum(1 for v in spans.values() for sp in v
                if sp[2] == "plant" and sp[3])
    flagged = sum(1 for v in spans.values() for sp in v
                  if sp[2] == "trap" and sp[3])
    return ("Against the generator's ground truth: %d of %d planted passages "
            "found; %d of %d benign traps flagged; %d findings elsewhere "
            "(filler text that happens to combine lexicon words)."
            % (found, plants, flagged, traps, other))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--redflag", default="redflag")
    ap.add_argument("--binary-note", default="")
    ap.add_argument("--rules-note", default="")
    ap.add_argument("--terms")
    ap.add_argument("--size", default="")
    ap.add_argument("--files", default="")
    ap.add_argument("--rounds", default="")
    ap.add_argument("--findings-dir")
    ap.add_argument("manifests", nargs="*")
    a = ap.parse_args()

    rows = load_raw(a.raw)
    by = defaultdict(list)
    for r in rows:
        by[(r["kind"], r["tool"])].append(r)
    st = {k: Stat(v) for k, v in by.items()}
    man = {}
    for m in a.manifests:
        with open(m) as f:
            d = json.load(f)
        d["_dir"] = os.path.dirname(os.path.abspath(m))
        man[d["kind"]] = d

    m = machine()
    out = []
    w = out.append
    w("# redflag benchmark")
    w("")
    w("- machine: %s cores, %s (%s), %s RAM, Linux %s"
      % (m["nproc"], m["cpu"], m["simd"], m["mem"], m["kernel"]))
    w("- redflag: `%s` (%s); %s"
      % (a.redflag, sh("'%s' version" % a.redflag) or "?",
         a.binary_note or "?"))
    w("- rules: %s; %s expanded terms (`redflag rules terms --expanded`)"
      % (a.rules_note,
         sh("grep -c . '%s'" % a.terms) if a.terms else "?"))
    w("- tools: %s; %s; Hyperscan %s; %s"
      % (sh("rg --version | head -1"), sh("grep --version | head -1"),
         sh("pkg-config --modversion libhs") or "?",
         sh("unzip -v | head -1 | cut -d' ' -f1-2")))
    w("- corpus: %s per kind, text/jsonl in %s files, uspto as one weekly "
      "zip; %s rounds, order rotated each round; page cache warm"
      % (a.size, a.files, a.rounds))
    for kind, d in man.items():
        w("  - %s: %d bytes uncompressed, %d documents, %d planted passages, "
          "%d traps%s" % (kind, d["bytes"], d["documents"], d["planted"],
                          d["traps"],
                          ", zip %d bytes" % d["outputs"][0]["stored_bytes"]
                          if kind == "uspto" else ""))
    loads = [r["load1"] for r in rows]
    if loads:
        w("- load average (1 min) during the runs: median %.2f, max %.2f on "
          "%s cores%s" % (statistics.median(loads), max(loads), m["nproc"],
                          "  **(machine shared: wall times are inflated; "
                          "compare the CPU columns)**"
                          if statistics.median(loads) > 1.5 else ""))
    w("")

    def ratio(kind, num, den, cpu=False):
        """throughput of num relative to den (den time / num time)."""
        a_, b_ = st.get((kind, num)), st.get((kind, den))
        if not a_ or not b_:
            return None
        x, y = (a_.cpu, b_.cpu) if cpu else (a_.wall, b_.wall)
        return y / x if x > 0 else None

    checks = []

    cold = st.get(("rules", "compile-cold"))
    comp = st.get(("rules", "compile-cached")) or st.get(("rules", "compile"))
    if cold or comp:
        w("## Rule compile")
        w("")
        w("| what | median wall s | min-max | CPU s | peak RSS MiB | command |")
        w("|---|---:|---:|---:|---:|---|")
        for name, s_ in (("compile-cold", cold), ("compile-cached", comp)):
            if s_:
                w("| %s | %s | %s-%s | %s | %s | %s |"
                  % (name, fmt(s_.wall, 3), fmt(s_.lo, 3), fmt(s_.hi, 3),
                     fmt(s_.cpu, 3), fmt(s_.rss, 0), md(TOOL_DOC[name])))
        w("")
        best = min(x.wall for x in (cold, comp) if x)
        checks.append(("compile the shipped rules (cold / cached)",
                       "%s s / %s s wall" % (fmt(cold.wall, 3) if cold else "-",
                                             fmt(comp.wall, 3) if comp else "-"),
                       "< 1 s, or cached", best < 1.0))

    order = ["cat", "cat-zip", "unzip-cat", "hs-j1", "hs-j2", "hs-anchor-j1",
             "unzip-hs", "unzip-hs-anchor",
             "redflag-j1", "redflag-j2", "rg-j1", "rg-j2", "rg-all-j1",
             "unzip-rg", "grep-C", "grep-UTF8"]
    max_rss = 0.0
    for kind in ("jsonl", "text", "uspto"):
        tools = [t for t in order if (kind, t) in st]
        if not tools:
            continue
        w("## %s" % {"jsonl": "JSON Lines (Google Patents rows)",
                     "text": "Plain text",
                     "uspto": "USPTO weekly zip (concatenated XML)"}[kind])
        w("")
        w("| tool | median wall s | min-max s | GB/s | CPU s | GB/s per "
          "CPU-s | cores used | peak RSS MiB | command |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for t in tools:
            s = st[(kind, t)]
            if t.startswith("redflag"):
                max_rss = max(max_rss, s.rss)
            w("| %s%s | %s | %s-%s | %s | %s | %s | %s | %s | %s |"
              % (t, " (%d failed)" % s.failed if s.failed else "",
                 fmt(s.wall), fmt(s.lo), fmt(s.hi), fmt(s.gbps(), 3),
                 fmt(s.cpu), fmt(s.cpu_gbps(), 3),
                 fmt(s.cpu / s.wall) if s.wall > 0 else "-", fmt(s.rss, 0),
                 md(TOOL_DOC.get(t, ""))))
        # every run loads its rules (from the cache): show the scan alone too
        if comp:
            for t in ("redflag-j1", "redflag-j2"):
                s = st.get((kind, t))
                if s and s.cpu > comp.cpu:
                    sw, sc = s.wall - comp.wall, s.cpu - comp.cpu
                    w("| %s minus compile | %s | | %s | %s | %s | | | derived: "
                      "median wall and CPU minus the compile row's |"
                      % (t, fmt(sw) if sw > 0 else "n/a",
                         fmt(s.bytes / sw / GB, 3) if sw > 0 else "n/a",
                         fmt(sc), fmt(s.bytes / sc / GB, 3)))
        w("")
        w("| ratio (throughput) | wall | CPU | target |")
        w("|---|---:|---:|---|")

        def row(label, num, den, target=None, cpu=True):
            r = ratio(kind, num, den)
            c = ratio(kind, num, den, cpu=True) if cpu else None
            if r is None:
                return
            w("| %s | %s | %s | %s |" % (label, fmt(r), fmt(c) if c else "-",
                                        target or ""))
        if kind in ("jsonl", "text"):
            row("redflag-j1 / rg-j1", "redflag-j1", "rg-j1", ">= 3")
            row("redflag-j1 / rg-all-j1 (every match)", "redflag-j1",
                "rg-all-j1")
            row("redflag-j1 / grep C", "redflag-j1", "grep-C")
            row("redflag-j1 / grep UTF-8", "redflag-j1", "grep-UTF8")
            row("redflag-j1 / raw Hyperscan j1 (full lexicon)", "redflag-j1",
                "hs-j1", ">= 0.75")
            row("redflag-j1 / raw Hyperscan j1 (anchor terms only)",
                "redflag-j1", "hs-anchor-j1")
            row("redflag-j2 / redflag-j1", "redflag-j2", "redflag-j1",
                ">= 1.8", cpu=False)
            row("rg-j2 / rg-j1", "rg-j2", "rg-j1", cpu=False)
            row("hs-j2 / hs-j1", "hs-j2", "hs-j1", cpu=False)
            row("redflag-j1 / cat (share of the read limit)", "redflag-j1",
                "cat")
            r = ratio(kind, "redflag-j1", "rg-j1")
            if r is not None:
                checks.append(("%s: 1 thread vs rg -j1" % kind,
                               "%s x (CPU %s x)" % (
                                   fmt(r), fmt(ratio(kind, "redflag-j1",
                                                     "rg-j1", True))),
                               ">= 3x", r >= 3))
            r = ratio(kind, "redflag-j2", "redflag-j1")
            ctl = ratio(kind, "hs-j2", "hs-j1")
            best = lambda n, d: (st[(kind, d)].lo / st[(kind, n)].lo
                                 if (kind, n) in st and (kind, d) in st
                                 and st[(kind, n)].lo > 0 else None)
            rb, cb = best("redflag-j2", "redflag-j1"), best("hs-j2", "hs-j1")
            if r is not None:
                if ctl is not None and ctl < 1.5:
                    # the control (hs_ceiling, embarrassingly parallel over
                    # the same files) did not get two cores either
                    checks.append((
                        "%s: 2 threads vs 1" % kind,
                        "%s x; control hs-j2/hs-j1 only %s x: the machine "
                        "did not give two cores (best rounds: %s x, "
                        "control %s x)" % (fmt(r), fmt(ctl), fmt(rb),
                                           fmt(cb)),
                        ">= 1.8x", None))
                else:
                    checks.append(("%s: 2 threads vs 1" % kind,
                                   "%s x%s" % (fmt(r), " (control hs %s x)"
                                               % fmt(ctl) if ctl else ""),
                                   ">= 1.8x", r >= 1.8))
        else:
            row("redflag-j1 / unzip-p-rg", "redflag-j1", "unzip-rg", ">= 1.5")
            row("redflag-j2 / unzip-p-rg", "redflag-j2", "unzip-rg", ">= 1.5")
            row("redflag-j1 / unzip-p-hs (inflate + raw Hyperscan)",
                "redflag-j1", "unzip-hs")
            row("redflag-j1 / unzip-p-hs, anchor terms only", "redflag-j1",
                "unzip-hs-anchor")
            row("redflag-j2 / redflag-j1", "redflag-j2", "redflag-j1",
                cpu=False)
            row("redflag-j1 / unzip-p > /dev/null", "redflag-j1", "unzip-cat")
            best = max((ratio(kind, t, "unzip-rg") or 0, t)
                       for t in ("redflag-j1", "redflag-j2"))
            checks.append(("uspto zip vs unzip -p | rg", "%s x (%s)"
                           % (fmt(best[0]), best[1]), ">= 1.5x",
                           best[0] >= 1.5))
        w("")
        if a.findings_dir:
            f1 = os.path.join(a.findings_dir, "findings-%s-j1.jsonl" % kind)
            f2 = os.path.join(a.findings_dir, "findings-%s-j2.jsonl" % kind)
            if os.path.exists(f1):
                n = sum(1 for _ in open(f1, "rb"))
                same = os.path.exists(f2) and filecmp.cmp(f1, f2, False)
                w("Findings: %d; -j1 and -j2 output %s. %s"
                  % (n, "byte-identical" if same else "**differ**",
                     truth_check(f1, man.get(kind))))
                w("")
    if max_rss:
        checks.append(("peak RSS of redflag (any corpus above)",
                       "%s MiB" % fmt(max_rss, 0), "< 256 MiB",
                       max_rss < 256))
    w("## Against the issue's targets")
    w("")
    w("| target | measured | goal | met |")
    w("|---|---|---|---|")
    for name, got, goal, ok in checks:
        w("| %s | %s | %s | %s |" % (
            md(name), got, goal,
            "not measurable" if ok is None else "yes" if ok else "**no**"))
    w("")
    w("GB/s are bytes of uncompressed input (10^9) per second; ratios are "
      "throughput ratios (the other tool's time over redflag's), from median "
      "wall time and from median CPU time (user + sys).")
    w("")
    w("Raw timings: `%s`." % a.raw)
    text = "\n".join(out) + "\n"
    with open(a.out, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
