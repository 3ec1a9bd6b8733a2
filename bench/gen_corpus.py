#!/usr/bin/env python3
"""gen_corpus.py - deterministic patent-like corpus for redflag benchmarks.

Three kinds of corpus, all built from per-language word lists and sentence
templates (so the text is varied, not one paragraph repeated), with a small
rate of *planted* passages that describe sorting people by ethnicity or race
the way a patent would, and benign *traps* (race condition,
新疆维吾尔自治区, ...) at a realistic rate:

  text    plain UTF-8 text, documents of paragraphs, seven languages mixed
  jsonl   Google Patents Public Data `publications` rows, one per line
  uspto   USPTO weekly grant files: thousands of complete
          <?xml ...?><!DOCTYPE us-patent-grant ...><us-patent-grant> documents
          concatenated, each weekly file zipped (deflate) as one member

Same arguments, same bytes: every random choice comes from a
random.Random seeded from (--seed, kind, file index) through SHA-256; no
set or dict iteration order, no time, no hash randomisation is involved.

Examples
  gen_corpus.py --kind jsonl --size 1G --files 16 --out /tmp/c
  gen_corpus.py --kind uspto --size 1G --out /tmp/c        # ipg220104.zip
  gen_corpus.py --kind jsonl --size 20G --stream | redflag scan -

Each run writes, next to the data, truth-<kind>.jsonl (one line per planted
passage and per trap: file, member, byte offset and length in the
uncompressed file or member, document id, section, language, text) and
manifest-<kind>.json (the arguments, file names, sizes and counts). The
planted count is printed on stderr.

Sizes take K, M, G, T suffixes, binary (1G = 2**30 bytes). A file stops at
the first document boundary at or past its share of --size.
Python 3 standard library only.
"""
import argparse
import hashlib
import json
import os
import random
import re
import sys
import zipfile

GEN_VERSION = 1  # bump when the output for the same arguments changes

# ---------------------------------------------------------------- helpers


def parse_size(s):
    s = s.strip().upper().rstrip("B").rstrip("I")
    mult = 1
    for suf, m in (("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30),
                   ("T", 1 << 40)):
        if s.endswith(suf):
            mult = m
            s = s[:-1]
            break
    return int(float(s) * mult)


def fmt_size(n):
    for suf, m in (("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20),
                   ("K", 1 << 10)):
        if n >= m and n % m == 0:
            return "%d%s" % (n // m, suf)
    return str(n)


def seeded(*parts):
    h = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(h[:8], "little"))


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------- word lists
#
# Per language: noun phrases (N), verbs (V), adjectives (A), sentence
# templates (T), claim-clause templates (C), title templates (TI), the
# dependent-claim pattern (DEP), the sentence separator and the paragraph
# heading words. Slots: {N} {N2} {N3} {V} {A} {n} {n2} {n3} {fig} {step}
# {temp} {hours} {num} {num2}.

EN = {
    "N": ["image sensor", "lens assembly", "control unit", "processing circuit",
          "vehicle", "battery module", "electrode", "catalyst", "polymer layer",
          "substrate", "signal", "data packet", "base station",
          "user equipment", "neural network model", "feature map",
          "convolution layer", "bounding box", "video frame", "camera module",
          "display panel", "light source", "optical filter", "motor",
          "drive shaft", "brake system", "sensor array", "memory", "processor",
          "storage medium", "communication interface", "antenna", "transistor",
          "gate electrode", "dielectric layer", "solvent", "reaction mixture",
          "compound", "pharmaceutical composition", "coating", "housing",
          "bracket", "valve", "pump", "heat exchanger", "controller",
          "point cloud", "lidar unit", "radar sensor", "trajectory", "obstacle",
          "road surface", "parking space", "charging station", "face region",
          "target object", "license plate", "driver", "occupant", "user",
          "terminal device", "server", "encoder", "decoder", "bitstream",
          "cathode", "anode", "separator", "electrolyte", "wafer", "photoresist",
          "actuator", "spring", "shaft", "gear", "cooling fan", "power supply",
          "voltage regulator", "touch panel", "keyboard", "speaker",
          "microphone", "monitoring camera", "face detector",
          "pedestrian detector", "tracking module", "image frame",
          "infrared camera", "depth map", "key point", "training sample",
          "loss function", "classifier", "attention module", "cloud platform"],
    "V": ["receives", "transmits", "determines", "generates", "adjusts",
          "extracts", "compares", "stores", "outputs", "controls", "detects",
          "calculates", "encodes", "filters", "reduces", "converts", "updates",
          "selects", "estimates", "processes", "monitors", "identifies",
          "captures", "renders", "samples", "heats", "cools", "supports"],
    "A": ["first", "second", "flexible", "transparent", "conductive",
          "high-resolution", "low-power", "multilayer", "predetermined",
          "adjacent", "auxiliary", "compact", "modular", "lightweight",
          "porous", "rigid", "wireless", "real-time", "adaptive", "redundant"],
    "T": ["In some embodiments, the {N} {V} the {N2} based on the {N3}.",
          "The {N} {n} may be {A} and {V} the {N2} {n2}.",
          "According to an embodiment of the present disclosure, a {A} {N} is "
          "provided, which {V} the {N2}.",
          "As shown in FIG. {fig}, the {N} {n} includes a {N2} {n2} and a "
          "{N3} {n3}.",
          "In step S{step}, the {N} {V} the {N2}.",
          "It should be understood that the {N} is not limited to the {A} {N2} "
          "described herein.",
          "The {N} may have a thickness of {num} nm to {num2} nm.",
          "The mixture was stirred at {temp} °C for {hours} hours and the {N} "
          "was obtained.",
          "Those skilled in the art will appreciate that the {N} {n} may be "
          "replaced by a {A} {N2} without departing from the scope of the "
          "invention.",
          "The {N} detects a face region in the video frame and outputs a "
          "bounding box to the {N2}.",
          "When the {N} is in a {A} state, the {N2} {V} the {N3} every {num} "
          "milliseconds.",
          "Thus, the {N} can reduce the power consumption of the {N2} by about "
          "{hours}0 percent.",
          "The {N} {n} is electrically connected to the {N2} {n2} via the "
          "{N3} {n3}.",
          "FIG. {fig} is a flowchart of a method in which the {N} {V} the "
          "{N2}.",
          "In other embodiments, the {N} is omitted and the {N2} {V} the "
          "{N3} directly."],
    "C": ["the {N} {V} the {N2}", "the {N} is a {A} {N2}",
          "the {N} {V} the {N2} at intervals of {num} ms",
          "the {N} comprises a {A} {N2} and a {N3}"],
    "TI": ["{A} {N} and method for controlling the same",
           "Method and apparatus for processing {N} data",
           "System and method for {A} {N} management",
           "{N} with {A} {N2}", "{A} {N}, {N2} and storage medium"],
    "CLAIM1": "1. A {A} {N}, comprising: {clauses}.",
    "DEP": "{k}. The {N} of claim {j}, wherein {clause}.",
    "HEAD": ["TECHNICAL FIELD", "BACKGROUND", "SUMMARY",
             "BRIEF DESCRIPTION OF THE DRAWINGS", "DETAILED DESCRIPTION"],
    "sep": " ", "cjoin": "; ",
}

ZH = {
    "N": ["图像传感器", "镜头组件", "控制单元", "处理电路", "车辆", "电池模组", "电极",
          "催化剂", "聚合物层", "基板", "信号", "数据包", "基站", "用户设备",
          "神经网络模型", "特征图", "卷积层", "目标框", "视频帧", "摄像模组", "显示面板",
          "光源", "滤光片", "电机", "驱动轴", "制动系统", "传感器阵列", "存储器", "处理器",
          "存储介质", "通信接口", "天线", "晶体管", "栅极", "介电层", "溶剂", "反应混合物",
          "化合物", "药物组合物", "涂层", "壳体", "支架", "阀门", "泵", "换热器", "控制器",
          "点云", "激光雷达", "毫米波雷达", "行驶轨迹", "障碍物", "路面", "停车位", "充电桩",
          "人脸区域", "目标对象", "车牌", "驾驶员", "乘员", "终端设备", "服务器", "编码器",
          "解码器", "码流", "正极", "负极", "隔膜", "电解液", "晶圆", "光刻胶", "执行器",
          "弹簧", "转轴", "齿轮", "散热风扇", "电源模块", "稳压器", "触控面板", "扬声器",
          "麦克风", "监控摄像机", "人脸检测器", "行人检测器", "跟踪模块", "红外相机",
          "深度图", "关键点", "训练样本", "损失函数", "分类器", "注意力模块", "云平台"],
    "V": ["获取", "发送", "确定", "生成", "调整", "提取", "比较", "存储", "输出",
          "控制", "检测", "计算", "编码", "过滤", "降低", "转换", "更新", "选择",
          "估计", "处理", "监测", "采集", "渲染", "加热", "冷却", "支撑"],
    "A": ["第一", "第二", "柔性", "透明", "导电", "高分辨率", "低功耗", "多层", "预设",
          "相邻", "辅助", "紧凑型", "模块化", "轻量化", "多孔", "刚性", "无线", "实时",
          "自适应", "冗余"],
    "T": ["在一些实施例中，所述{N}根据所述{N2}{V}所述{N3}。",
          "所述{N}{n}可以是{A}的，并且{V}所述{N2}{n2}。",
          "根据本申请的一个实施例，提供了一种{A}{N}，其{V}所述{N2}。",
          "如图{fig}所示，{N}{n}包括{N2}{n2}和{N3}{n3}。",
          "步骤S{step}：{N}{V}{N2}。",
          "应当理解的是，所述{N}并不限于本文所述的{A}{N2}。",
          "所述{N}的厚度可以为{num}nm至{num2}nm。",
          "将所述混合物在{temp}℃下搅拌{hours}小时，得到{N}。",
          "本领域技术人员可以理解，在不脱离本发明范围的情况下，{N}{n}可以由{A}{N2}替代。",
          "所述{N}在视频帧中检测人脸区域，并将目标框输出至{N2}。",
          "当所述{N}处于{A}状态时，{N2}每隔{num}毫秒{V}一次{N3}。",
          "由此，所述{N}能够将{N2}的功耗降低约{hours}0%。",
          "{N}{n}通过{N3}{n3}与{N2}{n2}电连接。",
          "图{fig}为{N}{V}{N2}的方法流程图。",
          "在另一些实施例中，省略所述{N}，由{N2}直接{V}{N3}。"],
    "C": ["所述{N}{V}所述{N2}", "所述{N}为{A}{N2}",
          "所述{N}每隔{num}毫秒{V}所述{N2}", "所述{N}包括{A}{N2}和{N3}"],
    "TI": ["一种{A}{N}及其控制方法", "基于{N}的{N2}处理方法、装置及存储介质",
           "{A}{N}管理系统及方法", "一种具有{A}{N2}的{N}", "{N}、{N2}及存储介质"],
    "CLAIM1": "1.一种{A}{N}，其特征在于，包括：{clauses}。",
    "DEP": "{k}.根据权利要求{j}所述的{N}，其特征在于，{clause}。",
    "HEAD": ["技术领域", "背景技术", "发明内容", "附图说明", "具体实施方式"],
    "sep": "", "cjoin": "；",
}

JA = {
    "N": ["画像センサ", "レンズユニット", "制御部", "処理回路", "車両", "電池モジュール",
          "電極", "触媒", "高分子層", "基板", "信号", "データパケット", "基地局",
          "ユーザ装置", "ニューラルネットワーク", "特徴マップ", "畳み込み層", "映像フレーム",
          "カメラモジュール", "表示パネル", "光源", "光学フィルタ", "モータ", "駆動軸",
          "ブレーキ装置", "記憶部", "プロセッサ", "記憶媒体", "通信インタフェース",
          "アンテナ", "トランジスタ", "ゲート電極", "誘電体層", "溶媒", "反応混合物",
          "化合物", "医薬組成物", "被覆層", "筐体", "支持部材", "弁", "ポンプ",
          "熱交換器", "点群", "障害物", "路面", "駐車スペース", "充電装置", "顔領域",
          "対象物", "ナンバープレート", "運転者", "乗員", "端末装置", "サーバ",
          "符号化部", "復号部", "正極", "負極", "セパレータ", "電解液", "ウエハ",
          "アクチュエータ", "ばね", "歯車", "冷却ファン", "電源部", "タッチパネル",
          "スピーカ", "マイクロフォン", "監視カメラ", "顔検出部", "追跡部", "赤外線カメラ",
          "深度マップ", "学習データ", "損失関数", "識別器"],
    "V": ["を取得する", "を生成する", "を調整する", "を検出する", "を算出する",
          "を出力する", "を制御する", "を記憶する", "を送信する", "を変換する",
          "を更新する", "を選択する", "を推定する", "を処理する", "を監視する",
          "を撮像する", "を加熱する", "を冷却する", "を支持する"],
    "A": ["第1の", "第2の", "所定の", "柔軟な", "透明な", "導電性の", "高解像度の",
          "低消費電力の", "多層の", "隣接する", "補助的な", "小型の", "軽量な",
          "多孔質の", "無線の", "リアルタイムの"],
    "T": ["一実施形態において、{N}は、{N2}に基づいて{N3}{V}。",
          "{N}{n}は、{A}ものであってもよく、{N2}{n2}{V}。",
          "本開示の一態様によれば、{N2}{V}{A}{N}が提供される。",
          "図{fig}に示すように、{N}{n}は、{N2}{n2}と、{N3}{n3}とを備える。",
          "ステップS{step}において、{N}は{N2}{V}。",
          "なお、{N}は、上述した{A}{N2}に限定されない。",
          "{N}の厚さは、{num}nm以上{num2}nm以下であってもよい。",
          "混合物を{temp}℃で{hours}時間撹拌し、{N}を得た。",
          "当業者であれば、本発明の範囲を逸脱することなく、{N}{n}を{A}{N2}に置き換え得ることを理解するであろう。",
          "{N}は、映像フレーム内の顔領域を検出し、その位置を{N2}に出力する。",
          "{N}が{A}状態にあるとき、{N2}は{num}ミリ秒ごとに{N3}{V}。",
          "{N}{n}は、{N3}{n3}を介して{N2}{n2}に電気的に接続される。",
          "図{fig}は、{N}が{N2}{V}方法のフローチャートである。"],
    "C": ["{N}は、{N2}{V}", "{N}は、{A}{N2}である",
          "{N}は、{num}ミリ秒ごとに{N2}{V}", "{N}は、{A}{N2}と{N3}とを含む"],
    "TI": ["{A}{N}及びその制御方法", "{N}処理装置、{N2}処理方法及びプログラム",
           "{A}{N}管理システム", "{N2}を備えた{N}", "{N}、{N2}及び記憶媒体"],
    "CLAIM1": "【請求項1】{clauses}、{A}{N}。",
    "DEP": "【請求項{k}】請求項{j}に記載の{N}であって、{clause}、{N}。",
    "HEAD": ["【技術分野】", "【背景技術】", "【発明の概要】", "【図面の簡単な説明】",
             "【発明を実施するための形態】"],
    "sep": "", "cjoin": "と、",
}

KO = {
    "N": ["이미지 센서", "렌즈 어셈블리", "제어부", "처리 회로", "차량", "배터리 모듈",
          "전극", "촉매", "고분자층", "기판", "신호", "데이터 패킷", "기지국",
          "사용자 장치", "신경망 모델", "특징 맵", "합성곱 층", "비디오 프레임",
          "카메라 모듈", "디스플레이 패널", "광원", "광학 필터", "모터", "구동축",
          "제동 장치", "메모리", "프로세서", "저장 매체", "통신 인터페이스", "안테나",
          "트랜지스터", "게이트 전극", "유전체층", "용매", "반응 혼합물", "화합물",
          "약학 조성물", "코팅층", "하우징", "브래킷", "밸브", "펌프", "열교환기",
          "점군", "장애물", "노면", "주차 공간", "충전소", "얼굴 영역", "대상 객체",
          "번호판", "운전자", "탑승자", "단말 장치", "서버", "인코더", "디코더",
          "양극", "음극", "분리막", "전해액", "웨이퍼", "액추에이터", "스프링", "기어",
          "냉각 팬", "전원부", "터치 패널", "스피커", "마이크", "감시 카메라",
          "얼굴 검출부", "추적 모듈", "적외선 카메라", "깊이 맵", "학습 데이터",
          "손실 함수", "분류기"],
    "V": ["획득한다", "생성한다", "조정한다", "검출한다", "산출한다", "출력한다",
          "제어한다", "저장한다", "전송한다", "변환한다", "갱신한다", "선택한다",
          "추정한다", "처리한다", "모니터링한다", "촬영한다", "가열한다", "냉각한다"],
    "A": ["제1", "제2", "소정의", "유연한", "투명한", "도전성", "고해상도", "저전력",
          "다층", "인접한", "보조", "소형", "경량", "다공성", "무선", "실시간"],
    "T": ["일 실시예에 있어서, {N}는 {N2}에 기초하여 {N3}을(를) {V}.",
          "{N}({n})는 {A} 것일 수 있으며, {N2}({n2})을(를) {V}.",
          "본 개시의 일 측면에 따르면, {A} {N}가 제공된다.",
          "도 {fig}에 도시된 바와 같이, {N}({n})는 {N2}({n2}) 및 {N3}({n3})를 포함한다.",
          "단계 S{step}에서, {N}는 {N2}을(를) {V}.",
          "한편, {N}는 상술한 {A} {N2}에 한정되지 않는다.",
          "{N}의 두께는 {num}nm 내지 {num2}nm일 수 있다.",
          "혼합물을 {temp}℃에서 {hours}시간 동안 교반하여 {N}를 얻었다.",
          "본 발명이 속하는 기술분야의 통상의 기술자는 본 발명의 범위를 벗어나지 않고 {N}({n})를 {A} {N2}로 대체할 수 있음을 이해할 것이다.",
          "{N}는 비디오 프레임에서 얼굴 영역을 검출하고, 그 위치를 {N2}로 출력한다.",
          "{N}가 {A} 상태일 때, {N2}는 {num}밀리초마다 {N3}을(를) {V}.",
          "{N}({n})는 {N3}({n3})를 통해 {N2}({n2})와 전기적으로 연결된다."],
    "C": ["상기 {N}는 상기 {N2}을(를) {V}", "상기 {N}는 {A} {N2}인",
          "상기 {N}는 {num}밀리초마다 상기 {N2}을(를) {V}",
          "상기 {N}는 {A} {N2} 및 {N3}를 포함하는"],
    "TI": ["{A} {N} 및 그 제어 방법", "{N} 처리 장치, {N2} 처리 방법 및 저장 매체",
           "{A} {N} 관리 시스템 및 방법", "{N2}를 구비한 {N}"],
    "CLAIM1": "1. {clauses}, {A} {N}.",
    "DEP": "{k}. 제{j}항에 있어서, {clause}, {N}.",
    "HEAD": ["기술분야", "배경기술", "발명의 내용", "도면의 간단한 설명",
             "발명을 실시하기 위한 구체적인 내용"],
    "sep": " ", "cjoin": "; ",
}

DE = {
    "N": ["die Bildsensoreinheit", "das Objektiv", "die Steuereinheit",
          "die Verarbeitungsschaltung", "das Fahrzeug", "das Batteriemodul",
          "die Elektrode", "der Katalysator", "die Polymerschicht", "das Substrat",
          "das Signal", "das Datenpaket", "die Basisstation", "das Endgerät",
          "das neuronale Netz", "die Merkmalskarte", "das Videobild",
          "das Kameramodul", "die Anzeigeeinheit", "die Lichtquelle",
          "der optische Filter", "der Elektromotor", "die Antriebswelle",
          "die Bremsanlage", "der Speicher", "der Prozessor", "das Speichermedium",
          "die Kommunikationsschnittstelle", "die Antenne", "der Transistor",
          "die Gateelektrode", "die dielektrische Schicht", "das Lösungsmittel",
          "das Reaktionsgemisch", "die Verbindung", "die Beschichtung",
          "das Gehäuse", "die Halterung", "das Ventil", "die Pumpe",
          "der Wärmetauscher", "die Punktwolke", "das Hindernis", "die Fahrbahn",
          "die Ladestation", "der Gesichtsbereich", "das Zielobjekt",
          "das Kennzeichen", "der Fahrer", "der Insasse", "der Server",
          "der Kodierer", "die Kathode", "die Anode", "der Separator",
          "der Elektrolyt", "der Wafer", "der Aktor", "die Feder", "das Zahnrad",
          "der Lüfter", "das Netzteil", "der Lautsprecher", "das Mikrofon",
          "die Überwachungskamera", "der Gesichtsdetektor", "die Infrarotkamera",
          "die Tiefenkarte", "der Klassifikator"],
    "V": ["erfasst", "erzeugt", "steuert", "überträgt", "bestimmt", "berechnet",
          "speichert", "empfängt", "verarbeitet", "regelt", "filtert", "wandelt",
          "aktualisiert", "überwacht", "schätzt", "kühlt", "erwärmt", "trägt"],
    "A": ["elektrisch leitfähig", "transparent", "flexibel", "mehrschichtig",
          "vorbestimmt", "benachbart", "kompakt", "modular", "leicht", "porös",
          "starr", "drahtlos", "adaptiv", "redundant"],
    "T": ["In einer Ausführungsform {V} {N} {N2} in Abhängigkeit von {N3}.",
          "Wie in Fig. {fig} gezeigt, umfasst {N} {n} {N2} {n2} und {N3} {n3}.",
          "Im Schritt S{step} {V} {N} {N2}.",
          "Gemäß einem Aspekt der Erfindung wird {N} bereitgestellt, wobei {N2} "
          "{A} ausgebildet ist.",
          "Das Gemisch wurde {hours} Stunden bei {temp} °C gerührt, wobei {N} "
          "erhalten wurde.",
          "Es versteht sich, dass {N} nicht auf die beschriebenen "
          "Ausführungsbeispiele beschränkt ist.",
          "Die Dicke der Schicht beträgt vorzugsweise {num} nm bis {num2} nm.",
          "Der Fachmann erkennt, dass {N} {n} durch {N2} ersetzt werden kann, "
          "ohne den Schutzbereich zu verlassen.",
          "Befindet sich {N} in einem {A}en Zustand, so {V} {N2} alle {num} "
          "Millisekunden {N3}.",
          "Dabei ist {N} {n} über {N3} {n3} elektrisch mit {N2} {n2} verbunden.",
          "Fig. {fig} zeigt ein Ablaufdiagramm eines Verfahrens, bei dem {N} "
          "{N2} {V}."],
    "C": ["wobei {N} {N2} {V}", "wobei {N} {A} ausgebildet ist",
          "wobei {N} alle {num} ms {N2} {V}", "wobei {N} {N2} und {N3} umfasst"],
    "TI": ["{N} und Verfahren zum Betreiben desselben",
           "Verfahren und Vorrichtung zur Verarbeitung von {N}",
           "System zur Steuerung von {N}", "{N} mit {N2}"],
    "CLAIM1": "1. {N}, umfassend: {clauses}.",
    "DEP": "{k}. {N} nach Anspruch {j}, {clause}.",
    "HEAD": ["Technisches Gebiet", "Stand der Technik", "Zusammenfassung",
             "Kurze Beschreibung der Zeichnungen", "Ausführliche Beschreibung"],
    "sep": " ", "cjoin": "; ",
}

FR = {
    "N": ["le capteur d'image", "l'objectif", "l'unité de commande",
          "le circuit de traitement", "le véhicule", "le module de batterie",
          "l'électrode", "le catalyseur", "la couche de polymère", "le substrat",
          "le signal", "le paquet de données", "la station de base",
          "l'équipement utilisateur", "le réseau de neurones",
          "la carte de caractéristiques", "la trame vidéo", "le module de caméra",
          "le panneau d'affichage", "la source lumineuse", "le filtre optique",
          "le moteur", "l'arbre d'entraînement", "le système de freinage",
          "la mémoire", "le processeur", "le support de stockage",
          "l'interface de communication", "l'antenne", "le transistor",
          "l'électrode de grille", "la couche diélectrique", "le solvant",
          "le mélange réactionnel", "le composé", "le revêtement", "le boîtier",
          "la vanne", "la pompe", "l'échangeur de chaleur", "le nuage de points",
          "l'obstacle", "la chaussée", "la borne de recharge",
          "la région du visage", "l'objet cible", "la plaque d'immatriculation",
          "le conducteur", "l'occupant", "le serveur", "le codeur", "la cathode",
          "l'anode", "le séparateur", "l'électrolyte", "la plaquette",
          "l'actionneur", "le ressort", "l'engrenage", "le ventilateur",
          "l'alimentation", "le haut-parleur", "le microphone",
          "la caméra de surveillance", "le détecteur de visage",
          "la caméra infrarouge", "la carte de profondeur", "le classifieur"],
    "V": ["détecte", "génère", "commande", "transmet", "détermine", "calcule",
          "mémorise", "reçoit", "traite", "ajuste", "filtre", "convertit",
          "met à jour", "surveille", "estime", "refroidit", "chauffe", "supporte"],
    "A": ["conducteur", "transparent", "flexible", "multicouche", "prédéterminé",
          "adjacent", "compact", "modulaire", "léger", "poreux", "rigide",
          "sans fil", "adaptatif", "redondant"],
    "T": ["Dans un mode de réalisation, {N} {V} {N2} en fonction de {N3}.",
          "Comme représenté sur la figure {fig}, {N} {n} comprend {N2} {n2} et "
          "{N3} {n3}.",
          "À l'étape S{step}, {N} {V} {N2}.",
          "Selon un aspect de l'invention, {N} est {A} et {V} {N2}.",
          "Le mélange a été agité à {temp} °C pendant {hours} heures pour "
          "obtenir {N}.",
          "Il est entendu que {N} n'est pas limité aux modes de réalisation "
          "décrits.",
          "L'épaisseur de la couche est de préférence comprise entre {num} nm "
          "et {num2} nm.",
          "L'homme du métier comprendra que {N} {n} peut être remplacé par "
          "{N2} sans sortir du cadre de l'invention.",
          "Lorsque {N} est dans un état {A}, {N2} {V} {N3} toutes les {num} "
          "millisecondes.",
          "Ainsi, {N} {n} est relié électriquement à {N2} {n2} par "
          "l'intermédiaire de {N3} {n3}.",
          "La figure {fig} est un organigramme d'un procédé dans lequel {N} "
          "{V} {N2}."],
    "C": ["dans lequel {N} {V} {N2}", "dans lequel {N} est {A}",
          "dans lequel {N} {V} {N2} toutes les {num} ms",
          "dans lequel {N} comprend {N2} et {N3}"],
    "TI": ["{N} et procédé de commande associé",
           "Procédé et dispositif de traitement de {N}",
           "Système de gestion de {N}", "{N} comprenant {N2}"],
    "CLAIM1": "1. {N}, comprenant : {clauses}.",
    "DEP": "{k}. {N} selon la revendication {j}, {clause}.",
    "HEAD": ["Domaine technique", "État de la technique", "Résumé de l'invention",
             "Brève description des dessins", "Description détaillée"],
    "sep": " ", "cjoin": " ; ",
}

RU = {
    "N": ["датчик изображения", "объектив", "блок управления", "схема обработки",
          "транспортное средство", "аккумуляторный модуль", "электрод",
          "катализатор", "полимерный слой", "подложка", "сигнал", "пакет данных",
          "базовая станция", "пользовательское оборудование", "нейронная сеть",
          "карта признаков", "видеокадр", "модуль камеры", "панель отображения",
          "источник света", "оптический фильтр", "электродвигатель",
          "приводной вал", "тормозная система", "память", "процессор",
          "носитель данных", "интерфейс связи", "антенна", "транзистор", "затвор",
          "диэлектрический слой", "растворитель", "реакционная смесь",
          "соединение", "покрытие", "корпус", "кронштейн", "клапан", "насос",
          "теплообменник", "облако точек", "препятствие", "дорожное покрытие",
          "зарядная станция", "область лица", "целевой объект",
          "номерной знак", "водитель", "сервер", "кодер", "катод", "анод",
          "сепаратор", "электролит", "пластина", "привод", "пружина",
          "зубчатое колесо", "вентилятор", "блок питания", "громкоговоритель",
          "микрофон", "камера наблюдения", "детектор лиц", "инфракрасная камера",
          "карта глубины", "классификатор"],
    "V": ["определяет", "формирует", "управляет", "передаёт", "вычисляет",
          "сохраняет", "принимает", "обрабатывает", "регулирует", "обнаруживает",
          "фильтрует", "преобразует", "обновляет", "контролирует", "оценивает",
          "охлаждает", "нагревает", "поддерживает"],
    "A": ["гибким", "прозрачным", "многослойным", "электропроводящим",
          "заданным", "смежным", "компактным", "модульным", "лёгким", "пористым",
          "жёстким", "беспроводным", "адаптивным", "резервным"],
    "T": ["В одном варианте осуществления {N} {V} {N2} на основе данных, "
          "полученных от {N3}.",
          "Как показано на фиг. {fig}, {N} {n} содержит {N2} {n2} и {N3} {n3}.",
          "На этапе S{step} {N} {V} {N2}.",
          "Согласно одному аспекту изобретения предложен {N}, в котором {N2} "
          "выполнен {A}.",
          "Смесь перемешивали при {temp} °C в течение {hours} ч и получали {N}.",
          "Следует понимать, что {N} не ограничен описанными вариантами "
          "осуществления.",
          "Толщина слоя предпочтительно составляет от {num} до {num2} нм.",
          "Специалисту понятно, что {N} {n} может быть заменён на {N2} без "
          "выхода за пределы объёма изобретения.",
          "Когда {N} находится в состоянии ожидания, {N2} {V} {N3} каждые {num} "
          "миллисекунд.",
          "При этом {N} {n} электрически соединён с {N2} {n2} через {N3} {n3}.",
          "На фиг. {fig} показана блок-схема способа, в котором {N} {V} {N2}."],
    "C": ["{N} {V} {N2}", "{N} выполнен {A}",
          "{N} каждые {num} мс {V} {N2}", "{N} содержит {N2} и {N3}"],
    "TI": ["{N} и способ управления им", "Способ и устройство обработки: {N}",
           "Система управления: {N}", "{N} с {N2}"],
    "CLAIM1": "1. {N}, содержащий: {clauses}.",
    "DEP": "{k}. {N} по п. {j}, отличающийся тем, что {clause}.",
    "HEAD": ["Область техники", "Уровень техники", "Раскрытие изобретения",
             "Краткое описание чертежей", "Осуществление изобретения"],
    "sep": " ", "cjoin": "; ",
}

LANGS = {"en": EN, "zh": ZH, "ja": JA, "ko": KO, "de": DE, "fr": FR, "ru": RU}
LANG_ORDER = ["en", "zh", "ja", "ko", "de", "fr", "ru"]
# share of documents per primary language (Google Patents-like mix)
LANG_WEIGHTS = [40, 25, 10, 8, 8, 5, 4]
COUNTRY = {"en": ["US", "US", "WO", "EP"], "zh": ["CN"], "ja": ["JP"],
           "ko": ["KR"], "de": ["DE", "EP"], "fr": ["FR", "EP"], "ru": ["RU"]}

# Planted passages: the capability described the way a patent would.
PLANTS = {
    "en": [
        "In one embodiment, the pedestrian attribute recognition module outputs "
        "gender, age and ethnicity (Han, Uyghur) for each detected person.",
        "The face recognition unit determines whether the captured face image "
        "belongs to a Uyghur or non-Uyghur person and triggers an alarm when a "
        "Uyghur person is detected.",
        "The attribute classifier estimates the race of the face in the video "
        "frame, the race being one of Asian, Caucasian and African.",
        "The facial attributes extracted from the surveillance images comprise "
        "skin colour, age group and ethnicity of the person.",
        "When the ethnicity attribute of a passenger identified by the camera is "
        "Tibetan, the system adds the passenger to the watch list.",
    ],
    "zh": [
        "行人属性包括性别、年龄、民族（汉族、维吾尔族）。",
        "当识别到维吾尔族人员时，系统触发预警并推送至布控平台。",
        "所述人脸属性识别模型输出种族属性，所述种族属性包括黄种人、白种人和黑种人。",
        "根据所述人脸图像判断目标人员是否为维族或非维族，并进行告警。",
        "对抓拍的人脸图像进行民族识别，统计藏族人员的出现次数。",
    ],
    "ja": [
        "顔属性推定部は、撮影された顔画像から人物の性別、年齢及び人種を推定する。",
        "人物属性には、性別、年齢、民族（漢族、ウイグル族）が含まれる。",
        "監視カメラの映像からウイグル族と判定された人物を検出した場合に警報を発する。",
    ],
    "ko": [
        "보행자 속성은 성별, 나이 및 민족(한족, 위구르족)을 포함한다.",
        "얼굴 이미지로부터 인물의 인종을 추정하여 경보를 발생시킨다.",
        "감시 카메라 영상에서 위구르족으로 식별된 인물이 검출되면 알림을 전송한다.",
    ],
    "de": [
        "Die Gesichtsattributerkennung ermittelt Alter, Geschlecht und ethnische "
        "Zugehörigkeit (Han, Uiguren) der erfassten Person.",
        "Wird in dem Kamerabild ein Uigure erkannt, so löst das System einen "
        "Alarm aus.",
        "Das neuronale Netz klassifiziert die Rasse der Person anhand des "
        "Gesichtsbildes.",
    ],
    "fr": [
        "Le module de reconnaissance des attributs du piéton détermine le sexe, "
        "l'âge et l'origine ethnique (Han, Ouïghour) de la personne.",
        "Lorsqu'un visage ouïghour est détecté dans l'image de la caméra, une "
        "alerte est déclenchée.",
        "Le classifieur estime l'origine ethnique de chaque visage détecté dans "
        "la vidéo de surveillance.",
    ],
    "ru": [
        "Модуль распознавания атрибутов пешехода определяет пол, возраст и "
        "этническую принадлежность (хань, уйгур) человека.",
        "При обнаружении на изображении лица уйгура система формирует тревожное "
        "оповещение.",
        "Нейронная сеть классифицирует расу человека по изображению лица с "
        "камеры наблюдения.",
    ],
}

# Benign trap passages: words of the lexicon in contexts that are not about
# sorting people (must not produce findings).
TRAPS = {
    "en": [
        "A race condition between the two threads is avoided by acquiring a "
        "mutex before the buffer is updated.",
        "The applicant is located in Urumqi, Xinjiang Uyghur Autonomous Region.",
        "The ceramic glaze follows a technique dating back to the Han dynasty.",
        "The horse race timing system records the finishing order of each "
        "horse.",
        "The skin color correction of the image is performed in the YCbCr "
        "color space.",
        "The game allows the player to choose among fantasy races such as elves "
        "and dwarves.",
    ],
    "zh": [
        "申请人地址：新疆维吾尔自治区乌鲁木齐市高新区科技路{n}号。",
        "为避免两个线程之间的竞态条件（race condition），在更新缓冲区之前获取互斥锁。",
        "该语音识别系统支持普通话、维吾尔语和藏语的语音输入。",
        "本发明涉及新疆维吾尔自治区棉花种植的滴灌控制。",
        "对图像进行肤色校正，以改善人像照片的白平衡。",
    ],
    "ja": [
        "二つのスレッド間の競合状態（レースコンディション）を避けるため、ミューテックスを取得する。",
        "出願人の所在地は新疆ウイグル自治区ウルムチ市である。",
        "画像の肌色補正はYCbCr色空間で行われる。",
    ],
    "ko": [
        "두 스레드 사이의 경쟁 상태(race condition)를 피하기 위해 뮤텍스를 획득한다.",
        "출원인은 신장 위구르 자치구 우루무치시에 소재한다.",
        "이미지의 피부색 보정은 YCbCr 색 공간에서 수행된다.",
    ],
    "de": [
        "Eine Race Condition zwischen zwei Threads wird durch einen Mutex "
        "vermieden.",
        "Der Anmelder hat seinen Sitz im Autonomen Gebiet Xinjiang der "
        "Uiguren.",
        "Die Hautfarbe im Bild wird im YCbCr-Farbraum korrigiert.",
    ],
    "fr": [
        "Une condition de course (race condition) entre deux fils d'exécution "
        "est évitée par un verrou.",
        "Le déposant est établi dans la région autonome ouïghoure du Xinjiang.",
        "La correction de la couleur de peau dans l'image est effectuée dans "
        "l'espace YCbCr.",
    ],
    "ru": [
        "Состояние гонки (race condition) между двумя потоками устраняется с "
        "помощью мьютекса.",
        "Заявитель находится в Синьцзян-Уйгурском автономном районе.",
        "Коррекция цвета кожи на изображении выполняется в пространстве YCbCr.",
    ],
}

CITY = ["SHENZHEN", "HANGZHOU", "BEIJING", "SHANGHAI", "CHENGDU", "WUHAN",
        "NANJING", "URUMQI", "XIAN", "SUZHOU"]
CORP_W = ["BRIGHTVIEW", "CLEARPATH", "NORTHSTAR", "SILVERLAKE", "BLUEPEAK",
          "GREENFIELD", "REDWOOD", "STONEBRIDGE", "SUNRISE", "OCEANIC",
          "IRONGATE", "SKYLINE", "EVERGREEN", "GOLDCREST", "WHITEHALL"]
CORP_S = {"CN": "TECH CO LTD", "JP": "KK", "KR": "CO LTD", "DE": "GMBH",
          "EP": "AG", "FR": "SA", "RU": "OOO", "US": "INC", "WO": "LTD"}
SURN = ["SMITH", "WANG", "LI", "ZHANG", "TANAKA", "SATO", "KIM", "PARK",
        "MUELLER", "SCHMIDT", "MARTIN", "BERNARD", "IVANOV", "PETROV", "CHEN",
        "LIU", "GARCIA", "JOHNSON", "BROWN", "YAMAMOTO"]
GIVEN = ["JOHN", "WEI", "JING", "HIROSHI", "MIN-JUN", "ANNA", "PIERRE",
         "OLGA", "MARIA", "JAMES", "LEI", "YUKI", "SEO-YEON", "THOMAS", "SOPHIE"]
CPC = ["G06V40/16", "G06V40/172", "G06V20/52", "G06T7/00", "G06N3/08",
       "H04N7/18", "H04N23/60", "B60W30/09", "B60L53/10", "H01M10/0525",
       "C07D401/04", "A61K31/00", "H01L29/78", "H04W72/04", "G06F16/583",
       "G08B13/196", "F16H57/04", "C08L23/06", "B01J23/42", "G01S17/89"]


# ----------------------------------------------------------- text model


A_AN = re.compile(r"(^|[\s(])a ([aeiouAEIOU])")


class Model:
    """Sentence, clause and title pools per language, built once per kind."""

    POOL = 3000  # sentences per language; paragraphs are random draws

    def __init__(self, rng):
        self.sent = {}
        self.clause = {}
        for code in LANG_ORDER:
            L = LANGS[code]
            self.sent[code] = [self._fill(rng, L, rng.choice(L["T"]))
                               for _ in range(self.POOL)]
            self.clause[code] = [self._fill(rng, L, rng.choice(L["C"]), False)
                                 for _ in range(self.POOL // 3)]

    @staticmethod
    def _fill(rng, L, t, cap=True):
        N = L["N"]
        s = t.format(
            N=rng.choice(N), N2=rng.choice(N), N3=rng.choice(N),
            V=rng.choice(L["V"]), A=rng.choice(L["A"]),
            n=rng.randrange(10, 990, 2), n2=rng.randrange(10, 990, 2),
            n3=rng.randrange(10, 990, 2), fig=rng.randint(1, 12),
            step=rng.randint(101, 130), temp=rng.choice([25, 40, 60, 80, 120]),
            hours=rng.randint(1, 9), num=rng.randint(1, 50),
            num2=rng.randint(60, 900))
        if L is EN:
            s = A_AN.sub(r"\1an \2", s)
        return s[:1].upper() + s[1:] if cap else s

    def title(self, rng, code):
        L = LANGS[code]
        noun = lambda: strip_article(code, rng.choice(L["N"]))
        t = rng.choice(L["TI"]).format(A=rng.choice(L["A"]), N=noun(),
                                       N2=noun()).strip()
        return t[:1].upper() + t[1:]

    def paragraph(self, rng, code, lo=2, hi=7):
        return LANGS[code]["sep"].join(
            rng.choices(self.sent[code], k=rng.randint(lo, hi)))

    def claims(self, rng, code):
        """Claim texts: one independent claim, then dependent ones."""
        L = LANGS[code]
        subj = strip_article(code, rng.choice(L["N"]))
        cl = self.clause[code]
        clauses = L["cjoin"].join(rng.choices(cl, k=rng.randint(2, 5)))
        c1 = L["CLAIM1"].format(A=rng.choice(L["A"]), N=subj, clauses=clauses)
        out = [A_AN.sub(r"\1an \2", c1) if code == "en" else c1]
        for k in range(2, rng.randint(4, 20) + 1):
            out.append(L["DEP"].format(k=k, j=rng.randint(1, k - 1), N=subj,
                                       clause=rng.choice(cl)))
        return out


def strip_article(code, np):
    if code == "de":
        for a in ("der ", "die ", "das "):
            if np.startswith(a):
                return np[len(a):]
    if code == "fr":
        for a in ("le ", "la ", "les ", "l'"):
            if np.startswith(a):
                return np[len(a):]
    return np


class Sched:
    """Byte-distance schedule of planted passages and traps in one file."""

    def __init__(self, rng, plant_every, trap_every):
        self.rng = rng
        self.plant_every = plant_every
        self.trap_every = trap_every
        self.next_plant = self._gap(plant_every) if plant_every else None

    def _gap(self, every):
        return int(every * self.rng.uniform(0.5, 1.5))

    def plants_due(self, written):
        n = 0
        while self.next_plant is not None and written >= self.next_plant:
            n += 1
            self.next_plant += self._gap(self.plant_every)
        return n

    def trap_p(self, par_bytes):
        return min(1.0, par_bytes / self.trap_every) if self.trap_every else 0.0


def pick_lang(rng):
    return rng.choices(LANG_ORDER, weights=LANG_WEIGHTS)[0]


def find_spans(blob, passages, base):
    """Byte offsets of each passage in blob (bytes), in order, distinct."""
    spans = []
    used = set()
    for p in passages:
        pb = p.encode()
        i = blob.find(pb)
        while i in used and i >= 0:
            i = blob.find(pb, i + 1)
        used.add(i)
        spans.append((base + i if i >= 0 else -1, len(pb)))
    return spans


# ------------------------------------------------------------ documents


class DocBuilder:
    """Builds one document's sections, with plants and traps inserted."""

    def __init__(self, model, rng, sched):
        self.m = model
        self.rng = rng
        self.sched = sched

    def sections(self, code, n_plants, desc_lo, desc_hi):
        """Returns dict: title, abstract, claims[list], desc[list of
        paragraphs], marks[list of (kind, section, text)]."""
        rng, m = self.rng, self.m
        marks = []
        title = m.title(rng, code)
        abstract = m.paragraph(rng, code, 3, 6)
        claims = m.claims(rng, code)
        desc = []
        heads = LANGS[code]["HEAD"]
        npar = rng.randint(desc_lo, desc_hi)
        step = max(1, npar // len(heads))
        for i in range(npar):
            if i % step == 0 and i // step < len(heads):
                desc.append(heads[i // step])
            desc.append(m.paragraph(rng, code))
        # traps: per paragraph with probability ~ bytes / trap distance
        mean = sum(len(d) for d in desc) * (3 if code in ("zh", "ja", "ko")
                                             else 1) / len(desc)
        p = self.sched.trap_p(mean)
        for i in range(len(desc)):
            if p and rng.random() < p:
                t = rng.choice(TRAPS[code]).format(n=rng.randint(1, 999))
                desc[i] = desc[i] + LANGS[code]["sep"] + t
                marks.append(("trap", "description", t))
        for _ in range(n_plants):
            t = rng.choice(PLANTS[code])
            where = rng.choices(["description", "claims", "abstract"],
                                weights=[6, 3, 1])[0]
            if where == "description":
                i = rng.randrange(len(desc))
                desc[i] = desc[i] + LANGS[code]["sep"] + t
            elif where == "claims":
                i = rng.randrange(len(claims))
                claims[i] = claims[i] + LANGS[code]["sep"] + t
            else:
                abstract = abstract + LANGS[code]["sep"] + t
            marks.append(("plant", where, t))
        return {"title": title, "abstract": abstract, "claims": claims,
                "desc": desc, "marks": marks}


def pub_number(rng, country):
    if country == "CN":
        return "CN-%d-%s" % (rng.randint(108000000, 118000000),
                             rng.choice(["A", "B"]))
    if country == "JP":
        return "JP-%d-A" % rng.randint(2019000000, 2023999999)
    if country == "KR":
        return "KR-%d-A" % rng.randint(20190000000, 20239999999)
    if country == "DE":
        return "DE-%d-A1" % rng.randint(102019000000, 102023999999)
    if country == "FR":
        return "FR-%d-A1" % rng.randint(3080000, 3130000)
    if country == "RU":
        return "RU-%d-C1" % rng.randint(2700000, 2800000)
    if country == "EP":
        return "EP-%d-A1" % rng.randint(3500000, 4300000)
    if country == "WO":
        return "WO-%d-A1" % rng.randint(2019000000, 2023999999)
    return "US-%d-B2" % rng.randint(10500000, 11900000)


def rand_date(rng, y0=2015, y1=2023):
    return rng.randint(y0, y1) * 10000 + rng.randint(1, 12) * 100 + \
        rng.randint(1, 28)


def corp(rng, country):
    city = rng.choice(CITY) + " " if country == "CN" else ""
    return "%s%s %s %s" % (city, rng.choice(CORP_W), rng.choice(
        ["VISION", "OPTICS", "MOTORS", "CHEMICAL", "NETWORKS", "ENERGY",
         "INTELLIGENT", "MATERIALS"]), CORP_S.get(country, "LTD"))


# --------------------------------------------------------------- kinds


def gen_text_doc(b, code, n_plants, docno):
    s = b.sections(code, n_plants, 15, 80)
    parts = [s["title"], s["abstract"]] + s["desc"] + s["claims"]
    body = "\n\n".join(parts) + "\n\n\n"
    return body, s["marks"], "doc-%06d" % docno


def gen_jsonl_doc(b, code, n_plants, docno):
    rng = b.rng
    s = b.sections(code, n_plants, 15, 80)
    country = rng.choice(COUNTRY[code])
    pn = pub_number(rng, country)
    lang = code
    fam = str(rng.randint(40000000, 89999999))
    title = [{"text": s["title"], "language": lang, "truncated": False}]
    abstract = [{"text": s["abstract"], "language": lang, "truncated": False}]
    if code != "en":  # machine-translated English title / abstract
        title.append({"text": b.m.title(rng, "en"), "language": "en",
                      "truncated": False})
        abstract.append({"text": b.m.paragraph(rng, "en", 3, 5),
                         "language": "en", "truncated": False})
    desc = "\n".join(s["desc"])
    claims = "\n".join(s["claims"])
    filing = rand_date(rng, 2015, 2021)
    pub = filing + rng.randint(1, 3) * 10000
    row = {
        "publication_number": pn,
        "application_number": pn.rsplit("-", 1)[0] + "-" + pn[-2:-1],
        "country_code": country,
        "kind_code": pn.rsplit("-", 1)[1],
        "family_id": fam,
        "title_localized": title,
        "abstract_localized": abstract,
        "claims_localized": [{"text": claims, "language": lang,
                              "truncated": False}],
        "description_localized": [{"text": desc, "language": lang,
                                   "truncated": False}],
        "publication_date": pub,
        "filing_date": filing,
        "grant_date": pub if pn.endswith(("B", "B2", "C1")) else 0,
        "priority_date": filing - rng.randint(0, 1) * 10000,
        "inventor_harmonized": [
            {"name": "%s %s" % (rng.choice(SURN), rng.choice(GIVEN)),
             "country_code": country} for _ in range(rng.randint(1, 5))],
        "assignee_harmonized": [{"name": corp(rng, country),
                                 "country_code": country}],
        "cpc": [{"code": c, "inventive": rng.random() < 0.5,
                 "first": i == 0, "tree": []}
                for i, c in enumerate(rng.sample(CPC, rng.randint(1, 5)))],
        "ipc": [{"code": c, "inventive": True, "first": i == 0, "tree": []}
                for i, c in enumerate(rng.sample(CPC, rng.randint(1, 3)))],
    }
    line = json.dumps(row, ensure_ascii=False, separators=(", ", ": ")) + "\n"
    return line, s["marks"], pn


USPTO_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v47-2022-02-17.dtd" '
    '[ ]>\n')


def gen_uspto_doc(b, code, n_plants, docno, week):
    rng = b.rng
    s = b.sections("en", n_plants, 20, 90)
    num = "%08d" % docno
    appl = "%d" % rng.randint(16000000, 17999999)
    filed = rand_date(rng, 2018, 2021)
    X = xml_escape
    out = [USPTO_HEAD,
           '<us-patent-grant lang="EN" dtd-version="v4.7 2022-02-17" '
           'file="US%s-%d.XML" status="PRODUCTION" id="us-patent-grant" '
           'country="US" date-produced="%d" date-publ="%d">\n'
           % (num, week, week - 15, week),
           "<us-bibliographic-data-grant>\n<publication-reference>\n"
           "<document-id>\n<country>US</country>\n<doc-number>%s</doc-number>"
           "\n<kind>B2</kind>\n<date>%d</date>\n</document-id>\n"
           "</publication-reference>\n" % (num, week),
           '<application-reference appl-type="utility">\n<document-id>\n'
           "<country>US</country>\n<doc-number>%s</doc-number>\n"
           "<date>%d</date>\n</document-id>\n</application-reference>\n"
           % (appl, filed),
           "<us-application-series-code>%s</us-application-series-code>\n"
           % appl[:2],
           "<classifications-cpc>\n<main-cpc>\n"]
    for i, c in enumerate(rng.sample(CPC, rng.randint(1, 4))):
        sec, rest = c[0], c[1:]
        out.append(
            "<classification-cpc>\n<cpc-version-indicator><date>20130101"
            "</date></cpc-version-indicator>\n<section>%s</section>\n"
            "<class>%s</class>\n<subclass>%s</subclass>\n<main-group>%s"
            "</main-group>\n<subgroup>%s</subgroup>\n<symbol-position>%s"
            "</symbol-position>\n<classification-value>I"
            "</classification-value>\n</classification-cpc>\n"
            % (sec, rest[:2], rest[2], rest[3:].split("/")[0],
               rest.split("/")[1], "F" if i == 0 else "L"))
        if i == 0:
            out.append("</main-cpc>\n<further-cpc>\n")
    out.append("</further-cpc>\n</classifications-cpc>\n")
    out.append('<invention-title id="d2e%d">%s</invention-title>\n'
               % (rng.randint(40, 90), X(s["title"])))
    out.append("<us-references-cited>\n")
    for k in range(1, rng.randint(3, 25)):
        out.append(
            '<us-citation>\n<patcit num="%05d">\n<document-id>\n<country>US'
            "</country>\n<doc-number>%d</doc-number>\n<kind>B2</kind>\n"
            "<name>%s et al.</name>\n<date>%d</date>\n</document-id>\n"
            "</patcit>\n<category>cited by %s</category>\n</us-citation>\n"
            % (k, rng.randint(5000000, 10999999),
               rng.choice(SURN).capitalize(), rand_date(rng, 2000, 2019),
               rng.choice(["applicant", "examiner"])))
    out.append("</us-references-cited>\n<us-parties>\n<inventors>\n")
    for k in range(rng.randint(1, 4)):
        out.append(
            '<inventor sequence="%03d" designation="us-only">\n<addressbook>'
            "\n<last-name>%s</last-name>\n<first-name>%s</first-name>\n"
            "<address>\n<city>Springfield</city>\n<state>CA</state>\n"
            "<country>US</country>\n</address>\n</addressbook>\n</inventor>\n"
            % (k, rng.choice(SURN).capitalize(),
               rng.choice(GIVEN).capitalize()))
    out.append(
        "</inventors>\n</us-parties>\n<assignees>\n<assignee>\n<addressbook>"
        "\n<orgname>%s</orgname>\n<role>02</role>\n<address>\n<city>Austin"
        "</city>\n<state>TX</state>\n<country>US</country>\n</address>\n"
        "</addressbook>\n</assignee>\n</assignees>\n"
        "</us-bibliographic-data-grant>\n" % X(corp(rng, "US").title()))
    out.append('<abstract id="abstract">\n<p id="p-0001" num="0000">%s</p>\n'
               "</abstract>\n" % X(s["abstract"]))
    out.append('<description id="description">\n'
               '<?BRFSUM description="Brief Summary" end="lead"?>\n')
    pnum = 0
    hnum = 0
    heads = set(LANGS["en"]["HEAD"])
    for par in s["desc"]:
        if par in heads:
            hnum += 1
            out.append('<heading id="h-%04d" level="1">%s</heading>\n'
                       % (hnum, par))
            continue
        pnum += 1
        out.append('<p id="p-%04d" num="%04d">%s</p>\n'
                   % (pnum + 1, pnum, X(par)))
    out.append('<?BRFSUM description="Brief Summary" end="tail"?>\n'
               "</description>\n<us-claim-statement>What is claimed is:"
               '</us-claim-statement>\n<claims id="claims">\n')
    for k, c in enumerate(s["claims"], 1):
        c = X(c)
        if k > 1:  # dependent: link "claim j" with a claim-ref
            j = c.split(" of claim ", 1)
            if len(j) == 2:
                jn, rest = j[1].split(",", 1)
                c = '%s of <claim-ref idref="CLM-%05d">claim %s</claim-ref>,%s' \
                    % (j[0], int(jn), jn, rest)
        else:
            head, _, body = c.partition(": ")
            items = body.split("; ")
            c = head + ":\n" + "".join(
                "<claim-text>%s;</claim-text>\n" % it for it in items[:-1]) + \
                "<claim-text>%s</claim-text>\n" % items[-1]
        out.append('<claim id="CLM-%05d" num="%05d">\n<claim-text>%s'
                   "</claim-text>\n</claim>\n" % (k, k, c))
    out.append("</claims>\n</us-patent-grant>\n")
    return "".join(out), s["marks"], "US-%s-B2" % num.lstrip("0")


# ----------------------------------------------------------------- files

EXT = {"text": ".txt", "jsonl": ".jsonl", "uspto": ".zip"}


def week_date(i):
    # Tuesdays from 2022-01-04, as yyyymmdd ints (no datetime needed)
    import datetime
    d = datetime.date(2022, 1, 4) + datetime.timedelta(days=7 * i)
    return int(d.strftime("%Y%m%d"))


def generate_stream(kind, target, seed, index, out, args, truth, fname,
                    member):
    """Write documents to out (binary file-like) until target bytes.
    Returns (bytes, docs, plants, traps)."""
    rng = seeded(seed, kind, index)
    model = Model(seeded(seed, kind, "model"))
    sched = Sched(rng, args.plant_every, args.trap_every)
    b = DocBuilder(model, rng, sched)
    written = docs = plants = traps = 0
    week = week_date(index)
    buf = []
    buf_bytes = 0
    while written < target:
        code = pick_lang(rng) if kind != "uspto" else "en"
        n_pl = sched.plants_due(written)
        if kind == "text":
            body, marks, did = gen_text_doc(b, code, n_pl, docs)
        elif kind == "jsonl":
            body, marks, did = gen_jsonl_doc(b, code, n_pl, docs)
        else:
            body, marks, did = gen_uspto_doc(b, code, n_pl,
                                           11200000 + index * 50000 + docs,
                                           week)
        data = body.encode()
        if truth is not None and marks:
            texts = [xml_escape(t) if kind == "uspto" else t
                     for _, _, t in marks]
            for (mk, sec, t), (off, ln) in zip(
                    marks, find_spans(data, texts, written)):
                truth.write(json.dumps({
                    "kind": mk, "file": fname, "member": member,
                    "offset": off, "length": ln, "doc": did, "doc_index": docs,
                    "section": sec, "lang": code, "text": t},
                    ensure_ascii=False) + "\n")
        plants += sum(1 for mk, _, _ in marks if mk == "plant")
        traps += sum(1 for mk, _, _ in marks if mk == "trap")
        buf.append(data)
        buf_bytes += len(data)
        written += len(data)
        docs += 1
        if buf_bytes >= (1 << 20):
            out.write(b"".join(buf))
            buf, buf_bytes = [], 0
    if buf:
        out.write(b"".join(buf))
    return written, docs, plants, traps


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    ap.add_argument("--kind", choices=["text", "jsonl", "uspto"],
                    default="jsonl")
    ap.add_argument("--size", default="64M",
                    help="total uncompressed bytes (K/M/G/T, binary)")
    ap.add_argument("--files", type=int, default=1,
                    help="split into N files of size/N each (uspto: N "
                         "weekly zips)")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--out", default=".",
                    help="output directory (created if missing)")
    ap.add_argument("--stream", action="store_true",
                    help="write one stream to stdout instead (uspto: "
                         "concatenated XML, not zipped); truth only with "
                         "--truth")
    ap.add_argument("--truth", help="ground-truth file (default: "
                    "OUT/truth-KIND.jsonl; with --stream: none)")
    ap.add_argument("--plant-every", default="5M",
                    help="mean bytes between planted passages (0 = none)")
    ap.add_argument("--trap-every", default="256K",
                    help="mean bytes between benign traps (0 = none)")
    ap.add_argument("--zip-level", type=int, default=6,
                    help="deflate level of uspto zips")
    ap.add_argument("--print-name", action="store_true",
                    help="print the output file names and exit")
    args = ap.parse_args()
    size = parse_size(args.size)
    args.plant_every = parse_size(args.plant_every)
    args.trap_every = parse_size(args.trap_every)
    nfiles = max(1, args.files)

    def names(i):
        if args.kind == "uspto":
            w = week_date(i)
            return "ipg%06d.zip" % (w % 1000000), "ipg%06d.xml" % (w % 1000000)
        return "%s-%03d%s" % (args.kind, i, EXT[args.kind]), None

    if args.print_name:
        for i in range(nfiles):
            print(names(i)[0])
        return 0

    if args.stream:
        truth = open(args.truth, "w", encoding="utf-8") if args.truth else None
        out = sys.stdout.buffer
        try:
            w, d, p, t = generate_stream(args.kind, size, args.seed, 0, out,
                                         args, truth, "-", None)
        except BrokenPipeError:
            return 1
        out.flush()
        if truth:
            truth.close()
        print("gen_corpus: %s stream: %d bytes, %d documents, %d planted, "
              "%d traps" % (args.kind, w, d, p, t), file=sys.stderr)
        return 0

    os.makedirs(args.out, exist_ok=True)
    tpath = args.truth or os.path.join(args.out, "truth-%s.jsonl" % args.kind)
    truth = open(tpath + ".tmp", "w", encoding="utf-8")
    per = size // nfiles
    files = []
    tot = [0, 0, 0, 0]
    for i in range(nfiles):
        fname, member = names(i)
        path = os.path.join(args.out, fname)
        tmp = path + ".tmp"
        if args.kind == "uspto":
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED,
                                 compresslevel=args.zip_level) as zf:
                zi = zipfile.ZipInfo(member, date_time=(2022, 1, 4, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                with zf.open(zi, "w", force_zip64=True) as out:
                    r = generate_stream(args.kind, per, args.seed, i, out,
                                        args, truth, fname, member)
        else:
            with open(tmp, "wb") as out:
                r = generate_stream(args.kind, per, args.seed, i, out, args,
                                    truth, fname, member)
        os.replace(tmp, path)
        files.append({"file": fname, "member": member, "bytes": r[0],
                      "stored_bytes": os.path.getsize(path),
                      "documents": r[1], "planted": r[2], "traps": r[3]})
        tot = [a + x for a, x in zip(tot, r)]
        print("gen_corpus: %s: %d bytes, %d documents, %d planted"
              % (path, r[0], r[1], r[2]), file=sys.stderr)
    truth.close()
    os.replace(tpath + ".tmp", tpath)
    manifest = {
        "generator_version": GEN_VERSION, "kind": args.kind,
        "size": fmt_size(size), "files": nfiles, "seed": args.seed,
        "plant_every": args.plant_every, "trap_every": args.trap_every,
        "zip_level": args.zip_level if args.kind == "uspto" else None,
        "bytes": tot[0], "documents": tot[1], "planted": tot[2],
        "traps": tot[3], "truth": os.path.basename(tpath), "outputs": files}
    with open(os.path.join(args.out, "manifest-%s.json" % args.kind), "w",
              encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("gen_corpus: %s total: %d bytes in %d files, %d documents, "
          "%d planted passages, %d traps; truth in %s"
          % (args.kind, tot[0], nfiles, tot[1], tot[2], tot[3], tpath),
          file=sys.stderr)
    print("planted: %d" % tot[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
