/*
 * yaml.c - read rule files (docs/rules.md) into the rule store.
 *
 * libyaml's document API gives a node tree with a line for every node, so
 * every message can say "file:line: what is wrong". The reader is lenient
 * in what it collects and strict in what it accepts: it records every
 * problem it sees in a file and keeps going, and the compiler refuses to
 * build if any error was recorded.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "rules/rules.h"

typedef struct yctx {
    rf_compiler *c;
    rf_rule_store *store;
    yaml_document_t *doc;
    const char *file;
    int errors;
} yctx;

static uint64_t node_line(const yaml_node_t *n)
{
    return (uint64_t)n->start_mark.line + 1;
}

#define YERR(y, node, rule, ...)                                            \
    do {                                                                    \
        (y)->errors++;                                                      \
        rf_compiler__diag(                                                  \
            (y)->c, RF_DIAG_ERROR, (y)->file, (node) ? node_line(node) : 0, \
            (rule), __VA_ARGS__);                                           \
    } while (0)

static yaml_node_t *node(yctx *y, yaml_node_item_t id)
{
    return yaml_document_get_node(y->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE) {
        return NULL;
    }
    return (const char *)n->data.scalar.value;
}

/* Look up key in a mapping node. */
static yaml_node_t *map_get(yctx *y, yaml_node_t *map, const char *key)
{
    if (map == NULL || map->type != YAML_MAPPING_NODE) {
        return NULL;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        const char *k = scalar(node(y, p->key));
        if (k != NULL && strcmp(k, key) == 0) {
            return node(y, p->value);
        }
    }
    return NULL;
}

static bool key_known(const char *key, const char *const *known)
{
    for (size_t i = 0; known[i] != NULL; i++) {
        if (strcmp(key, known[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Report keys that are not in `known`: a typo must not silently weaken a
 * rule (an unknown "nones:" would drop an exclusion). */
static void check_keys(
    yctx *y, yaml_node_t *map, const char *const *known, const char *rule)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = node(y, p->key);
        const char *k = scalar(kn);
        if (k == NULL || !key_known(k, known)) {
            YERR(y, kn, rule, "unknown key '%s'", k ? k : "?");
        }
    }
}

static rf_status set_string(
    yctx *y,
    yaml_node_t *map,
    const char *key,
    char **out,
    bool required,
    const char *rule)
{
    yaml_node_t *n = map_get(y, map, key);
    if (n == NULL) {
        if (required) {
            YERR(y, map, rule, "missing required key '%s'", key);
        }
        return RF_OK;
    }
    const char *v = scalar(n);
    if (v == NULL) {
        YERR(y, n, rule, "'%s' must be a string", key);
        return RF_OK;
    }
    return rf_doc_set(out, v);
}

static rf_status string_list(
    yctx *y, yaml_node_t *n, rf_strvec *out, const char *what, const char *rule)
{
    if (n == NULL) {
        return RF_OK;
    }
    if (n->type == YAML_SCALAR_NODE) {
        return rf_strvec_push(out, scalar(n));
    }
    if (n->type != YAML_SEQUENCE_NODE) {
        YERR(y, n, rule, "'%s' must be a list of strings", what);
        return RF_OK;
    }
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++) {
        yaml_node_t *item = node(y, *it);
        const char *v = scalar(item);
        if (v == NULL) {
            YERR(y, item, rule, "'%s' must be a list of strings", what);
            continue;
        }
        rf_status st = rf_strvec_push(out, v);
        if (st != RF_OK) {
            return st;
        }
    }
    return RF_OK;
}

/* ---------------- sets ---------------- */

static rf_status push_term(
    yctx *y, yaml_node_t *tn, const char *text, const char *lang, uint32_t set)
{
    rf_rule_store *s = y->store;
    if (s->term_count == s->term_cap) {
        size_t cap = s->term_cap ? s->term_cap * 2 : 256;
        rf_term *t = realloc(s->terms, cap * sizeof(*t));
        if (t == NULL) {
            return RF_ENOMEM;
        }
        s->terms = t;
        s->term_cap = cap;
    }
    rf_term term = {0};
    size_t len = strlen(text);
    term.line = node_line(tn);
    term.set = set;
    if (strncmp(text, "re:", 3) == 0) {
        term.regex = true;
        text += 3;
        len -= 3;
    } else {
        if (len > 0 && text[0] == '*') {
            term.suffix = true;
            text++;
            len--;
        }
        if (len > 0 && text[len - 1] == '*') {
            term.prefix = true;
            len--;
        }
    }
    if (len == 0) {
        YERR(y, tn, NULL, "empty term in set '%s'", s->sets[set].name);
        return RF_OK;
    }
    if (!term.regex && memchr(text, '*', len) != NULL) {
        YERR(
            y, tn, NULL,
            "set '%s': term '%s' has a '*' inside it; '*' is only allowed "
            "at the start or the end (use re: for anything else)",
            s->sets[set].name, text);
        return RF_OK;
    }
    term.text = rf_strndup(text, len);
    term.lang = rf_strdup(lang);
    if (term.text == NULL || term.lang == NULL) {
        free(term.text);
        free(term.lang);
        return RF_ENOMEM;
    }
    s->terms[s->term_count++] = term;
    return RF_OK;
}

static rf_status parse_set(yctx *y, const char *name, yaml_node_t *n)
{
    static const char *const known[] = {"description", "mask", "terms", NULL};
    rf_rule_store *s = y->store;
    if (n->type != YAML_MAPPING_NODE) {
        YERR(y, n, NULL, "set '%s' must be a mapping with 'terms'", name);
        return RF_OK;
    }
    check_keys(y, n, known, NULL);
    if (s->set_count == s->set_cap) {
        size_t cap = s->set_cap ? s->set_cap * 2 : 32;
        rf_set *v = realloc(s->sets, cap * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        s->sets = v;
        s->set_cap = cap;
    }
    uint32_t idx = (uint32_t)s->set_count;
    rf_set *set = &s->sets[s->set_count++];
    memset(set, 0, sizeof(*set));
    set->name = rf_strdup(name);
    set->file = rf_strdup(y->file);
    set->line = node_line(n);
    if (set->name == NULL || set->file == NULL) {
        return RF_ENOMEM;
    }
    rf_status st =
        set_string(y, n, "description", &set->description, false, NULL);
    if (st != RF_OK) {
        return st;
    }
    const char *mask = scalar(map_get(y, n, "mask"));
    if (mask != NULL) {
        set->mask = strcmp(mask, "true") == 0 || strcmp(mask, "yes") == 0;
    }
    yaml_node_t *terms = map_get(y, n, "terms");
    set->first_term = (uint32_t)s->term_count;
    if (terms == NULL || terms->type != YAML_MAPPING_NODE) {
        YERR(
            y, terms ? terms : n, NULL,
            "set '%s': 'terms' must map languages to lists of terms", name);
        return RF_OK;
    }
    for (yaml_node_pair_t *p = terms->data.mapping.pairs.start;
         p < terms->data.mapping.pairs.top; p++) {
        const char *lang = scalar(node(y, p->key));
        yaml_node_t *list = node(y, p->value);
        if (lang == NULL || list == NULL) {
            continue;
        }
        if (list->type != YAML_SEQUENCE_NODE) {
            YERR(
                y, list, NULL, "set '%s': terms for '%s' must be a list", name,
                lang);
            continue;
        }
        for (yaml_node_item_t *it = list->data.sequence.items.start;
             it < list->data.sequence.items.top; it++) {
            yaml_node_t *tn = node(y, *it);
            const char *text = scalar(tn);
            if (text == NULL) {
                YERR(y, tn, NULL, "set '%s': a term must be a string", name);
                continue;
            }
            st = push_term(y, tn, text, lang, idx);
            if (st != RF_OK) {
                return st;
            }
        }
    }
    /* `set` may have moved if push_term grew nothing; re-take it */
    s->sets[idx].term_count =
        (uint32_t)(s->term_count - s->sets[idx].first_term);
    if (s->sets[idx].term_count == 0) {
        YERR(y, n, NULL, "set '%s' has no terms", name);
    }
    return RF_OK;
}

/* ---------------- rules ---------------- */

static bool valid_id(const char *id)
{
    if (*id == '\0') {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '.' || *p == '_')) {
            return false;
        }
    }
    return true;
}

static void parse_within(yctx *y, rf_rule *r, yaml_node_t *n)
{
    r->within = RF_WITHIN_SENTENCE;
    const char *v = scalar(n);
    if (n == NULL) {
        return;
    }
    if (v == NULL) {
        YERR(y, n, r->id, "'within' must be a scope name or a number");
        return;
    }
    static const struct {
        const char *name;
        rf_within w;
    } scopes[] = {
        {"sentence", RF_WITHIN_SENTENCE},   {"line", RF_WITHIN_LINE},
        {"paragraph", RF_WITHIN_PARAGRAPH}, {"unit", RF_WITHIN_UNIT},
        {"document", RF_WITHIN_DOCUMENT},
    };
    for (size_t i = 0; i < RF_ARRAY_LEN(scopes); i++) {
        if (strcmp(v, scopes[i].name) == 0) {
            r->within = scopes[i].w;
            return;
        }
    }
    char *end;
    long chars = strtol(v, &end, 10);
    if (*v != '\0' && *end == '\0' && chars > 0 && chars <= 100000) {
        r->within = RF_WITHIN_CHARS;
        r->within_chars = (uint32_t)chars;
        return;
    }
    YERR(
        y, n, r->id,
        "'within: %s' is not sentence, line, paragraph, unit, document or "
        "a number of characters (1..100000)",
        v);
}

static rf_status parse_sections(yctx *y, rf_rule *r, yaml_node_t *map)
{
    rf_strvec names = {0};
    rf_status st =
        string_list(y, map_get(y, map, "sections"), &names, "sections", r->id);
    for (size_t i = 0; st == RF_OK && i < names.n; i++) {
        rf_section_kind k;
        if (rf_section_kind_parse(&k, names.v[i]) != RF_OK) {
            YERR(
                y, map_get(y, map, "sections"), r->id, "unknown section '%s'",
                names.v[i]);
            continue;
        }
        r->section_mask |= 1u << k;
    }
    rf_strvec_free(&names);
    for (size_t i = 0; i < RF_SECTION_KIND_COUNT; i++) {
        r->sev_by_section[i] = -1;
    }
    yaml_node_t *sbs = map_get(y, map, "severity_by_section");
    if (sbs == NULL) {
        return st;
    }
    if (sbs->type != YAML_MAPPING_NODE) {
        YERR(y, sbs, r->id, "'severity_by_section' must be a mapping");
        return st;
    }
    for (yaml_node_pair_t *p = sbs->data.mapping.pairs.start;
         p < sbs->data.mapping.pairs.top; p++) {
        const char *k = scalar(node(y, p->key));
        const char *v = scalar(node(y, p->value));
        rf_section_kind kind;
        rf_severity sev;
        if (k == NULL || rf_section_kind_parse(&kind, k) != RF_OK) {
            YERR(
                y, node(y, p->key), r->id, "unknown section '%s'", k ? k : "?");
            continue;
        }
        if (v == NULL || rf_severity_parse(&sev, v) != RF_OK) {
            YERR(
                y, node(y, p->value), r->id, "unknown severity '%s'",
                v ? v : "?");
            continue;
        }
        r->sev_by_section[kind] = (int)sev;
    }
    return st;
}

static rf_status parse_rule(yctx *y, yaml_node_t *n)
{
    static const char *const known[] = {"id",          "title",
                                        "category",    "severity",
                                        "regulation",  "message",
                                        "description", "languages",
                                        "all",         "any",
                                        "none",        "within",
                                        "sections",    "severity_by_section",
                                        "examples",    NULL};
    rf_rule_store *s = y->store;
    if (n->type != YAML_MAPPING_NODE) {
        YERR(y, n, NULL, "a rule must be a mapping");
        return RF_OK;
    }
    if (s->rule_count == s->rule_cap) {
        size_t cap = s->rule_cap ? s->rule_cap * 2 : 32;
        rf_rule *v = realloc(s->rules, cap * sizeof(*v));
        if (v == NULL) {
            return RF_ENOMEM;
        }
        s->rules = v;
        s->rule_cap = cap;
    }
    rf_rule *r = &s->rules[s->rule_count++];
    memset(r, 0, sizeof(*r));
    r->file = rf_strdup(y->file);
    r->line = node_line(n);
    if (r->file == NULL) {
        return RF_ENOMEM;
    }
    rf_status st = set_string(y, n, "id", &r->id, true, NULL);
    if (st != RF_OK) {
        return st;
    }
    if (r->id == NULL) {
        r->id = rf_strdup("?");
        return r->id ? RF_OK : RF_ENOMEM;
    }
    if (!valid_id(r->id)) {
        YERR(
            y, n, r->id,
            "rule id must use lowercase letters, digits, '-', '.', '_'");
    }
    check_keys(y, n, known, r->id);
    const struct {
        const char *key;
        char **field;
        bool required;
    } strings[] = {
        {"title", &r->title, true},
        {"category", &r->category, true},
        {"regulation", &r->regulation, true},
        {"message", &r->message, true},
        {"description", &r->description, false},
    };
    for (size_t i = 0; i < RF_ARRAY_LEN(strings) && st == RF_OK; i++) {
        st = set_string(
            y, n, strings[i].key, strings[i].field, strings[i].required, r->id);
    }
    if (st != RF_OK) {
        return st;
    }
    const char *sev = scalar(map_get(y, n, "severity"));
    if (sev == NULL || rf_severity_parse(&r->severity, sev) != RF_OK) {
        YERR(
            y, map_get(y, n, "severity") ? map_get(y, n, "severity") : n, r->id,
            "severity must be critical, high, medium, low or info");
    }
    st = string_list(
        y, map_get(y, n, "languages"), &r->languages, "languages", r->id);
    if (st == RF_OK) {
        st = string_list(y, map_get(y, n, "all"), &r->all_names, "all", r->id);
    }
    if (st == RF_OK) {
        st = string_list(y, map_get(y, n, "any"), &r->any_names, "any", r->id);
    }
    if (st == RF_OK) {
        st = string_list(
            y, map_get(y, n, "none"), &r->none_names, "none", r->id);
    }
    if (st != RF_OK) {
        return st;
    }
    if (r->all_names.n == 0) {
        YERR(y, n, r->id, "'all' must name at least one set (the anchor)");
    }
    parse_within(y, r, map_get(y, n, "within"));
    st = parse_sections(y, r, n);
    if (st != RF_OK) {
        return st;
    }
    yaml_node_t *ex = map_get(y, n, "examples");
    if (ex != NULL) {
        static const char *const ex_known[] = {"match", "no_match", NULL};
        if (ex->type != YAML_MAPPING_NODE) {
            YERR(y, ex, r->id, "'examples' must have 'match' / 'no_match'");
        } else {
            check_keys(y, ex, ex_known, r->id);
            st = string_list(
                y, map_get(y, ex, "match"), &r->ex_match, "examples.match",
                r->id);
            if (st == RF_OK) {
                st = string_list(
                    y, map_get(y, ex, "no_match"), &r->ex_nomatch,
                    "examples.no_match", r->id);
            }
        }
    }
    if (st == RF_OK && r->ex_match.n == 0) {
        YERR(y, n, r->id, "a rule needs at least one 'examples: match:' text");
    }
    return st;
}

rf_status rf_compiler__parse_yaml(
    rf_compiler *c,
    rf_rule_store *store,
    const char *yaml,
    size_t len,
    const char *name)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yctx y = {.c = c, .store = store, .doc = &doc, .file = name};
    if (!yaml_parser_initialize(&parser)) {
        return RF_ENOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    if (!yaml_parser_load(&parser, &doc)) {
        rf_compiler__diag(
            c, RF_DIAG_ERROR, name, (uint64_t)parser.problem_mark.line + 1,
            NULL, "YAML: %s%s%s", parser.problem ? parser.problem : "",
            parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return RF_EPARSE;
    }
    rf_status st = RF_OK;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root == NULL) {
        goto done; /* empty file */
    }
    if (root->type != YAML_MAPPING_NODE) {
        YERR(&y, root, NULL, "a rule file is a mapping with 'sets' / 'rules'");
        goto done;
    }
    static const char *const known[] = {"sets", "rules", NULL};
    check_keys(&y, root, known, NULL);
    yaml_node_t *sets = map_get(&y, root, "sets");
    if (sets != NULL) {
        if (sets->type != YAML_MAPPING_NODE) {
            YERR(&y, sets, NULL, "'sets' must map set names to sets");
        } else {
            for (yaml_node_pair_t *p = sets->data.mapping.pairs.start;
                 p < sets->data.mapping.pairs.top && st == RF_OK; p++) {
                const char *sname = scalar(node(&y, p->key));
                if (sname == NULL) {
                    YERR(
                        &y, node(&y, p->key), NULL,
                        "a set name must be a string");
                    continue;
                }
                st = parse_set(&y, sname, node(&y, p->value));
            }
        }
    }
    yaml_node_t *rules = map_get(&y, root, "rules");
    if (rules != NULL && st == RF_OK) {
        if (rules->type != YAML_SEQUENCE_NODE) {
            YERR(&y, rules, NULL, "'rules' must be a list of rules");
        } else {
            for (yaml_node_item_t *it = rules->data.sequence.items.start;
                 it < rules->data.sequence.items.top && st == RF_OK; it++) {
                st = parse_rule(&y, node(&y, *it));
            }
        }
    }
done:
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (st == RF_OK && y.errors > 0) {
        st = RF_EPARSE;
    }
    return st;
}
