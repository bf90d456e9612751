/*
 * pvh-abi - the hypervisor boots a kernel by Xen's documented PVH ABI,
 * not merely by whatever Wren's own XTF runtime happens to expect.
 *
 * This kernel shares no code with the runtime. It was written against
 * Xen's docs/misc/pvh.pandoc (entry state) and
 * xen/include/public/arch-x86/hvm/start_info.h (boot information), and
 * against the CPUID leaves of public/arch-x86/cpuid.h. It stays in 32-bit
 * protected mode with paging off, so its hypercalls use the 32-bit
 * convention (EBX, ECX, EDX, ESI, EDI; result in EAX), as a 32-bit Xen
 * guest's would. It checks:
 *  - entry state: EBX non-zero, CR0 = PE (+ the read-only ET) and paging
 *    off, CR4 = 0, EFLAGS.VM/IF/TF clear, SS and DS flat alike;
 *  - hvm_start_info: magic 0x336ec578, version >= 1, reserved fields 0;
 *  - the memory map: present, sorted, non-overlapping, known types, and
 *    our own image inside one RAM entry;
 *  - the command line (if any) is a short, printable, NUL-terminated
 *    string; the module list is sane.
 * Then it prints "Test result: ..." itself through console_io and powers
 * off with SCHEDOP_shutdown.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <public/xen.h>
#include <public/sched.h>
#include <public/version.h>
#include <public/hvm/start_info.h>
#include <public/arch-x86/cpuid.h>

#define CR0_PE      (1U << 0)
#define CR0_ET      (1U << 4)
#define CR0_PG      (1U << 31)
#define EFLAGS_TF   (1U << 8)
#define EFLAGS_IF   (1U << 9)
#define EFLAGS_VM   (1U << 17)
#define CMDLINE_MAX 1024

extern uint32_t entry_ebx, entry_eflags, entry_cr0, entry_cr4;
extern uint8_t entry_ss_ds_agree;
extern uint8_t hypercall_page[4096];
extern char _image_start[], _image_end[];

void pvh_main(void);

static bool have_xen;
static unsigned int failures;

static long hypercall3(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
    long ret;

    __asm__ volatile("call *%[stub]"
                     : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3)
                     : [stub] "r"(hypercall_page + nr * 32)
                     : "memory", "esi", "edi");
    return ret;
}

static void out(const char *s, uint32_t n)
{
    if ( have_xen )
        hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, n, (uint32_t)(uintptr_t)s);
    else
        while ( n-- )
            __asm__ volatile("outb %0, $0xe9" ::"a"(*s++));
}

struct line
{
    char buf[160];
    uint32_t n;
};

static void put(struct line *l, char c)
{
    if ( l->n < sizeof(l->buf) )
        l->buf[l->n++] = c;
}

static void put_dec(struct line *l, uint32_t v)
{
    char d[10];
    int k = 0;

    do
    {
        d[k++] = '0' + v % 10;
        v /= 10;
    } while ( v );
    while ( k )
        put(l, d[--k]);
}

static void put_hex(struct line *l, uint64_t v)
{
    int shift = 60;

    put(l, '0');
    put(l, 'x');
    while ( shift > 0 && !(v >> shift) )
        shift -= 4;
    for ( ; shift >= 0; shift -= 4 )
        put(l, "0123456789abcdef"[(v >> shift) & 0xf]);
}

/* A deliberately tiny printf: %s, %u, %x (32-bit) and %q (64-bit hex). */
static void msg(const char *fmt, ...)
{
    struct line l = { .n = 0 };
    va_list ap;

    va_start(ap, fmt);
    for ( ; *fmt; fmt++ )
    {
        if ( *fmt != '%' )
        {
            put(&l, *fmt);
            continue;
        }
        switch ( *++fmt )
        {
        case 's':
            for ( const char *s = va_arg(ap, const char *); *s; s++ )
                put(&l, *s);
            break;
        case 'u': put_dec(&l, va_arg(ap, uint32_t)); break;
        case 'x': put_hex(&l, va_arg(ap, uint32_t)); break;
        case 'q': put_hex(&l, va_arg(ap, uint64_t)); break;
        default:
            put(&l, '%');
            put(&l, *fmt);
            break;
        }
    }
    va_end(ap);
    out(l.buf, l.n);
}

static void check(bool ok, const char *what)
{
    msg("  %s: %s\n", what, ok ? "ok" : "WRONG");
    if ( !ok )
        failures++;
}

static bool find_xen(void)
{
    for ( uint32_t base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_BASE_LIMIT;
          base += XEN_CPUID_BASE_STRIDE )
    {
        uint32_t a, b, c, d;

        __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(base), "c"(0));
        if ( b != XEN_CPUID_SIGNATURE_EBX || c != XEN_CPUID_SIGNATURE_ECX ||
             d != XEN_CPUID_SIGNATURE_EDX || a < base + 2 )
            continue;
        __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(base + 2), "c"(0));
        if ( a < 1 )
            return false;
        __asm__ volatile("wrmsr" ::"c"(b), "a"((uint32_t)(uintptr_t)hypercall_page), "d"(0)
                         : "memory");
        return true;
    }
    return false;
}

static void check_entry_state(void)
{
    msg("Entry state: ebx %x cr0 %x cr4 %x eflags %x\n", entry_ebx, entry_cr0, entry_cr4,
        entry_eflags);
    check(entry_ebx != 0, "EBX points at hvm_start_info");
    check(entry_cr0 & CR0_PE, "CR0.PE set");
    check(!(entry_cr0 & CR0_PG), "paging off");
    check(!(entry_cr0 & ~(CR0_PE | CR0_ET)), "other CR0 bits clear");
    check(entry_cr4 == 0, "CR4 clear");
    check(!(entry_eflags & (EFLAGS_VM | EFLAGS_IF | EFLAGS_TF)), "EFLAGS.VM, IF and TF clear");
    check(entry_ss_ds_agree, "SS and DS address the same memory");
}

static bool addr_ok(uint64_t pa, uint64_t len)
{
    return pa && pa < 0x100000000ULL && len <= 0x100000000ULL - pa;
}

static void check_memmap(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *m = (const void *)(uintptr_t)si->memmap_paddr;
    uint64_t img_lo = (uintptr_t)_image_start, img_hi = (uintptr_t)_image_end;
    bool sorted = true, types = true, reserved = true, image = false;

    if ( !addr_ok(si->memmap_paddr, si->memmap_entries * sizeof(*m)) || !si->memmap_entries )
    {
        check(false, "memory map present");
        return;
    }
    msg("Memory map, %u entries at %q:\n", si->memmap_entries, si->memmap_paddr);
    for ( uint32_t i = 0; i < si->memmap_entries; i++ )
    {
        msg("  %q +%q type %u\n", m[i].addr, m[i].size, m[i].type);
        if ( i && m[i].addr < m[i - 1].addr + m[i - 1].size )
            sorted = false;
        if ( m[i].type < XEN_HVM_MEMMAP_TYPE_RAM || m[i].type > XEN_HVM_MEMMAP_TYPE_PMEM )
            types = false;
        if ( m[i].reserved )
            reserved = false;
        if ( m[i].type == XEN_HVM_MEMMAP_TYPE_RAM && m[i].addr <= img_lo &&
             m[i].addr + m[i].size >= img_hi )
            image = true;
    }
    check(sorted, "entries sorted and not overlapping");
    check(types, "entry types are XEN_HVM_MEMMAP_TYPE_*");
    check(reserved, "entry reserved fields zero");
    check(image, "our image lies in RAM");
}

static void check_cmdline(const struct hvm_start_info *si)
{
    const char *s = (const char *)(uintptr_t)si->cmdline_paddr;
    uint32_t n = 0;
    bool printable = true;

    if ( !si->cmdline_paddr )
    {
        msg("No command line (cmdline_paddr 0)\n");
        return;
    }
    if ( !addr_ok(si->cmdline_paddr, CMDLINE_MAX) )
    {
        check(false, "command line below 4 GiB");
        return;
    }
    for ( ; n < CMDLINE_MAX && s[n]; n++ )
        if ( s[n] < 0x20 || s[n] > 0x7e )
            printable = false;
    check(n < CMDLINE_MAX, "command line NUL-terminated");
    check(printable, "command line printable");
    if ( n < CMDLINE_MAX && printable )
        msg("Command line: \"%s\"\n", s);
}

static void check_modules(const struct hvm_start_info *si)
{
    const struct hvm_modlist_entry *mod = (const void *)(uintptr_t)si->modlist_paddr;
    bool sane = true;

    msg("%u module(s)\n", si->nr_modules);
    if ( !si->nr_modules )
        return;
    if ( !addr_ok(si->modlist_paddr, si->nr_modules * sizeof(*mod)) )
    {
        check(false, "module list below 4 GiB");
        return;
    }
    for ( uint32_t i = 0; i < si->nr_modules; i++ )
    {
        msg("  module %u: %q +%q\n", i, mod[i].paddr, mod[i].size);
        if ( !mod[i].paddr || mod[i].reserved )
            sane = false;
    }
    check(sane, "module entries sane");
}

static void check_start_info(void)
{
    const struct hvm_start_info *si = (const void *)(uintptr_t)entry_ebx;

    if ( !entry_ebx )
        return;
    msg("hvm_start_info at %x: magic %x version %u flags %x\n", entry_ebx, si->magic, si->version,
        si->flags);
    check(si->magic == XEN_HVM_START_MAGIC_VALUE, "magic is 0x336ec578");
    if ( si->magic != XEN_HVM_START_MAGIC_VALUE )
        return;
    check(si->version >= 1, "version >= 1 (has a memory map)");
    if ( si->version < 1 )
        return;
    check(si->reserved == 0, "reserved field zero");
    check_memmap(si);
    check_cmdline(si);
    check_modules(si);
}

static void __attribute__((noreturn)) finish(const char *verdict)
{
    struct sched_shutdown s = { .reason = SHUTDOWN_poweroff };

    msg("Test result: %s\n", verdict);
    if ( have_xen )
        hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uint32_t)(uintptr_t)&s, 0);
    else /* QEMU's isa-debug-exit, if configured */
        __asm__ volatile("outl %0, $0xf4" ::"a"(1));
    for ( ;; )
        __asm__ volatile("cli; hlt");
}

void pvh_main(void)
{
    long version;

    have_xen = find_xen();
    msg("--- pvh-abi: Xen PVH boot ABI, no XTF runtime ---\n");
    check_entry_state();
    check_start_info();

    if ( !have_xen )
    {
        msg("Error: no Xen-compatible hypervisor found in CPUID\n");
        finish("ERROR");
    }
    version = hypercall3(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
    msg("32-bit hypercalls work: xen_version %x\n", (uint32_t)version);
    check(version > 0, "xen_version from 32-bit mode");
    finish(failures ? "FAILURE" : "SUCCESS");
}
