/*
 * dom0.h - the foreground of the dom0 unikernel: the command table, the
 * shell's line editor and word splitter, script mode and the self-tests.
 * Ordinary POSIX C on musl; the editor and splitter are pure, so host
 * unit tests (tools/tests/tools/test-dom0-*.c) compile them as they are.
 *
 * May not touch: the runtime (tools/dom0/runtime) except through system
 * calls; the hypervisor except through the devices.
 */
#ifndef DOM0_DOM0_H
#define DOM0_DOM0_H

#include <stdbool.h>
#include <stddef.h>

/* The toolstack's command line (tools/xl); xl-stub.c until it lands. */
int xl_main(int argc, char **argv);

/* Split line in place into argv like a shell: blanks separate words,
 * '...' is literal, "..." allows \" and \\, a backslash quotes the next
 * character. Returns argc, or -1 for an unterminated quote, -2 for more
 * than max - 1 words. argv[argc] is NULL. */
int dom0_split(char *line, char **argv, int max);

/* Run one command line; its exit status (127: no such command). */
int dom0_run_line(const char *line);
int dom0_builtin(int argc, char **argv, bool *found);
int dom0_selftest(int argc, char **argv);
/* selftest-libs.c: the lower libraries against the hypervisor. */
int dom0_selftest_libs(void);

/* Script mode: run each line of path; the one "Test result:" line, or
 * "Peer result:" when dom0_peer_verdict (the second machine of a
 * two-machine test, command line "verdict=peer": the runner wants one
 * "Test result:" line across both machines). */
int dom0_script(const char *path);
extern bool dom0_peer_verdict;
/* linkcheck.c: the two-machine link's self-check. */
int dom0_cmd_link_check(int argc, char **argv);

/* scenario.c: what scripts check guests with. */
int dom0_cmd_sleep(int argc, char **argv);
int dom0_cmd_xenstore_read(int argc, char **argv);
int dom0_cmd_xenstore_write(int argc, char **argv);
int dom0_cmd_xenstore_rm(int argc, char **argv);
int dom0_cmd_xenstore_ls(int argc, char **argv);
int dom0_cmd_wait_xs(int argc, char **argv);
int dom0_cmd_wait_console(int argc, char **argv);
int dom0_cmd_console_send(int argc, char **argv);
int dom0_cmd_free_pages(int argc, char **argv);
int dom0_cmd_wait_gone(int argc, char **argv);
/* mceinj.c: xen-mceinj, break (or -q: show) a guest's frame. */
int dom0_cmd_mceinj(int argc, char **argv);
/* xen-access.c: xen-access, a mem_access listener (docs/man/xen-access.1.md). */
int dom0_cmd_xen_access(int argc, char **argv);
int dom0_cmd_repeat(int argc, char **argv);
/* expect.c: a command's output checked for texts. */
int dom0_cmd_expect_output(int argc, char **argv);
/* dm-cmds.c: what scripts check wren-dm's domains with. */
int dom0_cmd_uart_input(int argc, char **argv);
int dom0_cmd_wait_uart(int argc, char **argv);
int dom0_cmd_wait_dm(int argc, char **argv);

/* ---- the line editor: a state machine fed one byte at a time ---- */
#define LE_MAX     256
#define LE_HISTORY 16

struct lineedit
{
    char buf[LE_MAX];
    size_t len, cur;
    int esc; /* 0, 1 after ESC, 2 after ESC [ */
    char hist[LE_HISTORY][LE_MAX];
    unsigned int nhist, hpos;
    void (*out)(void *ctx, const char *s, size_t n);
    void *ctx;
    const char *prompt;
};

void le_init(struct lineedit *le, const char *prompt,
             void (*out)(void *ctx, const char *s, size_t n), void *ctx);
/* Feed one byte; true when a line is complete (in le->buf, NUL-ended). */
bool le_feed(struct lineedit *le, char c);
/* After a complete line: remember it and start a fresh one. */
void le_next(struct lineedit *le);

int dom0_shell(void);

#endif /* DOM0_DOM0_H */
