/*
 * driver-replay.c - runs a harness over the committed corpus once, without
 * libFuzzer: the quick regression check of `make unit`.
 *
 *   replay-NAME [DIR|FILE]...     default: the corpus compiled in (CORPUS)
 *
 * Prints a FAIL line for each input whose oracle fails, then one line,
 * "PASS fuzz.NAME.corpus: N inputs" or "FAIL fuzz.NAME.corpus: ...", in
 * the form tools/tests/run-tests.sh counts. A sanitizer report ends the
 * process (its status makes run-tests.sh count a failure), after a line on
 * stderr naming the input that caused it.
 *
 * It only reads: the corpus files, never writing or deleting any.
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sanitizer/common_interface_defs.h>

#ifndef CORPUS
#error "build with -DCORPUS=\"path to the corpus directory\""
#endif
#ifndef NAME
#error "build with -DNAME=\"harness name\""
#endif

static jmp_buf input_end;
static const char *current;
static unsigned int inputs, failures;

void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    printf("FAIL fuzz.%s input %s: %s:%d: ", NAME, current, file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    longjmp(input_end, 1);
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if ( !f )
        return NULL;
    if ( fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
         (buf = malloc(n ? n : 1)) && fread(buf, 1, n, f) == (size_t)n )
        *size = n;
    else
    {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

/* false if an oracle failed (fuzz_fail() jumped back here). */
static __attribute__((noinline)) bool run_input(const uint8_t *data, size_t size)
{
    if ( setjmp(input_end) )
        return false;
    LLVMFuzzerTestOneInput(data, size);
    return true;
}

static void run_file(const char *path)
{
    size_t size;
    uint8_t *data = read_file(path, &size);

    current = path;
    if ( !data )
    {
        printf("FAIL fuzz.%s input %s: cannot read it\n", NAME, path);
        failures++;
        return;
    }
    inputs++;
    failures += !run_input(data, size);
    current = NULL;
    free(data);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void run_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    char path[4096];

    if ( n < 0 )
    {
        printf("FAIL fuzz.%s: cannot read directory %s\n", NAME, dir);
        failures++;
        return;
    }
    for ( int i = 0; i < n; i++ )
    {
        if ( names[i]->d_name[0] != '.' &&
             snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) < (int)sizeof(path) )
            run_file(path);
        free(names[i]);
    }
    free(names);
}

static void run_path(const char *path)
{
    struct stat st;

    if ( stat(path, &st) == 0 && S_ISDIR(st.st_mode) )
        run_dir(path);
    else
        run_file(path);
}

static void on_sanitizer_death(void)
{
    if ( current )
        fprintf(stderr, "fuzz.%s: the report above is from input %s\n", NAME, current);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    __sanitizer_set_death_callback(on_sanitizer_death);
    if ( argc < 2 )
        run_path(CORPUS);
    for ( int i = 1; i < argc; i++ )
        run_path(argv[i]);
    if ( !failures && inputs )
    {
        printf("PASS fuzz.%s.corpus: %u inputs\n", NAME, inputs);
        return 0;
    }
    printf("FAIL fuzz.%s.corpus: %u of %u inputs failed\n", NAME, failures, inputs);
    /* Skip the leak check: an oracle that jumped out of a harness left
     * its buffers behind, and that is no finding. */
    fflush(stdout);
    _exit(1);
}
