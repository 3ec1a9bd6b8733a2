/*
 * cmd_version.c - `redflag version`.
 */
#include <hs/hs.h>

#include "cmd.h"

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("redflag %s (Hyperscan %s)\n", RF_VERSION_STRING, hs_version());
    return RF_EXIT_OK;
}
