/*
 * main.c - redflag's entry point: pick the sub-command and run it.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const rf_cli_cmd commands[] = {
    {"scan", "scan files, folders, archives or stdin for findings", cmd_scan},
    {"rules", "list, test or print the terms of the loaded rules", cmd_rules},
    {"eval", "precision and recall on a labelled set", cmd_eval},
    {"report", "write the stored findings as HTML, SARIF, CSV or JSON Lines",
     cmd_report},
    {"review", "confirm or dismiss a stored finding", cmd_review},
    {"diff", "what is new or resolved since a scan", cmd_diff},
    {"baseline", "export or import review decisions", cmd_baseline},
    {"serve", "triage the stored findings in a local web UI", cmd_serve},
    {"docs", "list the documents read from files, one JSON line each",
     cmd_docs},
    {"version", "print the version", cmd_version},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: redflag <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(fp, "\nrun 'redflag <command> --help' for a command's options\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return RF_EXIT_ERROR;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return RF_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        return cmd_version(argc - 1, argv + 1);
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "redflag: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return RF_EXIT_ERROR;
}
