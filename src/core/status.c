/*
 * status.c - names of statuses, severities and section kinds.
 */
#include <string.h>
#include <strings.h>

#include "internal.h"

const char *rf_status_str(rf_status status)
{
    switch (status) {
    case RF_OK:
        return "ok";
    case RF_ENOMEM:
        return "out of memory";
    case RF_EIO:
        return "input/output error";
    case RF_EPARSE:
        return "parse error";
    case RF_ELIMIT:
        return "resource limit reached";
    case RF_EUSER:
        return "stopped by callback";
    case RF_EINVAL:
        return "invalid argument";
    case RF_EUNSUPPORTED:
        return "unsupported format";
    case RF_ENOTFOUND:
        return "not found";
    case RF_ECOMPILE:
        return "pattern compilation failed";
    case RF_EDB:
        return "findings store error";
    }
    return "unknown status";
}

static const char *const severity_names[] = {
    "info", "low", "medium", "high", "critical"};

const char *rf_severity_name(rf_severity sev)
{
    if ((unsigned)sev >= RF_ARRAY_LEN(severity_names)) {
        return "unknown";
    }
    return severity_names[sev];
}

rf_status rf_severity_parse(rf_severity *out, const char *name)
{
    if (name == NULL) {
        return RF_EINVAL;
    }
    for (size_t i = 0; i < RF_ARRAY_LEN(severity_names); i++) {
        if (strcasecmp(name, severity_names[i]) == 0) {
            *out = (rf_severity)i;
            return RF_OK;
        }
    }
    return RF_EINVAL;
}

static const char *const section_names[RF_SECTION_KIND_COUNT] = {
    [RF_SECTION_TEXT] = "text",
    [RF_SECTION_TITLE] = "title",
    [RF_SECTION_ABSTRACT] = "abstract",
    [RF_SECTION_CLAIMS] = "claims",
    [RF_SECTION_DESCRIPTION] = "description",
    [RF_SECTION_BACKGROUND] = "background",
    [RF_SECTION_CODE] = "code",
    [RF_SECTION_METADATA] = "metadata",
};

const char *rf_section_kind_name(rf_section_kind kind)
{
    if ((unsigned)kind >= RF_SECTION_KIND_COUNT) {
        return "unknown";
    }
    return section_names[kind];
}

rf_status rf_section_kind_parse(rf_section_kind *out, const char *name)
{
    if (name == NULL) {
        return RF_EINVAL;
    }
    for (size_t i = 0; i < RF_SECTION_KIND_COUNT; i++) {
        if (strcasecmp(name, section_names[i]) == 0) {
            *out = (rf_section_kind)i;
            return RF_OK;
        }
    }
    return RF_EINVAL;
}
