#!/usr/bin/env python3
"""fallback_rules.py - a small stand-in rule pack for testing the bench scripts.

The benchmark proper must use the shipped rules (`redflag rules terms
--expanded` with no --rules). While rules/ is incomplete (sets but no rules,
or a parse error), `run.sh --fallback-rules` writes this pack into the
output folder so the scripts can still be exercised end to end:

  fallback_rules.py OUTDIR [--lexicon DIR]

OUTDIR/bench-rules.yaml holds seven-language term sets (prefixed bench-, so
they never clash with shipped names) and three rules in the shipped rule
language (docs/rules.md). With --lexicon DIR every *.yaml of DIR (e.g. the
shipped rules/lexicon term sets) is copied beside it, so the compiled
database has a realistic number of patterns even though only the bench
rules use them. Figures measured with this pack are NOT the project's
figures; run.sh marks its report "FALLBACK RULES" when it is used.
"""
import argparse
import os
import shutil
import sys

SETS = {
    "bench-group": {
        "en": ["Uyghur", "Uyghurs", "non-Uyghur", "Tibetan", "Tibetans",
               "Han Chinese", "non-Han", "Kazakh", "Rohingya"],
        "zh-Hans": ["维吾尔族", "维吾尔人", "维族", "非维族", "汉族", "非汉族", "藏族",
                    "回族", "哈萨克族"],
        "ja": ["ウイグル族", "ウイグル人", "チベット族", "漢族", "漢民族"],
        "ko": ["위구르족", "위구르인", "티베트족", "한족"],
        "de": ["Uigure", "Uiguren", "Tibeter*", "Han-Chinese*"],
        "fr": ["Ouïghour*", "Tibétain*", "Han chinois"],
        "ru": ["уйгур*", "тибетец", "ханьцы"],
    },
    "bench-trait": {
        "en": ["race", "races", "racial", "ethnicity", "ethnic",
               "ethnic origin", "skin colour", "skin color"],
        "zh-Hans": ["种族", "人种", "民族", "肤色", "黄种人", "白种人", "黑种人"],
        "ja": ["人種", "民族"],
        "ko": ["인종", "민족"],
        "de": ["Rasse", "ethnisch*", "Hautfarbe"],
        "fr": ["origine ethnique", "raciale", "couleur de peau"],
        "ru": ["раса", "расу", "расы", "этническ*"],
    },
    "bench-subject": {
        "en": ["face", "faces", "facial", "pedestrian", "person", "camera",
               "video frame", "surveillance", "image"],
        "zh-Hans": ["人脸", "行人", "人员", "摄像头", "视频", "图像", "抓拍"],
        "ja": ["顔", "顔画像", "人物", "歩行者", "カメラ", "映像"],
        "ko": ["얼굴", "보행자", "인물", "카메라", "영상"],
        "de": ["Gesicht*", "Person", "Kamera*", "Fußgänger*"],
        "fr": ["visage*", "piéton*", "personne", "caméra*"],
        "ru": ["лица", "лицо", "пешеход*", "камер*", "изображени*"],
    },
    "bench-action": {
        "en": ["alarm", "alert*", "watch list", "detect*", "estimat*",
               "classif*", "recogni*", "determin*"],
        "zh-Hans": ["预警", "告警", "布控", "识别", "检测", "统计", "判断"],
        "ja": ["警報", "推定", "検出", "判定"],
        "ko": ["경보", "알림", "추정", "검출"],
        "de": ["Alarm*", "ermittel*", "erkannt", "klassifizier*"],
        "fr": ["alerte*", "détermin*", "détect*", "estim*"],
        "ru": ["оповещени*", "определяет", "классифицир*"],
    },
    "bench-mask": {
        "mask": True,
        "en": ["race condition", "horse race", "Xinjiang Uyghur Autonomous Region",
               "Han dynasty", "skin color correction"],
        "zh-Hans": ["新疆维吾尔自治区", "竞态条件", "维吾尔语", "肤色校正"],
        "ja": ["新疆ウイグル自治区", "競合状態", "肌色補正"],
        "ko": ["신장 위구르 자치구", "경쟁 상태"],
        "de": ["Race Condition", "Autonomen Gebiet Xinjiang der Uiguren"],
        "fr": ["condition de course", "région autonome ouïghoure du Xinjiang"],
        "ru": ["состояние гонки", "Синьцзян-Уйгурском автономном районе"],
    },
}

RULES = """
rules:
  - id: bench-group-subject
    title: A named ethnic group recognised from face or body data (bench)
    category: ethnicity
    severity: critical
    regulation: EU AI Act Art. 5(1)(g)
    message: A named ethnic group is recognised from face or body data
    all: [bench-group, bench-subject]
    none: [bench-mask]
    within: sentence
    examples:
      match:
        - 行人属性包括性别、年龄、民族（汉族、维吾尔族）。
      no_match:
        - 申请人地址：新疆维吾尔自治区乌鲁木齐市。
  - id: bench-trait-subject
    title: Race or ethnicity estimated from face or body data (bench)
    category: race
    severity: high
    regulation: EU AI Act Art. 5(1)(g)
    message: Race or ethnicity is estimated from face or body data
    all: [bench-trait, bench-subject, bench-action]
    none: [bench-mask]
    within: sentence
    examples:
      match:
        - The classifier estimates the race of the face in the video frame.
      no_match:
        - A race condition between the two threads is avoided.
  - id: bench-group-alert
    title: Alerting keyed on a named ethnic group (bench)
    category: ethnicity
    severity: critical
    regulation: EU AI Act Art. 5(1)(g)
    message: Alerting keyed on a named ethnic group
    all: [bench-group, bench-action]
    none: [bench-mask]
    within: sentence
    examples:
      match:
        - Wird in dem Kamerabild ein Uigure erkannt, so löst das System einen Alarm aus.
      no_match:
        - Der Anmelder hat seinen Sitz im Autonomen Gebiet Xinjiang der Uiguren.
"""


def q(term):
    return '"' + term.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--lexicon", help="folder of *.yaml term sets to copy in")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    lines = ["# generated by bench/fallback_rules.py - NOT the shipped rules",
             "sets:"]
    for name, langs in SETS.items():
        lines.append("  %s:" % name)
        lines.append("    description: bench stand-in set %s" % name)
        if langs.get("mask"):
            lines.append("    mask: true")
        lines.append("    terms:")
        for lang, terms in langs.items():
            if lang == "mask":
                continue
            lines.append("      %s: [%s]" % (lang, ", ".join(q(t) for t in terms)))
    with open(os.path.join(a.outdir, "bench-rules.yaml"), "w",
              encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n" + RULES)
    n = 1
    if a.lexicon:
        for fn in sorted(os.listdir(a.lexicon)):
            if fn.endswith((".yaml", ".yml")):
                shutil.copy(os.path.join(a.lexicon, fn),
                            os.path.join(a.outdir, "lexicon-" + fn))
                n += 1
    print("fallback_rules: wrote %d file(s) to %s" % (n, a.outdir),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
