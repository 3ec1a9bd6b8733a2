/*
 * redflag.h - the one public header of libredflag.
 *
 * redflag reads technical documents (patents, SDK sources, API docs, plain
 * text) and reports passages that describe a system sorting people by a
 * protected trait. The library is organised as YARA and Hyperscan are:
 *
 *   rf_compiler  --compile-->  rf_ruleset (immutable, shared by threads)
 *   rf_ruleset   --new------>  rf_scanner (one per thread: owns scratch)
 *   rf_scan_run()              walks paths, reads formats, scans, and pushes
 *                              documents, findings and diagnostics to a sink
 *
 * Ownership, stated once: the caller owns what it passes in; an object
 * returned through `**out` is owned by the caller and released with the
 * matching `_free` (all `_free` functions accept NULL); a pointer returned
 * directly, or handed to a callback, is borrowed and valid only until its
 * parent is freed or the callback returns.
 *
 * Errors are values. Fallible functions return an rf_status (0 on success,
 * negative on error); the message lives on the handle (rf_compiler_errmsg,
 * rf_scanner_errmsg) or, for problems with one input during a scan, is
 * delivered as an rf_diag to the sink and the scan goes on. The library
 * never prints, never exits and keeps no global mutable state.
 */
#ifndef REDFLAG_H
#define REDFLAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define RF_API __attribute__((visibility("default")))
#else
#define RF_API
#endif

#define RF_VERSION_STRING "0.1.0"

/** Status codes. RF_OK is zero; every error is negative. */
typedef enum rf_status {
    RF_OK = 0,
    RF_ENOMEM = -1,       /**< out of memory */
    RF_EIO = -2,          /**< reading or writing a file failed */
    RF_EPARSE = -3,       /**< malformed input (rule file, document) */
    RF_ELIMIT = -4,       /**< a configured resource limit was hit */
    RF_EUSER = -5,        /**< a callback asked to stop */
    RF_EINVAL = -6,       /**< invalid argument or option */
    RF_EUNSUPPORTED = -7, /**< format recognised but not supported */
    RF_ENOTFOUND = -8,    /**< no such file, rule or record */
    RF_ECOMPILE = -9,     /**< the pattern engine rejected the rules */
    RF_EDB = -10          /**< the findings store failed */
} rf_status;

/** A short English name for a status ("out of memory", ...). */
RF_API const char *rf_status_str(rf_status status);

/** Finding severities, in increasing order. */
typedef enum rf_severity {
    RF_SEV_INFO = 0,
    RF_SEV_LOW = 1,
    RF_SEV_MEDIUM = 2,
    RF_SEV_HIGH = 3,
    RF_SEV_CRITICAL = 4
} rf_severity;

/** "info", "low", "medium", "high" or "critical". */
RF_API const char *rf_severity_name(rf_severity sev);
/** Parse a severity name (case-insensitive). @return RF_OK or RF_EINVAL. */
RF_API rf_status rf_severity_parse(rf_severity *out, const char *name);

/* ------------------------------------------------------------------ */
/* Diagnostics: one bad input is reported, never fatal to the scan.   */
/* ------------------------------------------------------------------ */

typedef enum rf_diag_level {
    RF_DIAG_NOTE = 0,
    RF_DIAG_WARNING = 1,
    RF_DIAG_ERROR = 2
} rf_diag_level;

/**
 * One problem with one input: which file, which archive member, which
 * document inside it, where, and what. All strings are borrowed for the
 * duration of the callback; absent parts are NULL (or 0).
 */
typedef struct rf_diag {
    rf_diag_level level;
    rf_status status;
    const char *path;     /**< file on disk, "-" for stdin */
    const char *member;   /**< archive member path, NULL if none */
    const char *document; /**< document id or "#N" index, NULL if none */
    uint64_t offset;      /**< byte offset in the (decompressed) input */
    uint64_t line;        /**< 1-based line, 0 when unknown */
    const char *rule;     /**< rule id for rule diagnostics */
    const char *message;  /**< what went wrong and, when useful, what to do */
    const char *format;   /**< reader that was reading ("uspto-xml"), or NULL */
} rf_diag;

/* ------------------------------------------------------------------ */
/* Documents                                                          */
/* ------------------------------------------------------------------ */

/** Kinds of section a reader can produce. */
typedef enum rf_section_kind {
    RF_SECTION_TEXT = 0,    /**< plain text, Markdown, HTML body */
    RF_SECTION_TITLE,       /**< document title */
    RF_SECTION_ABSTRACT,    /**< patent abstract */
    RF_SECTION_CLAIMS,      /**< patent claims (units are claims) */
    RF_SECTION_DESCRIPTION, /**< patent description (units: paragraphs) */
    RF_SECTION_BACKGROUND,  /**< background / prior art of a description */
    RF_SECTION_CODE,        /**< source code, headers, API specs */
    RF_SECTION_METADATA,    /**< bibliographic text (applicants, ...) */
    RF_SECTION_KIND_COUNT
} rf_section_kind;

/** "text", "title", "abstract", "claims", "description", ... */
RF_API const char *rf_section_kind_name(rf_section_kind kind);
/** Parse a section kind name. @return RF_OK or RF_EINVAL. */
RF_API rf_status rf_section_kind_parse(rf_section_kind *out, const char *name);

/**
 * A document as read from one input: a patent publication, one source file,
 * one text file. Read-only view; owned by the library and borrowed by sinks
 * for the duration of a callback. Lists are NULL-terminated arrays of
 * strings (never NULL themselves).
 */
typedef struct rf_document {
    const char *id;     /**< DOCDB-style id ("US-11574187-B2") or path */
    const char *format; /**< reader: "text", "uspto-xml", "epo-xml", ... */
    const char *kind;   /**< publication kind code ("B2", "A1") or "" */
    const char *title;  /**< NULL when unknown */
    const char *lang;   /**< main language (BCP 47) or "" */
    const char *path;   /**< file on disk */
    const char *member; /**< archive member or NULL */
    uint64_t index;     /**< 0-based document index within the input */
    uint64_t offset;    /**< byte offset of the document in the input */
    const char *date_published; /**< yyyy-mm-dd or NULL */
    const char *date_filed;     /**< yyyy-mm-dd or NULL */
    const char *date_priority;  /**< yyyy-mm-dd or NULL */
    const char *family_id;      /**< NULL when unknown */
    const char *const *applicants;
    const char *const *inventors;
    const char *const *classes; /**< IPC / CPC symbols */
    size_t section_count;
    const size_t *section_sizes; /**< bytes of text, per section */
    const rf_section_kind *section_kinds;
    const char *const *section_langs;
    /** numbered units per section (claims, paragraphs); NULL if unknown */
    const size_t *section_units;
} rf_document;

/* ------------------------------------------------------------------ */
/* Rules                                                              */
/* ------------------------------------------------------------------ */

typedef struct rf_compiler rf_compiler;
typedef struct rf_ruleset rf_ruleset;
typedef struct rf_rule rf_rule;

/** Create a rule compiler. */
RF_API rf_status rf_compiler_new(rf_compiler **out);
RF_API void rf_compiler_free(rf_compiler *c);

/**
 * Add a YAML rule file, or every *.yaml / *.yml file below a directory
 * (sorted, recursive). Problems are collected; see rf_compiler_diag.
 */
RF_API rf_status rf_compiler_add_path(rf_compiler *c, const char *path);

/** Add rules from a YAML string; @p name is used in messages. */
RF_API rf_status rf_compiler_add_string(
    rf_compiler *c, const char *yaml, size_t len, const char *name);

/**
 * Validate every rule, expand every term into its variants and build the
 * pattern database. On success *out owns an immutable ruleset that any
 * number of scanners, on any threads, may share.
 */
RF_API rf_status rf_compiler_compile(rf_ruleset **out, rf_compiler *c);

/**
 * Keep compiled pattern databases, and every term's expanded forms, in
 * @p dir (created if missing) and reuse them when the same rules are
 * compiled again. NULL turns the cache off (the default). A database's key
 * covers every compiled expression, and the forms' key every term and the
 * expander (its source, utf8proc, OpenCC and its data), so a changed rule
 * never loads a stale database.
 */
RF_API rf_status rf_compiler_set_cache(rf_compiler *c, const char *dir);

/** Number of diagnostics collected so far (errors and warnings). */
RF_API size_t rf_compiler_diag_count(const rf_compiler *c);
/** Diagnostic @p i (path, line in .line, rule id, message). Borrowed. */
RF_API const rf_diag *rf_compiler_diag(const rf_compiler *c, size_t i);
/** First error formatted as "file:line: message", or "" if none. */
RF_API const char *rf_compiler_errmsg(const rf_compiler *c);

RF_API void rf_ruleset_free(rf_ruleset *rs);
RF_API size_t rf_ruleset_rule_count(const rf_ruleset *rs);
/** Rule @p i, borrowed from the ruleset. Rules are sorted by id. */
RF_API const rf_rule *rf_ruleset_rule(const rf_ruleset *rs, size_t i);
/** Number of patterns in the compiled database (after expansion). */
RF_API size_t rf_ruleset_pattern_count(const rf_ruleset *rs);

/**
 * Call @p cb for every term of every rule: the term as written when
 * @p expanded is false, or every literal variant it expands to (the lexicon
 * a literal matcher such as `rg -F -f` needs to do the same search).
 * Each string is passed once. A non-zero return from @p cb stops.
 */
RF_API rf_status rf_ruleset_terms(
    const rf_ruleset *rs,
    bool expanded,
    int (*cb)(const char *term, const char *set, void *payload),
    void *payload);

/**
 * Call @p cb for every literal the scanner's first pass looks for (the
 * anchor database, with separators as one space; regex terms left out):
 * the lexicon whose raw matching cost is the floor of a scan. Each
 * literal is passed once, with a set it anchors. A non-zero return from
 * @p cb stops.
 */
RF_API rf_status rf_ruleset_anchor_terms(
    const rf_ruleset *rs,
    int (*cb)(const char *term, const char *set, void *payload),
    void *payload);

RF_API const char *rf_rule_id(const rf_rule *r);
RF_API const char *rf_rule_title(const rf_rule *r);
RF_API const char *rf_rule_category(const rf_rule *r);
RF_API rf_severity rf_rule_severity(const rf_rule *r);
RF_API const char *rf_rule_regulation(const rf_rule *r);
RF_API const char *rf_rule_message(const rf_rule *r);
RF_API const char *rf_rule_description(const rf_rule *r);
/** NULL-terminated list of language tags the rule covers. */
RF_API const char *const *rf_rule_languages(const rf_rule *r);
/** Source file and line the rule was read from. */
RF_API const char *rf_rule_source(const rf_rule *r, uint64_t *line);
/** Examples: @p must_match selects which list. NULL-terminated. */
RF_API const char *const *rf_rule_examples(const rf_rule *r, bool must_match);

/* ------------------------------------------------------------------ */
/* Findings                                                           */
/* ------------------------------------------------------------------ */

/** A byte range [start, end). */
typedef struct rf_span {
    size_t start;
    size_t end;
} rf_span;

/**
 * One finding. Read-only view handed to sinks and callbacks; every pointer
 * is borrowed for the duration of the call.
 */
typedef struct rf_finding {
    const rf_rule *rule;
    const char *rule_id;
    const char *title;
    const char *category; /**< trait: race, ethnicity, religion, ... */
    rf_severity severity; /**< after section weighting */
    const char *regulation;
    const char *message;
    const rf_document *doc; /**< the document it was found in */
    const char *section;    /**< section kind name */
    const char *unit;       /**< "claim 3", "[0042]", or NULL */
    const char *lang;       /**< language of the passage (BCP 47) */
    uint64_t line;          /**< 1-based line in the (decompressed) input */
    uint64_t column;        /**< 1-based column, in characters */
    uint64_t start;         /**< byte offset in the (decompressed) input */
    uint64_t end;           /**< byte offset, exclusive */
    const char *snippet;    /**< the passage, plain UTF-8, one line */
    const rf_span *marks;   /**< matched terms, byte ranges in snippet */
    size_t mark_count;
    const char *const *terms; /**< matched terms as written, deduplicated */
    size_t term_count;
    const char *fingerprint; /**< 32 hex digits, stable across re-scans */
} rf_finding;

/** Write @p f as one JSON object (no newline) into @p buf (malloc'd). */
RF_API rf_status
rf_finding_to_json(char **out, size_t *len, const rf_finding *f);

/* ------------------------------------------------------------------ */
/* Scanning one text                                                  */
/* ------------------------------------------------------------------ */

typedef struct rf_scanner rf_scanner;

/** Called for each finding; return non-zero to stop the scan. */
typedef int (*rf_finding_cb)(const rf_finding *f, void *payload);

/** A scanner owns the per-thread scratch; use one per thread. */
RF_API rf_status rf_scanner_new(rf_scanner **out, const rf_ruleset *rs);
RF_API void rf_scanner_free(rf_scanner *s);
RF_API const char *rf_scanner_errmsg(const rf_scanner *s);

/**
 * Scan one UTF-8 text as a single section of kind @p kind, as `rules test`
 * and `eval` do. Findings are delivered through @p cb.
 */
RF_API rf_status rf_scanner_scan_text(
    rf_scanner *s,
    const char *text,
    size_t len,
    rf_section_kind kind,
    rf_finding_cb cb,
    void *payload);

/**
 * When @p merge is true (the default), matches of one category on
 * overlapping passages are reduced to the most severe. `rules test` turns
 * it off so that each rule's examples test that rule alone.
 */
RF_API void rf_scanner_set_merge(rf_scanner *s, bool merge);

/**
 * Hold at most @p max_hits term hits (32 bytes each) for one section
 * (0: no limit). A section with more is evaluated in slices of its text,
 * each small enough to stay under the limit; rf_scanner_sliced() counts
 * the sections that were.
 */
RF_API void rf_scanner_set_max_hits(rf_scanner *s, uint64_t max_hits);
RF_API uint64_t rf_scanner_sliced(const rf_scanner *s);

/**
 * The keyword baseline: count the hits in @p text of every term of every
 * set that anchors a rule (the trait and group vocabularies), with word
 * boundaries but no masks, windows or rules - what a plain keyword search
 * with the same terms finds. `redflag eval` reports it next to the rules.
 */
RF_API rf_status rf_scanner_keyword_hits(
    rf_scanner *s, const char *text, size_t len, size_t *hits);

/* ------------------------------------------------------------------ */
/* Scanning paths: sources -> readers -> matcher -> rules -> sink     */
/* ------------------------------------------------------------------ */

/** Totals of one scan, per format and overall. */
typedef struct rf_scan_summary {
    uint64_t files;
    uint64_t members; /**< archive members read */
    uint64_t documents;
    uint64_t bytes;    /**< bytes of input read (decompressed) */
    uint64_t findings; /**< findings delivered to the sink */
    uint64_t errors;   /**< inputs or documents skipped for an error */
    uint64_t skipped_binary;
    uint64_t by_severity[RF_SEV_CRITICAL + 1];
} rf_scan_summary;

/**
 * Where results go. Every callback is optional (NULL). Callbacks are called
 * from one thread at a time, in a deterministic order whatever the number
 * of jobs: document, then its findings, in input order. A non-zero status
 * from a callback stops the scan with that status.
 */
typedef struct rf_sink {
    int version; /**< RF_SINK_VERSION */
    rf_status (*begin)(void *payload, const rf_ruleset *rs);
    rf_status (*document)(void *payload, const rf_document *doc);
    rf_status (*finding)(void *payload, const rf_finding *f);
    void (*diag)(void *payload, const rf_diag *d);
    rf_status (*end)(void *payload, const rf_scan_summary *summary);
    void *payload;
} rf_sink;

#define RF_SINK_VERSION 1

/** Progress, reported a few times a second from the emitting thread. */
typedef struct rf_progress {
    uint64_t bytes_done;
    uint64_t bytes_total; /**< 0 when unknown (stdin, archives) */
    uint64_t documents;
    uint64_t findings;
} rf_progress;

/** Resource limits; 0 means "no limit". */
typedef struct rf_limits {
    uint64_t max_file_size;     /**< bytes of one file on disk */
    uint64_t max_member_size;   /**< bytes of one decompressed member */
    uint64_t max_total_size;    /**< decompressed bytes of one archive */
    uint64_t max_ratio;         /**< decompressed / compressed, per archive */
    uint32_t max_archive_depth; /**< nested archives */
    uint32_t max_xml_depth;     /**< element nesting */
    uint64_t max_line_length;   /**< longer lines are cut into windows */
    uint32_t max_findings_per_doc;
    uint64_t max_document_size; /**< text bytes kept for one document */
    uint64_t max_hits; /**< term hits held for one section; a denser section
                            is evaluated in slices */
} rf_limits;

typedef struct rf_scan_options {
    int version;              /**< RF_SCAN_OPTIONS_VERSION */
    unsigned jobs;            /**< worker threads; 0 = number of cores */
    const char *format;       /**< force a reader ("text", ...) or NULL */
    rf_severity min_severity; /**< findings below are not delivered */
    bool follow_symlinks;
    bool deterministic; /**< no timings or absolute paths */
    rf_limits limits;
    void (*progress)(const rf_progress *p, void *payload);
    void *progress_payload;
} rf_scan_options;

#define RF_SCAN_OPTIONS_VERSION 1

/** Defaults: jobs 0, no forced format, min severity info, default limits. */
RF_API void rf_scan_options_init(rf_scan_options *opts);
/** The default limits (documented in docs/robustness.md). */
RF_API void rf_limits_init(rf_limits *limits);

/**
 * Scan @p paths (files, directories, "-" for stdin) with @p rs and push the
 * results into @p sink. Bad inputs become diagnostics and the scan goes on.
 * @return RF_OK, or the status of a fatal error or of a sink that stopped.
 */
RF_API rf_status rf_scan_run(
    rf_scan_summary *summary,
    const rf_ruleset *rs,
    const char *const *paths,
    size_t path_count,
    const rf_scan_options *opts,
    const rf_sink *sink);

/**
 * Read @p paths without matching: the documents are pushed to the sink's
 * `document` callback (what `redflag docs` prints). @p rs may be NULL.
 */
RF_API rf_status rf_read_documents(
    rf_scan_summary *summary,
    const char *const *paths,
    size_t path_count,
    const rf_scan_options *opts,
    const rf_sink *sink);

/** Write @p doc as one JSON object (no newline), as `redflag docs` does. */
RF_API rf_status
rf_document_to_json(char **out, size_t *len, const rf_document *doc);

/* ------------------------------------------------------------------ */
/* Writers: findings as JSON Lines, SARIF, CSV or HTML                */
/* ------------------------------------------------------------------ */

typedef struct rf_writer rf_writer;

/**
 * A writer formats what a scan (or the store) produces onto @p fp, which
 * the caller keeps open until rf_writer_free. @p format is "jsonl",
 * "sarif", "csv" or "html". Output is byte-deterministic.
 */
RF_API rf_status rf_writer_new(rf_writer **out, const char *format, FILE *fp);
/** The sink that feeds this writer (borrowed from the writer). */
RF_API const rf_sink *rf_writer_sink(rf_writer *w);
/** Free the writer (does not close fp). NULL-safe. */
RF_API void rf_writer_free(rf_writer *w);
/** True when @p format names a writer. */
RF_API bool rf_writer_format_known(const char *format);

/* ------------------------------------------------------------------ */
/* Store: findings that last across scans (docs/store.md)             */
/* ------------------------------------------------------------------ */

/*
 * The findings store keeps scans, documents, findings and their review
 * state in one SQLite file, or in a PostgreSQL database (same schema) that
 * a team shares. Findings are
 * keyed by fingerprint: a re-scan updates what it finds again, adds what is
 * new, marks as resolved what a scan over the same paths no longer finds,
 * and never loses a review. One rf_store handle is used by one thread at a
 * time; several processes may share one store file.
 */

typedef struct rf_store rf_store;

/** The store a command uses when none is named. */
#define RF_STORE_DEFAULT_PATH "redflag.db"

/** rf_store_open flag: create the store (and its schema) if missing. */
#define RF_STORE_CREATE 1u

/**
 * Open the store at @p target: a file path (or "sqlite:PATH"), or a
 * PostgreSQL database as a libpq URL ("postgresql://user@host/db"; the
 * database must exist, the schema is created). RF_EUNSUPPORTED for a URL
 * when built without libpq.
 * Migrates the schema to the current version.
 *
 * On any failure except RF_ENOMEM, *out is still set to a handle whose
 * rf_store_errmsg says what went wrong; free it with rf_store_free.
 */
RF_API rf_status
rf_store_open(rf_store **out, const char *target, unsigned flags);
/** Close the store. A scan still being recorded is rolled back to its
 * last committed batch and marked aborted. NULL-safe. */
RF_API void rf_store_free(rf_store *st);
/** The last error, "" if none. Borrowed from the store. */
RF_API const char *rf_store_errmsg(const rf_store *st);
/** Schema version of the open store (docs/store.md). */
RF_API int rf_store_schema_version(const rf_store *st);

/** Review status of a stored finding. */
typedef enum rf_review_status {
    RF_REVIEW_NEW = 0,            /**< not reviewed yet */
    RF_REVIEW_CONFIRMED = 1,      /**< an analyst confirmed it */
    RF_REVIEW_FALSE_POSITIVE = 2, /**< dismissed: kept and marked suppressed */
    RF_REVIEW_NEEDS_REVIEW = 3,   /**< flagged for a second look */
    RF_REVIEW_RESOLVED = 4        /**< no longer found (set by re-scans) */
} rf_review_status;

/** "new", "confirmed", "false-positive", "needs-review" or "resolved". */
RF_API const char *rf_review_status_name(rf_review_status s);
/** Parse a status name (case-insensitive; "false_positive" and "fp" are
 * accepted too). @return RF_OK or RF_EINVAL. */
RF_API rf_status
rf_review_status_parse(rf_review_status *out, const char *name);

/** What the store records about a scan besides its results. */
typedef struct rf_store_scan_info {
    int version;              /**< RF_STORE_SCAN_INFO_VERSION */
    const char *const *paths; /**< the roots scanned, as given */
    size_t path_count;
    const char *args;         /**< command line, for the record, or NULL */
    rf_severity min_severity; /**< findings below were not looked for */
    unsigned batch_documents; /**< documents per transaction; 0 = 256 */
} rf_store_scan_info;

#define RF_STORE_SCAN_INFO_VERSION 1

/** Defaults: no paths, no args, min severity info, batches of 256. */
RF_API void rf_store_scan_info_init(rf_store_scan_info *info);

/**
 * Fill @p out with a sink that records one scan into @p st and then passes
 * every callback on to @p next (may be NULL), so a scan can write a report
 * and the store at once. The scan row is committed at `begin`; documents
 * and their findings are committed in batches of whole documents; `end`
 * resolves what the scan no longer finds and marks the scan complete. A
 * scan killed midway leaves a consistent store and is simply re-run.
 * The sink borrows @p st (and @p next) until the scan ends; strings in
 * @p info are copied. Errors come back as RF_EDB with rf_store_errmsg.
 */
RF_API rf_status rf_store_sink(
    rf_sink *out,
    rf_store *st,
    const rf_store_scan_info *info,
    const rf_sink *next);

/** Id of the scan being recorded or last recorded by this handle; 0 if
 * none. */
RF_API int64_t rf_store_scan_id(const rf_store *st);

/** One scan as recorded. Strings are borrowed for the callback. */
typedef struct rf_store_scan {
    int64_t id;
    const char *started_at; /**< ISO 8601 UTC */
    const char *ended_at;   /**< NULL while running or when aborted */
    const char *state;      /**< "running", "complete" or "aborted" */
    const char *args;
    const char *rules_version;
    uint64_t rule_count;
    uint64_t documents;
    uint64_t findings;
    uint64_t errors;
} rf_store_scan;

/** Call @p cb for every scan, oldest first. Non-zero from @p cb stops. */
RF_API rf_status rf_store_scans(
    rf_store *st,
    int (*cb)(const rf_store_scan *scan, void *payload),
    void *payload);

/** Which stored findings a query returns. Zero / NULL fields do not
 * filter. */
typedef struct rf_store_filter {
    int version;            /**< RF_STORE_FILTER_VERSION */
    int64_t scan;           /**< only findings seen by this scan */
    int64_t new_since_scan; /**< only findings first seen after it */
    rf_severity min_severity;
    const char *category; /**< trait, case-insensitive */
    const char *rule_id;
    const char *lang;         /**< language of the passage */
    int status;               /**< an rf_review_status, or -1 for any */
    const char *applicant;    /**< substring of an applicant, any case */
    const char *since;        /**< yyyy[-mm[-dd]]: publication date (else
                                   filing date) on or after */
    const char *until;        /**< same, on or before */
    const char *text;         /**< substring of snippet or title */
    const char *fingerprint;  /**< fingerprint or unique prefix */
    bool include_resolved;    /**< resolved findings are left out unless
                                   this is set, a scan is named, or status
                                   asks for them */
    int64_t resolved_by_scan; /**< only findings this scan resolved */
    uint64_t limit;           /**< at most this many (0: all) */
    uint64_t offset;          /**< skip this many first */
} rf_store_filter;

#define RF_STORE_FILTER_VERSION 1

/** Everything: no filter, resolved findings left out, status any. */
RF_API void rf_store_filter_init(rf_store_filter *flt);

/**
 * A finding as the store holds it: the finding (its `rule` is NULL, its
 * `doc` rebuilt from the store) and its review state. Borrowed for the
 * callback.
 */
typedef struct rf_stored_finding {
    const rf_finding *finding;
    rf_review_status status; /**< what reports show: review or resolved */
    rf_review_status review; /**< the analyst's decision, kept when the
                                  finding is resolved */
    const char *note;        /**< NULL when none */
    bool suppressed;         /**< dismissed (false-positive): kept, marked */
    bool from_baseline;      /**< review came from an imported baseline */
    int64_t first_scan;
    int64_t last_scan;
    int64_t resolved_scan;   /**< 0 while open */
    const char *reviewed_at; /**< ISO 8601 UTC, NULL if never reviewed */
} rf_stored_finding;

typedef int (*rf_stored_finding_cb)(const rf_stored_finding *sf, void *payload);

/**
 * Call @p cb for each finding matching @p flt (NULL: the defaults) in a
 * deterministic order: document path, member, index, offset, rule, then
 * fingerprint. Non-zero from @p cb stops with RF_EUSER.
 */
RF_API rf_status rf_store_query(
    rf_store *st,
    const rf_store_filter *flt,
    rf_stored_finding_cb cb,
    void *payload);

/** Count the findings @p flt matches (limit and offset ignored). */
RF_API rf_status
rf_store_count(uint64_t *out, rf_store *st, const rf_store_filter *flt);

/**
 * Record a review of the finding whose fingerprint is, or uniquely starts
 * with, @p fingerprint (at least 6 hex digits). @p status is confirmed,
 * false-positive, needs-review or new (to reopen); @p note replaces the
 * note unless NULL. Every review is also kept in the review history.
 * @return RF_OK, RF_ENOTFOUND, RF_EINVAL (bad status, ambiguous prefix).
 */
RF_API rf_status rf_store_review(
    rf_store *st,
    const char *fingerprint,
    rf_review_status status,
    const char *note);

typedef enum rf_diff_kind {
    RF_DIFF_NEW = 1,     /**< seen by `to`, not by `from` */
    RF_DIFF_RESOLVED = 2 /**< seen by `from`, gone in `to` over its paths */
} rf_diff_kind;

/**
 * What changed between two scans. *from and *to are scan ids; 0 picks the
 * default (to: the latest complete scan; from: the complete scan before
 * it, or none, when everything `to` saw is new) and is replaced by the
 * id used. New findings come first, then resolved ones, each in query
 * order. @p flt (may be NULL) narrows both lists further; its scan and
 * include_resolved fields are ignored.
 */
RF_API rf_status rf_store_diff(
    rf_store *st,
    const rf_store_filter *flt,
    int64_t *from,
    int64_t *to,
    int (*cb)(rf_diff_kind kind, const rf_stored_finding *sf, void *payload),
    void *payload);

/**
 * Write every reviewed finding (status other than new) as a baseline:
 * a JSON document {"redflag_baseline": 1, "findings": [{fingerprint,
 * status, note, rule, document, path}]} sorted by fingerprint.
 */
RF_API rf_status
rf_store_baseline_export(size_t *count, rf_store *st, FILE *fp);

/** Totals of a baseline import. */
typedef struct rf_baseline_totals {
    size_t entries;   /**< entries in the file */
    size_t applied;   /**< findings whose review was set from it */
    size_t unmatched; /**< entries matching no finding in the store */
} rf_baseline_totals;

/**
 * Import a baseline written by rf_store_baseline_export from @p fp
 * (@p name is used in messages). Each entry sets the review and note of
 * the finding with that fingerprint and is remembered, so a finding that
 * appears in a later scan gets it too. Entries matching no finding are
 * passed to @p unmatched (may be NULL). All or nothing: a malformed file
 * changes nothing.
 */
RF_API rf_status rf_store_baseline_import(
    rf_baseline_totals *totals,
    rf_store *st,
    FILE *fp,
    const char *name,
    void (*unmatched)(
        const char *fingerprint,
        const char *status,
        const char *note,
        void *payload),
    void *payload);

/** Call @p cb for each remembered baseline entry that matches no finding
 * in the store (after re-scans, what a baseline no longer describes). */
RF_API rf_status rf_store_baseline_unmatched(
    rf_store *st,
    void (*cb)(
        const char *fingerprint,
        const char *status,
        const char *note,
        void *payload),
    void *payload);

/**
 * Write the findings @p flt matches as a report in @p format ("jsonl",
 * "sarif", "csv" or "html") onto @p fp, with each finding's review status
 * and note. Output is byte-deterministic for a given store and filter.
 */
RF_API rf_status rf_store_report(
    rf_store *st, const rf_store_filter *flt, const char *format, FILE *fp);

/* ------------------------------------------------------------------ */
/* Server: the triage web UI over a store (docs/serve.md)              */
/* ------------------------------------------------------------------ */

typedef struct rf_server rf_server;

/** Where and how rf_server_start listens. */
typedef struct rf_server_options {
    int version;       /**< RF_SERVER_OPTIONS_VERSION */
    const char *bind;  /**< numeric IPv4 or IPv6 address; NULL = 127.0.0.1 */
    unsigned port;     /**< 0 = any free port (see rf_server_url) */
    bool allow_remote; /**< required for a non-loopback bind */
} rf_server_options;

#define RF_SERVER_OPTIONS_VERSION 1

/** Defaults: 127.0.0.1, port 8080, loopback only. */
RF_API void rf_server_options_init(rf_server_options *opts);

/**
 * Start serving @p st on a thread of the server's own; returns at once.
 * The server borrows @p st until rf_server_free and is the only user of
 * it meanwhile (requests take turns on it). On failure other than
 * RF_ENOMEM *out is still set and rf_server_errmsg says why; free it.
 * RF_EUNSUPPORTED when redflag was built without libmicrohttpd, RF_EINVAL
 * for a bad address or a non-loopback bind without allow_remote.
 */
RF_API rf_status
rf_server_start(rf_server **out, rf_store *st, const rf_server_options *opts);
/** "http://ADDR:PORT/" with the port actually bound. Borrowed. */
RF_API const char *rf_server_url(const rf_server *srv);
/** The last error, "" if none. Borrowed. */
RF_API const char *rf_server_errmsg(const rf_server *srv);
/** True when @p addr (numeric) is a loopback address. */
RF_API bool rf_server_is_loopback(const char *addr);
/** Stop serving (finishing requests in flight) and free. NULL-safe. */
RF_API void rf_server_free(rf_server *srv);

#ifdef __cplusplus
}
#endif

#endif /* REDFLAG_H */
