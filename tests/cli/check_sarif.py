#!/usr/bin/env python3
"""check_sarif.py FILE [--results N] [--suppressed N] [--rules-min N]

Validate a SARIF 2.1.0 log offline: a JSON Schema of the subset of SARIF
that redflag writes (types, required properties, enumerations and, for the
objects we emit, no misspelt property names), checked with the jsonschema
module when it is installed, plus a hand-written walk of the same rules and
the cross-references a schema cannot express (ruleIndex points at the rule
named by ruleId, URIs are well-formed RFC 3986 references, ids unique).

Exit 0 when valid; otherwise print every problem and exit 1.
"""
import json
import re
import sys

SCHEMA_URIS = {
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
    "https://json.schemastore.org/sarif-2.1.0.json",
}


def obj(props, required=(), closed=True):
    s = {"type": "object", "properties": props}
    if required:
        s["required"] = list(required)
    if closed:
        s["additionalProperties"] = False
    return s


STR = {"type": "string"}
INT0 = {"type": "integer", "minimum": 0}
INT1 = {"type": "integer", "minimum": 1}
BAG = {"type": "object"}  # property bags are open by design
MSG = obj({"text": STR, "markdown": STR, "id": STR, "arguments": {"type": "array"}},
          closed=True)
MULTI = obj({"text": STR, "markdown": STR}, required=["text"])
ARTIFACT_LOCATION = obj({"uri": STR, "uriBaseId": STR, "index": INT0,
                         "description": MSG, "properties": BAG})
REGION = obj({
    "startLine": INT1, "startColumn": INT1, "endLine": INT1, "endColumn": INT1,
    "charOffset": INT0, "charLength": INT0, "byteOffset": INT0,
    "byteLength": INT0, "snippet": obj({"text": STR, "binary": STR,
                                        "rendered": MULTI, "properties": BAG}),
    "message": MSG, "sourceLanguage": STR, "properties": BAG})
PHYSICAL = obj({"artifactLocation": ARTIFACT_LOCATION, "region": REGION,
                "contextRegion": REGION, "address": BAG, "properties": BAG})
LOGICAL = obj({"name": STR, "index": {"type": "integer"},
               "fullyQualifiedName": STR, "decoratedName": STR,
               "parentIndex": {"type": "integer"}, "kind": STR,
               "properties": BAG})
LOCATION = obj({"id": {"type": "integer"}, "physicalLocation": PHYSICAL,
                "logicalLocations": {"type": "array", "items": LOGICAL},
                "message": MSG, "annotations": {"type": "array"},
                "relationships": {"type": "array"}, "properties": BAG})
SUPPRESSION = obj({"guid": STR,
                   "kind": {"enum": ["inSource", "external"]},
                   "status": {"enum": ["accepted", "underReview", "rejected"]},
                   "justification": STR, "location": LOCATION,
                   "properties": BAG}, required=["kind"])
LEVEL = {"enum": ["none", "note", "warning", "error"]}
RESULT = obj({
    "ruleId": STR, "ruleIndex": {"type": "integer", "minimum": -1},
    "rule": BAG, "kind": {"enum": ["notApplicable", "pass", "fail", "review",
                                   "open", "informational"]},
    "level": LEVEL, "message": MSG,
    "locations": {"type": "array", "items": LOCATION},
    "partialFingerprints": {"type": "object",
                            "additionalProperties": STR},
    "fingerprints": {"type": "object", "additionalProperties": STR},
    "baselineState": {"enum": ["new", "unchanged", "updated", "absent"]},
    "suppressions": {"type": "array", "items": SUPPRESSION},
    "guid": STR, "correlationGuid": STR, "occurrenceCount": INT1,
    "rank": {"type": "number"}, "properties": BAG,
}, required=["message"])
DESCRIPTOR = obj({
    "id": STR, "name": STR, "guid": STR, "deprecatedIds": {"type": "array"},
    "shortDescription": MULTI, "fullDescription": MULTI,
    "messageStrings": BAG, "help": MULTI, "helpUri": STR,
    "defaultConfiguration": obj({"enabled": {"type": "boolean"},
                                 "level": LEVEL,
                                 "rank": {"type": "number"},
                                 "parameters": BAG, "properties": BAG}),
    "relationships": {"type": "array"}, "properties": BAG,
}, required=["id"])
DRIVER = obj({
    "name": STR, "fullName": STR, "version": STR, "semanticVersion": STR,
    "informationUri": STR, "organization": STR, "guid": STR,
    "rules": {"type": "array", "items": DESCRIPTOR},
    "notifications": {"type": "array"}, "language": STR, "properties": BAG,
}, required=["name"])
NOTIFICATION = obj({"message": MSG, "level": LEVEL,
                    "locations": {"type": "array", "items": LOCATION},
                    "descriptor": BAG, "associatedRule": BAG,
                    "timeUtc": STR, "exception": BAG, "threadId": {"type": "integer"},
                    "properties": BAG}, required=["message"])
INVOCATION = obj({
    "executionSuccessful": {"type": "boolean"},
    "toolExecutionNotifications": {"type": "array", "items": NOTIFICATION},
    "toolConfigurationNotifications": {"type": "array", "items": NOTIFICATION},
    "commandLine": STR, "arguments": {"type": "array"}, "exitCode": {"type": "integer"},
    "startTimeUtc": STR, "endTimeUtc": STR, "properties": BAG,
}, required=["executionSuccessful"])
RUN = obj({
    "tool": obj({"driver": DRIVER, "extensions": {"type": "array"},
                 "properties": BAG}, required=["driver"]),
    "results": {"type": "array", "items": RESULT},
    "invocations": {"type": "array", "items": INVOCATION},
    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
    "artifacts": {"type": "array"}, "originalUriBaseIds": BAG,
    "automationDetails": BAG, "baselineGuid": STR, "language": STR,
    "properties": BAG,
}, required=["tool"])
SCHEMA = obj({
    "$schema": {"enum": sorted(SCHEMA_URIS)},
    "version": {"const": "2.1.0"},
    "runs": {"type": "array", "items": RUN, "minItems": 1},
    "inlineExternalProperties": {"type": "array"},
    "properties": BAG,
}, required=["version", "runs", "$schema"])

# RFC 3986 URI reference: only these characters, and % always followed
# by two hex digits.
URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")
PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def walk(schema, value, path, errors):
    """The subset of JSON Schema used above, for hosts without jsonschema."""
    t = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool,
             "number": (int, float)}
    if t == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(f"{path}: not an integer")
            return
    elif t is not None and (not isinstance(value, types[t]) or
                            (t != "boolean" and isinstance(value, bool))):
        errors.append(f"{path}: not a {t}")
        return
    if "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{path}: {value} < {schema['minimum']}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: {value!r} != {schema['const']!r}")
    if isinstance(value, dict):
        for r in schema.get("required", []):
            if r not in value:
                errors.append(f"{path}: missing required \"{r}\"")
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                walk(props[k], v, f"{path}.{k}", errors)
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected property \"{k}\"")
            elif isinstance(schema.get("additionalProperties"), dict):
                walk(schema["additionalProperties"], v, f"{path}.{k}", errors)
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for i, v in enumerate(value):
                walk(schema["items"], v, f"{path}[{i}]", errors)


def check(log):
    errors = []
    try:
        import jsonschema  # noqa: F401
        v = jsonschema.Draft7Validator(SCHEMA)
        for e in v.iter_errors(log):
            errors.append("schema: " + "/".join(map(str, e.path)) + ": " + e.message)
    except ImportError:
        pass
    walk(SCHEMA, log, "$", errors)
    for ri, run in enumerate(log.get("runs", [])):
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        ids = [r.get("id") for r in rules]
        if len(ids) != len(set(ids)):
            errors.append(f"runs[{ri}]: duplicate rule ids")
        for i, res in enumerate(run.get("results", [])):
            where = f"runs[{ri}].results[{i}]"
            if "message" in res and not ("text" in res["message"] or "id" in res["message"]):
                errors.append(f"{where}.message: needs text or id")
            idx = res.get("ruleIndex")
            if idx is not None and idx >= 0:
                if idx >= len(rules):
                    errors.append(f"{where}: ruleIndex {idx} out of range")
                elif rules[idx].get("id") != res.get("ruleId"):
                    errors.append(f"{where}: ruleIndex {idx} names "
                                  f"{rules[idx].get('id')}, ruleId is {res.get('ruleId')}")
            for li, loc in enumerate(res.get("locations", [])):
                uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
                if uri is None:
                    errors.append(f"{where}.locations[{li}]: no artifactLocation.uri")
                elif not URI_CHARS.match(uri) or PCT.search(uri):
                    errors.append(f"{where}.locations[{li}]: bad URI {uri!r}")
    return errors


def main(argv):
    want = {}
    args = argv[1:]
    path = args.pop(0)
    while args:
        k = args.pop(0)
        want[k.lstrip("-")] = int(args.pop(0))
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    errors = check(log)
    run = log["runs"][0] if log.get("runs") else {}
    results = run.get("results", [])
    if "results" in want and len(results) != want["results"]:
        errors.append(f"{len(results)} results, want {want['results']}")
    if "suppressed" in want:
        n = sum(1 for r in results if r.get("suppressions"))
        if n != want["suppressed"]:
            errors.append(f"{n} suppressed results, want {want['suppressed']}")
    if "rules-min" in want:
        n = len(run.get("tool", {}).get("driver", {}).get("rules", []))
        if n < want["rules-min"]:
            errors.append(f"{n} rules, want at least {want['rules-min']}")
    for e in errors:
        print("SARIF: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
