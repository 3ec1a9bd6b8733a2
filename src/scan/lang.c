/*
 * lang.c - which language is a passage in?
 *
 * Only for reporting and for per-language accuracy: the matcher itself
 * never needs to know. The script decides most cases (kana -> ja, Hangul ->
 * ko, Arabic script -> ug, Cyrillic -> ru, Han -> zh). Han text is told
 * Traditional or Simplified by characters that exist in one form only;
 * Latin text by the language of the matched term when the rules say it, or
 * else by a handful of function words.
 */
#include <string.h>
#include <strings.h>

#include "scan.h"

/* Characters that differ between the two scripts and are frequent in the
 * passages redflag reports (people, faces, attributes, systems). */
static const char *const trad_only[] = {
    "國", "們", "這", "個", "為", "於", "與", "說", "對", "時", "會", "來",
    "後", "過", "種", "膚", "維", "爾", "資", "識", "別", "檢", "測", "圖",
    "體", "屬", "視", "頻", "臉", "監", "控", "數", "據", "統", "輸", "類",
    "觸", "發", "報", "應", "術", "實", "單", "擇", "獲", "該", "區", "機",
    "裝", "將", "並", "從", "進", "線", "開", "關", "號", "漢", NULL};
static const char *const simp_only[] = {
    "国", "们", "这", "个", "为", "于", "与", "说", "对", "时", "会", "来",
    "后", "过", "种", "肤", "维", "尔", "资", "识", "别", "检", "测", "图",
    "体", "属", "视", "频", "脸", "监", "数", "据", "统", "输", "类", "触",
    "发", "报", "应", "术", "实", "单", "择", "获", "该", "区", "机", "装",
    "将", "并", "从", "进", "线", "开", "关", "号", "汉", NULL};

static size_t count_any(const char *text, size_t len, const char *const *list)
{
    size_t n = 0;
    for (size_t i = 0; list[i] != NULL; i++) {
        size_t l = strlen(list[i]);
        const char *p = text;
        const char *end = text + len;
        while (p < end &&
               (p = memmem(p, (size_t)(end - p), list[i], l)) != NULL) {
            n++;
            p += l;
        }
    }
    return n;
}

static size_t
count_words(const char *text, size_t len, const char *const *words)
{
    size_t n = 0;
    for (size_t i = 0; words[i] != NULL; i++) {
        size_t l = strlen(words[i]);
        const char *p = text;
        const char *end = text + len;
        while (p < end &&
               (p = memmem(p, (size_t)(end - p), words[i], l)) != NULL) {
            n++;
            p += l;
        }
    }
    return n;
}

static void set(char out[16], const char *tag)
{
    snprintf(out, 16, "%s", tag);
}

void rf_detect_lang(
    char out[16], const char *text, size_t len, const char *hint)
{
    size_t kana = 0, hangul = 0, han = 0, cyr = 0, arab = 0, latin = 0;
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        size_t n = rf_utf8_decode(text, len, i, &cp);
        if (cp >= 0x3040 && cp <= 0x30FF) {
            kana++;
        } else if (
            (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF)) {
            hangul++;
        } else if (
            (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF)) {
            han++;
        } else if (cp >= 0x0400 && cp <= 0x04FF) {
            cyr++;
        } else if (
            (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0xFB50 && cp <= 0xFEFF)) {
            arab++;
        } else if (
            (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
            (cp >= 0xC0 && cp <= 0x24F)) {
            latin++;
        }
        i += n;
    }
    if (kana > 0) {
        set(out, "ja");
    } else if (hangul > 0) {
        set(out, "ko");
    } else if (arab > 0 && arab * 2 >= han) {
        set(out, "ug");
    } else if (han > 0 && han * 2 >= latin / 3) {
        size_t t = count_any(text, len, trad_only);
        size_t s = count_any(text, len, simp_only);
        set(out, t > s ? "zh-Hant" : "zh-Hans");
    } else if (cyr > latin) {
        set(out, "ru");
    } else if (
        hint != NULL && (strcmp(hint, "de") == 0 || strcmp(hint, "fr") == 0 ||
                         strcmp(hint, "en") == 0)) {
        set(out, hint);
    } else if (latin > 0) {
        static const char *const de[] = {
            " der ", " die ", " das ", " und ", " mit ", " eine", " wird ",
            " von ", "ß",     "ü",     "ö",     "ä",     NULL};
        static const char *const fr[] = {
            " le ",  " la ", " les ", " des ", " et ", " du ", " une ",
            " est ", "é",    "è",     "ç",     " à ",  NULL};
        static const char *const en[] = {" the ", " and ",  " of ",
                                         " is ",  " with ", " a ",
                                         " to ",  " in ",   NULL};
        size_t nde = count_words(text, len, de);
        size_t nfr = count_words(text, len, fr);
        size_t nen = count_words(text, len, en);
        if (nde > nen && nde >= nfr) {
            set(out, "de");
        } else if (nfr > nen && nfr > nde) {
            set(out, "fr");
        } else {
            set(out, "en");
        }
    } else if (hint != NULL) {
        set(out, hint);
    } else {
        set(out, "und");
    }
}
