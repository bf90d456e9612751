/*
 * multiboot.c - read the multiboot1 (QEMU -kernel) or multiboot2 (GRUB)
 * information block into struct boot_info. Only the fields Wren uses:
 * command line, memory map, modules.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <asm/boot.h>
#include <asm/bootinfo.h>

struct mb1_info
{
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __packed;

struct mb1_module
{
    uint32_t start, end, cmdline, pad;
} __packed;
struct mb1_mmap
{
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __packed;

#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS    (1u << 3)
#define MB1_INFO_MMAP    (1u << 6)

static void add_range(struct boot_info *bi, uint64_t addr, uint64_t len, uint32_t type)
{
    if ( bi->nr_ranges < BOOT_MAX_RANGES )
        bi->ranges[bi->nr_ranges++] = (struct boot_range){ addr, addr + len, type };
    else
        bi->dropped_ranges++;
}

/*
 * The loader's strings live in its information structure, in RAM the
 * allocator is given later: they are copied here, before anything can
 * reuse that memory. A string that does not fit is cut (and says so).
 */
static char kept_strings[16384];
static size_t kept_used;

static const char *keep_string(const char *s)
{
    size_t room = sizeof(kept_strings) - kept_used, n;
    char *dst = &kept_strings[kept_used];
    if ( !s || !room )
        return "";
    n = strnlen(s, room - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
    kept_used += n + 1;
    return dst;
}

static void add_module(struct boot_info *bi, paddr_t s, paddr_t e, const char *cmd)
{
    if ( bi->nr_modules < BOOT_MAX_MODULES )
        bi->modules[bi->nr_modules++] = (struct boot_module){ s, e, keep_string(cmd) };
    else
        bi->dropped_modules++;
}

static void parse_mb1(const struct mb1_info *mi, struct boot_info *bi)
{
    bi->loader = "multiboot1";
    if ( mi->flags & MB1_INFO_CMDLINE )
        bi->cmdline = keep_string(maddr_to_virt(mi->cmdline));
    if ( mi->flags & MB1_INFO_MODS )
    {
        const struct mb1_module *m = maddr_to_virt(mi->mods_addr);
        for ( uint32_t i = 0; i < mi->mods_count; i++ )
            add_module(bi, m[i].start, m[i].end, maddr_to_virt(m[i].cmdline));
    }
    if ( mi->flags & MB1_INFO_MMAP )
    {
        uint32_t off = 0;
        while ( off < mi->mmap_length )
        {
            const struct mb1_mmap *e = maddr_to_virt(mi->mmap_addr + off);
            add_range(bi, e->addr, e->len, e->type);
            off += e->size + 4;
        }
    }
}

struct mb2_tag
{
    uint32_t type, size;
};
struct mb2_tag_module
{
    uint32_t type, size, start, end;
    char cmdline[];
};
struct mb2_tag_mmap
{
    uint32_t type, size, entry_size, entry_version;
};
struct mb2_mmap_entry
{
    uint64_t addr, len;
    uint32_t type, zero;
};

#define MB2_TAG_END     0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE  3
#define MB2_TAG_MMAP    6

static void parse_mb2_mmap(const struct mb2_tag_mmap *t, struct boot_info *bi)
{
    const uint8_t *p = (const uint8_t *)(t + 1);
    const uint8_t *end = (const uint8_t *)t + t->size;
    for ( ; p + sizeof(struct mb2_mmap_entry) <= end; p += t->entry_size )
    {
        const struct mb2_mmap_entry *e = (const void *)p;
        add_range(bi, e->addr, e->len, e->type);
    }
}

static void parse_mb2(const uint8_t *info, struct boot_info *bi)
{
    uint32_t total = *(const uint32_t *)info;
    bi->loader = "multiboot2";
    for ( uint32_t off = 8; off + 8 <= total;
          off = ROUNDUP(off + ((const struct mb2_tag *)(info + off))->size, 8) )
    {
        const struct mb2_tag *tag = (const void *)(info + off);
        if ( tag->type == MB2_TAG_END )
            break;
        if ( tag->type == MB2_TAG_CMDLINE )
            bi->cmdline = keep_string((const char *)(tag + 1));
        else if ( tag->type == MB2_TAG_MODULE )
        {
            const struct mb2_tag_module *m = (const void *)tag;
            add_module(bi, m->start, m->end, m->cmdline);
        }
        else if ( tag->type == MB2_TAG_MMAP )
            parse_mb2_mmap((const void *)tag, bi);
    }
}

int multiboot_parse(uint32_t magic, paddr_t info, struct boot_info *bi)
{
    memset(bi, 0, sizeof(*bi));
    kept_used = 0;
    bi->cmdline = "";
    if ( magic == MB1_BOOT_MAGIC )
        parse_mb1(maddr_to_virt(info), bi);
    else if ( magic == MB2_BOOT_MAGIC )
        parse_mb2(maddr_to_virt(info), bi);
    else
        return -EINVAL;
    return 0;
}
