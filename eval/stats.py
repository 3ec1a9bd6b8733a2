#!/usr/bin/env python3
"""Validate the redflag evaluation set and print its counts.

Usage: python3 eval/stats.py [--markdown] [EVAL_DIR]

Reads EVAL_DIR/cases/*.yaml (default: the folder this script is in) and
EVAL_DIR/corpus-labels.yaml, checks the schema described in eval/README.md
and prints tables of counts. Exits 1 on any schema error (every error is
listed, with the file and the case id), 0 otherwise.
"""

import collections
import os
import re
import sys

import yaml

LANGS = ["zh-Hans", "zh-Hant", "en", "ja", "ko", "ru", "de", "fr", "ug"]
TRAITS = ["race", "ethnicity", "skin-colour", "religion",
          "political-opinion", "trade-union", "sexual-orientation"]
KINDS = ["patent-claim", "patent-description", "background", "sdk-code",
         "api-json", "manual", "procurement", "news", "form", "code",
         "other"]
LABELS = ["positive", "negative"]
SEVERITIES = ["critical", "high", "medium", "low"]
POSITIVE_SEVERITIES = ["critical", "high", "medium"]
TRAPS = ["place-name", "substring", "game", "cosmetics", "dermatology",
         "form", "id-ocr", "race-condition", "motor-racing", "clinical",
         "cuisine", "encyclopedic", "news", "surname-dynasty",
         "benign-attributes", "other"]
SECTIONS = ["claims", "description", "background", "abstract", "text",
            "code"]
# kind -> sections it may be written in
KIND_SECTIONS = {
    "patent-claim": {"claims"},
    "patent-description": {"description", "abstract"},
    "background": {"background"},
    "sdk-code": {"code"},
    "api-json": {"code"},
    "code": {"code"},
}
REQUIRED = ["id", "lang", "kind", "trait", "label", "section", "text"]
OPTIONAL = ["min_severity", "trap", "note"]
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]*$")

TRAIT_ABBR = {"race": "race", "ethnicity": "eth", "skin-colour": "skin",
              "religion": "rel", "political-opinion": "pol",
              "trade-union": "union", "sexual-orientation": "sex"}


class SafeLoaderNoDup(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % (key,), key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


SafeLoaderNoDup.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path, errors):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=SafeLoaderNoDup)
    except (OSError, yaml.YAMLError) as e:
        errors.append("%s: %s" % (path, e))
        return None


def check_case(path, i, c, errors):
    where = "%s: case #%d" % (path, i + 1)
    if not isinstance(c, dict):
        errors.append("%s: not a mapping" % where)
        return False
    if isinstance(c.get("id"), str):
        where = "%s: %s" % (path, c["id"])
    ok = True

    def err(msg):
        nonlocal ok
        ok = False
        errors.append("%s: %s" % (where, msg))

    for k in REQUIRED:
        if k not in c:
            err("missing field '%s'" % k)
    for k in c:
        if k not in REQUIRED and k not in OPTIONAL:
            err("unknown field '%s'" % k)
    if not ok:
        return False
    for k in REQUIRED + OPTIONAL:
        if k in c and not isinstance(c[k], str):
            err("field '%s' must be a string, got %s"
                % (k, type(c[k]).__name__))
    if not ok:
        return False
    if not ID_RE.match(c["id"]):
        err("bad id")
    if c["lang"] not in LANGS:
        err("unknown lang '%s'" % c["lang"])
    if not c["id"].startswith(c["lang"] + "-"):
        err("id must start with the language tag")
    if c["kind"] not in KINDS:
        err("unknown kind '%s'" % c["kind"])
    if c["trait"] not in TRAITS:
        err("unknown trait '%s'" % c["trait"])
    if c["label"] not in LABELS:
        err("unknown label '%s'" % c["label"])
    if c["section"] not in SECTIONS:
        err("unknown section '%s'" % c["section"])
    allowed = KIND_SECTIONS.get(c["kind"])
    if allowed and c["section"] not in allowed:
        err("kind '%s' cannot be in section '%s'"
            % (c["kind"], c["section"]))
    if not c["text"].strip():
        err("empty text")
    if len(c["text"]) > 2000:
        err("text longer than 2000 characters")
    if c["label"] == "positive":
        if "min_severity" not in c:
            err("positive without min_severity")
        elif c["min_severity"] not in POSITIVE_SEVERITIES:
            err("positive min_severity must be one of %s (a case a tool "
                "should report at most 'low' is a negative)"
                % "/".join(POSITIVE_SEVERITIES))
        if "trap" in c:
            err("positive with a trap")
        if c["kind"] == "background" or c["section"] == "background":
            err("a background passage is at most 'low': label it negative")
    elif c["label"] == "negative":
        if "trap" not in c:
            err("negative without trap")
        elif c["trap"] not in TRAPS:
            err("unknown trap '%s'" % c["trap"])
        if "min_severity" in c:
            err("negative with min_severity")
    return ok


def check_corpus_labels(path, corpus_dir, errors):
    data = load_yaml(path, errors)
    if data is None:
        return []
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        errors.append("%s: top level must be a mapping with 'files: [...]'"
                      % path)
        return []
    seen = set()
    for i, f in enumerate(files):
        where = "%s: entry #%d" % (path, i + 1)
        if not isinstance(f, dict) or not isinstance(f.get("path"), str):
            errors.append("%s: needs a string 'path'" % where)
            continue
        for k in f:
            if k not in ("path", "label", "format", "note"):
                errors.append("%s: unknown field '%s'" % (where, k))
        if f.get("label") not in LABELS:
            errors.append("%s: label must be positive or negative" % where)
        if f["path"] in seen:
            errors.append("%s: duplicate path %s" % (where, f["path"]))
        seen.add(f["path"])
        if corpus_dir and not os.path.isfile(
                os.path.join(corpus_dir, f["path"])):
            errors.append("%s: no such corpus file %s" % (where, f["path"]))
    if corpus_dir:
        for root, _, names in os.walk(corpus_dir):
            for n in names:
                rel = os.path.relpath(os.path.join(root, n), corpus_dir)
                if rel != "PROVENANCE.md" and rel not in seen:
                    errors.append("%s: corpus file %s has no label"
                                  % (path, rel))
    return files


def table(title, rows, cols, cell, markdown):
    out = []
    head = [""] + cols
    body = [[r] + [cell(r, c) for c in cols] for r in rows]
    if markdown:
        out.append("**%s**\n" % title)
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] + ["--:"] * len(cols)) + "|")
        for b in body:
            out.append("| " + " | ".join(b) + " |")
    else:
        out.append(title)
        widths = [max(len(str(x[j])) for x in [head] + body)
                  for j in range(len(head))]
        for b in [head] + body:
            out.append("  ".join(str(v).rjust(w) if j else str(v).ljust(w)
                                 for j, (v, w) in enumerate(zip(b, widths))))
    out.append("")
    return "\n".join(out)


def main(argv):
    markdown = "--markdown" in argv
    args = [a for a in argv if not a.startswith("--")]
    eval_dir = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    corpus_dir = os.environ.get("REDFLAG_CORPUS", "/work/shared/corpus")
    if not os.path.isdir(corpus_dir):
        corpus_dir = None
    errors = []
    cases = []
    cases_dir = os.path.join(eval_dir, "cases")
    files = sorted(f for f in os.listdir(cases_dir) if f.endswith(".yaml"))
    for name in files:
        path = os.path.join(cases_dir, name)
        lang = name[:-len(".yaml")]
        if lang not in LANGS:
            errors.append("%s: file name is not a language tag" % path)
        data = load_yaml(path, errors)
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(
                data.get("cases"), list) or set(data) != {"cases"}:
            errors.append("%s: top level must be exactly 'cases: [...]'"
                          % path)
            continue
        for i, c in enumerate(data["cases"]):
            if check_case(path, i, c, errors):
                if c["lang"] != lang:
                    errors.append("%s: %s: lang '%s' in file for '%s'"
                                  % (path, c["id"], c["lang"], lang))
                cases.append(c)
    for lang in LANGS:
        if lang + ".yaml" not in files:
            errors.append("%s: missing cases/%s.yaml" % (eval_dir, lang))
    ids = collections.Counter(c["id"] for c in cases)
    for i, n in ids.items():
        if n > 1:
            errors.append("duplicate id %s (%d times)" % (i, n))
    texts = collections.Counter(c["text"].strip() for c in cases)
    for t, n in texts.items():
        if n > 1:
            errors.append("duplicate text (%d times): %.60r" % (n, t))
    # coverage: every language has a positive for every trait
    have = {(c["lang"], c["trait"]) for c in cases
            if c["label"] == "positive"}
    for lang in LANGS:
        for t in TRAITS:
            if (lang, t) not in have:
                errors.append("coverage: no positive for %s / %s" % (lang, t))

    labels = check_corpus_labels(os.path.join(eval_dir, "corpus-labels.yaml"),
                                 corpus_dir, errors)

    pos = [c for c in cases if c["label"] == "positive"]
    neg = [c for c in cases if c["label"] == "negative"]
    cnt = collections.Counter()
    for c in cases:
        cnt[(c["lang"], c["label"])] += 1
        cnt[(c["lang"], c["trait"], c["label"])] += 1
        cnt[(c["lang"], "kind", c["kind"], c["label"])] += 1
        cnt[("trait", c["trait"], c["label"])] += 1
        cnt[("kind", c["kind"], c["label"])] += 1
        if c["label"] == "positive":
            cnt[(c["lang"], "sev", c["min_severity"])] += 1
            cnt[("sev", c["min_severity"])] += 1
        else:
            cnt[(c["lang"], "trap", c["trap"])] += 1
            cnt[("trap", c["trap"])] += 1

    def pn(a, b):
        return "%d/%d" % (a, b) if a or b else "."

    out = []
    out.append("cases: %d (positive %d = %.0f%%, negative %d); "
               "corpus files labelled: %d\n"
               % (len(cases), len(pos),
                  100.0 * len(pos) / max(1, len(cases)), len(neg),
                  len(labels)))
    cols = LANGS + ["all"]

    def lang_cell(key_fn):
        def cell(r, lang):
            if lang == "all":
                return pn(*(sum(cnt[key_fn(l, r, lab)] for l in LANGS)
                            for lab in LABELS))
            return pn(*(cnt[key_fn(lang, r, lab)] for lab in LABELS))
        return cell

    out.append(table("Cases per trait x language (positive/negative)",
                     TRAITS + ["total"], cols,
                     lambda r, lang: (
                         lang_cell(lambda l, t, lab: (l, lab))(r, lang)
                         if r == "total" else
                         lang_cell(lambda l, t, lab: (l, t, lab))(r, lang)),
                     markdown))
    out.append(table("Cases per kind x language (positive/negative)",
                     KINDS, cols,
                     lang_cell(lambda l, k, lab: (l, "kind", k, lab)),
                     markdown))

    def sev_cell(r, lang):
        if lang == "all":
            n = cnt[("sev", r)]
        else:
            n = cnt[(lang, "sev", r)]
        return str(n) if n else "."
    out.append(table("Positives per minimum severity x language",
                     POSITIVE_SEVERITIES, cols, sev_cell, markdown))

    def trap_cell(r, lang):
        n = cnt[("trap", r)] if lang == "all" else cnt[(lang, "trap", r)]
        return str(n) if n else "."
    out.append(table("Negatives per trap x language", TRAPS, cols,
                     trap_cell, markdown))
    sys.stdout.write("\n".join(out))

    if errors:
        sys.stderr.write("\n%d schema error(s):\n" % len(errors))
        for e in errors:
            sys.stderr.write("  " + e + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
