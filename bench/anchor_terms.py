#!/usr/bin/env python3
"""anchor_terms.py - the expanded terms of the rules' anchor sets only.

redflag scans in two passes: the anchor database (the first set of every
rule's `all`, which is rare: trait and group words) runs over every byte,
the full lexicon only around the anchors found. The matching floor of that
design is raw Hyperscan on the anchor terms, so run.sh measures hs_ceiling
on this list too ("hs-anchor").

  redflag rules terms --expanded --sets --rules R | anchor_terms.py R > anchors.txt

Reads "set<TAB>term" lines on stdin and the rule files below R (every
*.yaml / *.yml). A rule's anchor is the first name in its `all:` list, or,
when a rule has no `all`, every set of its `any`. Uses PyYAML if it is
installed, else a line parser that understands the `all: [a, b]` and
`all:\\n  - a` forms the shipped rules use. Writes the anchor sets' names
on stderr. This approximates redflag's anchor database (which also holds
the mask terms that can hide an anchor); it is a floor, not a model.
"""
import os
import re
import sys


def rule_files(root):
    if os.path.isfile(root):
        yield root
        return
    for d, _, fs in sorted(os.walk(root)):
        for f in sorted(fs):
            if f.endswith((".yaml", ".yml")):
                yield os.path.join(d, f)


def anchors_yaml(text, yaml):
    out = set()
    doc = yaml.safe_load(text) or {}
    for r in doc.get("rules", []) or []:
        a = r.get("all") or []
        if a:
            out.add(a[0])
        else:
            out.update(r.get("any") or [])
    return out


def anchors_lines(text):
    out = set()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"\s*(all|any):\s*(.*)$", line)
        if not m:
            continue
        key, rest = m.group(1), m.group(2).strip()
        names = []
        if rest.startswith("["):
            names = [x.strip().strip("'\"") for x in
                     rest.strip("[]").split(",") if x.strip()]
        elif not rest:
            for nxt in lines[i + 1:]:
                m2 = re.match(r"\s*-\s*(\S+)\s*$", nxt)
                if not m2:
                    break
                names.append(m2.group(1).strip("'\""))
        if key == "all" and names:
            out.add(names[0])
        # `any` only anchors a rule without `all`: not decidable line by
        # line; a rule with both is covered by its `all` anchor
    return out


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import yaml
    except ImportError:
        yaml = None
    anchors = set()
    for f in rule_files(sys.argv[1]):
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        if "rules:" not in text:
            continue
        anchors |= anchors_yaml(text, yaml) if yaml else anchors_lines(text)
    n = 0
    for line in sys.stdin:
        s, _, t = line.rstrip("\n").partition("\t")
        if s in anchors and t:
            print(t)
            n += 1
    print("anchor_terms: %d terms from %d anchor sets: %s"
          % (n, len(anchors), ", ".join(sorted(anchors))), file=sys.stderr)
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
