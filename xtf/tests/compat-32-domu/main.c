/*
 * compat-32-domu - the compat-32 test kernel, built once more to run as
 * an unprivileged domU (test.cfg): the same 32-bit calls and layouts, now
 * with the permission checks a domU meets (the handlers' own, behind the
 * compat layer). It prints through console_io, which the run allows
 * domUs with "domu_console_io". The checks are compat-32's.
 */
#include "../compat-32/main.c"
