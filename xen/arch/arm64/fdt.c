/*
 * fdt.c - a minimal reader of the flattened device tree the loader passes
 * in x0 (Devicetree Specification v0.4, chapter 5): memory, /chosen's
 * command line and boot modules, the PL011, the GICv3, PSCI's method and
 * the CPUs. One pass over the structure block; no allocation, no writes
 * but to the arm64_boot_info it is given. Runs with the MMU off, so it
 * reads the tree a byte at a time where alignment is not promised.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <asm/fdt.h>

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define FDT_MAX_DEPTH  16

/* Header fields, as 32-bit big-endian words (spec 5.2). */
enum
{
    H_MAGIC,
    H_TOTALSIZE,
    H_OFF_STRUCT,
    H_OFF_STRINGS,
    H_OFF_RSVMAP,
    H_VERSION,
    H_LAST_COMP,
    H_BOOT_CPU,
    H_SIZE_STRINGS,
    H_SIZE_STRUCT,
};

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/* The properties of one node that the classification looks at. */
struct node
{
    const char *name;
    unsigned int addr_cells, size_cells; /* what this node sets for its children */
    const uint8_t *reg, *compatible, *device_type, *status, *method;
    uint32_t reg_len, compatible_len;
    const char *bootargs, *xen_bootargs;
};

struct walk
{
    const uint8_t *structs;
    const char *strings;
    uint32_t len, strings_len;
    struct node stack[FDT_MAX_DEPTH];
    struct arm64_boot_info *bi;
};

/* Does the string list (compatible) hold s? */
static bool list_has(const uint8_t *list, uint32_t len, const char *s)
{
    for ( uint32_t at = 0; list && at < len; at += strlen((const char *)list + at) + 1 )
        if ( !strcmp((const char *)list + at, s) )
            return true;
    return false;
}

static uint64_t read_cells(const uint8_t *p, unsigned int cells)
{
    uint64_t v = 0;
    for ( unsigned int i = 0; i < cells; i++ )
        v = (v << 32) | be32(p + 4 * i);
    return v;
}

/* Cells this parser can read into 64 bits. */
static bool cells_ok(const struct node *parent)
{
    return parent->addr_cells >= 1 && parent->addr_cells <= 2 && parent->size_cells <= 2;
}

/* The i-th (address, size) pair of n's reg, read with its parent's cells. */
static bool reg_entry(const struct node *n, const struct node *parent, unsigned int i,
                      struct dt_range *r)
{
    unsigned int stride = 4 * (parent->addr_cells + parent->size_cells);
    if ( !n->reg || !cells_ok(parent) || (uint64_t)(i + 1) * stride > n->reg_len )
        return false;
    r->start = read_cells(n->reg + i * stride, parent->addr_cells);
    r->size = read_cells(n->reg + i * stride + 4 * parent->addr_cells, parent->size_cells);
    return true;
}

static bool is_str(const uint8_t *v, const char *s)
{
    return v && !strcmp((const char *)v, s);
}

static bool enabled(const struct node *n)
{
    return !n->status || is_str(n->status, "okay") || is_str(n->status, "ok");
}

static void take_memory(struct walk *w, const struct node *n, const struct node *parent)
{
    struct arm64_boot_info *bi = w->bi;
    struct dt_range r;
    for ( unsigned int i = 0; reg_entry(n, parent, i, &r); i++ )
    {
        if ( !r.size )
            continue;
        if ( bi->nr_memory == DT_MAX_MEMORY )
            bi->dropped_memory++;
        else
            bi->memory[bi->nr_memory++] = r;
    }
}

static void take_module(struct walk *w, const struct node *n, const struct node *parent)
{
    struct arm64_boot_info *bi = w->bi;
    struct dt_module *m;
    struct dt_range r;
    if ( !reg_entry(n, parent, 0, &r) )
        return;
    if ( bi->nr_modules == DT_MAX_MODULES )
    {
        bi->dropped_modules++;
        return;
    }
    m = &bi->modules[bi->nr_modules++];
    m->start = r.start;
    m->size = r.size;
    m->cmdline = n->bootargs ? n->bootargs : "";
    m->kind = list_has(n->compatible, n->compatible_len, "multiboot,kernel")    ? "kernel"
              : list_has(n->compatible, n->compatible_len, "multiboot,ramdisk") ? "ramdisk"
                                                                                : "module";
}

static void take_cpu(struct walk *w, const struct node *n, const struct node *parent)
{
    struct arm64_boot_info *bi = w->bi;
    /* "disabled" is a CPU waiting to be started (PSCI can); "fail" is not. */
    if ( !n->reg || !cells_ok(parent) || n->reg_len < 4 * parent->addr_cells ||
         is_str(n->status, "fail") )
        return;
    if ( bi->nr_cpus == DT_MAX_CPUS )
        bi->dropped_cpus++;
    else
        bi->cpu_mpidr[bi->nr_cpus++] = read_cells(n->reg, parent->addr_cells);
}

static void take_devices(struct walk *w, const struct node *n, const struct node *parent)
{
    struct arm64_boot_info *bi = w->bi;
    struct dt_range r;
    if ( !enabled(n) )
        return;
    if ( list_has(n->compatible, n->compatible_len, "arm,pl011") && !bi->uart &&
         reg_entry(n, parent, 0, &r) )
        bi->uart = r.start;
    if ( list_has(n->compatible, n->compatible_len, "arm,pl031") && !bi->rtc &&
         reg_entry(n, parent, 0, &r) )
        bi->rtc = r.start;
    if ( list_has(n->compatible, n->compatible_len, "arm,gic-v3") )
    {
        reg_entry(n, parent, 0, &bi->gicd);
        reg_entry(n, parent, 1, &bi->gicr);
    }
    if ( (list_has(n->compatible, n->compatible_len, "arm,psci-0.2") ||
          list_has(n->compatible, n->compatible_len, "arm,psci-1.0")) )
        bi->psci = is_str(n->method, "hvc")   ? PSCI_HVC
                   : is_str(n->method, "smc") ? PSCI_SMC
                                              : PSCI_NONE;
}

/* A node ended: everything it said is known, and so are its parent's cells. */
static void node_done(struct walk *w, unsigned int depth)
{
    const struct node *n = &w->stack[depth], *parent = &w->stack[depth - 1];
    bool chosen_child = depth == 3 && !strcmp(parent->name, "chosen");

    /* The root is depth 1: /memory and /chosen are 2, their children 3. */
    if ( depth == 2 && is_str(n->device_type, "memory") )
        take_memory(w, n, parent);
    else if ( depth == 2 && !strcmp(n->name, "chosen") )
        w->bi->cmdline = n->xen_bootargs ? n->xen_bootargs : n->bootargs ? n->bootargs : "";
    else if ( chosen_child && list_has(n->compatible, n->compatible_len, "multiboot,module") )
        take_module(w, n, parent);
    else if ( depth == 3 && !strcmp(parent->name, "cpus") && is_str(n->device_type, "cpu") )
        take_cpu(w, n, parent);
    else
        take_devices(w, n, parent);
}

/* A string (or string list) property must end in its NUL. */
static bool terminated(const uint8_t *val, uint32_t len)
{
    return len && !val[len - 1];
}

static void node_string_prop(struct node *n, const char *name, const uint8_t *val, uint32_t len)
{
    if ( !terminated(val, len) )
        return;
    if ( !strcmp(name, "compatible") )
        n->compatible = val, n->compatible_len = len;
    else if ( !strcmp(name, "device_type") )
        n->device_type = val;
    else if ( !strcmp(name, "status") )
        n->status = val;
    else if ( !strcmp(name, "method") )
        n->method = val;
    else if ( !strcmp(name, "bootargs") )
        n->bootargs = (const char *)val;
    else if ( !strcmp(name, "xen,xen-bootargs") )
        n->xen_bootargs = (const char *)val;
}

static void node_prop(struct node *n, const char *name, const uint8_t *val, uint32_t len)
{
    if ( !strcmp(name, "#address-cells") && len == 4 )
        n->addr_cells = be32(val);
    else if ( !strcmp(name, "#size-cells") && len == 4 )
        n->size_cells = be32(val);
    else if ( !strcmp(name, "reg") )
        n->reg = val, n->reg_len = len;
    else
        node_string_prop(n, name, val, len);
}

static uint32_t align4(uint32_t x)
{
    return (x + 3) & ~3U;
}

/* A NUL-terminated string at off in a block of len bytes, or NULL. */
static const char *string_in(const void *block, uint32_t len, uint32_t off)
{
    const char *s = (const char *)block + off;
    return off < len && strnlen(s, len - off) < len - off ? s : NULL;
}

/* A node begins at *at (its name): push it; false if it does not fit. */
static bool begin_node(struct walk *w, unsigned int depth, uint32_t *at)
{
    struct node *n = &w->stack[depth];
    memset(n, 0, sizeof(*n));
    n->name = string_in(w->structs, w->len, *at);
    if ( !n->name )
        return false;
    n->addr_cells = 2; /* the specification's defaults */
    n->size_cells = 1;
    *at = align4(*at + strlen(n->name) + 1);
    return true;
}

/* A property at *at (after its token): give it to its node; false if its
 * header, value or name lies outside the blocks. */
static bool take_prop(struct walk *w, unsigned int depth, uint32_t *at)
{
    uint32_t len, nameoff;
    const char *name;
    if ( w->len - *at < 8 )
        return false;
    len = be32(w->structs + *at);
    nameoff = be32(w->structs + *at + 4);
    name = string_in(w->strings, w->strings_len, nameoff);
    if ( !name || len > w->len - *at - 8 )
        return false;
    node_prop(&w->stack[depth], name, w->structs + *at + 8, len);
    *at = align4(*at + 8 + len);
    return true;
}

/* Walk the structure block; -EINVAL if it is malformed. */
static int walk_structs(struct walk *w)
{
    unsigned int depth = 0;
    for ( uint32_t at = 0; at <= w->len && w->len - at >= 4; )
    {
        uint32_t tok = be32(w->structs + at);
        at += 4;
        switch ( tok )
        {
        case FDT_BEGIN_NODE:
            if ( ++depth >= FDT_MAX_DEPTH || !begin_node(w, depth, &at) )
                return -EINVAL;
            break;
        case FDT_END_NODE:
            if ( depth == 0 )
                return -EINVAL;
            if ( depth > 1 )
                node_done(w, depth);
            depth--;
            break;
        case FDT_PROP:
            if ( !depth || !take_prop(w, depth, &at) )
                return -EINVAL;
            break;
        case FDT_NOP: break;
        case FDT_END: return depth ? -EINVAL : 0;
        default: return -EINVAL;
        }
    }
    return -EINVAL;
}

/* The header's blocks lie within totalsize. */
static bool blocks_fit(const uint8_t *h)
{
    uint64_t total = be32(h + 4 * H_TOTALSIZE);
    return (uint64_t)be32(h + 4 * H_OFF_STRUCT) + be32(h + 4 * H_SIZE_STRUCT) <= total &&
           (uint64_t)be32(h + 4 * H_OFF_STRINGS) + be32(h + 4 * H_SIZE_STRINGS) <= total;
}

int fdt_parse(const void *fdt, struct arm64_boot_info *bi)
{
    static struct walk w; /* too big for the boot stack's comfort */
    const uint8_t *h = fdt;

    if ( !fdt || be32(h + 4 * H_MAGIC) != FDT_MAGIC || be32(h + 4 * H_LAST_COMP) > 17 ||
         be32(h + 4 * H_VERSION) < 17 || !blocks_fit(h) )
        return -EINVAL;
    memset(bi, 0, sizeof(*bi));
    bi->fdt = fdt;
    bi->fdt_size = be32(h + 4 * H_TOTALSIZE);
    bi->cmdline = "";
    memset(&w, 0, sizeof(w));
    w.structs = h + be32(h + 4 * H_OFF_STRUCT);
    w.strings = (const char *)h + be32(h + 4 * H_OFF_STRINGS);
    w.len = be32(h + 4 * H_SIZE_STRUCT);
    w.strings_len = be32(h + 4 * H_SIZE_STRINGS);
    w.bi = bi;
    /* The root node is stack[1]; stack[0] only gives it a parent. */
    w.stack[0].name = "";
    return walk_structs(&w);
}
