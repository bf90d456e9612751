/*
 * time.c - x86's side of guest time: the CMOS real-time clock read once
 * at boot for the wallclock, whether the TSC is invariant, and Xen's CPUID
 * time leaf (base+3) that tells a guest how its TSC relates to system
 * time.
 *
 * May not touch: the pvclock records and shared_info (xen/common/time.c
 * writes those), the CMOS beyond reading the clock registers.
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <xen/timer.h>
#include <xen/time_scale.h>
#include <xen/sched.h>
#include <xen/time.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <public/arch-x86/cpuid.h>

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define RTC_SEC     0x00
#define RTC_MIN     0x02
#define RTC_HOUR    0x04
#define RTC_DAY     0x07
#define RTC_MONTH   0x08
#define RTC_YEAR    0x09
#define RTC_STAT_A  0x0a
#define RTC_STAT_B  0x0b
#define RTC_CENTURY 0x32      /* where PC BIOSes (and both emulators) keep it */
#define STAT_A_UIP  (1u << 7) /* an update is in progress: wait */
#define STAT_B_24H  (1u << 1)
#define STAT_B_BIN  (1u << 2) /* binary, not BCD */
#define HOUR_PM     0x80      /* 12-hour mode */

struct rtc_time
{
    unsigned int sec, min, hour, day, month, year, century;
};

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static void rtc_read_raw(struct rtc_time *t)
{
    while ( cmos_read(RTC_STAT_A) & STAT_A_UIP )
        cpu_relax();
    t->sec = cmos_read(RTC_SEC);
    t->min = cmos_read(RTC_MIN);
    t->hour = cmos_read(RTC_HOUR);
    t->day = cmos_read(RTC_DAY);
    t->month = cmos_read(RTC_MONTH);
    t->year = cmos_read(RTC_YEAR);
    t->century = cmos_read(RTC_CENTURY);
}

static unsigned int from_bcd(unsigned int v)
{
    return (v >> 4) * 10 + (v & 0xf);
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar: count
 * years from March, so that the leap day is the last of its year. */
static uint64_t days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
    uint64_t yy = m <= 2 ? y - 1 : y;
    unsigned int mm = m <= 2 ? m + 9 : m - 3; /* March = 0 */
    uint64_t days = yy * 365 + yy / 4 - yy / 100 + yy / 400;

    days += (153 * mm + 2) / 5 + d - 1;
    return days - 719468; /* the same count for 1970-01-01 */
}

static bool rtc_same(const struct rtc_time *a, const struct rtc_time *b)
{
    return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->day == b->day &&
           a->month == b->month && a->year == b->year && a->century == b->century;
}

static void rtc_to_binary(struct rtc_time *t, uint8_t stat_b)
{
    bool pm = !(stat_b & STAT_B_24H) && (t->hour & HOUR_PM);

    t->hour &= ~HOUR_PM;
    if ( !(stat_b & STAT_B_BIN) )
    {
        t->sec = from_bcd(t->sec);
        t->min = from_bcd(t->min);
        t->hour = from_bcd(t->hour);
        t->day = from_bcd(t->day);
        t->month = from_bcd(t->month);
        t->year = from_bcd(t->year);
        t->century = from_bcd(t->century);
    }
    if ( !(stat_b & STAT_B_24H) )
        t->hour = (t->hour % 12) + (pm ? 12 : 0);
}

uint64_t arch_wallclock_seconds(void)
{
    struct rtc_time a, b;
    unsigned int year;

    /* Two equal reads in a row: no update ran between the registers. */
    rtc_read_raw(&b);
    do
    {
        a = b;
        rtc_read_raw(&b);
    } while ( !rtc_same(&a, &b) );
    rtc_to_binary(&a, cmos_read(RTC_STAT_B));
    year = (a.century >= 19 && a.century <= 30 ? a.century : 20) * 100 + a.year;
    if ( a.month < 1 || a.month > 12 || a.day < 1 || a.day > 31 )
        return 0;
    return days_since_epoch(year, a.month, a.day) * 86400 + a.hour * 3600 + a.min * 60 + a.sec;
}

/* CPUID 0x80000007 EDX bit 8: the TSC runs at a constant rate in every
 * P-, C- and T-state. */
bool arch_cycles_invariant(void)
{
    if ( cpuid(0x80000000).a < 0x80000007 )
        return false;
    return cpuid(0x80000007).d & (1u << 8);
}

/* ns of a clock in cycles of a khz counter (no 128-bit divide). */
static uint64_t ns_to_cycles(uint64_t ns, uint32_t khz)
{
    return ns / 1000000 * khz + ns % 1000000 * khz / 1000000;
}

/* The guest's TSC value at its system time 0: its clock's base (signed
 * at the host's rate, where it is the distance from NOW()), in cycles
 * of its own rate, taken back from where its count started; to a cycle
 * a microsecond or so: the leaf's offset is a hint, the pvclock is the
 * clock. */
static uint64_t tsc_at_time_zero(const struct domain *d)
{
    const struct domain_time *t = &d->time;
    int64_t base = (int64_t)t->base;
    uint64_t at_origin = t->origin + t->tsc_offset;

    if ( base < 0 )
        return at_origin + ns_to_cycles((uint64_t)-base, t->khz);
    return at_origin - ns_to_cycles((uint64_t)base, t->khz);
}

/* Xen's time leaf in Xen's default mode, for d's own TSC (domain_time.c):
 * its rate, and in subleaf 1 the offset and scale that turn it into d's
 * system time. */
struct cpuid_regs hvm_time_cpuid_leaf(const struct domain *d, uint32_t sub)
{
    struct cpuid_regs r = { 0, 0, 0, 0 };
    const struct time_scale s = d->time.scale;
    uint64_t origin = tsc_at_time_zero(d);

    switch ( sub )
    {
    case 0:
        r.a = (arch_cycles_invariant() ? XEN_CPUID_HOST_TSC_RELIABLE : 0) |
              (cpuid(0x80000001).d & (1u << 27) ? XEN_CPUID_RDTSCP_INSTR_AVAIL : 0);
        r.b = XEN_CPUID_TSC_MODE_DEFAULT;
        r.c = d->time.khz;
        break;
    case 1:
        r.a = (uint32_t)origin;
        r.b = (uint32_t)(origin >> 32);
        r.c = s.mul;
        r.d = (uint32_t)(int32_t)s.shift;
        break;
    case 2: r.a = d->time.khz; break;
    }
    return r;
}
