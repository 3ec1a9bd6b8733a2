/*
 * expand.c - normalise the patterns, not the text.
 *
 * Documents are never rewritten on the hot path: no lower-casing pass, no
 * Traditional-to-Simplified pass, no width folding. Instead each term is
 * expanded here, once, at compile time, into every form it may take in a
 * document, and each form becomes a Hyperscan expression:
 *
 *   1. romanisations of group names  (Uyghur, Uighur, Uygur, Uigur, Weiwuer)
 *   2. Simplified <-> Traditional    (OpenCC s2t, s2tw, s2hk, t2s, tw2s)
 *   3. accents stripped, Latin only  (Ouïghour -> Ouighour)
 *   4. full-width ASCII              (race -> ｒａｃｅ, ＲＡＣＥ)
 *   5. case: ASCII through HS_FLAG_CASELESS; terms with other cased
 *      letters (Cyrillic, accented Latin, full-width) get their lower,
 *      UPPER and Title forms as separate literals
 *   6. for each form, an expression: spaces and hyphens as an optional run
 *      of up to 16 separators (RF_SEP_RUN), every non-ASCII byte as \xHH. The
 * database is compiled in byte mode (no HS_FLAG_UTF8), so invalid UTF-8 in a
 * document is just bytes: matching is defined on any input, and UTF-8's
 * self-synchronisation keeps a pattern that starts with a lead byte from
 * matching mid-character.
 *
 * Word boundaries are not part of the expressions (Hyperscan's \b is ASCII
 * only and has no notion of camelCase); the match callback checks them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <opencc/opencc.h>
#include <utf8proc.h>

#include "rules/rules.h"

static const char *const opencc_configs[] = {
    "s2t.json", "s2tw.json", "s2hk.json", "t2s.json", "tw2s.json"};

struct rf_expander {
    opencc_t cc[RF_ARRAY_LEN(opencc_configs)];
    bool cc_tried;
};

/* Spellings that stand for one another; a term containing one is expanded
 * to all (case-insensitive). Each row is a family. */
static const char *const romanisations[][6] = {
    {"uyghur", "uighur", "uygur", "uigur", "weiwuer", NULL},
    {"ouïghour", "ouïgour", "ouighour", "ouigour", NULL},
    {"tibetan", "tibetian", NULL},
    {"kazakh", "kazak", "qazaq", NULL},
    {"kyrgyz", "kirghiz", "kirgiz", NULL},
};

rf_status rf_expander_new(rf_expander **out)
{
    rf_expander *e = calloc(1, sizeof(*e));
    if (e == NULL) {
        return RF_ENOMEM;
    }
    *out = e;
    return RF_OK;
}

void rf_expander_free(rf_expander *e)
{
    if (e == NULL) {
        return;
    }
    for (size_t i = 0; i < RF_ARRAY_LEN(e->cc); i++) {
        if (e->cc[i] != NULL && e->cc[i] != (opencc_t)-1) {
            opencc_close(e->cc[i]);
        }
    }
    free(e);
}

static bool has_han(const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        size_t n = rf_utf8_decode(s, len, i, &cp);
        if ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF)) {
            return true;
        }
        i += n;
    }
    return false;
}

static bool only_latin(const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        size_t n = rf_utf8_decode(s, len, i, &cp);
        if (cp > 0x24F) {
            return false;
        }
        i += n;
    }
    return true;
}

static rf_status add_variant(rf_strvec *v, const char *s)
{
    if (s == NULL || *s == '\0' || rf_strvec_contains(v, s)) {
        return RF_OK;
    }
    return rf_strvec_push(v, s);
}

static rf_status add_romanisations(rf_strvec *v, const char *term)
{
    for (size_t f = 0; f < RF_ARRAY_LEN(romanisations); f++) {
        for (size_t a = 0; romanisations[f][a] != NULL; a++) {
            const char *from = romanisations[f][a];
            const char *at = strcasestr(term, from);
            if (at == NULL) {
                continue;
            }
            size_t pre = (size_t)(at - term);
            size_t flen = strlen(from);
            for (size_t b = 0; romanisations[f][b] != NULL; b++) {
                rf_buf out = {0};
                rf_status st = rf_buf_append(&out, term, pre);
                if (st == RF_OK) {
                    st = rf_buf_puts(&out, romanisations[f][b]);
                }
                if (st == RF_OK) {
                    st = rf_buf_puts(&out, at + flen);
                }
                if (st == RF_OK) {
                    st = add_variant(v, out.data);
                }
                rf_buf_free(&out);
                if (st != RF_OK) {
                    return st;
                }
            }
            return RF_OK;
        }
    }
    return RF_OK;
}

static rf_status add_chinese(rf_expander *e, rf_strvec *v, const char *term)
{
    /* OpenCC reads past the end of a truncated UTF-8 sequence (found by
     * fuzz_expand; tests/fuzz/corpus/expand/crash-opencc-truncated-utf8) */
    if (!rf_utf8_valid(term, strlen(term))) {
        return RF_OK;
    }
    if (!e->cc_tried) {
        e->cc_tried = true;
        for (size_t i = 0; i < RF_ARRAY_LEN(opencc_configs); i++) {
            e->cc[i] = opencc_open(opencc_configs[i]);
        }
    }
    for (size_t i = 0; i < RF_ARRAY_LEN(e->cc); i++) {
        if (e->cc[i] == (opencc_t)-1 || e->cc[i] == NULL) {
            continue;
        }
        char *conv = opencc_convert_utf8(e->cc[i], term, strlen(term));
        if (conv == NULL) {
            continue;
        }
        rf_status st = add_variant(v, conv);
        opencc_convert_utf8_free(conv);
        if (st != RF_OK) {
            return st;
        }
    }
    return RF_OK;
}

static rf_status add_unaccented(rf_strvec *v, const char *term)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map(
        (const utf8proc_uint8_t *)term, 0, &out,
        UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
            UTF8PROC_COMPOSE);
    if (n < 0) {
        return RF_OK; /* not valid UTF-8: keep the term as written */
    }
    rf_status st = add_variant(v, (const char *)out);
    free(out);
    return st;
}

static rf_status add_fullwidth(rf_strvec *v, const char *term)
{
    bool any = false;
    rf_buf out = {0};
    rf_status st = RF_OK;
    for (const unsigned char *p = (const unsigned char *)term;
         *p && st == RF_OK; p++) {
        if (*p > 0x20 && *p < 0x7F) {
            /* U+FF01..U+FF5E mirror ASCII 0x21..0x7E */
            unsigned cp = 0xFF01u + (*p - 0x21u);
            char enc[3] = {
                (char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                (char)(0x80 | (cp & 0x3F))};
            st = rf_buf_append(&out, enc, 3);
            any = true;
        } else {
            st = rf_buf_putc(&out, (char)*p);
        }
    }
    if (st == RF_OK && any) {
        st = add_variant(v, out.data);
    }
    rf_buf_free(&out);
    return st;
}

/* Title: every word capitalised; sentence: only the first word (the
 * form a multi-word term takes at the start of a sentence). */
typedef enum case_form {
    CASE_LOWER,
    CASE_UPPER,
    CASE_TITLE,
    CASE_SENTENCE
} case_form;

/* The term in one case form, letter by letter (title: first letter of each
 * word upper, the rest lower). Applies to every script, ASCII included, so
 * the full-width forms get their cases too. */
static rf_status add_case_form(rf_strvec *v, const char *term, case_form form)
{
    size_t len = strlen(term);
    size_t i = 0;
    bool word_start = true;
    rf_buf out = {0};
    rf_status st = RF_OK;
    while (i < len && st == RF_OK) {
        int32_t cp;
        size_t n = rf_utf8_decode(term, len, i, &cp);
        int32_t to;
        if (form == CASE_UPPER || (form == CASE_TITLE && word_start) ||
            (form == CASE_SENTENCE && i == 0)) {
            to = utf8proc_toupper(cp);
        } else {
            to = utf8proc_tolower(cp);
        }
        word_start = !rf_utf8_is_word(cp);
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(to, enc);
        st = rf_buf_append(&out, enc, (size_t)m);
        i += n;
    }
    if (st == RF_OK) {
        st = add_variant(v, out.data);
    }
    rf_buf_free(&out);
    return st;
}

static bool has_ascii_letter(const char *s)
{
    for (; *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) {
            return true;
        }
    }
    return false;
}

static bool has_non_ascii_case(const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        size_t n = rf_utf8_decode(s, len, i, &cp);
        if (cp >= 0x80 &&
            (utf8proc_tolower(cp) != cp || utf8proc_toupper(cp) != cp)) {
            return true;
        }
        i += n;
    }
    return false;
}

static bool is_sep(char c)
{
    return c == ' ' || c == '-' || c == '_' || c == '\t';
}

bool rf_expand_is_sep(char c)
{
    return is_sep(c);
}

/*
 * Between the words of a term: a run of white space, hyphens and
 * underscores, at most 16 long. Bounded, not `*`: an unbounded run keeps
 * Hyperscan's NFA engines alive after every first word, and made the
 * anchor pass 2.3x slower per byte (0.70 against 0.30 CPU-s per 256 MB of
 * the benchmark's text, bench/hs_ceiling --forms); a line break and the
 * next line's indentation still fit in 16.
 */
#define RF_SEP_MAX 16
#define RF_STR_(x) #x
#define RF_STR(x)  RF_STR_(x)
#define RF_SEP_RUN "[\\s\\-_]{0," RF_STR(RF_SEP_MAX) "}"

/* What [\s\-_] matches in a document. */
static bool is_text_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f' || c == '-' || c == '_';
}

/* "\xHH" for each byte: by hand, since printf was 14 % of loading the
 * shipped rules from the cache (every term is expanded to find its key) */
static rf_status put_hex_bytes(rf_buf *re, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    rf_status st = RF_OK;
    for (size_t i = 0; i < n && st == RF_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        st = rf_buf_append(re, esc, sizeof(esc));
    }
    return st;
}

/* One form of a term as a Hyperscan expression (see the essay above). */
rf_status rf_expand_regex(rf_buf *re, const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    rf_status st = RF_OK;
    bool in_sep = false;
    while (i < len && st == RF_OK) {
        unsigned char c = (unsigned char)s[i];
        if (is_sep((char)c)) {
            if (!in_sep) {
                st = rf_buf_puts(re, RF_SEP_RUN);
                in_sep = true;
            }
            i++;
            continue;
        }
        in_sep = false;
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9')) {
                st = rf_buf_putc(re, (char)c);
            } else {
                st = put_hex_bytes(re, s + i, 1);
            }
            i++;
            continue;
        }
        int32_t cp;
        size_t n = rf_utf8_decode(s, len, i, &cp);
        st = put_hex_bytes(re, s + i, n);
        i += n;
    }
    return st;
}

/* The literal a plain substring search would use: separators as one space. */
rf_status rf_expand_literal(rf_strvec *literals, const char *s)
{
    rf_buf out = {0};
    rf_status st = RF_OK;
    bool sep = false;
    for (const char *p = s; *p && st == RF_OK; p++) {
        if (*p == ' ' || *p == '\t') {
            sep = true;
            continue;
        }
        if (sep && out.len > 0) {
            st = rf_buf_putc(&out, ' ');
        }
        sep = false;
        st = st == RF_OK ? rf_buf_putc(&out, *p) : st;
    }
    if (st == RF_OK && out.len > 0) {
        st = rf_strvec_push(literals, out.data);
    }
    rf_buf_free(&out);
    return st;
}

rf_status
rf_expand_term(rf_expander *e, const rf_term *term, rf_strvec *forms_out)
{
    if (term->regex) {
        return rf_strvec_push(forms_out, term->text);
    }
    rf_strvec forms = {0};
    rf_status st = add_variant(&forms, term->text);
    if (st == RF_OK) {
        st = add_romanisations(&forms, term->text);
    }
    /* each step sees the forms of the steps before it */
    size_t n = forms.n;
    for (size_t i = 0; i < n && st == RF_OK; i++) {
        if (has_han(forms.v[i])) {
            st = add_chinese(e, &forms, forms.v[i]);
        }
    }
    n = forms.n;
    for (size_t i = 0; i < n && st == RF_OK; i++) {
        if (only_latin(forms.v[i])) {
            st = add_unaccented(&forms, forms.v[i]);
        }
    }
    /* Full-width forms of the term as written, in lower and UPPER case
     * (CJK text writes acronyms and the odd word that way; Title case and
     * the romanisation variants would double the database for nothing). */
    size_t fw_base = forms.n;
    if (st == RF_OK && has_ascii_letter(term->text)) {
        rf_strvec cases = {0};
        st = add_variant(&cases, term->text);
        for (int f = CASE_LOWER; f <= CASE_UPPER && st == RF_OK; f++) {
            st = add_case_form(&cases, term->text, (case_form)f);
        }
        for (size_t i = 0; i < cases.n && st == RF_OK; i++) {
            st = add_fullwidth(&forms, cases.v[i]);
        }
        rf_strvec_free(&cases);
    }
    /* Case forms as separate literals, not per-letter alternations: a
     * pattern like (?:а|А)(?:б|Б)... multiplies into 2^n literals inside
     * the engine's compiler. ASCII letters are left to HS_FLAG_CASELESS. */
    for (size_t i = 0; i < fw_base && st == RF_OK; i++) {
        if (!has_non_ascii_case(forms.v[i])) {
            continue;
        }
        for (int f = CASE_LOWER; f <= CASE_SENTENCE && st == RF_OK; f++) {
            st = add_case_form(&forms, forms.v[i], (case_form)f);
        }
    }
    for (size_t i = 0; i < forms.n && st == RF_OK; i++) {
        st = rf_strvec_push(forms_out, forms.v[i]);
    }
    rf_strvec_free(&forms);
    return st;
}

size_t rf_expand_max_match(const char *form)
{
    size_t n = 0;
    bool in_sep = false;
    for (const char *c = form; *c != '\0'; c++) {
        if (!is_sep(*c)) {
            n++;
        } else if (!in_sep) {
            n += RF_SEP_MAX;
        }
        in_sep = is_sep(*c);
    }
    return n;
}

size_t rf_expand_match_start(const char *form, const char *text, size_t to)
{
    /* walk the form's words backwards from `to`, skipping separator runs
     * between them exactly as the expression allowed */
    size_t flen = strlen(form);
    size_t fi = flen;
    size_t pos = to;
    while (fi > 0) {
        size_t wend = fi;
        while (wend > 0 && is_sep(form[wend - 1])) {
            wend--;
        }
        size_t wstart = wend;
        while (wstart > 0 && !is_sep(form[wstart - 1])) {
            wstart--;
        }
        size_t wlen = wend - wstart;
        if (wlen > pos) {
            return to >= flen ? to - flen : 0;
        }
        for (size_t k = 0; k < wlen; k++) {
            unsigned char a = (unsigned char)text[pos - wlen + k];
            unsigned char b = (unsigned char)form[wstart + k];
            if (a != b && !(a < 0x80 && b < 0x80 && (a | 0x20) == (b | 0x20) &&
                            ((a | 0x20) >= 'a' && (a | 0x20) <= 'z'))) {
                return to >= flen ? to - flen : 0;
            }
        }
        pos -= wlen;
        fi = wstart;
        if (fi > 0) {
            while (pos > 0 && is_text_sep(text[pos - 1])) {
                pos--;
            }
        }
    }
    return pos;
}
