/*
 * selftest.c - the boot tests of the qemu-arm64 platform, chosen with
 * wren_selftest=NAME on the command line (the runner's descriptors in
 * xen/arch/arm64/tests/). Each prints exactly one "Test result:" line
 * from the hypervisor (RESULT_FROM=xen), or, for `panic`, must never
 * get to print one. Without the option the boot goes on to the guests.
 *
 *   boot   what the machine is: CPUs, memory, EL, IPA size, HAFDBS, and
 *          that the MMU, caches, vectors, timer and PSCI work
 *   smp    both CPUs count to N under one spinlock; the total is 2N
 *   panic  a load from an unmapped address must reach the EL2 vectors
 *          and panic with ESR_EL2, ELR_EL2 and FAR_EL2 (EXPECT_PANIC)
 *   modules  the runner's multiboot,module nodes (tests/modules.cfg): two,
 *          each file where its reg says, of its size, saying its own name
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/arch.h>
#include <asm/arm64.h>
#include <asm/system.h>
#include <asm/sysregs.h>

static char selftest[16];
string_param("wren_selftest", selftest);

static unsigned int failures;

static void check(bool ok, const char *what)
{
    if ( !ok )
    {
        printk("FAIL: %s\n", what);
        failures++;
    }
}

static void result(void)
{
    if ( failures )
        printk("Test result: FAILURE (%u check%s failed)\n", failures, failures == 1 ? "" : "s");
    else
        printk("Test result: SUCCESS\n");
}

/* ---- boot ---- */

static const char *hafdbs_name(unsigned int v)
{
    switch ( v )
    {
    case 0: return "none";
    case 1: return "access flag";
    case 2: return "access flag and dirty state";
    default: return "access flag, dirty state and more";
    }
}

static uint64_t memory_bytes(const struct arm64_boot_info *bi)
{
    uint64_t total = 0;
    for ( unsigned int i = 0; i < bi->nr_memory; i++ )
        total += bi->memory[i].size;
    return total;
}

static unsigned int parange_bits(unsigned int parange)
{
    static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };
    return parange < ARRAY_SIZE(bits) ? bits[parange] : 0;
}

/* A 10 ms delay must take 10 ms of the counter, and not much more. */
static bool delay_ok(void)
{
    uint64_t hz = arch_cycles_hz(), t0 = arch_cycles(), dt;
    udelay(10000);
    dt = arch_cycles() - t0;
    printk("udelay(10000): %lu counter ticks (%lu expected)\n", dt, hz / 100);
    return hz && dt >= hz / 100 && dt < hz;
}

static void test_boot(void)
{
    const struct arm64_boot_info *bi = &arm64_boot_info;
    uint64_t mmfr0 = READ_SYSREG(id_aa64mmfr0_el1), mmfr1 = READ_SYSREG(id_aa64mmfr1_el1);
    uint64_t sctlr = READ_SYSREG(sctlr_el2);
    unsigned int el = (READ_SYSREG(CurrentEL) >> 2) & 3;
    extern uint8_t el2_vectors[];

    printk("CPUs: %u online, %u in the device tree\n", nr_online_cpus, bi->nr_cpus);
    printk("Memory: %lu MiB\n", memory_bytes(bi) >> 20);
    printk("Exception level: EL%u; SCTLR_EL2 at entry %#lx (MMU %s, D-cache %s)\n", el,
           boot_sctlr_el2, boot_sctlr_el2 & SCTLR_EL2_M ? "on" : "off",
           boot_sctlr_el2 & SCTLR_EL2_C ? "on" : "off");
    printk("IPA size: the CPU offers %u bits (ID_AA64MMFR0_EL1.PARange %u), guests get %u\n",
           parange_bits(ID_AA64MMFR0_PARANGE(mmfr0)), ID_AA64MMFR0_PARANGE(mmfr0),
           arch_gpaddr_bits());
    printk("HAFDBS: %u (%s); VMIDBits %s; VHE %u\n", ID_AA64MMFR1_HAFDBS(mmfr1),
           hafdbs_name(ID_AA64MMFR1_HAFDBS(mmfr1)), ID_AA64MMFR1_VMIDBITS(mmfr1) == 2 ? "16" : "8",
           ID_AA64MMFR1_VH(mmfr1));
    check(el == 2, "running at EL2");
    check(!(boot_sctlr_el2 & SCTLR_EL2_M), "entered with the MMU off");
    check(nr_online_cpus == bi->nr_cpus && nr_online_cpus >= 2, "every CPU of the tree online");
    check(memory_bytes(bi) >= (64UL << 20), "at least 64 MiB of RAM");
    check((sctlr & (SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I)) ==
              (SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I),
          "EL2 MMU and caches on");
    check(READ_SYSREG(vbar_el2) == (uintptr_t)el2_vectors, "VBAR_EL2 is ours");
    check(psci_version() >= 0x2, "PSCI 0.2 or later");
    check(bi->gicd.start && bi->gicr.start, "a GICv3 in the device tree");
    check(delay_ok(), "the generic timer's delay");
    result();
}

/* ---- smp ---- */

#define SMP_ROUNDS 100000
#define SMP_HOLD   32 /* steps between the read and the write */

static spinlock_t count_lock = SPIN_LOCK_UNLOCKED(0);
static volatile uint64_t count;
static volatile bool smp_go;
static volatile unsigned int smp_done;
static volatile uint64_t smp_mpidr[NR_CPUS];

/* A plain read-modify-write, held open for a while so that without the
 * lock the other CPU's updates would land in between and be lost. */
static void count_up(unsigned int cpu)
{
    smp_mpidr[cpu] = READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK;
    for ( unsigned int i = 0; i < SMP_ROUNDS; i++ )
    {
        uint64_t seen;
        arch_spin_lock(&count_lock);
        seen = count;
        for ( volatile unsigned int j = 0; j < SMP_HOLD; j++ )
            ;
        count = seen + 1;
        arch_spin_unlock(&count_lock);
    }
    __atomic_add_fetch(&smp_done, 1, __ATOMIC_SEQ_CST);
}

void selftest_secondary(unsigned int cpu)
{
    if ( strcmp(selftest, "smp") )
        return;
    while ( !smp_go )
        cpu_relax();
    count_up(cpu);
}

static void test_smp(void)
{
    unsigned int cpus = nr_online_cpus;
    uint64_t t0 = arch_cycles();

    check(cpus >= 2, "at least two CPUs online");
    smp_go = true;
    smp_mb();
    count_up(0);
    while ( smp_done < cpus && arch_cycles() - t0 < 20 * arch_cycles_hz() )
        cpu_relax();
    printk("%u CPUs counted to %lu (%lu expected)\n", smp_done, count, (uint64_t)cpus * SMP_ROUNDS);
    for ( unsigned int c = 0; c < cpus; c++ )
        printk("CPU%u: MPIDR %#lx\n", c, smp_mpidr[c]);
    check(smp_done == cpus, "every CPU finished");
    check(count == (uint64_t)cpus * SMP_ROUNDS, "no increment lost");
    check(cpus < 2 || smp_mpidr[0] != smp_mpidr[1], "two different CPUs did the work");
    result();
}

/* ---- panic ---- */

/* Above the last GiB the boot map covers (mm.c), below 2^48. */
#define UNMAPPED_ADDRESS 0x7f00dead0000UL

/* One load at a known address, so the report's ELR_EL2 can be checked. */
extern const uint8_t panic_probe[];
static __attribute__((noinline)) uint64_t probe_load(uintptr_t addr)
{
    uint64_t v;
    asm volatile(".global panic_probe\n"
                 "panic_probe: ldr %0, [%1]"
                 : "=r"(v)
                 : "r"(addr)
                 : "memory");
    return v;
}

/* The runner (EXPECT_PANIC) requires the PANIC line to hold the text of
 * the "expect-panic:" line: the fault's own ELR_EL2 and FAR_EL2. */
static void test_panic(void)
{
    uint64_t v;

    printk("reading %#lx, which nothing maps: a data abort must follow\n", UNMAPPED_ADDRESS);
    printk("expect-panic: ELR_EL2 %#lx FAR_EL2 %#lx\n", (uintptr_t)panic_probe, UNMAPPED_ADDRESS);
    v = probe_load(UNMAPPED_ADDRESS);
    printk("the read returned %#lx: no exception\n", v);
    failures++;
    result();
}

/* ---- modules ---- */

/* What tests/modules.cfg asks the runner for, in order. */
static const struct
{
    const char *kind, *cmdline;
} want_modules[] = {
    { "kernel", "mod-kernel.elf x=1 s=\"a,b\"" },
    { "module", "mod-extra.elf y=2" },
};

/* A stand-in module holds "WREN-MODULE <its file name>\n" and no more. */
static bool module_content_ok(const struct dt_module *m)
{
    char want[64];
    size_t name = 0;
    int n;

    while ( m->cmdline[name] && m->cmdline[name] != ' ' )
        name++;
    n = snprintf(want, sizeof(want), "WREN-MODULE %.*s\n", (int)name, m->cmdline);

    printk("module at %#lx: %lu bytes, '%.*s'\n", m->start, m->size,
           (int)MIN(m->size, (uint64_t)40) - 1, (const char *)(uintptr_t)m->start);
    return mm_is_mapped(m->start) && m->size == (uint64_t)n &&
           !memcmp((const void *)(uintptr_t)m->start, want, n);
}

static void test_modules(void)
{
    const struct arm64_boot_info *bi = &arm64_boot_info;

    check(bi->nr_modules == ARRAY_SIZE(want_modules), "as many modules as the runner gave");
    for ( unsigned int i = 0; i < bi->nr_modules && i < ARRAY_SIZE(want_modules); i++ )
    {
        const struct dt_module *m = &bi->modules[i];
        check(!strcmp(m->kind, want_modules[i].kind), "the module's kind (compatible)");
        check(!strcmp(m->cmdline, want_modules[i].cmdline), "the module's bootargs");
        check(module_content_ok(m), "the module's file at its reg");
    }
    result();
}

bool selftest_run(void)
{
    if ( !selftest[0] )
        return false;
    printk("Self-test '%s'\n", selftest);
    if ( !strcmp(selftest, "boot") )
        test_boot();
    else if ( !strcmp(selftest, "smp") )
        test_smp();
    else if ( !strcmp(selftest, "panic") )
        test_panic();
    else if ( !strcmp(selftest, "modules") )
        test_modules();
    else
        printk("Test result: ERROR unknown self-test '%s'\n", selftest);
    return true;
}
