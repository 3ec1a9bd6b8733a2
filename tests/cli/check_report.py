#!/usr/bin/env python3
"""check_report.py csv FILE [--rows N] [--expect COLUMN=VALUE ...]
   check_report.py html FILE [--hostile TEXT ...]

csv:  read FILE with Python's csv module (what spreadsheets and pandas
      do): strict RFC 4180, the documented header, every row the header's
      width, no cell that a spreadsheet would run as a formula, and each
      --expect COLUMN=VALUE present in some row.
html: parse FILE with html.parser: no <script>, no event-handler
      attributes, no external resources, a Content-Security-Policy, every
      link either an in-page anchor or the Google Patents public record,
      and each --hostile TEXT present as text (escaped), never as markup.
"""
import csv
import html.parser
import io
import sys

HEADER = ["fingerprint", "severity", "category", "rule", "rule_title",
          "status", "note", "document", "title", "kind", "path", "member",
          "section", "unit", "lang", "line", "column", "start", "end",
          "date_published", "date_filed", "applicants", "classes", "terms",
          "snippet", "message", "regulation", "link"]


def check_csv(path, args):
    errors = []
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        errors.append("starts with a byte order mark")
    text = raw.decode("utf-8")  # must be valid UTF-8
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows or rows[0] != HEADER:
        errors.append(f"header is {rows[0] if rows else None}")
    for i, row in enumerate(rows[1:], 2):
        if len(row) != len(HEADER):
            errors.append(f"row {i}: {len(row)} fields, want {len(HEADER)}")
        for j, cell in enumerate(row):
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                errors.append(f"row {i} column {HEADER[j]}: formula-like "
                              f"cell {cell[:20]!r}")
    if not text.endswith("\r\n"):
        errors.append("last record does not end with CRLF")
    records = [dict(zip(HEADER, r)) for r in rows[1:]]
    while args:
        opt = args.pop(0)
        if opt == "--rows":
            n = int(args.pop(0))
            if len(records) != n:
                errors.append(f"{len(records)} rows, want {n}")
        elif opt == "--expect":
            col, _, val = args.pop(0).partition("=")
            if not any(r.get(col) == val for r in records):
                errors.append(f"no row with {col} = {val!r}")
    return errors


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.attrs = []
        self.text = []
        self.csp = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))
        d = dict(attrs)
        if tag == "meta" and d.get("http-equiv", "").lower() == \
                "content-security-policy":
            self.csp = d.get("content", "")

    def handle_data(self, data):
        self.text.append(data)


def check_html(path, args):
    errors = []
    src = open(path, encoding="utf-8").read()
    p = Page()
    p.feed(src)
    p.close()
    if "script" in p.tags:
        errors.append("a <script> element")
    for bad in ("iframe", "object", "embed", "img", "link", "base", "form"):
        if bad in p.tags:
            errors.append(f"a <{bad}> element")
    for tag, k, v in p.attrs:
        if k.startswith("on"):
            errors.append(f"event handler {k} on <{tag}>")
        if k == "src":
            errors.append(f"external resource src={v!r} on <{tag}>")
        if k == "href" and not (v.startswith("#") or
                                v.startswith("https://patents.google.com/patent/")):
            errors.append(f"unexpected link {v!r}")
        if k == "style":
            errors.append(f"inline style attribute on <{tag}>")
    if p.csp is None or "default-src 'none'" not in p.csp or "script-src" in p.csp:
        errors.append(f"Content-Security-Policy missing or weak: {p.csp!r}")
    text = "".join(p.text)
    for want in ("Findings by trait", "Findings by severity",
                 "Findings by applicant", "Findings by year",
                 "Findings by language"):
        if want not in text:
            errors.append(f"chart {want!r} missing")
    if src.count("<svg") < 5:
        errors.append("fewer than 5 inline SVG charts")
    while args:
        opt = args.pop(0)
        if opt == "--hostile":
            h = args.pop(0)
            if h not in text:
                errors.append(f"hostile text {h!r} not shown as text")
            if h in src:
                errors.append(f"hostile text {h!r} present unescaped")
        elif opt == "--contains":
            t = args.pop(0)
            if t not in text:
                errors.append(f"text {t!r} missing")
        elif opt == "--link":
            t = args.pop(0)
            if not any(k == "href" and v == t for _, k, v in p.attrs):
                errors.append(f"link {t!r} missing")
    return errors


def main(argv):
    kind, path, args = argv[1], argv[2], argv[3:]
    errors = check_csv(path, args) if kind == "csv" else check_html(path, args)
    for e in errors:
        print(f"{kind.upper()}: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
