/*
 * report.h - how a test states its verdict.
 *
 * A test calls these as often as it likes; the most severe verdict wins
 * (SUCCESS < SKIP < ERROR < FAILURE). ERROR means the environment broke
 * (e.g. the test could not set up what it needs); FAILURE means the
 * behaviour under test is wrong; SKIP means the feature is absent. After
 * test_main() returns, the runtime prints exactly one line
 * "Test result: <VERDICT>" and shuts the domain down. A test that never
 * reports anything ends as ERROR.
 */
#ifndef XTF_REPORT_H
#define XTF_REPORT_H

#include <xtf/types.h>

enum xtf_result
{
    XTF_NONE = 0, /* nothing reported yet */
    XTF_SUCCESS,
    XTF_SKIP,
    XTF_ERROR,
    XTF_FAILURE,
};

void xtf_success(const char *fmt, ...) __printf(1, 2);
void xtf_skip(const char *fmt, ...) __printf(1, 2);
void xtf_error(const char *fmt, ...) __printf(1, 2);
void xtf_failure(const char *fmt, ...) __printf(1, 2);

/* The verdict that results from reporting 'next' after 'cur'. */
enum xtf_result xtf_result_merge(enum xtf_result cur, enum xtf_result next);
const char *xtf_result_name(enum xtf_result r);
enum xtf_result xtf_current_result(void);

/* Ask for SHUTDOWN_crash instead of SHUTDOWN_poweroff at the end. */
void xtf_request_crash(void);

/* Print the final line and shut down; called by the runtime. */
void __noreturn xtf_report_and_exit(void);

#endif /* XTF_REPORT_H */
