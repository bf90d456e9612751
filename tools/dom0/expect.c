/*
 * expect.c - "expect-output [-f] "CMD" TEXT...": run one command line
 * with its stdout and stderr caught in a file of /tmp, copy what it said
 * to the console, and succeed only if the command succeeded (with -f:
 * failed) and said every TEXT (a TEXT starting with '!': never said
 * it). Scenario scripts check a command's report with it (xl migrate's
 * rounds, its errors).
 *
 * May not touch: anything but its own file in /tmp and fds 1 and 2,
 * which it gives back as they were.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dom0.h"

#define CAPTURE  "/tmp/.expect-output"
#define MAX_SAID (256u << 10)

/* Run line with fds 1 and 2 on fd; its exit status, or -1. */
static int run_caught(const char *line, int fd)
{
    int out, err, rc;

    fflush(NULL);
    out = dup(1);
    err = dup(2);
    if ( out < 0 || err < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 )
        return -1;
    rc = dom0_run_line(line);
    fflush(NULL);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    return rc;
}

/* What the command said, NUL-ended (malloc()ed), or NULL. */
static char *said(int fd)
{
    off_t len = lseek(fd, 0, SEEK_END);
    char *text;

    if ( len < 0 || len > (off_t)MAX_SAID || lseek(fd, 0, SEEK_SET) )
        return NULL;
    text = malloc((size_t)len + 1);
    if ( text && read(fd, text, (size_t)len) != (ssize_t)len )
    {
        free(text);
        return NULL;
    }
    if ( text )
        text[len] = '\0';
    return text;
}

static int check_texts(const char *text, int n, char **want)
{
    int bad = 0;

    for ( int i = 0; i < n; i++ )
    {
        bool never = want[i][0] == '!';
        bool there = strstr(text, want[i] + never) != NULL;

        if ( there == never )
        {
            fprintf(stderr, "expect-output: %s \"%s\"\n", never ? "said" : "did not say",
                    want[i] + never);
            bad = 1;
        }
    }
    return bad;
}

int dom0_cmd_expect_output(int argc, char **argv)
{
    bool must_fail = argc > 1 && !strcmp(argv[1], "-f");
    int first = must_fail ? 2 : 1, fd, rc, bad;
    char *text;

    if ( argc < first + 1 )
        return fprintf(stderr, "usage: expect-output [-f] \"CMD\" TEXT...\n"), 2;
    fd = open(CAPTURE, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if ( fd < 0 )
        return perror("expect-output: " CAPTURE), 1;
    rc = run_caught(argv[first], fd);
    text = said(fd);
    close(fd);
    unlink(CAPTURE);
    if ( rc < 0 || !text )
        return free(text), fprintf(stderr, "expect-output: cannot catch the output\n"), 1;
    fputs(text, stdout);
    bad = check_texts(text, argc - first - 1, argv + first + 1);
    if ( (rc != 0) != must_fail )
    {
        fprintf(stderr, "expect-output: the command %s\n", rc ? "failed" : "succeeded");
        bad = 1;
    }
    free(text);
    return bad;
}
