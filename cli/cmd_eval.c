/*
 * cmd_eval.c - `redflag eval [SET]`: precision and recall of the loaded
 * rules on a labelled set (eval/cases/, one YAML file per language; see
 *
 * A case is flagged when the scan of its text yields a finding at medium or
 * above. Positives must be flagged, negatives must not. Next to the rules,
 * the same texts are run through the keyword baseline (every trait and
 * group term, no rules) so the report shows what the rules buy. Real files
 * named in eval/corpus-labels.yaml are scanned whole with --corpus DIR.
 * With thresholds, the exit status is 1 when any is missed.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "cmd.h"

#ifndef RF_DEFAULT_EVAL
#define RF_DEFAULT_EVAL "eval"
#endif

typedef struct ecase {
    char *id;
    char *lang;
    char *kind;
    char *trait;
    char *section;
    char *text;
    char *file;
    bool positive;
    rf_severity min_severity;
    /* results */
    bool flagged;
    bool baseline;
    rf_severity got;
    char got_rule[64];
    char got_category[32];
} ecase;

typedef struct eset {
    ecase *v;
    size_t n;
    size_t cap;
} eset;

typedef struct tally {
    char key[32];
    size_t tp, fp, fn, tn;
    size_t btp, bfp, bfn, btn;
} tally;

typedef struct tallies {
    tally v[64];
    size_t n;
} tallies;

/* ---------------- loading ---------------- */

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p != NULL) {
        memcpy(p, s, n);
    }
    return p;
}

static const char *scalar(yaml_document_t *d, yaml_node_t *n)
{
    (void)d;
    return n != NULL && n->type == YAML_SCALAR_NODE
               ? (const char *)n->data.scalar.value
               : NULL;
}

static const char *map_str(yaml_document_t *d, yaml_node_t *m, const char *key)
{
    if (m == NULL || m->type != YAML_MAPPING_NODE) {
        return NULL;
    }
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++) {
        const char *k = scalar(d, yaml_document_get_node(d, p->key));
        if (k != NULL && strcmp(k, key) == 0) {
            return scalar(d, yaml_document_get_node(d, p->value));
        }
    }
    return NULL;
}

static yaml_node_t *
map_node(yaml_document_t *d, yaml_node_t *m, const char *key)
{
    if (m == NULL || m->type != YAML_MAPPING_NODE) {
        return NULL;
    }
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++) {
        const char *k = scalar(d, yaml_document_get_node(d, p->key));
        if (k != NULL && strcmp(k, key) == 0) {
            return yaml_document_get_node(d, p->value);
        }
    }
    return NULL;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return NULL;
    }
    size_t cap = 65536;
    size_t n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            char *b = realloc(buf, cap * 2);
            if (b == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    fclose(fp);
    *len = n;
    return buf;
}

/* Parse one YAML file; `root_key` is "cases" or "files". Calls add() for
 * each mapping in the list. */
static int load_yaml(
    const char *path,
    const char *root_key,
    int (*add)(
        yaml_document_t *d, yaml_node_t *item, const char *path, void *p),
    void *payload)
{
    size_t len;
    char *text = slurp(path, &len);
    if (text == NULL) {
        fprintf(stderr, "redflag: error: cannot read %s\n", path);
        return -1;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = 0;
    if (!yaml_parser_load(&parser, &doc)) {
        fprintf(
            stderr, "%s:%zu: error: YAML: %s\n", path,
            parser.problem_mark.line + 1,
            parser.problem ? parser.problem : "?");
        yaml_parser_delete(&parser);
        free(text);
        return -1;
    }
    yaml_node_t *list =
        map_node(&doc, yaml_document_get_root_node(&doc), root_key);
    if (list == NULL || list->type != YAML_SEQUENCE_NODE) {
        fprintf(stderr, "%s: error: no '%s:' list\n", path, root_key);
        rc = -1;
    } else {
        for (yaml_node_item_t *it = list->data.sequence.items.start;
             it < list->data.sequence.items.top && rc == 0; it++) {
            rc = add(&doc, yaml_document_get_node(&doc, *it), path, payload);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(text);
    return rc;
}

static int
add_case(yaml_document_t *d, yaml_node_t *item, const char *path, void *p)
{
    eset *set = p;
    const char *id = map_str(d, item, "id");
    const char *text = map_str(d, item, "text");
    const char *label = map_str(d, item, "label");
    if (id == NULL || text == NULL || label == NULL) {
        fprintf(
            stderr, "%s:%zu: error: a case needs id, label and text\n", path,
            item ? item->start_mark.line + 1 : 0);
        return -1;
    }
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 256;
        ecase *v = realloc(set->v, cap * sizeof(*v));
        if (v == NULL) {
            return -1;
        }
        set->v = v;
        set->cap = cap;
    }
    ecase *c = &set->v[set->n++];
    memset(c, 0, sizeof(*c));
    const char *lang = map_str(d, item, "lang");
    const char *kind = map_str(d, item, "kind");
    const char *trait = map_str(d, item, "trait");
    const char *section = map_str(d, item, "section");
    const char *minsev = map_str(d, item, "min_severity");
    c->id = dup(id);
    c->text = dup(text);
    c->lang = dup(lang ? lang : "und");
    c->kind = dup(kind ? kind : "other");
    c->trait = dup(trait ? trait : "none");
    c->section = dup(section ? section : "text");
    c->file = dup(path);
    c->positive = strcmp(label, "positive") == 0;
    c->min_severity = RF_SEV_MEDIUM;
    if (minsev != NULL) {
        rf_severity_parse(&c->min_severity, minsev);
    }
    return 0;
}

typedef struct corpus_ctx {
    eset *set;
    const char *dir;
} corpus_ctx;

static int add_corpus_file(
    yaml_document_t *d, yaml_node_t *item, const char *path, void *p)
{
    corpus_ctx *cc = p;
    const char *rel = map_str(d, item, "path");
    const char *label = map_str(d, item, "label");
    if (rel == NULL || label == NULL) {
        fprintf(
            stderr, "%s: error: a corpus entry needs path and label\n", path);
        return -1;
    }
    eset *set = cc->set;
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 256;
        ecase *v = realloc(set->v, cap * sizeof(*v));
        if (v == NULL) {
            return -1;
        }
        set->v = v;
        set->cap = cap;
    }
    ecase *c = &set->v[set->n++];
    memset(c, 0, sizeof(*c));
    size_t n = strlen(cc->dir) + strlen(rel) + 2;
    c->file = malloc(n);
    if (c->file != NULL) {
        snprintf(c->file, n, "%s/%s", cc->dir, rel);
    }
    c->id = dup(rel);
    c->lang = dup("und");
    c->kind = dup("real-file");
    c->trait = dup("none");
    c->section = dup("file");
    c->positive = strcmp(label, "positive") == 0;
    c->min_severity = RF_SEV_MEDIUM;
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_cases_dir(const char *dir, eset *set)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "redflag: error: cannot open %s\n", dir);
        return -1;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0) {
            names[n++] = dup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_name);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        if (rc == 0) {
            rc = load_yaml(path, "cases", add_case, set);
        }
        free(names[i]);
    }
    return rc;
}

/* ---------------- running ---------------- */

typedef struct worst {
    rf_severity sev;
    bool any;
    char rule[64];
    char category[32];
} worst;

static int on_finding(const rf_finding *f, void *payload)
{
    worst *w = payload;
    if (!w->any || f->severity > w->sev) {
        w->any = true;
        w->sev = f->severity;
        snprintf(w->rule, sizeof(w->rule), "%s", f->rule_id);
        snprintf(w->category, sizeof(w->category), "%s", f->category);
    }
    return 0;
}

static rf_status sink_finding(void *payload, const rf_finding *f)
{
    on_finding(f, payload);
    return RF_OK;
}

static int run_case(rf_scanner *sc, const rf_ruleset *rs, ecase *c)
{
    worst w = {0};
    if (strcmp(c->section, "file") == 0) {
        rf_sink sink = {
            .version = RF_SINK_VERSION, .finding = sink_finding, .payload = &w};
        rf_scan_options opts;
        rf_scan_options_init(&opts);
        opts.jobs = 1;
        const char *paths[1] = {c->file};
        if (rf_scan_run(NULL, rs, paths, 1, &opts, &sink) != RF_OK) {
            return -1;
        }
        c->baseline = false;
    } else {
        rf_section_kind kind = RF_SECTION_TEXT;
        if (rf_section_kind_parse(&kind, c->section) != RF_OK) {
            kind = RF_SECTION_TEXT;
        }
        if (rf_scanner_scan_text(
                sc, c->text, strlen(c->text), kind, on_finding, &w) != RF_OK) {
            return -1;
        }
        size_t hits = 0;
        if (rf_scanner_keyword_hits(sc, c->text, strlen(c->text), &hits) !=
            RF_OK) {
            return -1;
        }
        c->baseline = hits > 0;
    }
    c->flagged = w.any && w.sev >= RF_SEV_MEDIUM;
    c->got = w.any ? w.sev : RF_SEV_INFO;
    snprintf(c->got_rule, sizeof(c->got_rule), "%s", w.any ? w.rule : "-");
    snprintf(
        c->got_category, sizeof(c->got_category), "%s",
        w.any ? w.category : "-");
    return 0;
}

static tally *tally_for(tallies *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].key, key) == 0) {
            return &t->v[i];
        }
    }
    if (t->n == sizeof(t->v) / sizeof(t->v[0])) {
        return NULL;
    }
    tally *x = &t->v[t->n++];
    memset(x, 0, sizeof(*x));
    snprintf(x->key, sizeof(x->key), "%s", key);
    return x;
}

static void count(tally *t, const ecase *c)
{
    if (t == NULL) {
        return;
    }
    if (c->positive) {
        t->tp += c->flagged;
        t->fn += !c->flagged;
        t->btp += c->baseline;
        t->bfn += !c->baseline;
    } else {
        t->fp += c->flagged;
        t->tn += !c->flagged;
        t->bfp += c->baseline;
        t->btn += !c->baseline;
    }
}

static double ratio(size_t a, size_t b)
{
    return b == 0 ? 1.0 : (double)a / (double)b;
}

static double f1(double p, double r)
{
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

static int cmp_tally(const void *a, const void *b)
{
    return strcmp(((const tally *)a)->key, ((const tally *)b)->key);
}

/* A ratio, or "-" when it is undefined (no case of that kind). */
static const char *fmt_ratio(char *buf, size_t n, size_t a, size_t b)
{
    if (b == 0) {
        return "-";
    }
    snprintf(buf, n, "%.3f", (double)a / (double)b);
    return buf;
}

/* Prints a table; returns how many rows fall below min_group. */
static int
print_table(const char *title, tallies *t, double min_group, bool check)
{
    qsort(t->v, t->n, sizeof(t->v[0]), cmp_tally);
    printf("\n### %s\n\n", title);
    printf(
        "| %s | positives | negatives | precision | recall | F1 | "
        "keyword P | keyword R |\n",
        title);
    printf("|---|--:|--:|--:|--:|--:|--:|--:|\n");
    int low = 0;
    for (size_t i = 0; i < t->n; i++) {
        tally *x = &t->v[i];
        char b1[16], b2[16], b3[16], b4[16], b5[16];
        double p = ratio(x->tp, x->tp + x->fp);
        double r = ratio(x->tp, x->tp + x->fn);
        bool below = check && (p < min_group || r < min_group);
        low += below;
        const char *f = "-";
        if (x->tp + x->fp > 0 && x->tp + x->fn > 0) {
            snprintf(b3, sizeof(b3), "%.3f", f1(p, r));
            f = b3;
        }
        printf(
            "| %s%s | %zu | %zu | %s | %s | %s | %s | %s |\n", x->key,
            below ? " (below)" : "", x->tp + x->fn, x->fp + x->tn,
            fmt_ratio(b1, sizeof(b1), x->tp, x->tp + x->fp),
            fmt_ratio(b2, sizeof(b2), x->tp, x->tp + x->fn), f,
            fmt_ratio(b4, sizeof(b4), x->btp, x->btp + x->bfp),
            fmt_ratio(b5, sizeof(b5), x->btp, x->btp + x->bfn));
    }
    return low;
}

static void usage(FILE *fp)
{
    fprintf(
        fp,
        "usage: redflag eval [options] [SET]\n"
        "  SET                    folder with cases/*.yaml (default: eval/)\n"
        "  --rules PATH           rules to evaluate (default: shipped packs)\n"
        "  --corpus DIR           also scan the real files named in\n"
        "                         SET/corpus-labels.yaml, relative to DIR\n"
        "  --min-precision X      exit 1 if overall precision < X\n"
        "  --min-recall X         exit 1 if overall recall < X\n"
        "  --min-group X          exit 1 if any language or trait has\n"
        "                         precision or recall < X\n"
        "  --quiet                only the summary tables\n");
}

static void free_set(eset *set)
{
    for (size_t i = 0; i < set->n; i++) {
        ecase *c = &set->v[i];
        free(c->id);
        free(c->lang);
        free(c->kind);
        free(c->trait);
        free(c->section);
        free(c->text);
        free(c->file);
    }
    free(set->v);
}

int cmd_eval(int argc, char **argv)
{
    const char *setdir = RF_DEFAULT_EVAL;
    const char *rules = NULL;
    const char *corpus = NULL;
    double min_p = 0;
    double min_r = 0;
    double min_g = 0;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--rules") == 0 && v) {
            rules = v;
            i++;
        } else if (strcmp(a, "--corpus") == 0 && v) {
            corpus = v;
            i++;
        } else if (strcmp(a, "--min-precision") == 0 && v) {
            min_p = atof(v);
            i++;
        } else if (strcmp(a, "--min-recall") == 0 && v) {
            min_r = atof(v);
            i++;
        } else if (strcmp(a, "--min-group") == 0 && v) {
            min_g = atof(v);
            i++;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return RF_EXIT_OK;
        } else if (a[0] != '-') {
            setdir = a;
        } else {
            usage(stderr);
            return RF_EXIT_ERROR;
        }
    }
    eset set = {0};
    char path[4096];
    snprintf(path, sizeof(path), "%s/cases", setdir);
    if (load_cases_dir(path, &set) != 0) {
        free_set(&set);
        return RF_EXIT_ERROR;
    }
    size_t ncases = set.n;
    if (corpus != NULL) {
        corpus_ctx cc = {.set = &set, .dir = corpus};
        snprintf(path, sizeof(path), "%s/corpus-labels.yaml", setdir);
        if (load_yaml(path, "files", add_corpus_file, &cc) != 0) {
            free_set(&set);
            return RF_EXIT_ERROR;
        }
    }
    rf_ruleset *rs = rf_cli_load_rules(rules);
    rf_scanner *sc = NULL;
    if (rs == NULL || rf_scanner_new(&sc, rs) != RF_OK) {
        rf_ruleset_free(rs);
        free_set(&set);
        return RF_EXIT_ERROR;
    }
    tallies overall = {0};
    tallies by_trait = {0};
    tallies by_lang = {0};
    tallies by_kind = {0};
    tallies real = {0};
    int rc = RF_EXIT_OK;
    size_t undersev = 0;
    for (size_t i = 0; i < set.n; i++) {
        ecase *c = &set.v[i];
        if (run_case(sc, rs, c) != 0) {
            fprintf(stderr, "redflag: error: cannot scan case %s\n", c->id);
            rc = RF_EXIT_ERROR;
            continue;
        }
        if (i >= ncases) {
            count(tally_for(&real, "real files"), c);
            continue;
        }
        count(tally_for(&overall, "all"), c);
        count(tally_for(&by_trait, c->trait), c);
        count(tally_for(&by_lang, c->lang), c);
        count(tally_for(&by_kind, c->kind), c);
        undersev += c->positive && c->flagged && c->got < c->min_severity;
    }
    printf("## redflag eval: %zu labelled passages", ncases);
    if (set.n > ncases) {
        printf(" + %zu real files", set.n - ncases);
    }
    printf("\n");
    tally *o = &overall.v[0];
    double p = ratio(o->tp, o->tp + o->fp);
    double r = ratio(o->tp, o->tp + o->fn);
    print_table("overall", &overall, 0, false);
    int low = print_table("trait", &by_trait, min_g, min_g > 0);
    low += print_table("language", &by_lang, min_g, min_g > 0);
    print_table("kind", &by_kind, 0, false);
    if (real.n > 0) {
        tally *x = &real.v[0];
        printf(
            "\n### real files\n\n%zu real patent files scanned whole: %zu "
            "flagged (false alarms), %zu positives missed.\n",
            x->tp + x->fp + x->fn + x->tn, x->fp, x->fn);
    }
    printf("\nflagged = a finding at medium or above; keyword = the same "
           "trait and group terms with no rules.\n");
    printf(
        "%zu flagged positives were reported below their expected "
        "severity.\n",
        undersev);
    if (!quiet) {
        printf("\n### misses, false alarms, severities below the label\n\n");
        for (size_t i = 0; i < set.n; i++) {
            ecase *c = &set.v[i];
            bool under = c->positive && c->flagged && c->got < c->min_severity;
            if (c->positive == c->flagged && !under) {
                continue;
            }
            printf(
                "- %s %s (%s, %s, %s): got %s %s\n",
                under         ? "BELOW EXPECTED SEVERITY"
                : c->positive ? "MISS"
                              : "FALSE ALARM",
                c->id, c->lang, c->trait, c->kind, c->got_rule,
                rf_severity_name(c->got));
        }
    }
    bool below =
        (min_p > 0 && p < min_p) || (min_r > 0 && r < min_r) || low > 0;
    if (below) {
        printf(
            "\nthresholds missed: precision %.3f (min %.2f), recall %.3f "
            "(min %.2f), %d groups below %.2f\n",
            p, min_p, r, min_r, low, min_g);
        rc = rc == RF_EXIT_OK ? RF_EXIT_FINDINGS : rc;
    }
    rf_scanner_free(sc);
    rf_ruleset_free(rs);
    free_set(&set);
    return rc;
}
