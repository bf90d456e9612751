/*
 * domain_build.c - the domains of the boot modules on arm64: the first
 * `multiboot,module` node (the kernel) becomes dom0, each further one
 * that is not a ramdisk an unprivileged domain 1, 2, ... (dom0less), as
 * on x86 (pvh_build.c). A kernel is an AArch64 ELF64 image loaded at its
 * segments' physical addresses.
 *
 * Guest-physical layout: RAM at GUEST_RAM_BASE (0x40000000, Xen on Arm's
 * GUEST_RAM0_BASE), `mem=` bytes (default 16 MiB); its last page holds
 * the command line, and a ramdisk module that follows a kernel (as on
 * x86) goes page-aligned right below that page. vCPU 0 starts at the ELF
 * entry at EL1h with interrupts masked and its MMU off, x0 = 0 (no device
 * tree yet: where Linux expects one), x1 = the command line's IPA, x2 =
 * the domid (what Xen on Arm's /hypervisor node and xenstore would tell;
 * there is no guest device tree yet, docs/designs/arm64.md), x3/x4 = the
 * ramdisk's IPA and size (0 without one; dom0's runtime reads its
 * archive there). The other vCPUs are off until PSCI CPU_ON (vpsci.c).
 *
 * May not touch: anything of a domain but what it builds.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <wren/elf.h>
#include <asm/arm64.h>
#include <asm/guest.h>

#define DEFAULT_MEM (16UL << 20)
#define MIN_MEM     (1UL << 20)
#define MAX_MEM     (256UL << 20)
#define ELF_MACHINE 18 /* e_machine, 2 bytes */
#define ELF_ENTRY   24 /* e_entry, 8 bytes (ELF64) */
#define EM_AARCH64  183
#define CMDLINE_MAX 1024

struct build
{
    const struct dt_module *m;
    const struct dt_module *ramdisk; /* the module after it, or NULL */
    const char *args;                /* the module string after its file name */
    uint64_t mem, vcpus;
};

static const char *module_args(const char *s)
{
    while ( *s && *s != ' ' )
        s++;
    while ( *s == ' ' )
        s++;
    return s;
}

static bool module_option(const char *args, const char *key, uint64_t *val, bool size)
{
    size_t klen = strlen(key);
    for ( const char *p = args; *p; p++ )
        if ( (p == args || p[-1] == ' ') && !strncmp(p, key, klen) && p[klen] == '=' )
        {
            *val = size ? parse_size_and_unit(p + klen + 1, NULL)
                        : simple_strtoull(p + klen + 1, NULL, 0);
            return true;
        }
    return false;
}

/* An AArch64 ELF64 image: its entry, or -ENOEXEC with the reason. */
static int check_elf(struct elf_image *img, const struct dt_module *m, uint64_t *entry,
                     const char **why)
{
    uint16_t machine;
    if ( elf_parse(img, (const void *)(uintptr_t)m->start, m->size, why) )
        return -ENOEXEC;
    memcpy(&machine, img->data + ELF_MACHINE, sizeof(machine));
    if ( !img->is64 || machine != EM_AARCH64 )
    {
        *why = "not an AArch64 ELF64 image";
        return -ENOEXEC;
    }
    memcpy(entry, img->data + ELF_ENTRY, sizeof(*entry));
    return 0;
}

/* The kernel's segments, below top; *end: where the highest ends. */
static int load_segments(struct domain *d, const struct elf_image *img, uint64_t top, uint64_t *end)
{
    static const uint8_t zeros[256];
    *end = GUEST_RAM_BASE;
    for ( unsigned int i = 0; i < img->nr_segments; i++ )
    {
        const struct elf_segment *s = &img->seg[i];
        if ( s->paddr < GUEST_RAM_BASE || s->paddr + s->memsz > top ||
             s->paddr + s->memsz < s->paddr )
        {
            printk(XENLOG_ERR "d%u: segment [%#lx, %#lx) outside guest RAM\n", d->domain_id,
                   s->paddr, s->paddr + s->memsz);
            return -ENOEXEC;
        }
        if ( copy_to_gpa(d, s->paddr, img->data + s->offset, s->filesz) )
            return -EFAULT;
        for ( uint64_t off = s->filesz; off < s->memsz; off += sizeof(zeros) )
            if ( copy_to_gpa(d, s->paddr + off, zeros, MIN(sizeof(zeros), s->memsz - off)) )
                return -EFAULT;
        *end = MAX(*end, s->paddr + s->memsz);
    }
    return 0;
}

/* The ramdisk, page-aligned right below top and above the kernel's end;
 * its IPA in *at. */
static int load_ramdisk(struct domain *d, const struct dt_module *rd, uint64_t top,
                        uint64_t kernel_end, uint64_t *at)
{
    if ( rd->size > top - kernel_end || ((top - rd->size) & PAGE_MASK) < kernel_end )
    {
        printk(XENLOG_ERR "d%u: no room for a %lu-byte ramdisk above the kernel\n", d->domain_id,
               rd->size);
        return -ENOMEM;
    }
    *at = (top - rd->size) & PAGE_MASK;
    return copy_to_gpa(d, *at, (const void *)(uintptr_t)rd->start, rd->size) ? -EFAULT : 0;
}

/* Everything the builder wrote goes to the point of coherency: a guest
 * starts with its caches off and reads memory, not our caches. */
static void clean_guest_ram(struct domain *d, uint64_t mem)
{
    for ( uint64_t gfn = GUEST_RAM_BASE >> PAGE_SHIFT; gfn < (GUEST_RAM_BASE + mem) >> PAGE_SHIFT;
          gfn++ )
    {
        void *page = map_guest_frame(d, _gfn(gfn), false);
        if ( !page )
            continue;
        clean_dcache_range(page, PAGE_SIZE);
        unmap_guest_frame(page);
    }
}

static int load_cmdline(struct domain *d, const char *args, uint64_t gpa)
{
    size_t len = MIN(strlen(args), (size_t)CMDLINE_MAX - 1);
    if ( copy_to_gpa(d, gpa, args, len) || copy_to_gpa(d, gpa + len, "", 1) )
        return -EFAULT;
    return 0;
}

static int load(struct domain *d, const struct build *b)
{
    struct elf_image img;
    const char *why = "";
    uint64_t entry, cmdline = GUEST_RAM_BASE + b->mem - PAGE_SIZE, kend, rd_at = 0;
    struct vcpu *v = d->vcpu[0];
    int rc = check_elf(&img, b->m, &entry, &why);
    if ( rc )
    {
        printk(XENLOG_ERR "d%u: kernel rejected: %s\n", d->domain_id, why);
        return rc;
    }
    rc = domain_populate_ram(d, GUEST_RAM_BASE >> PAGE_SHIFT, b->mem >> PAGE_SHIFT);
    d->ram_end_gfn = (GUEST_RAM_BASE + b->mem) >> PAGE_SHIFT;
    d->max_pages = d->tot_pages;
    if ( !rc )
        rc = load_segments(d, &img, cmdline, &kend);
    if ( !rc && b->ramdisk )
        rc = load_ramdisk(d, b->ramdisk, cmdline, kend, &rd_at);
    if ( !rc )
        rc = load_cmdline(d, b->args, cmdline);
    if ( rc )
        return rc;
    clean_guest_ram(d, b->mem);
    guest_vcpu_reset(v, entry, 0);
    v->arch.regs.x[1] = cmdline;
    v->arch.regs.x[2] = d->domain_id;
    v->arch.regs.x[3] = rd_at;
    v->arch.regs.x[4] = b->ramdisk ? b->ramdisk->size : 0;
    v->initialised = v->is_up = true;
    v->state = VCPU_RUNNABLE;
    printk("d%u: AArch64 kernel loaded, entry %#lx, %lu MiB at %#lx, %u vCPU(s)\n", d->domain_id,
           entry, b->mem >> 20, GUEST_RAM_BASE, d->max_vcpus);
    return 0;
}

static bool is_ramdisk(const struct dt_module *m)
{
    return !strcmp(m->kind, "ramdisk");
}

static int build_one(domid_t id, const struct dt_module *m, const struct dt_module *next)
{
    struct build b = { m, next && is_ramdisk(next) ? next : NULL, module_args(m->cmdline),
                       DEFAULT_MEM, 1 };
    struct domain *d = NULL;
    int rc;
    module_option(b.args, "mem", &b.mem, true);
    module_option(b.args, "vcpus", &b.vcpus, false);
    if ( b.mem < MIN_MEM || b.mem > MAX_MEM || (b.mem & (PAGE_SIZE - 1)) || !b.vcpus ||
         b.vcpus > domain_vcpu_limit() )
    {
        printk(XENLOG_ERR "d%u: mem=%#lx or vcpus=%lu out of range\n", id, b.mem, b.vcpus);
        return -EINVAL;
    }
    rc = domain_create(id, id == 0, (unsigned int)b.vcpus, &d);
    if ( !rc )
        rc = load(d, &b);
    if ( rc )
    {
        printk(XENLOG_ERR "d%u: build from module '%s' failed (%d)\n", id, m->cmdline, rc);
        if ( d && id )
            domain_destroy(d);
    }
    return rc;
}

bool arm64_build_boot_domains(void)
{
    const struct arm64_boot_info *bi = &arm64_boot_info;
    domid_t next = 1;
    if ( !bi->nr_modules )
        return false;
    if ( build_one(0, &bi->modules[0], bi->nr_modules > 1 ? &bi->modules[1] : NULL) )
        panic("could not build dom0 (see above)");
    for ( unsigned int i = 1; i < bi->nr_modules; i++ )
        if ( !is_ramdisk(&bi->modules[i]) )
            build_one(next++, &bi->modules[i], i + 1 < bi->nr_modules ? &bi->modules[i + 1] : NULL);
    for ( struct domain *d = domain_list; d; d = d->next_in_list )
        if ( d != hardware_domain )
            domain_unpause(d);
    domain_unpause(hardware_domain);
    return true;
}
