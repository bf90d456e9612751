/*
 * domain_build.c - the domains of the boot modules on arm64: the first
 * `multiboot,module` node (the kernel) becomes dom0, each further one
 * that is not a ramdisk an unprivileged domain 1, 2, ... (dom0less), as
 * on x86 (pvh_build.c); a `multiboot,ramdisk` module right after a kernel
 * is that kernel's initrd. A kernel is an AArch64 ELF64 image loaded at
 * its segments' physical addresses, or an arm64 Linux `Image` (the
 * 64-byte header of the kernel's booting.rst: text_offset, image_size,
 * magic "ARM\x64" at 56) loaded at RAM base + text_offset (RAM base is
 * 2 MiB-aligned).
 *
 * Guest-physical layout: RAM at GUEST_RAM_BASE (0x40000000, Xen on Arm's
 * GUEST_RAM0_BASE), `mem=` bytes (default 16 MiB): the kernel at the
 * bottom, the ramdisk 2 MiB-aligned below the device tree (guest_dt.c,
 * at most GUEST_DT_MAX), which sits below the last page, the page of the
 * command line. A domU also gets the PV console ring at
 * GUEST_MAGIC_BASE (Xen on Arm's place; HVM_PARAM_CONSOLE_PFN/EVTCHN),
 * drained by the hypervisor. vCPU 0 starts at the entry at EL1h with
 * interrupts masked and its MMU off, x0 = the device tree; an ELF (XTF)
 * kernel (XTF, dom0) also gets x1 = the command line's IPA, x2 = the
 * domid, x3/x4 = the ramdisk's IPA and size (0 without one); an Image
 * x1 = x2 = x3 = 0 as the boot protocol requires. The other vCPUs
 * are off until PSCI CPU_ON (vpsci.c).
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
#include <asm/guest_dt.h>
#include <xen/console.h>
#include <xen/param.h>

#define DEFAULT_MEM     (16UL << 20)
#define MIN_MEM         (1UL << 20)
#define MAX_MEM         (256UL << 20)
#define ELF_MACHINE     18 /* e_machine, 2 bytes */
#define ELF_ENTRY       24 /* e_entry, 8 bytes (ELF64) */
#define EM_AARCH64      183
#define CMDLINE_MAX     1024
#define IMG_HDR_SIZE    64
#define IMG_TEXT_OFFSET 8  /* le64 */
#define IMG_SIZE        16 /* le64: bytes from the load address, bss included */
#define IMG_MAGIC_OFF   56 /* le32 "ARM\x64" */
#define IMG_MAGIC       0x644d5241U
#define SZ_2M           0x200000UL

/* Xen's option: dom0's vCPUs when its module string names none. */
static uint32_t opt_dom0_max_vcpus;
integer_param("dom0_max_vcpus", opt_dom0_max_vcpus);

struct build
{
    const struct dt_module *m;
    const struct dt_module *rd; /* its ramdisk, or NULL */
    const char *args;           /* the module string after its file name */
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

/* Where things go in the guest's RAM (guest-physical addresses). */
struct layout
{
    uint64_t entry, kernel_end;
    uint64_t initrd_start, initrd_end; /* both 0: none */
    uint64_t dt, cmdline;
    bool image; /* an arm64 Linux Image, not an ELF */
};

static bool is_image(const struct dt_module *m)
{
    uint32_t magic;
    if ( m->size < IMG_HDR_SIZE )
        return false;
    memcpy(&magic, (const uint8_t *)(uintptr_t)m->start + IMG_MAGIC_OFF, sizeof(magic));
    return magic == IMG_MAGIC;
}

static int load_segments(struct domain *d, const struct elf_image *img, struct layout *l)
{
    static const uint8_t zeros[256];
    for ( unsigned int i = 0; i < img->nr_segments; i++ )
    {
        const struct elf_segment *s = &img->seg[i];
        if ( s->paddr < GUEST_RAM_BASE || s->paddr + s->memsz > l->dt ||
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
        l->kernel_end = MAX(l->kernel_end, s->paddr + s->memsz);
    }
    return 0;
}

static int load_elf(struct domain *d, const struct build *b, struct layout *l)
{
    struct elf_image img;
    const char *why = "";
    if ( check_elf(&img, b->m, &l->entry, &why) )
    {
        printk(XENLOG_ERR "d%u: kernel rejected: %s\n", d->domain_id, why);
        return -ENOEXEC;
    }
    return load_segments(d, &img, l);
}

/* An Image runs where it is put: RAM base + text_offset, entered at its
 * first byte; image_size (bss included) must fit below the device tree.
 * A header without image_size (kernels before 3.17) counts the file. */
static int load_image(struct domain *d, const struct build *b, struct layout *l)
{
    const uint8_t *p = (const void *)(uintptr_t)b->m->start;
    uint64_t text_offset, size;
    memcpy(&text_offset, p + IMG_TEXT_OFFSET, sizeof(text_offset));
    memcpy(&size, p + IMG_SIZE, sizeof(size));
    if ( !size )
        size = b->m->size;
    if ( text_offset >= b->mem || size > b->mem || size < b->m->size ||
         GUEST_RAM_BASE + text_offset + size > l->dt )
    {
        printk(XENLOG_ERR
               "d%u: Image (text_offset %#lx, image_size %#lx) does not fit in %lu MiB\n",
               d->domain_id, text_offset, size, b->mem >> 20);
        return -ENOEXEC;
    }
    l->entry = GUEST_RAM_BASE + text_offset;
    l->kernel_end = l->entry + size;
    return copy_to_gpa(d, l->entry, p, b->m->size) ? -EFAULT : 0;
}

/* The ramdisk at the top of RAM, 2 MiB-aligned below the device tree:
 * the RAM between the kernel and it stays one free run (dom0's runtime
 * takes that as its heap, and Linux's initrd may be anywhere). */
static int load_ramdisk(struct domain *d, const struct build *b, struct layout *l)
{
    uint64_t start;
    if ( !b->rd )
        return 0;
    start = b->rd->size > l->dt - GUEST_RAM_BASE ? 0 : (l->dt - b->rd->size) & ~(SZ_2M - 1);
    if ( start < l->kernel_end )
    {
        printk(XENLOG_ERR "d%u: ramdisk of %lu bytes does not fit\n", d->domain_id, b->rd->size);
        return -ENOMEM;
    }
    if ( copy_to_gpa(d, start, (const void *)(uintptr_t)b->rd->start, b->rd->size) )
        return -EFAULT;
    l->initrd_start = start;
    l->initrd_end = start + b->rd->size;
    return 0;
}

#define DT_ORDER 4 /* GUEST_DT_MAX bytes of pages */

static int load_dt(struct domain *d, const struct build *b, const struct layout *l)
{
    struct guest_dt_info gi = { GUEST_RAM_BASE, b->mem,          d->max_vcpus,
                                b->args,        l->initrd_start, l->initrd_end };
    mfn_t mfn = alloc_pages(DT_ORDER);
    long size;
    int rc;
    BUILD_BUG_ON((PAGE_SIZE << DT_ORDER) != GUEST_DT_MAX);
    if ( mfn_eq(mfn, INVALID_MFN) )
        return -ENOMEM;
    size = guest_dt_build(&gi, mfn_to_virt(mfn), GUEST_DT_MAX);
    rc = size < 0 ? (int)size : copy_to_gpa(d, l->dt, mfn_to_virt(mfn), (size_t)size) ? -EFAULT : 0;
    free_pages(mfn, DT_ORDER);
    if ( rc )
        printk(XENLOG_ERR "d%u: device tree not written (%d)\n", d->domain_id, rc);
    return rc;
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

/* vCPU 0's first state: x0 = the device tree; x1-x4 for an ELF. */
static void start_vcpu0(struct domain *d, const struct layout *l)
{
    struct vcpu *v = d->vcpu[0];
    guest_vcpu_reset(v, l->entry, l->dt);
    if ( !l->image )
    {
        v->arch.regs.x[1] = l->cmdline;
        v->arch.regs.x[2] = d->domain_id;
        v->arch.regs.x[3] = l->initrd_start;
        v->arch.regs.x[4] = l->initrd_end - l->initrd_start;
    }
    v->initialised = v->is_up = true;
    v->state = VCPU_RUNNABLE;
}

static int load(struct domain *d, const struct build *b)
{
    struct layout l = { 0 };
    int rc;
    l.cmdline = GUEST_RAM_BASE + b->mem - PAGE_SIZE;
    l.dt = l.cmdline - GUEST_DT_MAX;
    l.image = is_image(b->m);
    l.kernel_end = GUEST_RAM_BASE;
    rc = domain_populate_ram(d, GUEST_RAM_BASE >> PAGE_SHIFT, b->mem >> PAGE_SHIFT);
    d->ram_end_gfn = (GUEST_RAM_BASE + b->mem) >> PAGE_SHIFT;
    d->max_pages = d->tot_pages;
    if ( !rc )
        rc = l.image ? load_image(d, b, &l) : load_elf(d, b, &l);
    if ( !rc )
        rc = load_ramdisk(d, b, &l);
    if ( !rc )
        rc = load_dt(d, b, &l);
    if ( !rc )
        rc = load_cmdline(d, b->args, l.cmdline);
    if ( rc )
        return rc;
    clean_guest_ram(d, b->mem);
    start_vcpu0(d, &l);
    printk(
        "d%u: AArch64 %s loaded, entry %#lx, %lu MiB at %#lx, %u vCPU(s), device tree at %#lx%s\n",
        d->domain_id, l.image ? "Image" : "ELF kernel", l.entry, b->mem >> 20, GUEST_RAM_BASE,
        d->max_vcpus, l.dt, l.initrd_end ? ", ramdisk" : "");
    return 0;
}

static int build_one(domid_t id, const struct dt_module *m, const struct dt_module *rd)
{
    struct build b = { m, rd, module_args(m->cmdline), DEFAULT_MEM, 1 };
    struct domain *d = NULL;
    int rc;
    if ( id == 0 && opt_dom0_max_vcpus )
        b.vcpus = opt_dom0_max_vcpus;
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
    if ( !rc && id )
        rc = console_ring_setup(d, _gfn(GUEST_CONSOLE_GFN));
    if ( rc )
    {
        printk(XENLOG_ERR "d%u: build from module '%s' failed (%d)\n", id, m->cmdline, rc);
        if ( d && id )
            domain_destroy(d);
    }
    return rc;
}

/* The ramdisk module right after module i, or NULL. */
static const struct dt_module *ramdisk_after(const struct arm64_boot_info *bi, unsigned int i)
{
    return i + 1 < bi->nr_modules && !strcmp(bi->modules[i + 1].kind, "ramdisk")
               ? &bi->modules[i + 1]
               : NULL;
}

bool arm64_build_boot_domains(void)
{
    const struct arm64_boot_info *bi = &arm64_boot_info;
    domid_t next = 1;
    if ( !bi->nr_modules )
        return false;
    if ( build_one(0, &bi->modules[0], ramdisk_after(bi, 0)) )
        panic("could not build dom0 (see above)");
    for ( unsigned int i = 1; i < bi->nr_modules; i++ )
        if ( strcmp(bi->modules[i].kind, "ramdisk") )
            build_one(next++, &bi->modules[i], ramdisk_after(bi, i));
    for ( struct domain *d = domain_list; d; d = d->next_in_list )
        if ( d != hardware_domain )
            domain_unpause(d);
    domain_unpause(hardware_domain);
    return true;
}
