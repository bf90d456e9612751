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
 * The record layouts below are Xen's ABI (facts), written here until the
 * public header lands in xen/include/public/hvm/save.h. Pure: it fills a
 * buffer and calls nothing.
 */
#include <string.h>
#include "xg_private.h"

struct xg_save_desc
{
    uint16_t typecode, instance;
    uint32_t length; /* of the record after this descriptor */
};

#define XG_SAVE_END    0
#define XG_SAVE_HEADER 1
#define XG_SAVE_CPU    2

#define XG_HVM_FILE_MAGIC   0x54381286u
#define XG_HVM_FILE_VERSION 1u

struct xg_save_header
{
    uint32_t magic, version;
    uint64_t changeset;
    uint32_t cpuid, gtsc_khz;
};

/* struct hvm_hw_cpu */
struct xg_hw_cpu
{
    uint8_t fpu_regs[512]; /* FXSAVE image */
    uint64_t rax, rbx, rcx, rdx, rbp, rsi, rdi, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
    uint64_t cr0, cr2, cr3, cr4;
    uint64_t dr0, dr1, dr2, dr3, dr6, dr7;
    uint32_t cs_sel, ds_sel, es_sel, fs_sel, gs_sel, ss_sel, tr_sel, ldtr_sel;
    uint32_t cs_limit, ds_limit, es_limit, fs_limit, gs_limit, ss_limit, tr_limit, ldtr_limit;
    uint32_t idtr_limit, gdtr_limit;
    uint64_t cs_base, ds_base, es_base, fs_base, gs_base, ss_base, tr_base, ldtr_base;
    uint64_t idtr_base, gdtr_base;
    uint32_t cs_arbytes, ds_arbytes, es_arbytes, fs_arbytes, gs_arbytes, ss_arbytes;
    uint32_t tr_arbytes, ldtr_arbytes;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t shadow_gs;
    uint64_t msr_flags, msr_lstar, msr_star, msr_cstar, msr_syscall_mask, msr_efer;
    uint64_t msr_tsc_aux;
    uint64_t tsc;
    uint32_t pending_event, error_code;
    uint32_t flags; /* XG_FPU_INITIALISED */
    uint32_t pad0;
};
_Static_assert(sizeof(struct xg_save_desc) == 8, "hvm_save_descriptor");
_Static_assert(sizeof(struct xg_save_header) == 24, "hvm_save_header");
_Static_assert(sizeof(struct xg_hw_cpu) == 1032, "hvm_hw_cpu");
_Static_assert(offsetof(struct xg_hw_cpu, rip) == 640, "hvm_hw_cpu.rip");
_Static_assert(offsetof(struct xg_hw_cpu, cs_sel) == 736, "hvm_hw_cpu.cs_sel");
_Static_assert(offsetof(struct xg_hw_cpu, cs_arbytes) == 888, "hvm_hw_cpu.cs_arbytes");
_Static_assert(offsetof(struct xg_hw_cpu, msr_efer) == 992, "hvm_hw_cpu.msr_efer");
_Static_assert(offsetof(struct xg_hw_cpu, flags) == 1024, "hvm_hw_cpu.flags");
_Static_assert(8 + 24 + 8 + 1032 + 8 <= XG_HVM_CTXT_MAX, "context buffer");

#define XG_FPU_INITIALISED 1u
#define X86_CR0_PE         (1u << 0)
#define X86_CR0_ET         (1u << 4)

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

static void flat_segments(struct xg_hw_cpu *c)
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

static void pvh_cpu(const struct xg_build *b, struct xg_hw_cpu *c)
{
    memset(c, 0, sizeof(*c));
    fpu_reset(c->fpu_regs);
    c->flags = XG_FPU_INITIALISED;
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
    struct xg_save_desc d = { type, 0, len };

    memcpy(buf + at, &d, sizeof(d));
    if ( len )
        memcpy(buf + at + sizeof(d), rec, len);
    return at + sizeof(d) + len;
}

size_t xg_cpu_context(const struct xg_build *b, uint8_t *buf)
{
    struct xg_save_header h = { XG_HVM_FILE_MAGIC, XG_HVM_FILE_VERSION, 0, 0, 0 };
    struct xg_hw_cpu c;
    size_t at;

    pvh_cpu(b, &c);
    at = put(buf, 0, XG_SAVE_HEADER, &h, sizeof(h));
    at = put(buf, at, XG_SAVE_CPU, &c, sizeof(c));
    return put(buf, at, XG_SAVE_END, NULL, 0);
}
