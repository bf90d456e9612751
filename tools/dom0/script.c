/*
 * script.c - script mode: run each line of a file as a command, print
 * "[dom0] $ <line>" before and "[dom0] rc=<n>" after it, and stop at the
 * first unexpected result. A line starting with '!' must fail; blank
 * lines and lines starting with '#' are skipped. Ends with exactly one
 * "Test result: SUCCESS" or "Test result: FAILURE" line (the XTF
 * convention the test runner judges).
 *
 * May not touch: anything but the commands it runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dom0.h"

bool dom0_peer_verdict;

static int verdict(bool ok, const char *why, unsigned int lineno)
{
    const char *what = dom0_peer_verdict ? "Peer" : "Test";
    fflush(NULL);
    if ( ok )
        printf("%s result: SUCCESS\n", what);
    else
        printf("%s result: FAILURE (line %u: %s)\n", what, lineno, why);
    fflush(stdout);
    return 0;
}

/* One line; false if the script must stop. */
static bool step(char *line, const char **why)
{
    bool expect_fail = line[0] == '!';
    char *cmd = expect_fail ? line + 1 : line;
    int rc;
    printf("[dom0] $ %s\n", line);
    fflush(stdout);
    rc = dom0_run_line(cmd);
    printf("[dom0] rc=%d\n", rc);
    if ( expect_fail && !rc )
        *why = "expected a failure, the command succeeded";
    else if ( !expect_fail && rc )
        *why = "the command failed";
    else
        return true;
    return false;
}

int dom0_script(const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    unsigned int lineno = 0;
    const char *why = NULL;
    ssize_t n;
    if ( !f )
    {
        printf("dom0: script %s: %s\n", path, strerror(errno));
        return verdict(false, "cannot open the script", 0);
    }
    while ( !why && (n = getline(&line, &cap, f)) >= 0 )
    {
        lineno++;
        while ( n && (line[n - 1] == '\n' || line[n - 1] == '\r') )
            line[--n] = 0;
        if ( n && line[0] != '#' )
            step(line, &why);
    }
    free(line);
    fclose(f);
    return verdict(!why, why, lineno);
}
