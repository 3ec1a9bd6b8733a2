/*
 * patent.c - ids, dates, classes, headings and the paragraph router shared
 * by the USPTO, EPO, WIPO, CNIPA, JPO, APS and Google Patents readers.
 *
 * Every reader ends up with the same problem: a stream of paragraphs, some
 * of which are headings, that must land in title / abstract / claims /
 * description / background sections without losing where each character
 * came from. The router keeps one paragraph at a time (text plus origin
 * runs) and, when it closes, decides its section: a heading such as
 * "BACKGROUND OF THE INVENTION" or 背景技术 opens the background part, the
 * next heading of the same or a higher level closes it. Findings in
 * background text weigh less (domain.md), so getting this boundary right
 * matters more than any other piece of layout.
 */
#include "patent.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------- ids, dates, names ---------------- */

static bool all_digits(const char *s, size_t n)
{
    if (n == 0) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

void rf_patent_docdb(
    char *out,
    size_t cap,
    const char *country,
    const char *number,
    const char *kind)
{
    char cc[8] = "";
    char num[64] = "";
    char kd[8] = "";
    size_t n = 0;
    for (const char *p = country; p != NULL && *p && n + 1 < sizeof(cc); p++) {
        if (isalpha((unsigned char)*p)) {
            cc[n++] = (char)toupper((unsigned char)*p);
        }
    }
    cc[n] = '\0';
    n = 0;
    for (const char *p = number; p != NULL && *p && n + 1 < sizeof(num); p++) {
        if (isalnum((unsigned char)*p)) {
            num[n++] = (char)toupper((unsigned char)*p);
        }
    }
    num[n] = '\0';
    /* "EP1000000" (epodoc) already carries the country */
    size_t ccl = strlen(cc);
    if (ccl > 0 && n > ccl && strncmp(num, cc, ccl) == 0 &&
        isdigit((unsigned char)num[ccl])) {
        memmove(num, num + ccl, n - ccl + 1);
        n -= ccl;
    }
    if (strcmp(cc, "US") == 0) {
        if (n == 11 && all_digits(num, n) && num[4] == '0') {
            /* pre-grant publication: yyyy + 0 + 6 digits -> yyyy + 6 */
            memmove(num + 4, num + 5, n - 4);
            n--;
        } else {
            /* grants and designs: "08930553" -> "8930553",
             * "D0435854" -> "D435854" */
            size_t lead = 0;
            while (lead < n && isalpha((unsigned char)num[lead])) {
                lead++;
            }
            size_t z = lead;
            while (z + 1 < n && num[z] == '0') {
                z++;
            }
            if (z > lead && all_digits(num + z, n - z)) {
                memmove(num + lead, num + z, n - z + 1);
            }
        }
    }
    n = 0;
    for (const char *p = kind; p != NULL && *p && n + 1 < sizeof(kd); p++) {
        if (isalnum((unsigned char)*p)) {
            kd[n++] = (char)toupper((unsigned char)*p);
        }
    }
    kd[n] = '\0';
    if (cc[0] && num[0] && kd[0]) {
        snprintf(out, cap, "%s-%s-%s", cc, num, kd);
    } else if (cc[0] && num[0]) {
        snprintf(out, cap, "%s-%s", cc, num);
    } else if (num[0] && kd[0]) {
        snprintf(out, cap, "%s-%s", num, kd);
    } else {
        snprintf(out, cap, "%s", num);
    }
}

rf_status rf_patent_set_date(char **field, const char *value)
{
    char d[16];
    size_t n = 0;
    if (value == NULL) {
        return RF_OK;
    }
    while (isspace((unsigned char)*value)) {
        value++;
    }
    for (const char *p = value; *p && n < 8; p++) {
        if (isdigit((unsigned char)*p)) {
            d[n++] = *p;
        } else if (*p != '-' && *p != '.' && *p != '/') {
            break;
        }
    }
    if (n != 8 || d[0] == '0') {
        return RF_OK; /* not a date: leave unknown */
    }
    char out[16];
    snprintf(out, sizeof(out), "%.4s-%.2s-%.2s", d, d + 4, d + 6);
    return rf_doc_set(field, out);
}

/* "G06F" at s: section A-H, two digits, subclass letter; old EPO data
 * writes "7C 07C" (IPC edition, then the section apart). */
static size_t symbol_at(const unsigned char *s, size_t n, char sym[5])
{
    if (n < 4 || !(s[0] >= 'A' && s[0] <= 'H')) {
        return 0;
    }
    size_t j = 1;
    if (s[j] == ' ') {
        j++;
    }
    if (j + 3 > n || !isdigit(s[j]) || !isdigit(s[j + 1]) ||
        !isupper(s[j + 2])) {
        return 0;
    }
    sym[0] = (char)s[0];
    sym[1] = (char)s[j];
    sym[2] = (char)s[j + 1];
    sym[3] = (char)s[j + 2];
    sym[4] = '\0';
    return j + 3;
}

bool rf_patent_class(char *out, size_t cap, const char *raw, size_t len)
{
    size_t i = 0;
    char sym[5];
    size_t used = 0;
    out[0] = '\0';
    if (cap < 16) {
        return false;
    }
    /* the symbol starts within the first few characters */
    for (; i < len && i < 8; i++) {
        used = symbol_at((const unsigned char *)raw + i, len - i, sym);
        if (used > 0) {
            break;
        }
    }
    if (used == 0) {
        return false;
    }
    const unsigned char *s = (const unsigned char *)raw + i + used - 4;
    size_t n = len - i - used + 4;
    size_t j = 4;
    char group[16] = "";
    char sub[16] = "";
    size_t g = 0;
    size_t sg = 0;
    while (j < n && s[j] == ' ') {
        j++;
    }
    while (j < n && isdigit(s[j]) && g + 1 < sizeof(group)) {
        group[g++] = (char)s[j++];
    }
    group[g] = '\0';
    while (j < n && s[j] == ' ') {
        j++;
    }
    if (j < n && s[j] == '/') {
        j++;
        while (j < n && s[j] == ' ') {
            j++;
        }
        while (j < n && isdigit(s[j]) && sg + 1 < sizeof(sub)) {
            sub[sg++] = (char)s[j++];
        }
        sub[sg] = '\0';
    } else if (g == 4) {
        /* ST.32 writes "G06F 1516" for G06F 15/16 */
        memcpy(sub, group + 2, 3);
        group[2] = '\0';
        g = 2;
        sg = 2;
    }
    /* main groups are written zero-padded in places ("G06F015/00") */
    size_t z = 0;
    while (z + 1 < g && group[z] == '0') {
        z++;
    }
    if (g == 0) {
        snprintf(out, cap, "%s", sym);
    } else if (sg == 0) {
        snprintf(out, cap, "%s%s", sym, group + z);
    } else {
        snprintf(out, cap, "%s%s/%s", sym, group + z, sub);
    }
    return true;
}

rf_status rf_patent_add_class(rf_doc *doc, const char *raw, size_t len)
{
    char sym[64];
    if (!rf_patent_class(sym, sizeof(sym), raw, len)) {
        return RF_OK;
    }
    if (rf_strvec_contains(&doc->classes, sym)) {
        return RF_OK;
    }
    return rf_strvec_push(&doc->classes, sym);
}

rf_status rf_patent_add_name(rf_strvec *list, const char *name, size_t len)
{
    char buf[512];
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len && n + 1 < sizeof(buf); i++) {
        unsigned char c = (unsigned char)name[i];
        if (isspace(c)) {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < sizeof(buf)) {
            buf[n++] = ' ';
        }
        space = false;
        buf[n++] = (char)c;
    }
    /* do not cut a UTF-8 sequence in half */
    while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80 &&
           n == sizeof(buf) - 1) {
        n--;
    }
    buf[n] = '\0';
    if (n == 0 || rf_strvec_contains(list, buf)) {
        return RF_OK;
    }
    return rf_strvec_push(list, buf);
}

void rf_patent_lang(char *out, size_t cap, const char *lang)
{
    size_t n = 0;
    if (cap == 0) {
        return;
    }
    for (const char *p = lang; p != NULL && *p && n + 1 < cap; p++) {
        out[n++] = (char)tolower((unsigned char)*p);
    }
    out[n] = '\0';
    if (strcmp(out, "cn") == 0) {
        snprintf(out, cap, "zh");
    } else if (strcmp(out, "jp") == 0) {
        snprintf(out, cap, "ja");
    }
}

/* The title of the document in its own language, else the first one. */
rf_status rf_patent_fill_title(rf_doc *doc)
{
    if (doc->title != NULL) {
        return RF_OK;
    }
    const rf_section *best = NULL;
    for (size_t i = 0; i < doc->section_count; i++) {
        const rf_section *s = &doc->sections[i];
        if (s->kind != RF_SECTION_TITLE || s->text.len == 0) {
            continue;
        }
        if (best == NULL ||
            (doc->lang != NULL && strcmp(s->lang, doc->lang) == 0)) {
            best = s;
        }
    }
    if (best == NULL) {
        return RF_OK;
    }
    const char *s = best->text.data;
    size_t n = best->text.len;
    const char *cut = memmem(s, n, "\n\n", 2);
    if (cut != NULL) {
        n = (size_t)(cut - s);
    }
    while (n > 0 && isspace((unsigned char)s[n - 1])) {
        n--;
    }
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    return rf_doc_setn(&doc->title, s, n);
}

/* ---------------- headings ---------------- */

static bool contains(const char *s, size_t len, const char *needle)
{
    return memmem(s, len, needle, strlen(needle)) != NULL;
}

/* Headings that open the background / prior-art part. ASCII entries match
 * case-insensitively; the others as written. */
static const char *const bg_ci[] = {"background",           "prior art",
                                    "related art",          "state of the art",
                                    "stand der technik",    "hintergrund",
                                    "etat de la technique", "arriere-plan",
                                    "technique anterieure", NULL};
static const char *const bg_utf8[] = {
    "背景技术",
    "背景技術",
    "现有技术",
    "現有技術",
    "従来の技術",
    "背景",
    "배경 기술",
    "배경기술",
    "état de la technique",
    "État de la technique",
    "ÉTAT DE LA TECHNIQUE",
    "arrière-plan",
    "ARRIÈRE-PLAN",
    "technique antérieure",
    "TECHNIQUE ANTÉRIEURE",
    NULL};
/* Headings that neither open nor close it ("Field of the invention" sits
 * both before and inside background parts). */
static const char *const neutral_ci[] = {"field of", "technical field", "field",
                                         "gebiet",   "domaine",         NULL};
static const char *const neutral_utf8[] = {"技术领域", "技術分野",  "技術領域",
                                           "기술분야", "기술 분야", NULL};

/* Whether s[0..len) holds a byte that is not ASCII: every needle of the
 * _utf8 lists does, so a paragraph without one is not searched for them. */
static bool has_high_byte(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            return true;
        }
    }
    return false;
}

/* Whether any needle of the NULL-terminated list is in s[0..len). */
static bool contains_any(const char *s, size_t len, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        if (contains(s, len, list[i])) {
            return true;
        }
    }
    return false;
}

/* Whether the lower-case ASCII needle is in s[0..len), any case: a
 * strncasecmp where the first letter matches. */
static bool contains_ci(const char *s, size_t len, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= len; i++) {
        if ((s[i] | 0x20) == needle[0] && strncasecmp(s + i, needle, m) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether any lower-case ASCII needle of the list is in s[0..len), any
 * case: looked for in `low`, its copy with A-Z folded, where there is one
 * (what the "C" locale's strncasecmp folds), else in s itself. */
static bool contains_any_ci(
    const char *s, const char *low, size_t len, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        if (low != NULL ? contains(low, len, list[i])
                        : contains_ci(s, len, list[i])) {
            return true;
        }
    }
    return false;
}

/* The longest text folded on the stack: headings are short (a paragraph
 * is tested only up to 100 bytes; markup may call a longer one a heading,
 * which is searched as it is). */
#define RF_HEADING_FOLD 256

rf_heading_class rf_patent_heading_class(const char *s, size_t len)
{
    /* a strncasecmp at every byte for each needle was most of the
     * description router's time: the text is folded once instead */
    char stack[RF_HEADING_FOLD];
    const char *low = NULL;
    if (len <= sizeof(stack)) {
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            stack[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        low = stack;
    }
    bool high = has_high_byte(s, len);
    if (contains_any_ci(s, low, len, bg_ci) ||
        (high && contains_any(s, len, bg_utf8))) {
        return RF_HEADING_BACKGROUND;
    }
    if (contains_any_ci(s, low, len, neutral_ci) ||
        (high && contains_any(s, len, neutral_utf8))) {
        return RF_HEADING_NEUTRAL;
    }
    return RF_HEADING_OTHER;
}

/* Headings Chinese and Japanese specifications write as a paragraph of
 * their own, without markup. */
static const char *const cjk_headings[] = {
    "技术领域",         "背景技术",
    "发明内容",         "附图说明",
    "具体实施方式",     "实用新型内容",
    "技術領域",         "背景技術",
    "發明內容",         "發明内容",
    "圖式簡單說明",     "實施方式",
    "技術分野",         "背景技術",
    "発明の概要",       "発明を実施するための形態",
    "図面の簡単な説明", "従来の技術",
    "现有技术",         NULL};

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && isspace((unsigned char)(*s)[*len - 1])) {
        (*len)--;
    }
}

bool rf_patent_looks_like_heading(const char *s, size_t len)
{
    trim(&s, &len);
    if (len == 0 || len > 100) {
        return false;
    }
    bool high = has_high_byte(s, len);
    for (size_t i = 0; high && cjk_headings[i] != NULL; i++) {
        size_t m = strlen(cjk_headings[i]);
        /* "背景技术" alone, or with a colon or number around it */
        if (len <= m + 8 && contains(s, len, cjk_headings[i])) {
            return true;
        }
    }
    char last = s[len - 1];
    if (last == '.' || last == ';' || last == ',' || last == ':') {
        return false;
    }
    size_t letters = 0;
    size_t words = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            return false; /* non-ASCII prose is not a bare heading here */
        }
        if (islower(c)) {
            letters = 0;
            break;
        }
        if (isupper(c)) {
            letters++;
        }
        if (c == ' ') {
            words++;
        }
    }
    if (letters >= 4 && words <= 12) {
        return true; /* "BACKGROUND OF THE INVENTION" */
    }
    /* "Background of the Invention", "Description of the Related Art" */
    return words <= 8 && isupper((unsigned char)s[0]) &&
           rf_patent_heading_class(s, len) != RF_HEADING_OTHER;
}

/* ---------------- the router ---------------- */

void rf_router_init(rf_router *r, rf_doc *doc, uint64_t max_text)
{
    memset(r, 0, sizeof(*r));
    r->doc = doc;
    r->max_text = max_text;
}

void rf_router_free(rf_router *r)
{
    rf_buf_free(&r->para.text);
    free(r->para.origins);
    free(r->para.units);
    memset(&r->para, 0, sizeof(r->para));
}

void rf_router_reset(rf_router *r)
{
    rf_buf_reset(&r->para.text);
    r->para.origin_count = 0;
    r->para.unit_count = 0;
    r->open = false;
    r->background = false;
    r->background_level = 0;
    r->forced = 0;
    r->text_bytes = 0;
    r->truncated = false;
}

rf_status rf_router_section(
    rf_section **out, rf_doc *doc, rf_section_kind kind, const char *lang)
{
    const char *l = lang != NULL ? lang : "";
    for (size_t i = 0; i < doc->section_count; i++) {
        rf_section *s = &doc->sections[i];
        if (s->kind == kind && strncmp(s->lang, l, sizeof(s->lang) - 1) == 0) {
            *out = s;
            return RF_OK;
        }
    }
    return rf_doc_add_section(out, doc, kind, l);
}

static void copy_label(char *dst, size_t cap, const char *src)
{
    size_t n = src != NULL ? strlen(src) : 0;
    if (n >= cap) {
        n = cap - 1;
    }
    if (n > 0) {
        memcpy(dst, src, n);
    }
    dst[n] = '\0';
}

rf_status rf_router_begin(
    rf_router *r,
    rf_section_kind kind,
    const char *lang,
    const char *unit,
    bool heading,
    int heading_level)
{
    rf_status st = rf_router_end(r);
    if (st != RF_OK) {
        return st;
    }
    r->kind = kind;
    copy_label(r->lang, sizeof(r->lang), lang);
    copy_label(r->unit, sizeof(r->unit), unit);
    r->heading = heading;
    r->heading_level = heading_level;
    r->open = true;
    rf_buf_reset(&r->para.text);
    r->para.origin_count = 0;
    return rf_buf_reserve(&r->para.text, 0);
}

/* How much of a piece of len bytes fits under max_text: all of it, or the
 * part up to the limit cut at a character boundary (a description that
 * runs past the limit keeps its beginning, which is scanned; nothing read
 * before the limit is lost). */
static size_t room_for(rf_router *r, const char *text, size_t len)
{
    if (r->max_text == 0 || r->text_bytes + len <= r->max_text) {
        r->text_bytes += len;
        return len;
    }
    r->truncated = true;
    size_t fit = r->max_text > r->text_bytes ? r->max_text - r->text_bytes : 0;
    while (fit > 0 && (((unsigned char)text[fit]) & 0xC0) == 0x80) {
        fit--;
    }
    r->text_bytes += fit;
    return fit;
}

rf_status rf_router_text(
    rf_router *r, const char *text, size_t len, uint64_t src_off, uint64_t line)
{
    if (!r->open || len == 0) {
        return RF_OK;
    }
    len = room_for(r, text, len);
    if (len == 0) {
        return RF_OK;
    }
    return rf_section_append(&r->para, text, len, src_off, line);
}

rf_status rf_router_plain(rf_router *r, const char *text, size_t len)
{
    if (!r->open || len == 0) {
        return RF_OK;
    }
    len = room_for(r, text, len);
    if (len == 0) {
        return RF_OK;
    }
    return rf_section_append_plain(&r->para, text, len);
}

rf_status rf_router_break(rf_router *r)
{
    if (!r->open || r->para.text.len == 0) {
        return RF_OK;
    }
    char last = r->para.text.data[r->para.text.len - 1];
    if (isspace((unsigned char)last)) {
        return RF_OK;
    }
    return rf_router_plain(r, "\n", 1);
}

/* Which section a closed description paragraph belongs to. */
static rf_section_kind route_description(rf_router *r, const char *s, size_t n)
{
    if (r->forced > 0) {
        return RF_SECTION_BACKGROUND;
    }
    if (r->forced < 0) {
        return RF_SECTION_DESCRIPTION;
    }
    if (r->heading || rf_patent_looks_like_heading(s, n)) {
        int level = r->heading_level;
        switch (rf_patent_heading_class(s, n)) {
        case RF_HEADING_BACKGROUND:
            r->background = true;
            r->background_level = level;
            break;
        case RF_HEADING_OTHER:
            /* a sub-heading inside the background part keeps it open */
            if (!r->background || level == 0 || r->background_level == 0 ||
                level <= r->background_level) {
                r->background = false;
            }
            break;
        case RF_HEADING_NEUTRAL:
            break;
        }
    }
    return r->background ? RF_SECTION_BACKGROUND : RF_SECTION_DESCRIPTION;
}

/* "#claim" / "#para": the label is read from the paragraph's own text
 * ("3. A method ..." -> "claim 3", "[0042] The ..." -> "[0042]") for
 * formats that number claims and paragraphs only in prose. */
static void auto_unit(char *unit, size_t cap, const char *s, size_t n)
{
    size_t i = 0;
    bool claim = strcmp(unit, "#claim") == 0;
    unit[0] = '\0';
    while (i < n && isspace((unsigned char)s[i])) {
        i++;
    }
    if (!claim && (i >= n || s[i++] != '[')) {
        return;
    }
    size_t d = i;
    while (i < n && i - d < 6 && isdigit((unsigned char)s[i])) {
        i++;
    }
    if (i == d || i >= n) {
        return;
    }
    if (claim) {
        if (s[i] != '.' && s[i] != ' ' && s[i] != ')' && s[i] != '\xEF' &&
            s[i] != '\xE3') {
            return; /* "1. ", "1 ", "1)", "1．", "1、" */
        }
        while (d + 1 < i && s[d] == '0') {
            d++;
        }
        snprintf(unit, cap, "claim %.*s", (int)(i - d), s + d);
    } else if (s[i] == ']') {
        snprintf(unit, cap, "[%.*s]", (int)(i - d), s + d);
    }
}

rf_status rf_router_end(rf_router *r)
{
    if (!r->open) {
        return RF_OK;
    }
    r->open = false;
    const rf_section *p = &r->para;
    const char *s = p->text.data;
    size_t n = p->text.len;
    size_t k = 0;
    while (k < n && isspace((unsigned char)s[k])) {
        k++;
    }
    if (k == n) {
        return RF_OK; /* whitespace between elements is not a paragraph */
    }
    while (n > k && isspace((unsigned char)s[n - 1])) {
        n--; /* nor is the indentation after its last word */
    }
    if (r->unit[0] == '#') {
        auto_unit(r->unit, sizeof(r->unit), s, n);
    }
    rf_section_kind kind = r->kind;
    if (kind == RF_SECTION_DESCRIPTION) {
        kind = route_description(r, s, n);
    }
    rf_section *sec;
    rf_status st = rf_router_section(&sec, r->doc, kind, r->lang);
    if (st == RF_OK && sec->text.len > 0) {
        st = rf_section_append_plain(sec, "\n\n", 2);
    }
    if (st == RF_OK && r->unit[0] != '\0') {
        st = rf_section_begin_unit(sec, r->unit);
    }
    /* leading white space (indentation between elements) is dropped so a
     * unit starts at its first word */
    size_t first = p->origin_count > 0 ? p->origins[0].text_off : n;
    if (first > n) {
        first = n;
    }
    if (st == RF_OK && first > k) {
        st = rf_section_append_plain(sec, s + k, first - k);
    }
    for (size_t i = 0; st == RF_OK && i < p->origin_count; i++) {
        const rf_origin *o = &p->origins[i];
        size_t end = i + 1 < p->origin_count ? p->origins[i + 1].text_off : n;
        if (end > n) {
            end = n; /* trailing white space is cut from every run */
        }
        size_t from = o->text_off > k ? o->text_off : k;
        if (end > from) {
            st = rf_section_append(
                sec, s + from, end - from, o->src_off + (from - o->text_off),
                o->line + (o->line > 0
                               ? rf_count_newlines(
                                     s + o->text_off, from - o->text_off)
                               : 0));
        }
    }
    return st;
}
