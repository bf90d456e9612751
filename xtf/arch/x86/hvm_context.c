/*
 * hvm_context.c - the x86 halves of include/xtf/build.h: a PVH vCPU's
 * CPU record, a one-vCPU HVM context around it, and the length of this
 * host's CPU_XSAVE record (CPUID). The rest of build.h is common/build.c,
 * which arm64's runtime builds too.
 */
#include <xtf.h>
#include <xtf/build.h>

void xtf_hvm_cpu_pvh(struct hvm_hw_cpu *c, uint32_t entry, uint32_t ebx)
{
    memset(c, 0, sizeof(*c));
    c->rip = entry;
    c->rbx = ebx;
    c->rflags = 0x2;
    c->cr0 = 0x11; /* PE, ET */
    c->cs_limit = c->ds_limit = c->es_limit = c->ss_limit = 0xffffffff;
    c->cs_arbytes = 0xc9b; /* 32-bit code, G, present */
    c->ds_arbytes = c->es_arbytes = c->ss_arbytes = 0xc93;
    c->tr_limit = 0x67;
    c->tr_arbytes = 0x8b; /* busy 32-bit TSS */
    c->dr6 = 0xffff0ff0;
    c->dr7 = 0x400;
}

static uint8_t *put(uint8_t *p, uint16_t type, uint16_t inst, const void *body, uint32_t len)
{
    struct hvm_save_descriptor d = { type, inst, len };

    memcpy(p, &d, sizeof(d));
    if ( len )
        memcpy(p + sizeof(d), body, len);
    return p + sizeof(d) + len;
}

uint32_t xtf_hvm_xsave_record(void)
{
    if ( !(cpuid(1).c & (1U << 26)) ) /* XSAVE */
        return 0;
    return 8 + 24 + cpuid_count(0xd, 0).c;
}

uint32_t xtf_hvm_context_one(void *buf, const struct hvm_hw_cpu *cpu, uint16_t instance)
{
    struct hvm_save_header h = { .magic = HVM_FILE_MAGIC, .version = HVM_FILE_VERSION };
    uint8_t *p = put(buf, HVM_SAVE_CODE(HEADER), 0, &h, sizeof(h));

    p = put(p, HVM_SAVE_CODE(CPU), instance, cpu, sizeof(*cpu));
    p = put(p, HVM_SAVE_CODE(END), 0, NULL, 0);
    return (uint32_t)(p - (uint8_t *)buf);
}

uint32_t xtf_hvm_context_sample(void *buf)
{
    struct hvm_hw_cpu cpu;

    xtf_hvm_cpu_pvh(&cpu, 0x100000, 0);
    return xtf_hvm_context_one(buf, &cpu, 0);
}
