/*
 * html.c - HTML pages (product pages, API docs, saved patent pages).
 *
 * A small streaming tag stripper rather than a DOM: the text between tags
 * is kept byte for byte with its origin, so a finding maps to the exact
 * place in the page; script and style content and comments are dropped;
 * entities (&amp;, &#x201C;, &eacute;) are decoded with an origin at their
 * '&'; block elements (p, div, li, h1-h6, br, tr, td ...) become line
 * breaks so sentences of neighbouring blocks never merge. The <title> is
 * also the document's title. State survives chunk boundaries, so a page of
 * any size is read in one pass.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xml.h"

int rf_sniff_html(const char *head, size_t len, const char *name)
{
    size_t i = 0;
    if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    size_t n = len - i < 2048 ? len - i : 2048;
    const char *h = head + i;
    for (size_t k = 0; k + 5 <= n; k++) {
        if (h[k] == '<' &&
            (strncasecmp(h + k, "<html", 5) == 0 ||
             (k + 14 <= n && strncasecmp(h + k, "<!doctype html", 14) == 0))) {
            return 60;
        }
    }
    const char *dot = name != NULL ? strrchr(name, '.') : NULL;
    if (dot != NULL &&
        (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0 ||
         strcasecmp(dot, ".xhtml") == 0)) {
        return rf_looks_binary(head, len) ? 0 : 50;
    }
    return 0;
}

enum { H_TEXT, H_TAG, H_COMMENT, H_RAW, H_ENTITY };

typedef struct html {
    const rf_reader_ctx *ctx;
    rf_input *in;
    rf_doc *doc;
    size_t sec; /* index of the text section */
    int state;
    char tag[64]; /* the tag's first bytes */
    size_t taglen;
    char quote;
    char ent[40];
    size_t entlen;
    uint64_t ent_off;
    uint64_t ent_line;
    const char *raw_end; /* "</script" or "</style" */
    size_t raw_match;
    size_t dashes;
    bool in_title;
    rf_buf title;
    uint64_t off;  /* input offset of the byte being looked at */
    uint64_t line; /* its line */
    uint64_t max_text;
    bool truncated;
} html;

static rf_section *text_sec(html *h)
{
    return &h->doc->sections[h->sec];
}

static rf_status
out(html *h, const char *s, size_t n, uint64_t off, uint64_t line)
{
    rf_section *sec = text_sec(h);
    if (h->max_text > 0 && sec->text.len + n > h->max_text) {
        h->truncated = true;
        return RF_OK;
    }
    rf_status st = rf_section_append(sec, s, n, off, line);
    if (st == RF_OK && h->in_title) {
        st = rf_buf_append(&h->title, s, n);
    }
    return st;
}

static rf_status newline(html *h)
{
    rf_section *sec = text_sec(h);
    if (sec->text.len == 0 || sec->text.data[sec->text.len - 1] == '\n') {
        return RF_OK;
    }
    return rf_section_append_plain(sec, "\n", 1);
}

static bool is_block(const char *name)
{
    static const char *const blocks[] = {
        "p",        "div",        "br",         "li",      "ul",      "ol",
        "h1",       "h2",         "h3",         "h4",      "h5",      "h6",
        "tr",       "td",         "th",         "table",   "section", "article",
        "header",   "footer",     "blockquote", "pre",     "dt",      "dd",
        "dl",       "hr",         "title",      "nav",     "aside",   "main",
        "figure",   "figcaption", "caption",    "form",    "option",  "select",
        "textarea", "label",      "summary",    "details", NULL};
    for (size_t i = 0; blocks[i] != NULL; i++) {
        if (strcmp(name, blocks[i]) == 0) {
            return true;
        }
    }
    return false;
}

static rf_status end_tag(html *h)
{
    /* name: after '<' and an optional '/', up to space, '/' or end */
    char name[32];
    size_t i = 0;
    bool closing = false;
    if (i < h->taglen && h->tag[i] == '/') {
        closing = true;
        i++;
    }
    size_t n = 0;
    while (i < h->taglen && n + 1 < sizeof(name) &&
           (isalnum((unsigned char)h->tag[i]) || h->tag[i] == '-')) {
        name[n++] = (char)tolower((unsigned char)h->tag[i++]);
    }
    name[n] = '\0';
    h->state = H_TEXT;
    if (n == 0) {
        return RF_OK; /* <!DOCTYPE>, <?xml ?>, stray '<' */
    }
    if (!closing &&
        (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)) {
        bool self = h->taglen > 0 && h->tag[h->taglen - 1] == '/';
        if (!self) {
            h->raw_end = name[1] == 'c' ? "</script" : "</style";
            h->raw_match = 0;
            h->state = H_RAW;
        }
        return RF_OK;
    }
    if (strcmp(name, "title") == 0) {
        h->in_title = !closing && h->title.len == 0;
    }
    return is_block(name) ? newline(h) : RF_OK;
}

static rf_status end_entity(html *h, bool terminated)
{
    char u[8];
    const char *rep = NULL;
    size_t rl = 0;
    h->state = H_TEXT;
    h->ent[h->entlen] = '\0';
    if (terminated && h->entlen > 1 && h->ent[0] == '#') {
        unsigned long cp = h->ent[1] == 'x' || h->ent[1] == 'X'
                               ? strtoul(h->ent + 2, NULL, 16)
                               : strtoul(h->ent + 1, NULL, 10);
        if (cp > 0 && cp < 0x110000 && !(cp >= 0xD800 && cp < 0xE000)) {
            if (cp < 0x80) {
                u[0] = (char)cp;
                rl = 1;
            } else if (cp < 0x800) {
                u[0] = (char)(0xC0 | (cp >> 6));
                u[1] = (char)(0x80 | (cp & 0x3F));
                rl = 2;
            } else if (cp < 0x10000) {
                u[0] = (char)(0xE0 | (cp >> 12));
                u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                u[2] = (char)(0x80 | (cp & 0x3F));
                rl = 3;
            } else {
                u[0] = (char)(0xF0 | (cp >> 18));
                u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
                u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
                u[3] = (char)(0x80 | (cp & 0x3F));
                rl = 4;
            }
            rep = u;
        }
    } else if (terminated) {
        rep = rf_xml_entity(h->ent);
        rl = rep != NULL ? strlen(rep) : 0;
    }
    if (rep != NULL) {
        return out(h, rep, rl, h->ent_off, h->ent_line);
    }
    /* not an entity: the text as written */
    rf_status st = out(h, "&", 1, h->ent_off, h->ent_line);
    if (st == RF_OK && h->entlen > 0) {
        st = out(h, h->ent, h->entlen, h->ent_off + 1, h->ent_line);
    }
    if (st == RF_OK && terminated) {
        st = out(h, ";", 1, h->ent_off + 1 + h->entlen, h->ent_line);
    }
    return st;
}

static rf_status chunk(html *h, const char *s, size_t n)
{
    rf_status st = RF_OK;
    size_t i = 0;
    while (st == RF_OK && i < n) {
        char c = s[i];
        switch (h->state) {
        case H_TEXT: {
            size_t j = i;
            while (j < n && s[j] != '<' && s[j] != '&') {
                j++;
            }
            if (j > i) {
                st = out(h, s + i, j - i, h->off, h->line);
                h->line += rf_count_newlines(s + i, j - i);
                h->off += j - i;
                i = j;
                continue;
            }
            if (c == '<') {
                h->state = H_TAG;
                h->taglen = 0;
                h->quote = 0;
            } else {
                h->state = H_ENTITY;
                h->entlen = 0;
                h->ent_off = h->off;
                h->ent_line = h->line;
            }
            break;
        }
        case H_TAG:
            if (h->quote != 0) {
                if (c == h->quote) {
                    h->quote = 0;
                }
            } else if (c == '>') {
                st = end_tag(h);
            } else {
                if ((c == '"' || c == '\'') && h->taglen > 0) {
                    h->quote = c;
                }
                if (h->taglen < sizeof(h->tag) - 1) {
                    h->tag[h->taglen++] = c;
                }
                if (h->taglen == 3 && memcmp(h->tag, "!--", 3) == 0) {
                    h->state = H_COMMENT;
                    h->dashes = 0;
                }
            }
            break;
        case H_COMMENT:
            if (c == '>' && h->dashes >= 2) {
                h->state = H_TEXT;
            }
            h->dashes = c == '-' ? h->dashes + 1 : 0;
            break;
        case H_RAW:
            if (tolower((unsigned char)c) == h->raw_end[h->raw_match]) {
                if (h->raw_end[++h->raw_match] == '\0') {
                    h->state = H_TAG; /* finish "</script ...>" as a tag */
                    h->taglen = 0;
                    h->quote = 0;
                    memcpy(h->tag, h->raw_end + 1, strlen(h->raw_end) - 1);
                    h->taglen = strlen(h->raw_end) - 1;
                }
            } else {
                h->raw_match = tolower((unsigned char)c) == '<' ? 1 : 0;
            }
            break;
        case H_ENTITY:
            if (c == ';') {
                st = end_entity(h, true);
            } else if (
                (isalnum((unsigned char)c) || c == '#') &&
                h->entlen + 1 < sizeof(h->ent)) {
                h->ent[h->entlen++] = c;
            } else {
                st = end_entity(h, false);
                continue; /* look at this byte again as text */
            }
            break;
        }
        h->line += c == '\n';
        h->off++;
        i++;
    }
    return st;
}

rf_status rf_read_html(rf_input *in, const rf_reader_ctx *ctx)
{
    html h;
    memset(&h, 0, sizeof(h));
    h.ctx = ctx;
    h.in = in;
    h.line = 1;
    h.max_text = ctx->limits != NULL ? ctx->limits->max_document_size : 0;
    rf_section *sec;
    rf_status st = rf_doc_new(&h.doc);
    if (st != RF_OK) {
        return st;
    }
    st = rf_doc_add_section(&sec, h.doc, RF_SECTION_TEXT, NULL);
    h.sec = 0;
    while (st == RF_OK) {
        const char *data;
        size_t len;
        rf_status rs = in->read(in, &data, &len);
        if (rs != RF_OK) {
            rf_reader_diag(
                ctx, in, RF_DIAG_ERROR, rs, NULL, in->consumed, 0,
                "%s; the page was read up to here",
                in->errmsg[0] ? in->errmsg : rf_status_str(rs));
            break;
        }
        if (len == 0) {
            break;
        }
        if (ctx->bytes != NULL) {
            *ctx->bytes += len;
        }
        st = chunk(&h, data, len);
    }
    if (st == RF_OK && h.state == H_ENTITY) {
        st = end_entity(&h, false);
    }
    rf_doc *doc = h.doc;
    if (st == RF_OK) {
        st = rf_doc_set(&doc->format, "html");
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->path, in->path);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->member, in->member);
    }
    if (st == RF_OK) {
        st = rf_doc_set(&doc->id, in->member ? in->member : in->path);
    }
    if (st == RF_OK && h.title.len > 0) {
        const char *t = h.title.data;
        size_t n = h.title.len;
        rf_strvec tmp = {0};
        st = rf_patent_add_name(&tmp, t, n); /* trims and collapses */
        if (st == RF_OK && tmp.n > 0) {
            st = rf_doc_set(&doc->title, tmp.v[0]);
        }
        rf_strvec_free(&tmp);
    }
    if (st == RF_OK && h.truncated) {
        rf_reader_diag(
            ctx, in, RF_DIAG_WARNING, RF_ELIMIT, NULL, 0, 0,
            "page text cut at max_document_size (%" PRIu64
            " bytes); the rest was not read (raise "
            "--max-document-size)",
            h.max_text);
    }
    if (st == RF_OK) {
        st = rf_doc_finish(doc);
    }
    if (st == RF_OK) {
        st = ctx->document(ctx->payload, doc);
    }
    rf_buf_free(&h.title);
    rf_doc_free(doc);
    return st;
}
