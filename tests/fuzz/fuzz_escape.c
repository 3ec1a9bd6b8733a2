/*
 * fuzz_escape.c - snippet escaping for HTML and JSON reports. Whatever the
 * bytes, the output must be valid UTF-8, the HTML must contain none of
 * < > " ' unescaped, and the JSON must be one string literal with no raw
 * control characters.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    rf_buf html = {0};
    rf_buf json = {0};
    if (rf_buf_html(&html, s, size) == RF_OK) {
        if (!rf_utf8_valid(html.data, html.len)) {
            abort();
        }
        for (size_t i = 0; i < html.len; i++) {
            char c = html.data[i];
            if (c == '<' || c == '>' || c == '"' || c == '\'') {
                abort();
            }
        }
    }
    if (rf_buf_json_str(&json, s, size) == RF_OK) {
        if (!rf_utf8_valid(json.data, json.len) || json.len < 2 ||
            json.data[0] != '"' || json.data[json.len - 1] != '"') {
            abort();
        }
        for (size_t i = 0; i < json.len; i++) {
            if ((unsigned char)json.data[i] < 0x20) {
                abort();
            }
        }
    }
    rf_buf_free(&html);
    rf_buf_free(&json);
    return 0;
}
