/*
 * vmcb.h - the AMD Virtual Machine Control Block, as offsets into the
 * 4 KiB page (AMD APM vol. 2, appendix B). Accessors instead of a struct
 * with hundreds of reserved fields: vmcb_get/vmcb_set take the offset.
 * Private to svm/.
 */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <xen/types.h>
#include <xen/lib.h>

/* Control area. */
#define VMCB_INTERCEPT_CR    0x000 /* u32: reads 15:0, writes 31:16 */
#define VMCB_INTERCEPT_EXC   0x008 /* u32 */
#define VMCB_INTERCEPT_MISC1 0x00c /* u32 */
#define VMCB_INTERCEPT_MISC2 0x010 /* u32 */
#define VMCB_IOPM_BASE       0x040
#define VMCB_MSRPM_BASE      0x048
#define VMCB_TSC_OFFSET      0x050
#define VMCB_ASID            0x058 /* u32 */
#define VMCB_TLB_CONTROL     0x05c /* u8 */
#define VMCB_VINTR           0x060
#define VMCB_INT_SHADOW      0x068
#define VMCB_EXITCODE        0x070
#define VMCB_EXITINFO1       0x078
#define VMCB_EXITINFO2       0x080
#define VMCB_EXITINTINFO     0x088
#define VMCB_NP_ENABLE       0x090
#define VMCB_EVENTINJ        0x0a8
#define VMCB_NCR3            0x0b0
#define VMCB_CLEAN           0x0c0 /* u32 */
#define VMCB_NRIP            0x0c8

/* State-save area. Segments are 16 bytes: selector, attrib, limit, base. */
#define VMCB_ES     0x400
#define VMCB_CS     0x410
#define VMCB_SS     0x420
#define VMCB_DS     0x430
#define VMCB_FS     0x440
#define VMCB_GS     0x450
#define VMCB_GDTR   0x460
#define VMCB_LDTR   0x470
#define VMCB_IDTR   0x480
#define VMCB_TR     0x490
#define VMCB_CPL    0x4cb /* u8 */
#define VMCB_EFER   0x4d0
#define VMCB_CR4    0x548
#define VMCB_CR3    0x550
#define VMCB_CR0    0x558
#define VMCB_DR7    0x560
#define VMCB_DR6    0x568
#define VMCB_RFLAGS 0x570
#define VMCB_RIP    0x578
#define VMCB_RSP    0x5d8
#define VMCB_RAX    0x5f8
#define VMCB_CR2    0x640
#define VMCB_G_PAT  0x668

/* MISC1 intercepts. */
#define INTERCEPT_INTR     (1u << 0)
#define INTERCEPT_NMI      (1u << 1)
#define INTERCEPT_VINTR    (1u << 4)
#define INTERCEPT_IRET     (1u << 20)
#define INTERCEPT_RDTSC    (1u << 14)
#define INTERCEPT_CPUID    (1u << 18)
#define INTERCEPT_INVD     (1u << 22)
#define INTERCEPT_HLT      (1u << 24)
#define INTERCEPT_IOIO     (1u << 27)
#define INTERCEPT_MSR      (1u << 28)
#define INTERCEPT_SHUTDOWN (1u << 31)
/* MISC2 intercepts. */
#define INTERCEPT_VMRUN   (1u << 0)
#define INTERCEPT_VMMCALL (1u << 1)
#define INTERCEPT_VMLOAD  (1u << 2)
#define INTERCEPT_VMSAVE  (1u << 3)
#define INTERCEPT_STGI    (1u << 4)
#define INTERCEPT_CLGI    (1u << 5)
#define INTERCEPT_SKINIT  (1u << 6)
#define INTERCEPT_RDTSCP  (1u << 7)
#define INTERCEPT_WBINVD  (1u << 9)
#define INTERCEPT_XSETBV  (1u << 13)
/* CR intercepts: reads of CRn are bit n, writes bit 16 + n. */
#define INTERCEPT_CR_WRITE(n) (1u << (16 + (n)))

#define VINTR_IRQ      (1ULL << 8) /* a virtual interrupt is pending */
#define VINTR_PRIO_MAX (0xfULL << 16)
#define VINTR_IGN_TPR  (1ULL << 20)
#define VINTR_MASKING  (1ULL << 24)

/* EVENTINJ / EXITINTINFO */
#define EVENT_VALID      (1ULL << 31)
#define EVENT_TYPE(e)    (((e) >> 8) & 7)
#define EVENT_TYPE_INTR  0
#define EVENT_TYPE_NMI   2
#define EVENT_TYPE_EXC   3
#define EVENT_TYPE_SWINT 4

/* Exit codes. */
#define SVM_EXIT_CR4_WRITE 0x014
#define SVM_EXIT_CR8_WRITE 0x018
#define SVM_EXIT_INTR      0x060
#define SVM_EXIT_NMI       0x061
#define SVM_EXIT_VINTR     0x064
#define SVM_EXIT_RDTSC     0x06e
#define SVM_EXIT_IRET      0x074
#define SVM_EXIT_CPUID     0x072
#define SVM_EXIT_INVD      0x076
#define SVM_EXIT_HLT       0x078
#define SVM_EXIT_IOIO      0x07b
#define SVM_EXIT_MSR       0x07c
#define SVM_EXIT_SHUTDOWN  0x07f
#define SVM_EXIT_VMMCALL   0x081
#define SVM_EXIT_RDTSCP    0x087
#define SVM_EXIT_WBINVD    0x089
#define SVM_EXIT_XSETBV    0x08d
#define SVM_EXIT_NPF       0x400
#define SVM_EXIT_INVALID   0xffffffffULL

static inline uint64_t vmcb_get(const void *vmcb, unsigned int off, unsigned int bytes)
{
    uint64_t v = 0;
    memcpy(&v, (const uint8_t *)vmcb + off, bytes);
    return v;
}
static inline void vmcb_set(void *vmcb, unsigned int off, unsigned int bytes, uint64_t v)
{
    memcpy((uint8_t *)vmcb + off, &v, bytes);
}
#define vmcb_get64(vmcb, off)    vmcb_get(vmcb, off, 8)
#define vmcb_set64(vmcb, off, v) vmcb_set(vmcb, off, 8, v)

static inline void vmcb_set_seg(void *vmcb, unsigned int off, uint16_t sel, uint16_t attr,
                                uint32_t limit, uint64_t base)
{
    vmcb_set(vmcb, off, 2, sel);
    vmcb_set(vmcb, off + 2, 2, attr);
    vmcb_set(vmcb, off + 4, 4, limit);
    vmcb_set(vmcb, off + 8, 8, base);
}

/* Segment attributes in the VMCB's packed form. */
#define SEG_CODE32     0xc9b
#define SEG_CODE64     0xa9b
#define SEG_DATA       0xc93
#define SEG_TSS32      0x08b
#define SEG_LDT        0x082
#define SEG_REAL_CODE  0x09b /* real mode: 64 KiB, present, accessed */
#define SEG_REAL_DATA  0x093
#define SEG_TSS16_BUSY 0x083

#define VMCB_STAR         0x600 /* STAR .. KERNEL_GS_BASE: VMLOAD/VMSAVE's */
#define VMCB_LSTAR        0x608
#define VMCB_CSTAR        0x610
#define VMCB_SFMASK       0x618
#define VMCB_KERNEL_GS    0x620
#define VMCB_SYSENTER_CS  0x628
#define VMCB_SYSENTER_ESP 0x630
#define VMCB_SYSENTER_EIP 0x638

/* svm.c: flat 4 GiB segments, the code segment with code_attr. */
void svm_flat_segments(void *vmcb, uint16_t code_attr);
struct vcpu;
struct vcpu_hvm_context;
struct hvm_vcpu_state;
/* svm.c: the guest's EFER (the VMCB's has SVME too); a reset state with
 * these control registers, DR6/DR7 at reset, CPL 0, GPRs zero. */
void svm_set_efer(struct vcpu *v, uint64_t efer);
void svm_reset_state(struct vcpu *v, uint64_t cr0, uint64_t cr3, uint64_t cr4);
extern uint64_t svm_cr4_guest_ok;
/* context.c: VCPUOP_initialise / HVM context records (struct vcpu_vendor_ops). */
int svm_vcpu_set_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *ctx);
int svm_vcpu_check_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *ctx);
void svm_vcpu_save_state(struct vcpu *v, struct hvm_vcpu_state *st);
void svm_vcpu_load_state(struct vcpu *v, const struct hvm_vcpu_state *st);
uint64_t svm_vcpu_get_pat(struct vcpu *v);
void svm_vcpu_load_pat(struct vcpu *v, uint64_t pat);

#endif /* SVM_VMCB_H */
