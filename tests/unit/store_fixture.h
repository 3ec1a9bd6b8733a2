/*
 * store_fixture.h - hand-made documents and findings for the store and
 * report suites, fed through a sink exactly as the engine would: begin,
 * then each document followed by its findings, then end.
 */
#ifndef RF_TEST_STORE_FIXTURE_H
#define RF_TEST_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "redflag.h"

typedef struct tf {
    int doc; /* index into the documents */
    const char *rule;
    const char *fingerprint;
    rf_severity severity;
    const char *category;
    const char *snippet;
    size_t mark_start, mark_end; /* one mark; equal = none */
    const char *term;
    const char *section;
    const char *unit;
    const char *lang;
} tf;

static const char *const fx_app_a[] = {"Hangzhou Example Vision Co Ltd", NULL};
static const char *const fx_app_b[] = {
    "Acme <Biometrics> & Sons", "Zeta Corp", NULL};
static const char *const fx_none[] = {NULL};
static const char *const fx_classes[] = {"G06V40/16", "G06F16/583", NULL};

/* Three documents: a Chinese patent, a hostile US patent, a source file. */
static const rf_document fx_docs[] = {
    {.id = "CN-111000001-A",
     .format = "cnipa-xml",
     .kind = "A",
     .title = "一种人脸属性识别方法",
     .lang = "zh-Hans",
     .path = "corpus/cn/CN111000001A.xml",
     .member = NULL,
     .date_published = "2020-04-17",
     .date_filed = "2019-12-30",
     .applicants = fx_app_a,
     .inventors = fx_none,
     .classes = fx_classes},
    {.id = "US-11574187-B2",
     .format = "uspto-xml",
     .kind = "B2",
     .title = "<script>alert(1)</script> Face analysis",
     .lang = "en",
     .path = "corpus/us/ipg230207.zip",
     .member = "ipg230207.xml",
     .index = 3,
     .offset = 1000,
     .date_published = "2023-02-07",
     .date_filed = "2021-06-01",
     .applicants = fx_app_b,
     .inventors = fx_none,
     .classes = fx_none},
    {.id = "corpus/sdk/netsdk.h",
     .format = "code",
     .kind = "",
     .title = NULL,
     .lang = "en",
     .path = "corpus/sdk/netsdk.h",
     .applicants = fx_none,
     .inventors = fx_none,
     .classes = fx_none},
};

#define FP_A "aaaaaaaa00000000000000000000000a"
#define FP_B "bbbbbbbb00000000000000000000000b"
#define FP_C "cccccccc00000000000000000000000c"
#define FP_D "dddddddd00000000000000000000000d"
#define FP_E "eeeeeeee00000000000000000000000e"

static const tf fx_scan1[] = {
    {0, "ethnicity-face-attribute", FP_A, RF_SEV_HIGH, "ethnicity",
     "识别人脸属性，包括性别、年龄、民族（汉族、维吾尔族）", 63, 75, "维吾尔族",
     "description", "[0042]", "zh-Hans"},
    {0, "uyghur-alert", FP_B, RF_SEV_CRITICAL, "ethnicity",
     "当识别为维吾尔族时触发预警", 12, 24, "维吾尔族", "claims", "claim 3",
     "zh-Hans"},
    {1, "race-face-attribute", FP_C, RF_SEV_MEDIUM, "race",
     "estimating race, \"gender\", age, <b>bold</b> & =cmd|' /C calc'!A0, from "
     "a face",
     11, 15, "race", "description", NULL, "en"},
    {2, "sdk-race-enum", FP_D, RF_SEV_LOW, "race", "EM_RACE_TYPE emRace;", 0,
     12, "EM_RACE_TYPE", "code", NULL, "en"},
};

/* Push documents and findings through a sink as a scan would. */
static inline rf_status fx_feed(
    const rf_sink *sink,
    const rf_document *docs,
    size_t ndocs,
    const tf *fs,
    size_t nf,
    const rf_diag *diag)
{
    rf_scan_summary sum = {0};
    rf_status st = sink->begin ? sink->begin(sink->payload, NULL) : RF_OK;
    if (diag != NULL && sink->diag != NULL) {
        sink->diag(sink->payload, diag);
    }
    for (size_t d = 0; st == RF_OK && d < ndocs; d++) {
        if (sink->document != NULL) {
            st = sink->document(sink->payload, &docs[d]);
        }
        sum.documents++;
        for (size_t i = 0; st == RF_OK && i < nf; i++) {
            if (fs[i].doc != (int)d) {
                continue;
            }
            rf_span mark = {fs[i].mark_start, fs[i].mark_end};
            const char *terms[] = {fs[i].term, NULL};
            rf_finding f = {
                .rule_id = fs[i].rule,
                .title = fs[i].rule,
                .category = fs[i].category,
                .severity = fs[i].severity,
                .regulation = "EU AI Act Art. 5(1)(g)",
                .message = "Face analysis infers a protected trait",
                .doc = &docs[d],
                .section = fs[i].section,
                .unit = fs[i].unit,
                .lang = fs[i].lang,
                .line = 10 + i,
                .column = 3,
                .start = 100 * (i + 1),
                .end = 100 * (i + 1) + 12,
                .snippet = fs[i].snippet,
                .marks = &mark,
                .mark_count = fs[i].mark_end > fs[i].mark_start ? 1 : 0,
                .terms = terms,
                .term_count = fs[i].term ? 1 : 0,
                .fingerprint = fs[i].fingerprint,
            };
            sum.findings++;
            sum.by_severity[f.severity]++;
            if (sink->finding != NULL) {
                st = sink->finding(sink->payload, &f);
            }
        }
    }
    if (st == RF_OK && sink->end != NULL) {
        st = sink->end(sink->payload, &sum);
    }
    return st;
}

/* A fresh path for a scratch store (removed with its -wal/-shm). */
static inline void fx_store_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/rf-test-%ld-%s.db", P_tmpdir, (long)getpid(), name);
    char side[600];
    unlink(out);
    snprintf(side, sizeof side, "%s-wal", out);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", out);
    unlink(side);
}

static inline void fx_store_remove(const char *path)
{
    char side[600];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

#endif /* RF_TEST_STORE_FIXTURE_H */
