/*
 * report.c - collecting the verdict and printing the one final line.
 */
#include <xtf.h>
#include <xtf/runtime.h>
#include <public/sched.h>

static enum xtf_result result = XTF_NONE;
static bool want_crash;

enum xtf_result xtf_result_merge(enum xtf_result cur, enum xtf_result next)
{
    return next > cur ? next : cur;
}

enum xtf_result xtf_current_result(void)
{
    return result;
}

const char *xtf_result_name(enum xtf_result r)
{
    switch ( r )
    {
    case XTF_SUCCESS: return "SUCCESS";
    case XTF_SKIP: return "SKIP";
    case XTF_ERROR: return "ERROR";
    case XTF_FAILURE: return "FAILURE";
    default: return "NONE";
    }
}

static void report(enum xtf_result r, const char *prefix, const char *fmt, va_list ap)
{
    char msg[400] = "";

    if ( fmt ) /* xtf_success(NULL) reports without a message */
        vsnprintf(msg, sizeof(msg), fmt, ap);
    if ( msg[0] )
        printf("%s%s\n", prefix, msg);
    result = xtf_result_merge(result, r);
}

#define DEFINE_REPORTER(fn, res, prefix) \
    void fn(const char *fmt, ...)        \
    {                                    \
        va_list ap;                      \
                                         \
        va_start(ap, fmt);               \
        report(res, prefix, fmt, ap);    \
        va_end(ap);                      \
    }
DEFINE_REPORTER(xtf_success, XTF_SUCCESS, "")
DEFINE_REPORTER(xtf_skip, XTF_SKIP, "Skip: ")
DEFINE_REPORTER(xtf_error, XTF_ERROR, "Error: ")
DEFINE_REPORTER(xtf_failure, XTF_FAILURE, "Failure: ")
#undef DEFINE_REPORTER

void xtf_request_crash(void)
{
    want_crash = true;
}

void __noreturn panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(XTF_FAILURE, "PANIC: ", fmt, ap);
    va_end(ap);
    xtf_request_crash();
    xtf_report_and_exit();
}

void __noreturn xtf_report_and_exit(void)
{
    if ( result == XTF_NONE )
        xtf_error("test finished without reporting a result");
    printf("Test result: %s\n", xtf_result_name(result));
    xtf_shutdown(want_crash ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
