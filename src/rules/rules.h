/*
 * rules.h - the rule model shared by the compiler, the matcher and the
 * evaluator.
 *
 * A ruleset is flat arrays: sets own ranges of terms; each term expands to
 * one or more Hyperscan patterns; the pattern id indexes `patterns`, which
 * points back at the term and so at the set. Rules refer to sets by index.
 */
#ifndef RF_RULES_H
#define RF_RULES_H

#include <hs/hs.h>

#include "internal.h"

typedef struct rf_term {
    char *text; /* as written, without the '*' markers */
    char *lang;
    uint32_t set;
    bool prefix; /* "word*": no boundary needed after */
    bool suffix; /* "*word": no boundary needed before */
    bool regex;  /* "re:..." */
    uint64_t line;
} rf_term;

typedef struct rf_set {
    char *name;
    char *description;
    char *file;
    uint64_t line;
    bool mask;
    uint32_t first_term;
    uint32_t term_count;
} rf_set;

typedef enum rf_within {
    RF_WITHIN_SENTENCE = 0,
    RF_WITHIN_LINE,
    RF_WITHIN_PARAGRAPH,
    RF_WITHIN_UNIT,
    RF_WITHIN_DOCUMENT,
    RF_WITHIN_CHARS
} rf_within;

typedef struct rf_setlist {
    uint32_t *v;
    size_t n;
} rf_setlist;

struct rf_rule {
    char *id;
    char *title;
    char *category;
    char *regulation;
    char *message;
    char *description;
    rf_severity severity;
    rf_strvec languages;
    rf_strvec all_names;
    rf_strvec any_names;
    rf_strvec none_names;
    rf_setlist all;
    rf_setlist any;
    rf_setlist none;
    rf_within within;
    uint32_t within_chars;
    uint32_t section_mask; /* bit per rf_section_kind; 0 = all */
    int sev_by_section[RF_SECTION_KIND_COUNT]; /* -1 = rule severity */
    rf_strvec ex_match;
    rf_strvec ex_nomatch;
    char *file;
    uint64_t line;
};

/* One compiled pattern: which term it came from, and the boundary checks
 * the callback applies (the patterns themselves carry no \b). */
/* Sentence, line and paragraph windows reach at most this many bytes from
 * their anchor (evaluate/eval.c), which bounds the text that must be
 * scanned around an anchor hit. */
#define RF_SCOPE_MAX_BYTES 4096u
#define RF_REACH_UNIT      (UINT32_MAX - 1) /* the anchor's claim/paragraph */
#define RF_REACH_SECTION   UINT32_MAX       /* the whole section */

/* The longest match a regex term is taken to have: how far back the
 * scanner looks for its start, and how far a regex mask whose width
 * Hyperscan cannot bound may reach. */
#define RF_REGEX_REACH 1024u

typedef struct rf_pattern {
    uint32_t term;
    bool check_left;
    bool check_right;
    bool regex;       /* start found through som_db (see scanner.c) */
    uint32_t som_id;  /* id in som_db for regex patterns */
    const char *form; /* the literal form (owned by ruleset.forms) */
} rf_pattern;

/* One entry of the anchor database, by its Hyperscan id (anchors.c). */
typedef struct rf_anchor {
    uint32_t pattern; /* where it came from: the hit of an exact anchor is
                         the pattern's, regex ones included */
    uint32_t set;
    const char *form; /* what it matches: the pattern's form, or one word
                         of it (owned by the ruleset) */
    bool check_left;
    bool check_right;
    uint32_t widen; /* 0: exact; else a word of a longer form, whose hit
                       may reach this many bytes further either side */
} rf_anchor;

typedef struct rf_rule_store {
    rf_set *sets;
    size_t set_count;
    size_t set_cap;
    rf_term *terms;
    size_t term_count;
    size_t term_cap;
    rf_rule *rules;
    size_t rule_count;
    size_t rule_cap;
} rf_rule_store;

struct rf_ruleset {
    rf_rule_store store;
    rf_pattern *patterns;
    size_t pattern_count;
    rf_strvec literals; /* every literal variant, for `rules terms` */
    rf_strvec literal_sets;
    rf_strvec forms;          /* one per pattern */
    hs_database_t *db;        /* all patterns, no start of match */
    hs_database_t *som_db;    /* regex patterns only, with start of match */
    hs_database_t *anchor_db; /* the anchors below (see anchors.c) */
    rf_anchor *anchors;
    size_t anchor_count;
    rf_strvec anchor_words;   /* the words that anchor a longer form */
    uint32_t *set_reach;      /* per set: bytes around an anchor hit the
                                 full database must see; 0 = not an anchor */
    uint32_t mask_reach;      /* the longest a mask's match may be, in
                                 bytes: how far past a rule's window the
                                 full database must read (0: no masks) */
    uint32_t *som_to_pattern; /* som_db id -> pattern id */
    size_t som_count;
    bool has_mask;
};

void rf_rule_store_free(rf_rule_store *rs);

/* Record an error (or, with warning, a warning) on the compiler. */
void rf_compiler__diag(
    rf_compiler *c,
    rf_diag_level level,
    const char *file,
    uint64_t line,
    const char *rule,
    const char *fmt,
    ...) __attribute__((format(printf, 6, 7)));

/* Parse one YAML text into the compiler's store (src/rules/yaml.c). */
rf_status rf_compiler__parse_yaml(
    rf_compiler *c,
    rf_rule_store *store,
    const char *yaml,
    size_t len,
    const char *name);

/* ---- term expansion (src/expand) ---- */

typedef struct rf_expander rf_expander;

rf_status rf_expander_new(rf_expander **out);
void rf_expander_free(rf_expander *e);

/* Expand one term into the literal forms it may take in a document (a
 * regex term yields its expression unchanged). */
rf_status rf_expand_term(rf_expander *e, const rf_term *term, rf_strvec *forms);

/* One literal form as a Hyperscan expression (separators flexible). */
rf_status rf_expand_regex(rf_buf *re, const char *form);

/* The form as a plain search would use it (separators as one space),
 * appended to literals (the compiler removes duplicates at the end). */
rf_status rf_expand_literal(rf_strvec *literals, const char *form);

/* Where a match of `form` that ends at `to` starts in text: the database
 * is compiled without start-of-match tracking (which made compiling the
 * shipped rules 30x slower), so the start is found by walking back. */
size_t rf_expand_match_start(const char *form, const char *text, size_t to);

/* Whether c separates the words of a form (a run of them becomes a
 * flexible separator in its expression). */
bool rf_expand_is_sep(char c);

/* The longest text a match of `form` can span, in bytes: its words and,
 * between them, separator runs of the longest length the expression
 * allows. */
size_t rf_expand_max_match(const char *form);

/* The anchors of rs (rs->anchors) and one Hyperscan expression for each
 * (out); exprs holds one expression per pattern, set_reach must be set. */
rf_status
rf_anchors_build(rf_ruleset *rs, const rf_strvec *exprs, rf_strvec *out);

/* The expanded forms of every term, cached on disk (forms_cache.c):
 * forms v[first[i] .. first[i + 1]) are term i's, first has term_count + 1
 * entries. The key hashes everything the expansion depends on. */
void rf_forms_cache_key(char out[33], const rf_rule_store *s);
rf_status rf_forms_cache_load(
    const char *dir,
    const char *key,
    size_t term_count,
    rf_strvec *forms,
    uint32_t *first);
bool rf_forms_cache_store(
    const char *dir,
    const char *key,
    size_t term_count,
    const rf_strvec *forms,
    const uint32_t *first);

#endif /* RF_RULES_H */
