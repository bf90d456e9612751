/*
 * pvh_build.c - build domains from boot modules by Xen's PVH boot ABI.
 *
 * Module 0 becomes dom0 (privileged); every further module becomes an
 * unprivileged domain 1, 2, ... started beside it (dom0less style). Each
 * gets RAM, its ELF segments at their physical addresses, a struct
 * hvm_start_info with command line and memory map, and vCPU 0 at the
 * XEN_ELFNOTE_PHYS32_ENTRY address with EBX pointing at the start info.
 *
 * Guest-physical layout (also in docs/designs/boot-and-vendors.md):
 *   [0, 0x9e000)           RAM
 *   0x9e000                PV console ring (domUs), reserved in the map
 *   0x9f000                start info, memory map, command line, reserved
 *   [0xa0000, 0x100000)    hole
 *   [0x100000, mem)        RAM; the kernel loads here
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/elf.h>
#include <xen/param.h>
#include <xen/console.h>
#include <xen/guest_access.h>
#include <xen/domain_build.h>
#include <asm/bootinfo.h>
#include <asm/hvm.h>
#include <public/elfnote.h>
#include <public/hvm/start_info.h>

#define LOW_RAM_END      0x9e000ULL
#define CONSOLE_RING_GFN 0x9eULL
#define START_INFO_GPA   0x9f000ULL
#define HIGH_RAM_START   0x100000ULL
#define MIN_GUEST_MEM    (4ULL << 20)
#define MAX_GUEST_MEM    (1ULL << 30)

#define SI_MEMMAP_OFF  0x40
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
    d->memmap = xzalloc_array(struct xen_e820_entry, 3);
    if ( !d->memmap )
        return -ENOMEM;
    d->memmap[0] = (struct xen_e820_entry){ 0, LOW_RAM_END, E820_RAM };
    d->memmap[1] = (struct xen_e820_entry){ LOW_RAM_END, 0xa0000 - LOW_RAM_END, E820_RESERVED };
    d->memmap[2] = (struct xen_e820_entry){ HIGH_RAM_START, mem - HIGH_RAM_START, E820_RAM };
    d->nr_memmap = 3;
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

static int write_start_info(struct domain *d, const char *cmdline)
{
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = 1,
        .flags = d->is_privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0,
        .cmdline_paddr = START_INFO_GPA + SI_CMDLINE_OFF,
        .memmap_paddr = START_INFO_GPA + SI_MEMMAP_OFF,
        .memmap_entries = d->nr_memmap,
    };
    size_t len = MIN(strlen(cmdline), SI_CMDLINE_MAX - 1);
    if ( SI_MEMMAP_OFF + d->nr_memmap * sizeof(struct hvm_memmap_table_entry) > SI_CMDLINE_OFF )
        return -E2BIG;
    for ( unsigned int i = 0; i < d->nr_memmap; i++ )
    {
        struct hvm_memmap_table_entry e = { d->memmap[i].addr, d->memmap[i].size, d->memmap[i].type,
                                            0 };
        if ( copy_to_gpa(d, START_INFO_GPA + SI_MEMMAP_OFF + i * sizeof(e), &e, sizeof(e)) )
            return -EFAULT;
    }
    if ( copy_to_gpa(d, START_INFO_GPA, &si, sizeof(si)) ||
         copy_to_gpa(d, START_INFO_GPA + SI_CMDLINE_OFF, cmdline, len) ||
         copy_to_gpa(d, START_INFO_GPA + SI_CMDLINE_OFF + len, "", 1) )
        return -EFAULT;
    return 0;
}

int pvh_build(struct domain *d, const void *image, size_t size, const char *cmdline, uint64_t mem)
{
    struct elf_image img;
    const char *why = "";
    uint32_t entry;
    int rc;
    if ( mem < MIN_GUEST_MEM || mem > MAX_GUEST_MEM || (mem & (PAGE_SIZE - 1)) )
    {
        printk(XENLOG_ERR "d%u: memory size %#lx not in [4M, 1G] or not page-aligned\n",
               d->domain_id, mem);
        return -EINVAL;
    }
    rc = elf_parse(&img, image, size, &why);
    if ( rc )
    {
        printk(XENLOG_ERR "d%u: kernel rejected: %s\n", d->domain_id, why);
        return rc;
    }
    if ( elf_find_xen_note(&img, XEN_ELFNOTE_PHYS32_ENTRY, &entry, sizeof(entry)) != 4 )
    {
        printk(XENLOG_ERR "d%u: kernel has no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel\n",
               d->domain_id);
        return -ENOEXEC;
    }
    rc = set_memmap(d, mem);
    if ( !rc )
        rc = populate(d, mem);
    if ( !rc )
        rc = load_segments(d, &img, mem);
    if ( !rc )
        rc = write_start_info(d, cmdline);
    if ( rc )
        return rc;
    hvm_vendor->vcpu_set_pvh_entry(d->vcpu[0], entry, (uint32_t)START_INFO_GPA);
    d->vcpu[0]->initialised = true;
    d->vcpu[0]->is_up = true;
    d->vcpu[0]->state = VCPU_RUNNABLE;
    printk("d%u: PVH kernel loaded, entry %#x, %lu MiB, %u vCPU(s)\n", d->domain_id, entry,
           mem >> 20, d->max_vcpus);
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

static int build_one(domid_t id, const struct boot_module *m)
{
    const char *args = module_args(m->cmdline);
    bool is_dom0 = id == 0;
    uint64_t mem = is_dom0 ? opt_dom0_mem : 16ULL << 20;
    uint64_t vcpus = is_dom0 ? (opt_dom0_max_vcpus ? opt_dom0_max_vcpus : nr_online_cpus) : 1;
    struct domain *d = NULL;
    int rc;
    module_option(args, "mem", &mem, true);
    module_option(args, "vcpus", &vcpus, false);
    rc = domain_create(id, is_dom0, (unsigned int)MIN(vcpus, (uint64_t)HVM_MAX_VCPUS + 1), &d);
    if ( !rc )
        rc = pvh_build(d, maddr_to_virt(m->start), m->end - m->start, args, mem);
    if ( !rc && !is_dom0 )
        rc = console_ring_setup(d, _gfn(CONSOLE_RING_GFN));
    if ( rc )
    {
        printk(XENLOG_ERR "d%u: build from module '%s' failed (%d)\n", id, m->cmdline, rc);
        if ( d && !is_dom0 )
            domain_destroy(d);
        return rc;
    }
    return 0;
}

void build_boot_domains(const struct boot_info *bi)
{
    if ( !bi->nr_modules )
        panic("no dom0 kernel: pass it as the first boot module");
    if ( build_one(0, &bi->modules[0]) )
        panic("could not build dom0 (see above)");
    for ( unsigned int i = 1; i < bi->nr_modules; i++ )
        build_one((domid_t)i, &bi->modules[i]);
    /* domUs first: when the controller starts, every domain it was
     * given already runs. */
    for ( struct domain *d = domain_list; d; d = d->next_in_list )
        if ( d != hardware_domain )
            domain_unpause(d);
    domain_unpause(hardware_domain);
}
