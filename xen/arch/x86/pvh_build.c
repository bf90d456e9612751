/*
 * pvh_build.c - build domains from boot modules by Xen's PVH boot ABI.
 *
 * Module 0 becomes dom0 (privileged); every further kernel module becomes
 * an unprivileged domain 1, 2, ... started beside it (dom0less style). A
 * module whose string is "<file> ramdisk" is not a kernel: it is the
 * initial ramdisk of the domain built from the module before it. Each
 * domain gets RAM, its ELF segments at their physical addresses, ACPI
 * tables, a struct hvm_start_info with command line, memory map and
 * ramdisk, and vCPU 0 at the XEN_ELFNOTE_PHYS32_ENTRY address with EBX
 * pointing at the start info.
 *
 * Guest-physical layout (also in docs/designs/boot-and-vendors.md):
 *   [0, 0x9d000)           RAM
 *   0x9d000                ACPI tables (RSDP first), ACPI in the map
 *   0x9e000                PV console ring (domUs), reserved in the map
 *   0x9f000                start info, memory map, module list, command
 *                          line, reserved
 *   [0xa0000, 0x100000)    hole
 *   [0x100000, mem)        RAM; the kernel loads here, the ramdisk at the
 *                          top, page-aligned
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <wren/elf.h>
#include <xen/param.h>
#include <xen/console.h>
#include <xen/guest_access.h>
#include <xen/domain_build.h>
#include <asm/bootinfo.h>
#include <asm/hvm.h>
#include <public/elfnote.h>
#include <public/hvm/start_info.h>
#include <public/hvm/params.h>
#include <wren/pvh_acpi.h>

#define LOW_RAM_END      0x9d000ULL
#define ACPI_GPA         0x9d000ULL
#define CONSOLE_RING_GFN 0x9eULL
#define START_INFO_GPA   0x9f000ULL
#define HIGH_RAM_START   0x100000ULL
#define MIN_GUEST_MEM    (4ULL << 20)
#define MAX_GUEST_MEM    (1ULL << 30)

#define SI_MEMMAP_OFF  0x40
#define SI_MODLIST_OFF 0x380 /* one struct hvm_modlist_entry */
#define SI_CMDLINE_OFF 0x400
#define SI_CMDLINE_MAX (PAGE_SIZE - SI_CMDLINE_OFF)

static uint64_t opt_dom0_mem = 64ULL << 20;
size_param("dom0_mem", opt_dom0_mem);
static uint32_t opt_dom0_max_vcpus;
integer_param("dom0_max_vcpus", opt_dom0_max_vcpus);

static void parse_dom0_mode(const char *v)
{
    if ( strcmp(v, "pvh") )
        printk(XENLOG_WARNING "dom0=%s: only 'pvh' is supported; building PVH\n", v);
}
custom_param("dom0", parse_dom0_mode);

static int set_memmap(struct domain *d, uint64_t mem)
{
    d->memmap = xzalloc_array(struct xen_e820_entry, 4);
    if ( !d->memmap )
        return -ENOMEM;
    d->memmap[0] = (struct xen_e820_entry){ 0, LOW_RAM_END, E820_RAM };
    d->memmap[1] = (struct xen_e820_entry){ ACPI_GPA, PAGE_SIZE, E820_ACPI };
    d->memmap[2] = (struct xen_e820_entry){ ACPI_GPA + PAGE_SIZE, 0xa0000 - ACPI_GPA - PAGE_SIZE,
                                            E820_RESERVED };
    d->memmap[3] = (struct xen_e820_entry){ HIGH_RAM_START, mem - HIGH_RAM_START, E820_RAM };
    d->nr_memmap = 4;
    return 0;
}

static int populate(struct domain *d, uint64_t mem)
{
    int rc = domain_populate_ram(d, 0, 0xa0000 >> PAGE_SHIFT);
    if ( !rc )
        rc = domain_populate_ram(d, HIGH_RAM_START >> PAGE_SHIFT,
                                 (mem - HIGH_RAM_START) >> PAGE_SHIFT);
    d->ram_end_gfn = mem >> PAGE_SHIFT;
    d->max_pages = d->tot_pages;
    return rc;
}

static bool segment_fits(const struct elf_segment *s, uint64_t mem)
{
    uint64_t end = s->paddr + s->memsz;
    return end > s->paddr && s->paddr >= HIGH_RAM_START && end <= mem;
}

static int load_segments(struct domain *d, const struct elf_image *img, uint64_t mem)
{
    static const uint8_t zeros[256];
    for ( unsigned int i = 0; i < img->nr_segments; i++ )
    {
        const struct elf_segment *s = &img->seg[i];
        if ( !segment_fits(s, mem) )
        {
            printk(XENLOG_ERR "d%u: segment [%#lx, %#lx) outside guest RAM [%#llx, %#lx)\n",
                   d->domain_id, s->paddr, s->paddr + s->memsz, HIGH_RAM_START, mem);
            return -ENOEXEC;
        }
        if ( copy_to_gpa(d, s->paddr, img->data + s->offset, s->filesz) )
            return -EFAULT;
        for ( uint64_t off = s->filesz; off < s->memsz; off += sizeof(zeros) )
            if ( copy_to_gpa(d, s->paddr + off, zeros, MIN(sizeof(zeros), s->memsz - off)) )
                return -EFAULT;
    }
    return 0;
}

/* Where the ramdisk goes: the top of RAM, page-aligned, above the kernel.
 * 0 if there is no room. */
static uint64_t ramdisk_place(const struct elf_image *img, uint64_t mem, size_t size)
{
    uint64_t top = 0, at;
    for ( unsigned int i = 0; i < img->nr_segments; i++ )
        top = MAX(top, img->seg[i].paddr + img->seg[i].memsz);
    if ( size > mem )
        return 0;
    at = (mem - size) & ~(uint64_t)(PAGE_SIZE - 1);
    return at >= ROUNDUP(top, PAGE_SIZE) ? at : 0;
}

static int load_ramdisk(struct domain *d, const struct pvh_image *pi, uint64_t at,
                        struct hvm_modlist_entry *mod)
{
    if ( !at )
    {
        printk(XENLOG_ERR "d%u: no room for a %zu-byte ramdisk above the kernel\n", d->domain_id,
               pi->ramdisk_size);
        return -ENOMEM;
    }
    *mod = (struct hvm_modlist_entry){ .paddr = at, .size = pi->ramdisk_size };
    if ( copy_to_gpa(d, at, pi->ramdisk, pi->ramdisk_size) ||
         copy_to_gpa(d, START_INFO_GPA + SI_MODLIST_OFF, mod, sizeof(*mod)) )
        return -EFAULT;
    return 0;
}

static int write_memmap(struct domain *d)
{
    if ( SI_MEMMAP_OFF + d->nr_memmap * sizeof(struct hvm_memmap_table_entry) > SI_MODLIST_OFF )
        return -E2BIG;
    for ( unsigned int i = 0; i < d->nr_memmap; i++ )
    {
        struct hvm_memmap_table_entry e = { d->memmap[i].addr, d->memmap[i].size, d->memmap[i].type,
                                            0 };
        if ( copy_to_gpa(d, START_INFO_GPA + SI_MEMMAP_OFF + i * sizeof(e), &e, sizeof(e)) )
            return -EFAULT;
    }
    return 0;
}

static int write_start_info(struct domain *d, const char *cmdline, bool has_ramdisk)
{
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = 1,
        .flags = d->is_privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0,
        .nr_modules = has_ramdisk ? 1 : 0,
        .modlist_paddr = has_ramdisk ? START_INFO_GPA + SI_MODLIST_OFF : 0,
        .cmdline_paddr = START_INFO_GPA + SI_CMDLINE_OFF,
        .rsdp_paddr = ACPI_GPA,
        .memmap_paddr = START_INFO_GPA + SI_MEMMAP_OFF,
        .memmap_entries = d->nr_memmap,
    };
    size_t len = MIN(strlen(cmdline), SI_CMDLINE_MAX - 1);
    int rc = write_memmap(d);
    if ( rc )
        return rc;
    if ( copy_to_gpa(d, START_INFO_GPA, &si, sizeof(si)) ||
         copy_to_gpa(d, START_INFO_GPA + SI_CMDLINE_OFF, cmdline, len) ||
         copy_to_gpa(d, START_INFO_GPA + SI_CMDLINE_OFF + len, "", 1) )
        return -EFAULT;
    return 0;
}

/* The PHYS32 entry note: Xen reads 4 bytes; Linux gives an 8-byte value
 * (which must still be below 4 GiB). */
static int phys32_entry(const struct elf_image *img, uint32_t *entry)
{
    uint64_t v = 0;
    int n = elf_find_xen_note(img, XEN_ELFNOTE_PHYS32_ENTRY, &v, sizeof(v));
    if ( (n != 4 && n != 8) || v >> 32 )
        return -ENOEXEC;
    *entry = (uint32_t)v;
    return 0;
}

static int check_mem(struct domain *d, uint64_t mem)
{
    if ( mem >= MIN_GUEST_MEM && mem <= MAX_GUEST_MEM && !(mem & (PAGE_SIZE - 1)) )
        return 0;
    printk(XENLOG_ERR "d%u: memory size %#lx not in [4M, 1G] or not page-aligned\n", d->domain_id,
           mem);
    return -EINVAL;
}

static int load_acpi(struct domain *d)
{
    uint8_t *page = xzalloc_array(uint8_t, PVH_ACPI_SIZE);
    int rc = -ENOMEM;
    if ( page )
        rc = pvh_acpi_fill(page, ACPI_GPA, d->max_vcpus) ? -E2BIG : 0;
    if ( !rc && copy_to_gpa(d, ACPI_GPA, page, PVH_ACPI_SIZE) )
        rc = -EFAULT;
    xfree(page);
    return rc;
}

static int load_image(struct domain *d, const struct elf_image *img, const struct pvh_image *pi,
                      uint64_t mem)
{
    struct hvm_modlist_entry mod;
    int rc = set_memmap(d, mem);
    if ( !rc )
        rc = populate(d, mem);
    if ( !rc )
        rc = load_segments(d, img, mem);
    if ( !rc && pi->ramdisk )
        rc = load_ramdisk(d, pi, ramdisk_place(img, mem, pi->ramdisk_size), &mod);
    if ( !rc )
        rc = load_acpi(d);
    if ( !rc )
        rc = write_start_info(d, pi->cmdline, pi->ramdisk != NULL);
    return rc;
}

int pvh_build(struct domain *d, const struct pvh_image *pi, uint64_t mem)
{
    struct elf_image img;
    const char *why = "";
    uint32_t entry;
    int rc = check_mem(d, mem);
    if ( rc )
        return rc;
    if ( elf_parse(&img, pi->kernel, pi->kernel_size, &why) )
    {
        printk(XENLOG_ERR "d%u: kernel rejected: %s\n", d->domain_id, why);
        return -ENOEXEC;
    }
    if ( phys32_entry(&img, &entry) )
    {
        printk(XENLOG_ERR "d%u: kernel has no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel\n",
               d->domain_id);
        return -ENOEXEC;
    }
    rc = load_image(d, &img, pi, mem);
    if ( rc )
        return rc;
    hvm_vendor->vcpu_set_pvh_entry(d->vcpu[0], entry, (uint32_t)START_INFO_GPA);
    d->vcpu[0]->initialised = true;
    d->vcpu[0]->is_up = true;
    d->vcpu[0]->state = VCPU_RUNNABLE;
    printk("d%u: PVH kernel loaded, entry %#x, %lu MiB, %u vCPU(s)%s\n", d->domain_id, entry,
           mem >> 20, d->max_vcpus, pi->ramdisk ? ", with ramdisk" : "");
    return 0;
}

/* The module string is "<path> [options]": return the part after the path. */
static const char *module_args(const char *s)
{
    while ( *s && *s != ' ' )
        s++;
    while ( *s == ' ' )
        s++;
    return s;
}

/* Find "key=" as a whole word in args and parse its value as a size/number. */
static bool module_option(const char *args, const char *key, uint64_t *val, bool size)
{
    size_t klen = strlen(key);
    for ( const char *p = args; *p; p++ )
    {
        if ( (p == args || p[-1] == ' ') && !strncmp(p, key, klen) && p[klen] == '=' )
        {
            *val = size ? parse_size_and_unit(p + klen + 1, NULL)
                        : simple_strtoull(p + klen + 1, NULL, 0);
            return true;
        }
    }
    return false;
}

/* "<file> ramdisk": the module is the ramdisk of the kernel before it. */
static bool is_ramdisk(const struct boot_module *m)
{
    return !strcmp(module_args(m->cmdline), "ramdisk");
}

static int build_one(domid_t id, const struct boot_module *m, const struct boot_module *rd)
{
    const char *args = module_args(m->cmdline);
    bool is_dom0 = id == 0;
    uint64_t mem = is_dom0 ? opt_dom0_mem : 16ULL << 20;
    uint64_t vcpus = is_dom0 ? (opt_dom0_max_vcpus ? opt_dom0_max_vcpus : nr_online_cpus) : 1;
    uint64_t altp2m = XEN_ALTP2M_disabled;
    struct pvh_image pi = { maddr_to_virt(m->start), m->end - m->start, args, NULL, 0 };
    struct domain *d = NULL;
    int rc;
    module_option(args, "mem", &mem, true);
    module_option(args, "vcpus", &vcpus, false);
    module_option(args, "altp2m", &altp2m, false); /* HVM_PARAM_ALTP2M's mode */
    if ( rd )
    {
        pi.ramdisk = maddr_to_virt(rd->start);
        pi.ramdisk_size = rd->end - rd->start;
    }
    rc = domain_create(id, is_dom0, (unsigned int)MIN(vcpus, (uint64_t)HVM_MAX_VCPUS + 1), &d);
    if ( !rc && altp2m > XEN_ALTP2M_limited )
        rc = -EINVAL;
    if ( !rc )
        d->hvm_params[HVM_PARAM_ALTP2M] = altp2m;
    if ( !rc )
        rc = pvh_build(d, &pi, mem);
    if ( !rc && !is_dom0 )
        rc = console_ring_setup(d, _gfn(CONSOLE_RING_GFN));
    if ( !rc && is_dom0 )
        link_map_dom0(d);
    if ( rc )
    {
        printk(XENLOG_ERR "d%u: build from module '%s' failed (%d)\n", id, m->cmdline, rc);
        if ( d && !is_dom0 )
            domain_destroy(d);
        return rc;
    }
    return 0;
}

/* The ramdisk module that follows module i, or NULL. */
static const struct boot_module *ramdisk_after(const struct boot_info *bi, unsigned int i)
{
    return i + 1 < bi->nr_modules && is_ramdisk(&bi->modules[i + 1]) ? &bi->modules[i + 1] : NULL;
}

void build_boot_domains(const struct boot_info *bi)
{
    domid_t next = 1;
    if ( !bi->nr_modules )
        panic("no dom0 kernel: pass it as the first boot module");
    if ( build_one(0, &bi->modules[0], ramdisk_after(bi, 0)) )
        panic("could not build dom0 (see above)");
    for ( unsigned int i = 1; i < bi->nr_modules; i++ )
        if ( !is_ramdisk(&bi->modules[i]) )
            build_one(next++, &bi->modules[i], ramdisk_after(bi, i));
    /* domUs first: when the controller starts, every domain it was
     * given already runs. */
    for ( struct domain *d = domain_list; d; d = d->next_in_list )
        if ( d != hardware_domain )
            domain_unpause(d);
    domain_unpause(hardware_domain);
}
