#!/usr/bin/env python3
"""perf_summary.py - read `perf script` call chains, report where time goes.

  perf script -i perf.data -F tid,ip,sym,dso | perf_summary.py [--top 25]
        [--title NAME] [--phase NAME=REGEX ...] [--focus NAME]

Every sample is put in the first --phase whose regex matches one of its
frames (default phases: compile = rf_compiler_compile|rf_cli_load_rules,
scan = rf_run__file|rf_run__files|rf_scan_run, other). Then, for the
--focus phase (default: scan, or all samples if it has none):

  * time by shared object (self);
  * the top functions by self time; libhs.so is stripped, so a sample in
    an unnamed libhs address is charged to the nearest named libhs frame
    above it (e.g. avx512vbmi_hs_scan, hs_compile_multi) and marked "~";
  * redflag's and the libraries' named functions by inclusive time
    (the share of samples with that function anywhere on the stack).

perf's own `--parent` filter does not apply to DWARF call chains here,
hence this script. Python 3 standard library only.
"""
import argparse
import collections
import re
import sys


def samples(stream):
    cur = []
    for line in stream:
        if not line.strip():
            if cur:
                yield cur
                cur = []
            continue
        if not line.startswith("\t") and not line.startswith(" "):
            if cur:
                yield cur
            cur = []
            continue
        m = re.match(r"\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$", line)
        if not m:
            continue
        ip, sym, dso = m.group(1), m.group(2), m.group(3)
        dso = dso.rsplit("/", 1)[-1]
        sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
        cur.append([sym, dso, ip])
    if cur:
        yield cur


def fix_inlined(st):
    """an inlined frame's dso is that of the next frame at the same ip"""
    for i in range(len(st) - 1, -1, -1):
        if st[i][1] == "inlined":
            st[i][1] = "(inlined)"
            for j in range(i + 1, len(st)):
                if st[j][2] == st[i][2] and st[j][1] != "inlined":
                    st[i][1] = st[j][1]
                    break
    return [(s, d) for s, d, _ in st]


def unnamed(sym):
    return sym in ("[unknown]", "") or re.fullmatch(r"0x[0-9a-f]+|[0-9a-f]+",
                                                      sym) is not None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--title", default="profile")
    ap.add_argument("--phase", action="append", default=[])
    ap.add_argument("--focus", default="scan")
    a = ap.parse_args()
    phases = [p.split("=", 1) for p in a.phase] or [
        ["compile", r"^(rf_compiler_compile|rf_cli_load_rules|hs_compile)"],
        # deep reader stacks (expat callbacks) can be cut short by the DWARF
        # stack copy, so the readers and the scanner count as well
        ["scan", r"^(rf_run__|rf_scan_run|rf_input_|rf_read_|rf_xml_|"
                 r"rf_scanner_|read_members|scan_range|XML_Parse)"]]
    phases = [(n, re.compile(r)) for n, r in phases]

    by_phase = collections.Counter()
    all_samples = []
    for st in samples(sys.stdin):
        st = fix_inlined(st)
        ph = "other"
        for n, rx in phases:
            if any(rx.search(s) for s, _ in st):
                ph = n
                break
        by_phase[ph] += 1
        all_samples.append((ph, st))
    total = sum(by_phase.values())
    if total == 0:
        print("(no samples)")
        return 0
    focus = [st for ph, st in all_samples if ph == a.focus]
    label = a.focus
    if not focus:
        focus = [st for _, st in all_samples]
        label = "all samples"
    n = len(focus)

    self_fn = collections.Counter()
    self_dso = collections.Counter()
    incl = collections.Counter()
    for st in focus:
        sym, dso = st[0]
        self_dso[dso] += 1
        if unnamed(sym) and dso.startswith("libhs"):
            for s2, d2 in st[1:]:
                if d2 == dso and not unnamed(s2):
                    sym = "~" + s2
                    break
            else:
                sym = "~libhs (stripped)"
        elif unnamed(sym):
            sym = "[%s]" % dso
        self_fn[(sym, dso)] += 1
        seen = set()
        for s2, d2 in st:
            if unnamed(s2) or s2 in seen:
                continue
            seen.add(s2)
            incl[(s2, d2)] += 1

    pct = lambda c, d=n: "%5.1f%%" % (100.0 * c / d)
    print("### %s" % a.title)
    print()
    print("Samples: %d; by phase: %s." % (total, ", ".join(
        "%s %s" % (k, pct(v, total).strip()) for k, v in by_phase.most_common())))
    print("Below: %s (%d samples)." % (label, n))
    print()
    print("Time by shared object (self):")
    print()
    print("```")
    for d, c in self_dso.most_common(8):
        print("%s  %s" % (pct(c), d))
    print("```")
    print()
    print("Top %d functions by self time (~ = inside stripped libhs, charged "
          "to the nearest named libhs frame):" % a.top)
    print()
    print("```")
    for (s, d), c in self_fn.most_common(a.top):
        print("%s  %-48s %s" % (pct(c), s[:48], d))
    print("```")
    print()
    print("Named functions by inclusive time (on the stack):")
    print()
    print("```")
    skip = re.compile(r"^(_start|__libc_start|main$|start_thread|clone|"
                      r"__GI___clone|entry_SYSCALL|do_syscall)")
    k = 0
    for (s, d), c in incl.most_common():
        if skip.search(s) or d.startswith("[kernel") or d.startswith("ld-"):
            continue
        print("%s  %-48s %s" % (pct(c), s[:48], d))
        k += 1
        if k >= a.top:
            break
    print("```")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
