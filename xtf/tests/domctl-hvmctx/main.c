/*
 * domctl-hvmctx - the HVM context of a paused domain, set and read back
 * (XEN_DOMCTL_sethvmcontext / gethvmcontext, public/hvm/save.h).
 *
 * dom0 creates a domain with two vCPUs (both down: its context has only
 * HEADER and END), sets vCPU 0's PVH entry state with recognisable
 * register values, then checks gethvmcontext: a null buffer gives the
 * size (HEADER, one CPU record, END), a buffer one byte short is
 * -ENOSPC, and the full read has the HEADER (magic, version), one CPU
 * record for instance 0 whose GPRs, RIP, RFLAGS, CR0, EFER and CS, SS,
 * DS and TR are what was set, and END. The record read is then changed
 * (EAX, ESI, EIP), loaded back, and read again: the change stuck, the
 * rest did not move. A record for vCPU 1 in long mode (EFER.LMA, paging,
 * R8-R15 set) brings it up and reads back with a 64-bit CS and its R15.
 */
#include <xtf.h>
#include <xtf/build.h>

const char test_title[] = "HVM context records: set, get, round trip";

#define CPU_OFF (8 + HVM_SAVE_LENGTH_HEADER + 8) /* the first CPU record's body */
#define ONE_CPU XTF_HVM_CTX_SAVED(1)             /* what get writes for one vCPU up */

static uint8_t buf[XTF_HVM_CTX_SAVED_MAX(2)];
static domid_t dom;

static bool expect(const char *what, uint64_t got, uint64_t want)
{
    if ( got == want )
        return true;
    xtf_failure("%s: got %#lx, expected %#lx", what, (unsigned long)got, (unsigned long)want);
    return false;
}

static bool get_size(uint32_t want)
{
    uint32_t size = 0;
    long rc = xtf_gethvmcontext(dom, NULL, &size);

    return expect("gethvmcontext(NULL) rc", (uint64_t)rc, 0) && expect("context size", size, want);
}

static bool read_all(uint32_t want)
{
    uint32_t size = want - 1;
    long rc = xtf_gethvmcontext(dom, buf, &size);

    if ( !expect("one byte short", (uint64_t)rc, (uint64_t)-XEN_ENOSPC) )
        return false;
    size = sizeof(buf);
    rc = xtf_gethvmcontext(dom, buf, &size);
    return expect("gethvmcontext rc", (uint64_t)rc, 0) && expect("bytes written", size, want);
}

/* HEADER, CPU records of the instances given, END. */
static bool layout_ok(unsigned int nr_cpus, const uint16_t *inst)
{
    const struct hvm_save_descriptor *d = (const void *)buf;
    const struct hvm_save_header *h = (const void *)(buf + 8);
    size_t off = 8 + HVM_SAVE_LENGTH_HEADER;
    bool ok = expect("first typecode", d->typecode, HVM_SAVE_CODE(HEADER)) &&
              expect("header length", d->length, HVM_SAVE_LENGTH_HEADER) &&
              expect("magic", h->magic, HVM_FILE_MAGIC) &&
              expect("version", h->version, HVM_FILE_VERSION);

    for ( unsigned int i = 0; ok && i < nr_cpus; i++ )
    {
        d = (const void *)(buf + off);
        ok = expect("CPU typecode", d->typecode, HVM_SAVE_CODE(CPU)) &&
             expect("CPU instance", d->instance, inst[i]) &&
             expect("CPU length", d->length, HVM_SAVE_LENGTH_CPU);
        off += 8 + HVM_SAVE_LENGTH_CPU;
    }
    d = (const void *)(buf + XTF_HVM_CTX_SAVED(nr_cpus) - 8);
    return ok && expect("last typecode", d->typecode, HVM_SAVE_CODE(END)) &&
           expect("END length", d->length, 0);
}

static void pattern(struct hvm_hw_cpu *c)
{
    xtf_hvm_cpu_pvh(c, 0x101234, 0x9f000);
    c->rax = 0x11111111;
    c->rcx = 0x22222222;
    c->rdx = 0x33333333;
    c->rsi = 0x44444444;
    c->rdi = 0x55555555;
    c->rbp = 0x66666666;
    c->rsp = 0x8000;
    c->rflags = 0x202 & ~0x200U; /* IF clear: bit 1 only */
}

static bool cpu_fields_ok(const struct hvm_hw_cpu *got, const struct hvm_hw_cpu *want)
{
    return expect("rax", got->rax, want->rax) && expect("rbx", got->rbx, want->rbx) &&
           expect("rcx", got->rcx, want->rcx) && expect("rdx", got->rdx, want->rdx) &&
           expect("rsi", got->rsi, want->rsi) && expect("rdi", got->rdi, want->rdi) &&
           expect("rbp", got->rbp, want->rbp) && expect("rsp", got->rsp, want->rsp) &&
           expect("rip", got->rip, want->rip) && expect("rflags", got->rflags, want->rflags) &&
           expect("cr0", got->cr0, want->cr0) && expect("efer", got->msr_efer, want->msr_efer) &&
           expect("cs ar", got->cs_arbytes, want->cs_arbytes) &&
           expect("cs limit", got->cs_limit, want->cs_limit) &&
           expect("ss ar", got->ss_arbytes, want->ss_arbytes) &&
           expect("ds ar", got->ds_arbytes, want->ds_arbytes) &&
           expect("tr ar", got->tr_arbytes & 0xf, want->tr_arbytes & 0xf) &&
           expect("tr limit", got->tr_limit, want->tr_limit);
}

static struct hvm_hw_cpu *record(unsigned int n)
{
    return (struct hvm_hw_cpu *)(buf + CPU_OFF + n * (8 + HVM_SAVE_LENGTH_CPU));
}

/* Change what was read, load it back, read again. */
static bool round_trip(const struct hvm_hw_cpu *set)
{
    struct hvm_hw_cpu want = *set;
    long rc;

    record(0)->rax = want.rax = 0xabcdef01;
    record(0)->rsi = want.rsi = 0x13572468;
    record(0)->rip = want.rip = 0x100800;
    rc = xtf_sethvmcontext(dom, buf, ONE_CPU);
    if ( !expect("set of the record read", (uint64_t)rc, 0) )
        return false;
    memset(buf, 0, sizeof(buf));
    return read_all(ONE_CPU) && cpu_fields_ok(record(0), &want);
}

static void long_mode(struct hvm_hw_cpu *c)
{
    xtf_hvm_cpu_pvh(c, 0, 0);
    c->rip = 0xffff800000101000ULL;
    c->cr0 = 0x80000011; /* PG, ET, PE */
    c->cr4 = 0x20;       /* PAE */
    c->cr3 = 0x200000;
    c->msr_efer = 0x500;   /* LME, LMA */
    c->cs_arbytes = 0xa9b; /* 64-bit code: the record's segments are loaded */
    c->r15 = 0x0123456789abcdefULL;
}

static bool second_vcpu(void)
{
    static uint8_t one[XTF_HVM_CTX_ONE];
    static const uint16_t both[] = { 0, 1 };
    uint32_t size = sizeof(buf);
    struct hvm_hw_cpu c;
    long rc;

    long_mode(&c);
    rc = xtf_sethvmcontext(dom, one, xtf_hvm_context_one(one, &c, 1));
    if ( !expect("long-mode record for vCPU 1", (uint64_t)rc, 0) )
        return false;
    if ( !get_size(XTF_HVM_CTX_SAVED(2)) )
        return false;
    memset(buf, 0, sizeof(buf));
    rc = xtf_gethvmcontext(dom, buf, &size);
    return expect("get with two vCPUs", (uint64_t)rc, 0) && layout_ok(2, both) &&
           expect("vCPU 1 r15", record(1)->r15, c.r15) &&
           expect("vCPU 1 rip", record(1)->rip, c.rip) &&
           expect("vCPU 1 CS.L", (record(1)->cs_arbytes >> 9) & 1, 1) &&
           expect("vCPU 1 efer", record(1)->msr_efer & 0x500, 0x500);
}

void test_main(void)
{
    static uint8_t one[XTF_HVM_CTX_ONE];
    static const uint16_t first[] = { 0 };
    struct xen_domctl_createdomain cfg = xtf_pvh_config(2);
    struct hvm_hw_cpu set;
    long rc = xtf_createdomain(0, &cfg, &dom);

    if ( rc )
        return xtf_error("createdomain: %ld", rc);
    if ( !get_size(8 + HVM_SAVE_LENGTH_HEADER + 8) )
        goto out;
    pattern(&set);
    rc = xtf_sethvmcontext(dom, one, xtf_hvm_context_one(one, &set, 0));
    if ( !expect("sethvmcontext", (uint64_t)rc, 0) || !get_size(ONE_CPU) || !read_all(ONE_CPU) ||
         !layout_ok(1, first) || !cpu_fields_ok(record(0), &set) )
        goto out;
    printf("CPU record read back as set\n");
    if ( round_trip(&set) && second_vcpu() )
        xtf_success(NULL);
out:
    xtf_domctl_simple(XEN_DOMCTL_destroydomain, dom);
}
