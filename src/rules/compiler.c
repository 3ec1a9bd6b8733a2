/*
 * compiler.c - rule files in, one immutable ruleset out.
 *
 * The compiler collects every problem rather than stopping at the first
 * (a rule author fixes a file in one pass), resolves set names, sorts rules
 * by id so output never depends on file order, expands every term of every
 * set into its variants and compiles them all into ONE Hyperscan block-mode
 * database: each section of each document is then scanned once, whatever
 * the number of rules.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/rules.h"

typedef struct diag_entry {
    rf_diag view;
    char *file;
    char *rule;
    char *message;
} diag_entry;

struct rf_compiler {
    rf_rule_store store;
    char *cache_dir; /* NULL: no on-disk cache of compiled databases */
    diag_entry *diags;
    size_t diag_count;
    size_t diag_cap;
    size_t error_count;
    char errmsg[1024];
};

rf_status rf_compiler_new(rf_compiler **out)
{
    rf_compiler *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return RF_ENOMEM;
    }
    *out = c;
    return RF_OK;
}

static void free_rule(rf_rule *r)
{
    char *strings[] = {r->id,      r->title,       r->category, r->regulation,
                       r->message, r->description, r->file};
    for (size_t i = 0; i < RF_ARRAY_LEN(strings); i++) {
        free(strings[i]);
    }
    rf_strvec *vecs[] = {&r->languages,  &r->all_names, &r->any_names,
                         &r->none_names, &r->ex_match,  &r->ex_nomatch};
    for (size_t i = 0; i < RF_ARRAY_LEN(vecs); i++) {
        rf_strvec_free(vecs[i]);
    }
    free(r->all.v);
    free(r->any.v);
    free(r->none.v);
}

void rf_rule_store_free(rf_rule_store *s)
{
    for (size_t i = 0; i < s->set_count; i++) {
        free(s->sets[i].name);
        free(s->sets[i].description);
        free(s->sets[i].file);
    }
    for (size_t i = 0; i < s->term_count; i++) {
        free(s->terms[i].text);
        free(s->terms[i].lang);
    }
    for (size_t i = 0; i < s->rule_count; i++) {
        free_rule(&s->rules[i]);
    }
    free(s->sets);
    free(s->terms);
    free(s->rules);
    memset(s, 0, sizeof(*s));
}

void rf_compiler_free(rf_compiler *c)
{
    if (c == NULL) {
        return;
    }
    rf_rule_store_free(&c->store);
    free(c->cache_dir);
    for (size_t i = 0; i < c->diag_count; i++) {
        free(c->diags[i].file);
        free(c->diags[i].rule);
        free(c->diags[i].message);
    }
    free(c->diags);
    free(c);
}

void rf_compiler__diag(
    rf_compiler *c,
    rf_diag_level level,
    const char *file,
    uint64_t line,
    const char *rule,
    const char *fmt,
    ...)
{
    if (level == RF_DIAG_ERROR) {
        c->error_count++;
    }
    if (c->diag_count == c->diag_cap) {
        size_t cap = c->diag_cap ? c->diag_cap * 2 : 16;
        diag_entry *d = realloc(c->diags, cap * sizeof(*d));
        if (d == NULL) {
            return; /* the error count above still fails the compile */
        }
        c->diags = d;
        c->diag_cap = cap;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    diag_entry *e = &c->diags[c->diag_count++];
    e->file = rf_strdup(file);
    e->rule = rf_strdup(rule);
    e->message = rf_strdup(msg);
    e->view = (rf_diag){
        .level = level,
        .status = RF_EPARSE,
        .path = e->file,
        .line = line,
        .rule = e->rule,
        .message = e->message ? e->message : "out of memory",
    };
    if (level == RF_DIAG_ERROR && c->errmsg[0] == '\0') {
        if (rule != NULL) {
            snprintf(
                c->errmsg, sizeof(c->errmsg), "%s:%llu: rule '%s': %s",
                file ? file : "?", (unsigned long long)line, rule, msg);
        } else {
            snprintf(
                c->errmsg, sizeof(c->errmsg), "%s:%llu: %s", file ? file : "?",
                (unsigned long long)line, msg);
        }
    }
}

rf_status rf_compiler_set_cache(rf_compiler *c, const char *dir)
{
    char *copy = NULL;
    if (dir != NULL && (copy = rf_strdup(dir)) == NULL) {
        return RF_ENOMEM;
    }
    free(c->cache_dir);
    c->cache_dir = copy;
    return RF_OK;
}

size_t rf_compiler_diag_count(const rf_compiler *c)
{
    return c->diag_count;
}

const rf_diag *rf_compiler_diag(const rf_compiler *c, size_t i)
{
    return i < c->diag_count ? &c->diags[i].view : NULL;
}

const char *rf_compiler_errmsg(const rf_compiler *c)
{
    return c->errmsg;
}

rf_status rf_compiler_add_string(
    rf_compiler *c, const char *yaml, size_t len, const char *name)
{
    return rf_compiler__parse_yaml(
        c, &c->store, yaml, len, name ? name : "<string>");
}

static rf_status add_file(rf_compiler *c, const char *path)
{
    rf_buf buf = {0};
    rf_status st = rf_buf_read_file(&buf, path);
    if (st == RF_ENOTFOUND) {
        rf_compiler__diag(
            c, RF_DIAG_ERROR, path, 0, NULL, "cannot open: %s",
            strerror(errno));
        rf_buf_free(&buf);
        return RF_EIO;
    }
    if (st == RF_EIO) {
        rf_compiler__diag(c, RF_DIAG_ERROR, path, 0, NULL, "read failed");
    }
    if (st == RF_OK) {
        st = rf_compiler_add_string(c, buf.data ? buf.data : "", buf.len, path);
    }
    rf_buf_free(&buf);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_yaml(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static rf_status add_dir(rf_compiler *c, const char *path, unsigned depth)
{
    if (depth > 16) {
        rf_compiler__diag(
            c, RF_DIAG_ERROR, path, 0, NULL, "rule folders nested too deep");
        return RF_ELIMIT;
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        rf_compiler__diag(
            c, RF_DIAG_ERROR, path, 0, NULL, "cannot open: %s",
            strerror(errno));
        return RF_EIO;
    }
    rf_strvec names = {0};
    rf_status st = RF_OK;
    struct dirent *ent;
    while (st == RF_OK && (ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.') {
            continue;
        }
        st = rf_strvec_push(&names, ent->d_name);
    }
    closedir(d);
    if (names.n > 0) {
        qsort(names.v, names.n, sizeof(char *), cmp_str);
    }
    rf_status first_err = RF_OK;
    for (size_t i = 0; i < names.n && st == RF_OK; i++) {
        rf_buf child = {0};
        st = rf_buf_printf(&child, "%s/%s", path, names.v[i]);
        if (st != RF_OK) {
            break;
        }
        struct stat sb;
        rf_status cst = RF_OK;
        if (stat(child.data, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            cst = add_dir(c, child.data, depth + 1);
        } else if (is_yaml(names.v[i])) {
            cst = add_file(c, child.data);
        }
        if (cst == RF_ENOMEM) {
            st = cst;
        } else if (cst != RF_OK && first_err == RF_OK) {
            first_err = cst;
        }
        rf_buf_free(&child);
    }
    rf_strvec_free(&names);
    return st != RF_OK ? st : first_err;
}

rf_status rf_compiler_add_path(rf_compiler *c, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        rf_compiler__diag(
            c, RF_DIAG_ERROR, path, 0, NULL, "cannot open: %s",
            strerror(errno));
        return RF_ENOTFOUND;
    }
    if (S_ISDIR(sb.st_mode)) {
        return add_dir(c, path, 0);
    }
    return add_file(c, path);
}

/* ---------------- compile ---------------- */

static long find_set(const rf_rule_store *s, const char *name)
{
    for (size_t i = 0; i < s->set_count; i++) {
        if (strcmp(s->sets[i].name, name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static rf_status resolve(
    rf_compiler *c,
    rf_rule *r,
    const rf_strvec *names,
    rf_setlist *out,
    const char *what)
{
    if (names->n == 0) {
        return RF_OK;
    }
    out->v = calloc(names->n, sizeof(*out->v));
    if (out->v == NULL) {
        return RF_ENOMEM;
    }
    for (size_t i = 0; i < names->n; i++) {
        long idx = find_set(&c->store, names->v[i]);
        if (idx < 0) {
            rf_compiler__diag(
                c, RF_DIAG_ERROR, r->file, r->line, r->id,
                "unknown set '%s' in %s", names->v[i], what);
            continue;
        }
        out->v[out->n++] = (uint32_t)idx;
    }
    return RF_OK;
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp(((const rf_rule *)a)->id, ((const rf_rule *)b)->id);
}

static void check_duplicates(rf_compiler *c)
{
    rf_rule_store *s = &c->store;
    for (size_t i = 0; i < s->set_count; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(s->sets[i].name, s->sets[j].name) == 0) {
                rf_compiler__diag(
                    c, RF_DIAG_ERROR, s->sets[i].file, s->sets[i].line, NULL,
                    "set '%s' is already defined at %s:%llu", s->sets[i].name,
                    s->sets[j].file, (unsigned long long)s->sets[j].line);
                break;
            }
        }
    }
    for (size_t i = 1; i < s->rule_count; i++) {
        if (strcmp(s->rules[i].id, s->rules[i - 1].id) == 0) {
            rf_compiler__diag(
                c, RF_DIAG_ERROR, s->rules[i].file, s->rules[i].line,
                s->rules[i].id, "rule id is already used at %s:%llu",
                s->rules[i - 1].file, (unsigned long long)s->rules[i - 1].line);
        }
    }
}

static void boundary_flags(const rf_term *t, rf_pattern *p)
{
    size_t len = strlen(t->text);
    int32_t first;
    int32_t last;
    rf_utf8_decode(t->text, len, 0, &first);
    rf_utf8_decode(t->text, len, rf_utf8_prev(t->text, len), &last);
    p->check_left = !t->regex && !t->suffix && rf_utf8_is_word(first);
    p->check_right = !t->regex && !t->prefix && rf_utf8_is_word(last);
}

typedef struct lit_ref {
    char *lit;
    char *set;
    size_t order;
} lit_ref;

static int cmp_lit(const void *a, const void *b)
{
    const lit_ref *x = a;
    const lit_ref *y = b;
    int c = strcmp(x->lit, y->lit);
    if (c != 0) {
        return c;
    }
    return x->order < y->order ? -1 : (x->order > y->order);
}

static int cmp_order(const void *a, const void *b)
{
    const lit_ref *x = a;
    const lit_ref *y = b;
    return x->order < y->order ? -1 : (x->order > y->order);
}

/* Keep the first occurrence of each literal, in first-seen order. */
static void unique_literals(rf_ruleset *rs)
{
    size_t n = rs->literals.n;
    if (n == 0) {
        return;
    }
    lit_ref *refs = malloc(n * sizeof(*refs));
    if (refs == NULL) {
        return; /* duplicates stay: only `rules terms` output is longer */
    }
    for (size_t i = 0; i < n; i++) {
        refs[i] = (lit_ref){rs->literals.v[i], rs->literal_sets.v[i], i};
    }
    qsort(refs, n, sizeof(*refs), cmp_lit);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w > 0 && strcmp(refs[w - 1].lit, refs[i].lit) == 0) {
            free(refs[i].lit);
            free(refs[i].set);
            continue;
        }
        refs[w++] = refs[i];
    }
    qsort(refs, w, sizeof(*refs), cmp_order);
    for (size_t i = 0; i < w; i++) {
        rs->literals.v[i] = refs[i].lit;
        rs->literal_sets.v[i] = refs[i].set;
    }
    rs->literals.n = w;
    rs->literal_sets.n = w;
    rs->literals.v[w] = NULL;
    rs->literal_sets.v[w] = NULL;
    free(refs);
}

static rf_status push_pattern(rf_ruleset *rs, size_t *cap, uint32_t term)
{
    if (rs->pattern_count == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        rf_pattern *p = realloc(rs->patterns, *cap * sizeof(*p));
        if (p == NULL) {
            return RF_ENOMEM;
        }
        rs->patterns = p;
    }
    rf_pattern *p = &rs->patterns[rs->pattern_count++];
    memset(p, 0, sizeof(*p));
    p->term = term;
    boundary_flags(&rs->store.terms[term], p);
    p->regex = rs->store.terms[term].regex;
    return RF_OK;
}

static void compile_error(
    rf_compiler *c,
    const rf_ruleset *rs,
    hs_compile_error_t *err,
    const uint32_t *id_to_pattern,
    unsigned n)
{
    const rf_rule_store *s = &rs->store;
    const rf_term *t = NULL;
    if (err != NULL && err->expression >= 0 && (unsigned)err->expression < n) {
        t = &s->terms[rs->patterns[id_to_pattern[err->expression]].term];
    }
    if (t != NULL) {
        rf_compiler__diag(
            c, RF_DIAG_ERROR, s->sets[t->set].file, t->line, NULL,
            "term '%s' in set '%s': %s", t->text, s->sets[t->set].name,
            err ? err->message : "cannot compile");
    } else {
        rf_compiler__diag(
            c, RF_DIAG_ERROR, NULL, 0, NULL,
            "the pattern database cannot be built (%u "
            "patterns): %s",
            n, err ? err->message : "unknown error");
    }
}

/* ---------------- the on-disk cache ----------------
 *
 * Compiling thousands of expanded terms costs seconds; loading the same
 * compiled database costs milliseconds. The cache key is a hash of exactly
 * what is compiled (every expression, flag and id, and the engine version),
 * so any change to a rule file, to the expansion code or to OpenCC's
 * dictionaries is a different key, never a stale database. A cache file
 * that fails to deserialise is ignored and rewritten.
 */
static void cache_key(
    char out[33],
    const rf_strvec *exprs,
    const unsigned *flags,
    const unsigned *ids)
{
    rf_hash128 h;
    rf_hash128_init(&h, 7);
    rf_hash128_str(&h, hs_version());
    for (size_t i = 0; i < exprs->n; i++) {
        unsigned num[2] = {flags[i], ids[i]};
        rf_hash128_add(&h, num, sizeof(num));
        rf_hash128_str(&h, exprs->v[i]);
    }
    rf_hash128_hex(&h, out);
}

static rf_status
cache_load(const char *dir, const char *key, hs_database_t **db)
{
    rf_buf path = {0};
    rf_buf data = {0};
    rf_status st = rf_buf_printf(&path, "%s/rules-%s.hsdb", dir, key);
    st = st ? st : rf_buf_read_file(&data, path.data);
    if (st == RF_OK &&
        hs_deserialize_database(data.data, data.len, db) != HS_SUCCESS) {
        *db = NULL;
        st = RF_EPARSE;
    }
    rf_buf_free(&path);
    rf_buf_free(&data);
    return st;
}

static void
cache_store(rf_compiler *c, const char *key, const hs_database_t *db)
{
    char *bytes = NULL;
    size_t len = 0;
    if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS) {
        return;
    }
    char name[64];
    snprintf(name, sizeof(name), "rules-%s.hsdb", key);
    if (!rf_file_write_whole(c->cache_dir, name, bytes, len)) {
        rf_compiler__diag(
            c, RF_DIAG_WARNING, c->cache_dir, 0, NULL,
            "cannot write the compiled-rules cache");
    }
    free(bytes);
}

/* Compile exprs with Hyperscan ids `ids_in`; `from` names the pattern
 * each came from, for a compile error. */
static rf_status compile_db(
    rf_compiler *c,
    rf_ruleset *rs,
    hs_database_t **db,
    const rf_strvec *exprs,
    const uint32_t *ids_in,
    const uint32_t *from,
    unsigned flags_all)
{
    unsigned n = (unsigned)exprs->n;
    if (n == 0) {
        return RF_EINVAL;
    }
    unsigned *flags = malloc(n * sizeof(*flags));
    unsigned *ids = malloc(n * sizeof(*ids));
    if (flags == NULL || ids == NULL) {
        free(flags);
        free(ids);
        return RF_ENOMEM;
    }
    for (unsigned i = 0; i < n; i++) {
        flags[i] = flags_all;
        ids[i] = ids_in[i];
    }
    hs_compile_error_t *err = NULL;
    rf_status st = RF_OK;
    char key[33];
    cache_key(key, exprs, flags, ids);
    if (c->cache_dir != NULL && cache_load(c->cache_dir, key, db) == RF_OK) {
        free(flags);
        free(ids);
        return RF_OK;
    }
    if (hs_compile_multi(
            (const char *const *)exprs->v, flags, ids, n, HS_MODE_BLOCK, NULL,
            db, &err) != HS_SUCCESS) {
        compile_error(c, rs, err, from, n);
        hs_free_compile_error(err);
        st = RF_ECOMPILE;
    }
    if (st == RF_OK && c->cache_dir != NULL) {
        cache_store(c, key, *db);
    }
    free(flags);
    free(ids);
    return st;
}

/*
 * The anchor database: the terms of every set that anchors a rule (the
 * first set of `all`: trait and group words, which are rare). The scanner
 * runs it over every byte; the full database, whose subject and context
 * words ("face", "camera", "image") match every few hundred bytes of a
 * patent, runs only around the anchors found. Masks are not in it: the
 * full pass finds the mask around each anchor (新疆维吾尔自治区 around
 * 维吾尔), and a hidden anchor costs only its small region, while the
 * mask sets' 2,100 phrases cost the anchor pass 60 % more per byte. How
 * far around an anchor is each set's reach: the widest window of the
 * rules it anchors (for slicing; the scanner computes the windows). What
 * the database holds for each term is anchors.c's choice: the form, or
 * one word of it.
 */
static uint32_t rule_reach(const rf_rule *r)
{
    switch (r->within) {
    case RF_WITHIN_SENTENCE:
    case RF_WITHIN_LINE:
    case RF_WITHIN_PARAGRAPH:
        return RF_SCOPE_MAX_BYTES + 64;
    case RF_WITHIN_CHARS:
        /* a character is at most 4 bytes and weighs at least 1 */
        return r->within_chars > (UINT32_MAX - 64) / 4
                   ? RF_REACH_SECTION
                   : r->within_chars * 4 + 64;
    case RF_WITHIN_UNIT:
        return RF_REACH_UNIT;
    case RF_WITHIN_DOCUMENT:
        return RF_REACH_SECTION;
    }
    return RF_REACH_SECTION;
}

/*
 * How far a mask's match may reach, in bytes. A hit inside a rule's window
 * is hidden by a mask around it, and the mask may start before the window:
 * the scanner's second pass reads this much more either side of each
 * window so that it finds the mask whole. Taken from the masks themselves
 * rather than a fixed margin, because every byte of margin is read through
 * the full database around every anchor.
 */
static uint32_t mask_reach(const rf_ruleset *rs, const rf_strvec *exprs)
{
    size_t reach = 0;
    for (size_t i = 0; rs->has_mask && i < rs->pattern_count; i++) {
        const rf_pattern *p = &rs->patterns[i];
        if (!rs->store.sets[rs->store.terms[p->term].set].mask) {
            continue;
        }
        size_t n = rf_expand_max_match(p->form);
        if (p->regex) {
            hs_expr_info_t *info = NULL;
            hs_compile_error_t *err = NULL;
            n = RF_REGEX_REACH;
            if (hs_expression_info(
                    exprs->v[i], HS_FLAG_CASELESS, &info, &err) == HS_SUCCESS) {
                if (info->max_width < RF_REGEX_REACH) {
                    n = info->max_width;
                }
                free(info);
            } else {
                hs_free_compile_error(err);
            }
        }
        reach = n > reach ? n : reach;
    }
    return reach > UINT32_MAX ? UINT32_MAX : (uint32_t)reach;
}

static rf_status
build_anchor_db(rf_compiler *c, rf_ruleset *rs, const rf_strvec *exprs)
{
    size_t nsets = rs->store.set_count;
    rs->set_reach = calloc(nsets ? nsets : 1, sizeof(*rs->set_reach));
    if (rs->set_reach == NULL) {
        return RF_ENOMEM;
    }
    for (size_t i = 0; i < rs->store.rule_count; i++) {
        const rf_rule *r = &rs->store.rules[i];
        if (r->all.n == 0) {
            continue;
        }
        uint32_t reach = rule_reach(r);
        uint32_t *cur = &rs->set_reach[r->all.v[0]];
        if (reach > *cur) {
            *cur = reach;
        }
    }
    rf_strvec sub = {0};
    if (exprs->v == NULL || exprs->n != rs->pattern_count) {
        return RF_EINVAL; /* one expression per pattern, always */
    }
    rf_status st = rf_anchors_build(rs, exprs, &sub);
    size_t n = rs->anchor_count;
    uint32_t *ids = malloc((n ? n : 1) * sizeof(*ids));
    uint32_t *from = malloc((n ? n : 1) * sizeof(*from));
    if (st == RF_OK && (ids == NULL || from == NULL)) {
        st = RF_ENOMEM;
    }
    for (size_t i = 0; i < n && st == RF_OK; i++) {
        ids[i] = (uint32_t)i;
        from[i] = rs->anchors[i].pattern;
    }
    if (st == RF_OK && n > 0) {
        st = compile_db(
            c, rs, &rs->anchor_db, &sub, ids, from, HS_FLAG_CASELESS);
    }
    free(ids);
    free(from);
    rf_strvec_free(&sub);
    return st;
}

/*
 * Every pattern goes into one database compiled without start-of-match
 * tracking: with HS_FLAG_SOM_LEFTMOST the shipped rules took minutes to
 * compile instead of seconds. Starts are recovered per hit: literal forms
 * by walking back over the form (rf_expand_match_start), the few raw
 * regex terms by a second, small database that does track starts.
 */
/* Every term's forms: from the forms cache when it holds them (no OpenCC
 * to open), else expanded now and stored for the next run. */
static rf_status expand_all(
    const rf_compiler *c,
    const rf_rule_store *s,
    rf_strvec *all,
    uint32_t *first)
{
    char key[33];
    if (c->cache_dir != NULL) {
        rf_forms_cache_key(key, s);
        if (rf_forms_cache_load(c->cache_dir, key, s->term_count, all, first) ==
            RF_OK) {
            return RF_OK;
        }
    }
    rf_expander *ex = NULL;
    rf_status st = rf_expander_new(&ex);
    for (size_t i = 0; i < s->term_count && st == RF_OK; i++) {
        first[i] = (uint32_t)all->n;
        st = rf_expand_term(ex, &s->terms[i], all);
    }
    first[s->term_count] = (uint32_t)all->n;
    rf_expander_free(ex);
    if (st == RF_OK && c->cache_dir != NULL) {
        /* a cache that cannot be written costs only the next run's time;
         * cache_store says so once, for the databases */
        (void)rf_forms_cache_store(
            c->cache_dir, key, s->term_count, all, first);
    }
    return st;
}

static rf_status build_database(rf_compiler *c, rf_ruleset *rs)
{
    rf_strvec exprs = {0};
    rf_strvec som_exprs = {0};
    rf_strvec all = {0};
    uint32_t *ids = NULL;
    uint32_t *som_ids = NULL;
    size_t cap = 0;
    const rf_rule_store *s = &rs->store;
    uint32_t *first = malloc((s->term_count + 1) * sizeof(*first));
    rf_status st = first != NULL ? expand_all(c, s, &all, first) : RF_ENOMEM;
    for (size_t i = 0; i < s->term_count && st == RF_OK; i++) {
        const rf_term *t = &s->terms[i];
        for (size_t k = first[i]; k < first[i + 1] && st == RF_OK; k++) {
            const char *form = all.v[k];
            rf_buf re = {0};
            if (t->regex) {
                st = rf_buf_puts(&re, form);
            } else {
                st = rf_expand_regex(&re, form);
            }
            st = st ? st : push_pattern(rs, &cap, (uint32_t)i);
            st = st ? st : rf_strvec_push(&exprs, re.data);
            st = st ? st : rf_strvec_push(&rs->forms, form);
            if (st == RF_OK && t->regex) {
                st = rf_strvec_push(&som_exprs, re.data);
            } else if (st == RF_OK) {
                st = rf_expand_literal(&rs->literals, form);
                if (st == RF_OK) {
                    st =
                        rf_strvec_push(&rs->literal_sets, s->sets[t->set].name);
                }
            }
            rf_buf_free(&re);
        }
    }
    rf_strvec_free(&all);
    free(first);
    if (st == RF_OK) {
        unique_literals(rs);
    }
    if (st == RF_OK && rs->pattern_count == 0) {
        rf_compiler__diag(
            c, RF_DIAG_ERROR, NULL, 0, NULL,
            "no terms to compile: load at least one set");
        st = RF_EPARSE;
    }
    if (st == RF_OK && rs->pattern_count > UINT32_MAX / 4) {
        st = RF_ELIMIT;
    }
    if (st == RF_OK) {
        ids = malloc(rs->pattern_count * sizeof(*ids));
        som_ids = malloc((som_exprs.n + 1) * sizeof(*som_ids));
        rs->som_to_pattern = malloc((som_exprs.n + 1) * sizeof(uint32_t));
        if (ids == NULL || som_ids == NULL || rs->som_to_pattern == NULL) {
            st = RF_ENOMEM;
        }
    }
    if (st == RF_OK) {
        size_t k = 0;
        for (size_t i = 0; i < rs->pattern_count; i++) {
            ids[i] = (uint32_t)i;
            rs->patterns[i].form = rs->forms.v[i];
            if (rs->patterns[i].regex) {
                rs->patterns[i].som_id = (uint32_t)k;
                rs->som_to_pattern[k] = (uint32_t)i;
                som_ids[k] = (uint32_t)i;
                k++;
            }
        }
        rs->som_count = k;
        st = compile_db(c, rs, &rs->db, &exprs, ids, ids, HS_FLAG_CASELESS);
    }
    if (st == RF_OK && som_exprs.n > 0) {
        st = compile_db(
            c, rs, &rs->som_db, &som_exprs, som_ids, som_ids,
            HS_FLAG_CASELESS | HS_FLAG_SOM_LEFTMOST);
    }
    if (st == RF_OK) {
        st = build_anchor_db(c, rs, &exprs);
    }
    if (st == RF_OK) {
        rs->mask_reach = mask_reach(rs, &exprs);
    }
    free(ids);
    free(som_ids);
    rf_strvec_free(&exprs);
    rf_strvec_free(&som_exprs);
    return st;
}

void rf_ruleset_free(rf_ruleset *rs)
{
    if (rs == NULL) {
        return;
    }
    rf_rule_store_free(&rs->store);
    free(rs->patterns);
    rf_strvec_free(&rs->literals);
    rf_strvec_free(&rs->literal_sets);
    rf_strvec_free(&rs->forms);
    free(rs->som_to_pattern);
    hs_free_database(rs->db);
    hs_free_database(rs->som_db);
    hs_free_database(rs->anchor_db);
    free(rs->anchors);
    rf_strvec_free(&rs->anchor_words);
    free(rs->set_reach);
    free(rs);
}

rf_status rf_compiler_compile(rf_ruleset **out, rf_compiler *c)
{
    *out = NULL;
    rf_rule_store *s = &c->store;
    if (s->rule_count > 1) {
        qsort(s->rules, s->rule_count, sizeof(*s->rules), cmp_rule);
    }
    check_duplicates(c);
    rf_status st = RF_OK;
    for (size_t i = 0; i < s->rule_count && st == RF_OK; i++) {
        rf_rule *r = &s->rules[i];
        st = resolve(c, r, &r->all_names, &r->all, "all");
        if (st == RF_OK) {
            st = resolve(c, r, &r->any_names, &r->any, "any");
        }
        if (st == RF_OK) {
            st = resolve(c, r, &r->none_names, &r->none, "none");
        }
    }
    if (st != RF_OK) {
        return st;
    }
    if (c->error_count > 0) {
        return RF_EPARSE;
    }
    if (s->rule_count == 0) {
        rf_compiler__diag(c, RF_DIAG_ERROR, NULL, 0, NULL, "no rules loaded");
        return RF_EPARSE;
    }
    rf_ruleset *rs = calloc(1, sizeof(*rs));
    if (rs == NULL) {
        return RF_ENOMEM;
    }
    /* the ruleset takes the store; the compiler keeps its diagnostics */
    rs->store = *s;
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < rs->store.set_count; i++) {
        rs->has_mask = rs->has_mask || rs->store.sets[i].mask;
    }
    st = build_database(c, rs);
    if (st != RF_OK) {
        rf_ruleset_free(rs);
        return st;
    }
    *out = rs;
    return RF_OK;
}

/* ---------------- accessors ---------------- */

size_t rf_ruleset_rule_count(const rf_ruleset *rs)
{
    return rs->store.rule_count;
}

const rf_rule *rf_ruleset_rule(const rf_ruleset *rs, size_t i)
{
    return i < rs->store.rule_count ? &rs->store.rules[i] : NULL;
}

size_t rf_ruleset_pattern_count(const rf_ruleset *rs)
{
    return rs->pattern_count;
}

rf_status rf_ruleset_terms(
    const rf_ruleset *rs,
    bool expanded,
    int (*cb)(const char *term, const char *set, void *payload),
    void *payload)
{
    if (expanded) {
        for (size_t i = 0; i < rs->literals.n; i++) {
            if (cb(rs->literals.v[i], rs->literal_sets.v[i], payload) != 0) {
                return RF_EUSER;
            }
        }
        return RF_OK;
    }
    const rf_rule_store *s = &rs->store;
    for (size_t i = 0; i < s->term_count; i++) {
        if (cb(s->terms[i].text, s->sets[s->terms[i].set].name, payload) != 0) {
            return RF_EUSER;
        }
    }
    return RF_OK;
}

const char *rf_rule_id(const rf_rule *r)
{
    return r->id;
}

const char *rf_rule_title(const rf_rule *r)
{
    return r->title ? r->title : "";
}

const char *rf_rule_category(const rf_rule *r)
{
    return r->category ? r->category : "";
}

rf_severity rf_rule_severity(const rf_rule *r)
{
    return r->severity;
}

const char *rf_rule_regulation(const rf_rule *r)
{
    return r->regulation ? r->regulation : "";
}

const char *rf_rule_message(const rf_rule *r)
{
    return r->message ? r->message : "";
}

const char *rf_rule_description(const rf_rule *r)
{
    return r->description ? r->description : "";
}

const char *const *rf_rule_languages(const rf_rule *r)
{
    return rf_strvec_list(&r->languages);
}

const char *rf_rule_source(const rf_rule *r, uint64_t *line)
{
    if (line != NULL) {
        *line = r->line;
    }
    return r->file;
}

const char *const *rf_rule_examples(const rf_rule *r, bool must_match)
{
    return rf_strvec_list(must_match ? &r->ex_match : &r->ex_nomatch);
}
