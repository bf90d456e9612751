/*
 * memory - every page of RAM the memory map promises is really there,
 * and is really distinct.
 *
 * Reads the memory map from hvm_start_info, then writes a pattern unique
 * to each 8-byte word into every RAM page below 4 GiB and only afterwards
 * reads all of them back. Writing everything first catches p2m bugs that
 * a page-at-a-time check cannot: two guest frames backed by one machine
 * frame (the later write wins), a frame that loses its contents, or RAM
 * that is missing altogether (the access faults or reads back wrong).
 *
 * Skipped, because we live there or the hypervisor still uses them:
 * page 0 (unmapped by the runtime on purpose), the image itself (code,
 * page tables, stacks, and the runtime's copy of hvm_start_info, memory
 * map and command line), any boot modules, and the console and xenstore
 * ring pages named by HVM params. The loader's original boot information
 * is fair game: the runtime no longer reads it.
 */
#include <xtf.h>
#include <public/hvm/params.h>

const char test_title[] = "Guest RAM is present and distinct";

#define MAX_EXCLUDE  32
#define MAX_REPORTED 8

struct range
{
    uint64_t start, end;
}; /* [start, end) */

static struct range excl[MAX_EXCLUDE];
static unsigned int nr_excl;

static void exclude(uint64_t start, uint64_t len)
{
    if ( !len )
        return;
    if ( nr_excl == MAX_EXCLUDE )
        panic("too many excluded ranges");
    excl[nr_excl++] = (struct range){
        start & PAGE_MASK,
        ROUNDUP(start + len, PAGE_SIZE),
    };
}

static bool excluded(uint64_t page)
{
    for ( unsigned int i = 0; i < nr_excl; i++ )
        if ( page >= excl[i].start && page < excl[i].end )
            return true;
    return false;
}

static void exclude_param_page(uint32_t param)
{
    uint64_t pfn;

    if ( !hvm_get_param(param, &pfn) && pfn )
        exclude(pfn << PAGE_SHIFT, PAGE_SIZE);
}

static void build_exclusions(const struct hvm_start_info *si)
{
    const struct hvm_modlist_entry *mods = (const void *)(uintptr_t)si->modlist_paddr;

    exclude(0, PAGE_SIZE);
    exclude((uintptr_t)_image_start, _image_end - _image_start);
    for ( unsigned int i = 0; i < si->nr_modules; i++ )
        exclude(mods[i].paddr, mods[i].size);
    exclude_param_page(HVM_PARAM_CONSOLE_PFN);
    exclude_param_page(HVM_PARAM_STORE_PFN);
}

static inline uint64_t pattern(uint64_t addr)
{
    return (addr * 0x9e3779b97f4a7c15ULL) ^ 0x5a5aa5a5c3c33c3cULL;
}

/* Visit every testable page of RAM; returns the number of pages. */
static uint64_t for_each_page(const struct hvm_start_info *si, uint64_t (*fn)(uint64_t page))
{
    const struct hvm_memmap_table_entry *map = (const void *)(uintptr_t)si->memmap_paddr;
    uint64_t pages = 0;

    for ( unsigned int i = 0; i < si->memmap_entries; i++ )
    {
        uint64_t start = ROUNDUP(map[i].addr, PAGE_SIZE);
        uint64_t end = MIN((map[i].addr + map[i].size) & PAGE_MASK, XTF_MAPPED_LIMIT);

        if ( map[i].type != XEN_HVM_MEMMAP_TYPE_RAM )
            continue;
        for ( uint64_t p = start; p < end; p += PAGE_SIZE )
            if ( !excluded(p) )
                pages += fn(p);
    }
    return pages;
}

static uint64_t fill_page(uint64_t page)
{
    uint64_t *w = (uint64_t *)(uintptr_t)page;

    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
        w[i] = pattern(page + i * 8);
    return 1;
}

static uint64_t bad_words;

static uint64_t check_page(uint64_t page)
{
    const uint64_t *w = (const uint64_t *)(uintptr_t)page;

    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
    {
        uint64_t want = pattern(page + i * 8);

        if ( w[i] == want )
            continue;
        if ( bad_words++ < MAX_REPORTED )
            printf("  %#lx: read %#lx, wrote %#lx\n", (unsigned long)(page + i * 8),
                   (unsigned long)w[i], (unsigned long)want);
    }
    return 1;
}

static void print_map(const struct hvm_start_info *si)
{
    const struct hvm_memmap_table_entry *map = (const void *)(uintptr_t)si->memmap_paddr;

    printf("Memory map (%u entries):\n", si->memmap_entries);
    for ( unsigned int i = 0; i < si->memmap_entries; i++ )
        printf("  %#014lx - %#014lx type %u\n", (unsigned long)map[i].addr,
               (unsigned long)(map[i].addr + map[i].size), map[i].type);
}

void test_main(void)
{
    const struct hvm_start_info *si = xtf_start_info;
    uint64_t pages;

    if ( si->version < 1 || !si->memmap_entries || !si->memmap_paddr )
    {
        xtf_error("hvm_start_info v%u has no memory map", si->version);
        return;
    }
    print_map(si);
    build_exclusions(si);

    pages = for_each_page(si, fill_page);
    printf("Wrote %lu pages (%lu KiB); checking\n", (unsigned long)pages,
           (unsigned long)(pages * 4));
    for_each_page(si, check_page);

    if ( !pages )
        xtf_error("the memory map leaves no RAM to test");
    else if ( bad_words )
        xtf_failure("%lu words read back wrong", (unsigned long)bad_words);
    else
        xtf_success("all %lu pages hold what was written", (unsigned long)pages);
}
