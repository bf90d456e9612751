/*
 * xs-guest - helper domU for the toolstack scenario tests (xl in dom0):
 * a PV-aware guest that makes its progress visible and obeys
 * control/shutdown, reporting through xenstore so that dom0's script can
 * check it.
 *
 *  - writes data/started = 1 at boot;
 *  - counts ticks of about 100 ms and writes data/ticks every second;
 *  - notices when it was paused (a gap of 500 ms or more between two
 *    consecutive looks at the clock) and writes the longest gap to
 *    data/paused-ms, and each tick count to its console;
 *  - watches control/shutdown: "poweroff" or "reboot" clears the node
 *    (as Linux does), says so on the console and shuts down with that
 *    reason; "suspend" is refused with data/shutdown-refused.
 *
 * Prints no verdict of its own when it has no store (it then stops with a
 * crash, so that a scenario that forgot xenstore fails loudly).
 */
#include <xtf.h>
#include <xtf/time.h>
#include <xtf/xenstore.h>
#include <public/sched.h>

const char test_title[] = "toolstack scenario helper: PV-aware guest";

#define MS 1000000ULL

static void write_number(const char *path, uint64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%lu", (unsigned long)v);
    xs_guest_write(path, buf);
}

static void shut(unsigned int reason, const char *what)
{
    struct sched_shutdown s = { .reason = reason };

    xs_guest_write("control/shutdown", "");
    printf("xs-guest: %s requested through xenstore\n", what);
    hypercall_sched_op(SCHEDOP_shutdown, &s);
}

/* control/shutdown changed: act on its value. */
static void control_event(void)
{
    char value[32] = "";

    if ( xs_guest_read("control/shutdown", value, sizeof(value)) || !value[0] )
        return;
    if ( !strcmp(value, "poweroff") || !strcmp(value, "halt") )
        shut(SHUTDOWN_poweroff, "poweroff");
    else if ( !strcmp(value, "reboot") )
        shut(SHUTDOWN_reboot, "reboot");
    else
        xs_guest_write("data/shutdown-refused", value);
}

static void run(void)
{
    uint64_t last = xtf_now(), next_tick = last + 100 * MS, longest = 0, ticks = 0;
    char path[256];

    for ( ;; )
    {
        uint64_t now = xtf_now();

        if ( now - last >= 500 * MS && now - last > longest )
        {
            longest = now - last;
            write_number("data/paused-ms", longest / MS);
        }
        last = now;
        if ( now >= next_tick )
        {
            next_tick = now + 100 * MS;
            if ( ++ticks % 10 == 0 )
            {
                write_number("data/ticks", ticks);
                printf("xs-guest: tick %lu\n", (unsigned long)ticks);
            }
        }
        if ( xs_guest_watch_fired(path, sizeof(path)) )
            control_event();
        hypercall_yield();
    }
}

void test_main(void)
{
    if ( xs_guest_init() )
        panic("xs-guest: no xenstore ring (HVM_PARAM_STORE_PFN unset)");
    if ( xs_guest_write("data/started", "1") || xs_guest_watch("control/shutdown", "ctl") )
        panic("xs-guest: xenstore refused the first write or watch");
    printf("xs-guest: started, watching control/shutdown\n");
    run();
}
