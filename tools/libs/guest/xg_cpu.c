/*
 * xg_cpu.c - vCPU 0's starting registers, as the HVM context records of
 * Xen's save format (public/hvm/save.h: a HEADER record, a CPU record
 * with struct hvm_hw_cpu, an END record), the blob
 * XEN_DOMCTL_sethvmcontext takes. The state is the PVH boot ABI's:
 * 32-bit flat protected mode, paging off, CR0 = PE|ET, EBX = the
 * start-info address, EIP = the XEN_ELFNOTE_PHYS32_ENTRY address; the
 * segments are the ones the hypervisor's boot builder gives
 * (svm_flat_segments and its VMX twin).
 *
 * The records are public/hvm/save.h's. Pure: it fills a buffer and calls
 * nothing.
 */
#include <string.h>
#include <xen/hvm/save.h>
#include "xg_private.h"

_Static_assert(3 * sizeof(struct hvm_save_descriptor) + sizeof(struct hvm_save_header) +
                       sizeof(struct hvm_hw_cpu) <=
                   XG_HVM_CTXT_MAX,
               "context buffer");

#define X86_CR0_PE (1u << 0)
#define X86_CR0_ET (1u << 4)

/* Segment attributes in Xen's 12-bit form (type, S, DPL, P, AVL, L, DB,
 * G), as the hypervisor's flat segments use them. */
#define XG_AR_CODE32 0xc9bu /* execute/read, accessed, 32-bit, 4 KiB granular */
#define XG_AR_DATA   0xc93u /* read/write, accessed */
#define XG_AR_TSS32  0x08bu /* busy 32-bit TSS */
#define XG_AR_LDT    0x082u

/* FXSAVE image of a CPU after FNINIT with SSE's reset MXCSR. */
static void fpu_reset(uint8_t *fx)
{
    const uint16_t fcw = 0x037f;
    const uint32_t mxcsr = 0x1f80;

    memcpy(fx + 0, &fcw, sizeof(fcw));
    memcpy(fx + 24, &mxcsr, sizeof(mxcsr));
}

static void flat_segments(struct hvm_hw_cpu *c)
{
    c->cs_sel = 0x08;
    c->ds_sel = c->es_sel = c->fs_sel = c->gs_sel = c->ss_sel = 0x10;
    c->tr_sel = 0x18;
    c->cs_limit = c->ds_limit = c->es_limit = c->fs_limit = c->gs_limit = c->ss_limit = ~0u;
    c->tr_limit = 0x67;
    c->idtr_limit = c->gdtr_limit = 0xffff;
    c->cs_arbytes = XG_AR_CODE32;
    c->ds_arbytes = c->es_arbytes = c->fs_arbytes = c->gs_arbytes = c->ss_arbytes = XG_AR_DATA;
    c->tr_arbytes = XG_AR_TSS32;
    c->ldtr_arbytes = XG_AR_LDT;
}

static void pvh_cpu(const struct xg_build *b, struct hvm_hw_cpu *c)
{
    memset(c, 0, sizeof(*c));
    fpu_reset(c->fpu_regs);
    c->flags = XEN_X86_FPU_INITIALISED;
    c->rip = b->entry;
    c->rbx = XG_START_INFO_PFN << XG_PAGE_SHIFT;
    c->rflags = 0x2; /* bit 1 is always set */
    c->cr0 = X86_CR0_PE | X86_CR0_ET;
    c->dr6 = 0xffff0ff0;
    c->dr7 = 0x400;
    flat_segments(c);
}

static size_t put(uint8_t *buf, size_t at, uint16_t type, const void *rec, uint32_t len)
{
    struct hvm_save_descriptor d = { type, 0, len };

    memcpy(buf + at, &d, sizeof(d));
    if ( len )
        memcpy(buf + at + sizeof(d), rec, len);
    return at + sizeof(d) + len;
}

size_t xg_cpu_context(const struct xg_build *b, uint8_t *buf)
{
    struct hvm_save_header h = { HVM_FILE_MAGIC, HVM_FILE_VERSION, 0, 0, 0 };
    struct hvm_hw_cpu c;
    size_t at;

    pvh_cpu(b, &c);
    at = put(buf, 0, HVM_SAVE_CODE_HEADER, &h, sizeof(h));
    at = put(buf, at, HVM_SAVE_CODE_CPU, &c, sizeof(c));
    return put(buf, at, HVM_SAVE_CODE_END, NULL, 0);
}
