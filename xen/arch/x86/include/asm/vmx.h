/*
 * asm/vmx.h - Intel VMX architecture facts: VMCS field encodings, control
 * bits, exit reasons and qualification layouts (Intel SDM vol. 3,
 * appendices A-C and chapter 25), plus one thin inline wrapper per VMX
 * instruction. No policy lives here; the VMX code in hvm/vmx/ decides what
 * to set. Other x86 code (PML, altp2m) may include this for the encodings.
 */
#ifndef ASM_VMX_H
#define ASM_VMX_H

/* The encodings are plain numbers, usable from assembly too. */

/* ---- VMCS field encodings ---- */

/* 16-bit */
#define VMCS_VPID       0x0000
#define VMCS_EPTP_INDEX 0x0004 /* EPTP-list index of the EPTP in use (VMFUNC) */
/* Guest and host selectors: seg is one of the VMX_SEG_* indexes below. */
#define VMCS_GUEST_SEL(seg)  (0x0800 + 2 * (seg))
#define VMCS_GUEST_PML_INDEX 0x0812
#define VMCS_HOST_ES_SEL     0x0c00
#define VMCS_HOST_CS_SEL     0x0c02
#define VMCS_HOST_SS_SEL     0x0c04
#define VMCS_HOST_DS_SEL     0x0c06
#define VMCS_HOST_FS_SEL     0x0c08
#define VMCS_HOST_GS_SEL     0x0c0a
#define VMCS_HOST_TR_SEL     0x0c0c

/* 64-bit */
#define VMCS_MSR_BITMAP          0x2004
#define VMCS_EXIT_MSR_STORE_ADDR 0x2006
#define VMCS_EXIT_MSR_LOAD_ADDR  0x2008
#define VMCS_ENTRY_MSR_LOAD_ADDR 0x200a
#define VMCS_PML_ADDR            0x200e
#define VMCS_TSC_OFFSET          0x2010
#define VMCS_VIRTUAL_APIC_ADDR   0x2012
#define VMCS_VMFUNC_CTLS         0x2018
#define VMCS_EPTP                0x201a
#define VMCS_EPTP_LIST_ADDR      0x2024
#define VMCS_VE_INFO_ADDR        0x202a /* virtualization-exception information */
#define VMCS_GUEST_PHYS_ADDR     0x2400
#define VMCS_LINK_POINTER        0x2800
#define VMCS_GUEST_DEBUGCTL      0x2802
#define VMCS_GUEST_PAT           0x2804
#define VMCS_GUEST_EFER          0x2806
#define VMCS_GUEST_PDPTE(n)      (0x280a + 2 * (n))
#define VMCS_HOST_PAT            0x2c00
#define VMCS_HOST_EFER           0x2c02

/* 32-bit */
#define VMCS_PIN_CTLS               0x4000
#define VMCS_PROC_CTLS              0x4002
#define VMCS_EXCEPTION_BITMAP       0x4004
#define VMCS_PF_ERR_MASK            0x4006
#define VMCS_PF_ERR_MATCH           0x4008
#define VMCS_CR3_TARGET_COUNT       0x400a
#define VMCS_EXIT_CTLS              0x400c
#define VMCS_EXIT_MSR_STORE_COUNT   0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT    0x4010
#define VMCS_ENTRY_CTLS             0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT   0x4014
#define VMCS_ENTRY_INTR_INFO        0x4016
#define VMCS_ENTRY_EXC_ERROR        0x4018
#define VMCS_ENTRY_INSN_LEN         0x401a
#define VMCS_TPR_THRESHOLD          0x401c
#define VMCS_PROC_CTLS2             0x401e
#define VMCS_INSN_ERROR             0x4400
#define VMCS_EXIT_REASON            0x4402
#define VMCS_EXIT_INTR_INFO         0x4404
#define VMCS_EXIT_INTR_ERROR        0x4406
#define VMCS_IDT_VECTORING_INFO     0x4408
#define VMCS_IDT_VECTORING_ERROR    0x440a
#define VMCS_EXIT_INSN_LEN          0x440c
#define VMCS_EXIT_INSN_INFO         0x440e
#define VMCS_GUEST_LIMIT(seg)       (0x4800 + 2 * (seg))
#define VMCS_GUEST_GDTR_LIMIT       0x4810
#define VMCS_GUEST_IDTR_LIMIT       0x4812
#define VMCS_GUEST_AR(seg)          (0x4814 + 2 * (seg))
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824
#define VMCS_GUEST_ACTIVITY         0x4826
#define VMCS_GUEST_SYSENTER_CS      0x482a
#define VMCS_PREEMPT_TIMER          0x482e
#define VMCS_HOST_SYSENTER_CS       0x4c00

/* natural width */
#define VMCS_CR0_MASK           0x6000
#define VMCS_CR4_MASK           0x6002
#define VMCS_CR0_SHADOW         0x6004
#define VMCS_CR4_SHADOW         0x6006
#define VMCS_EXIT_QUALIFICATION 0x6400
#define VMCS_GUEST_LINEAR_ADDR  0x640a
#define VMCS_GUEST_CR0          0x6800
#define VMCS_GUEST_CR3          0x6802
#define VMCS_GUEST_CR4          0x6804
#define VMCS_GUEST_BASE(seg)    (0x6806 + 2 * (seg))
#define VMCS_GUEST_GDTR_BASE    0x6816
#define VMCS_GUEST_IDTR_BASE    0x6818
#define VMCS_GUEST_DR7          0x681a
#define VMCS_GUEST_RSP          0x681c
#define VMCS_GUEST_RIP          0x681e
#define VMCS_GUEST_RFLAGS       0x6820
#define VMCS_GUEST_PENDING_DBG  0x6822
#define VMCS_GUEST_SYSENTER_ESP 0x6824
#define VMCS_GUEST_SYSENTER_EIP 0x6826
#define VMCS_HOST_CR0           0x6c00
#define VMCS_HOST_CR3           0x6c02
#define VMCS_HOST_CR4           0x6c04
#define VMCS_HOST_FS_BASE       0x6c06
#define VMCS_HOST_GS_BASE       0x6c08
#define VMCS_HOST_TR_BASE       0x6c0a
#define VMCS_HOST_GDTR_BASE     0x6c0c
#define VMCS_HOST_IDTR_BASE     0x6c0e
#define VMCS_HOST_SYSENTER_ESP  0x6c10
#define VMCS_HOST_SYSENTER_EIP  0x6c12
#define VMCS_HOST_RSP           0x6c14
#define VMCS_HOST_RIP           0x6c16

/* Segment indexes: the order of the guest segment fields in the VMCS. */
#define VMX_SEG_ES   0
#define VMX_SEG_CS   1
#define VMX_SEG_SS   2
#define VMX_SEG_DS   3
#define VMX_SEG_FS   4
#define VMX_SEG_GS   5
#define VMX_SEG_LDTR 6
#define VMX_SEG_TR   7
#define VMX_NR_SEGS  8

/* Segment access rights as the VMCS holds them. */
#define VMX_AR_TYPE_MASK 0x000fU
#define VMX_AR_S         (1U << 4)
#define VMX_AR_DPL_SHIFT 5
#define VMX_AR_P         (1U << 7)
#define VMX_AR_L         (1U << 13)
#define VMX_AR_DB        (1U << 14)
#define VMX_AR_G         (1U << 15)
#define VMX_AR_UNUSABLE  (1U << 16)

/* ---- capability MSR layouts (values in asm/x86.h) ---- */
#define VMX_BASIC_REVISION_MASK  0x7fffffffULL
#define VMX_BASIC_MEMTYPE(b)     (((b) >> 50) & 0xf)
#define VMX_BASIC_TRUE_CTLS      (1ULL << 55)
#define VMX_MISC_MSR_LIST_MAX(m) (512U * ((((m) >> 25) & 7) + 1))
#define VMX_MISC_PREEMPT_RATE(m) ((m)&0x1f)  /* timer ticks every 2^N TSC */
#define VMX_MISC_EXIT_SAVES_LMA  (1ULL << 5) /* exits store LMA in IA-32e guest */

#define FEATURE_CONTROL_LOCK          (1ULL << 0)
#define FEATURE_CONTROL_VMXON_OUTSIDE (1ULL << 2)

#define VMX_EPT_CAP_EXEC_ONLY       (1ULL << 0)
#define VMX_EPT_CAP_WALK4           (1ULL << 6)
#define VMX_EPT_CAP_WB              (1ULL << 14)
#define VMX_EPT_CAP_2M              (1ULL << 16)
#define VMX_EPT_CAP_1G              (1ULL << 17)
#define VMX_EPT_CAP_INVEPT          (1ULL << 20)
#define VMX_EPT_CAP_AD              (1ULL << 21)
#define VMX_EPT_CAP_INVEPT_SINGLE   (1ULL << 25)
#define VMX_EPT_CAP_INVEPT_ALL      (1ULL << 26)
#define VMX_VPID_CAP_INVVPID        (1ULL << 32)
#define VMX_VPID_CAP_INVVPID_SINGLE (1ULL << 41)
#define VMX_VPID_CAP_INVVPID_ALL    (1ULL << 42)

/* ---- controls ---- */
#define PIN_EXT_INTR_EXITING (1U << 0)
#define PIN_NMI_EXITING      (1U << 3)
#define PIN_VIRTUAL_NMIS     (1U << 5)
#define PIN_PREEMPT_TIMER    (1U << 6)

#define PROC_INTR_WINDOW       (1U << 2)
#define PROC_USE_TSC_OFFSET    (1U << 3)
#define PROC_HLT_EXITING       (1U << 7)
#define PROC_INVLPG_EXITING    (1U << 9)
#define PROC_RDTSC_EXITING     (1U << 12)
#define PROC_CR3_LOAD_EXITING  (1U << 15)
#define PROC_CR3_STORE_EXITING (1U << 16)
#define PROC_CR8_LOAD_EXITING  (1U << 19)
#define PROC_CR8_STORE_EXITING (1U << 20)
#define PROC_USE_TPR_SHADOW    (1U << 21)
#define PROC_UNCOND_IO_EXITING (1U << 24)
#define PROC_NMI_WINDOW        (1U << 22)
#define PROC_USE_IO_BITMAPS    (1U << 25)
#define PROC_USE_MSR_BITMAPS   (1U << 28)
#define PROC_ACTIVATE_CTLS2    (1U << 31)

#define PROC2_ENABLE_EPT     (1U << 1)
#define PROC2_ENABLE_RDTSCP  (1U << 3)
#define PROC2_ENABLE_VPID    (1U << 5)
#define PROC2_WBINVD_EXITING (1U << 6)
#define PROC2_UNRESTRICTED   (1U << 7)
#define PROC2_ENABLE_INVPCID (1U << 12)
#define PROC2_ENABLE_VMFUNC  (1U << 13)
#define PROC2_ENABLE_PML     (1U << 17)
#define PROC2_EPT_VE         (1U << 18)
#define PROC2_ENABLE_XSAVES  (1U << 20)

#define EXIT_SAVE_DEBUG (1U << 2)
#define EXIT_HOST_64BIT (1U << 9)
#define EXIT_ACK_INTR   (1U << 15)
#define EXIT_SAVE_PAT   (1U << 18)
#define EXIT_LOAD_PAT   (1U << 19)
#define EXIT_SAVE_EFER  (1U << 20)
#define EXIT_LOAD_EFER  (1U << 21)

#define ENTRY_LOAD_DEBUG  (1U << 2)
#define ENTRY_IA32E_GUEST (1U << 9)
#define ENTRY_LOAD_PAT    (1U << 14)
#define ENTRY_LOAD_EFER   (1U << 15)

/* Page-modification log: 512 guest-physical addresses in one 4 KiB page,
 * filled from index 511 down; index 0xffff (wrapped) means full. */
#define VMX_PML_ENTRIES 512

/* VM-function controls (and IA32_VMX_VMFUNC's bits): leaf 0 switches the
 * EPTP to one of the 512 entries of the EPTP list. */
#define VMFUNC_EPTP_SWITCHING (1ULL << 0)
#define VMX_EPTP_LIST_ENTRIES 512

/* #VE: vector 20; its information area (SDM "Virtualization Exceptions"):
 * exit reason, busy word (0xffffffff while the guest handles one),
 * qualification, guest linear and physical address, EPTP index. */
#define X86_EXC_VE       20
#define VE_INFO_BUSY_OFF 4
#define VE_INFO_BUSY     0xffffffffU

/* EPT pointer */
#define VMX_EPTP_WB    6ULL
#define VMX_EPTP_WALK4 (3ULL << 3)
#define VMX_EPTP_AD    (1ULL << 6)

/* Interruption information (VM-entry, VM-exit, IDT-vectoring). */
#define INTR_INFO_VECTOR_MASK 0xffU
#define INTR_INFO_TYPE_SHIFT  8
#define INTR_INFO_TYPE_MASK   (7U << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_EXT_INTR    0U
#define INTR_TYPE_NMI         2U
#define INTR_TYPE_HW_EXC      3U
#define INTR_TYPE_SW_INTR     4U
#define INTR_TYPE_PRIV_SW_EXC 5U
#define INTR_TYPE_SW_EXC      6U
#define INTR_INFO_ERROR_CODE  (1U << 11)
#define INTR_INFO_VALID       (1U << 31)

/* Guest interruptibility state */
#define INTERRUPTIBILITY_STI    (1U << 0)
#define INTERRUPTIBILITY_MOV_SS (1U << 1)
#define INTERRUPTIBILITY_NMI    (1U << 3)

/* ---- exit reasons (basic reason: bits 15:0) ---- */
#define EXIT_REASON_FAILED_ENTRY  (1U << 31)
#define EXIT_REASON_EXCEPTION_NMI 0
#define EXIT_REASON_EXT_INTR      1
#define EXIT_REASON_TRIPLE_FAULT  2
#define EXIT_REASON_INIT          3
#define EXIT_REASON_SIPI          4
#define EXIT_REASON_INTR_WINDOW   7
#define EXIT_REASON_NMI_WINDOW    8
#define EXIT_REASON_CPUID         10
#define EXIT_REASON_HLT           12
#define EXIT_REASON_INVD          13
#define EXIT_REASON_INVLPG        14
#define EXIT_REASON_RDTSC         16
#define EXIT_REASON_VMCALL        18
#define EXIT_REASON_CR_ACCESS     28
#define EXIT_REASON_IO            30
#define EXIT_REASON_RDMSR         31
#define EXIT_REASON_WRMSR         32
#define EXIT_REASON_INVALID_GUEST 33
#define EXIT_REASON_MSR_LOADING   34
#define EXIT_REASON_MCE_ENTRY     41
#define EXIT_REASON_TPR_BELOW     43
#define EXIT_REASON_EPT_VIOLATION 48
#define EXIT_REASON_EPT_MISCONFIG 49
#define EXIT_REASON_PREEMPT_TIMER 52
#define EXIT_REASON_RDTSCP        51
#define EXIT_REASON_WBINVD        54
#define EXIT_REASON_XSETBV        55
#define EXIT_REASON_VMFUNC        59
#define EXIT_REASON_PML_FULL      62

/* CR-access qualification */
#define CR_QUAL_CR(q)       ((q)&0xf)
#define CR_QUAL_TYPE(q)     (((q) >> 4) & 3)
#define CR_QUAL_GPR(q)      (((q) >> 8) & 0xf)
#define CR_ACCESS_MOV_TO    0
#define CR_ACCESS_CLTS      2
#define CR_ACCESS_LMSW      3
#define CR_QUAL_LMSW_SRC(q) ((uint16_t)((q) >> 16))

/* I/O qualification */
#define IO_QUAL_SIZE(q) (((q)&7) + 1)
#define IO_QUAL_IN      (1ULL << 3)
#define IO_QUAL_STRING  (1ULL << 4)
#define IO_QUAL_REP     (1ULL << 5)
#define IO_QUAL_PORT(q) (((q) >> 16) & 0xffff)

/* EPT-violation qualification */
#define EPT_QUAL_READ         (1ULL << 0)
#define EPT_QUAL_WRITE        (1ULL << 1)
#define EPT_QUAL_EXEC         (1ULL << 2)
#define EPT_QUAL_PRESENT_MASK (7ULL << 3) /* entry allowed R, W or X */
#define EPT_QUAL_GLA_VALID    (1ULL << 7)
#define EPT_QUAL_GLA_FINAL    (1ULL << 8) /* 0: a guest paging-structure access */

/* INVEPT / INVVPID types */
#define INVEPT_SINGLE_CONTEXT  1
#define INVEPT_ALL_CONTEXT     2
#define INVVPID_SINGLE_CONTEXT 1
#define INVVPID_ALL_CONTEXT    2

#ifndef __ASSEMBLY__
#include <xen/types.h>

/* ---- instructions: each returns true on success ---- */

static inline bool vmxon(paddr_t region)
{
    bool fail;
    asm volatile("vmxon %1; setna %0" : "=qm"(fail) : "m"(region) : "cc", "memory");
    return !fail;
}

static inline bool vmclear(paddr_t vmcs)
{
    bool fail;
    asm volatile("vmclear %1; setna %0" : "=qm"(fail) : "m"(vmcs) : "cc", "memory");
    return !fail;
}

static inline bool vmptrld(paddr_t vmcs)
{
    bool fail;
    asm volatile("vmptrld %1; setna %0" : "=qm"(fail) : "m"(vmcs) : "cc", "memory");
    return !fail;
}

static inline bool vmread_safe(uint64_t field, uint64_t *val)
{
    bool fail;
    asm volatile("vmread %2, %0; setna %1" : "=rm"(*val), "=qm"(fail) : "r"(field) : "cc");
    return !fail;
}

static inline bool vmwrite_safe(uint64_t field, uint64_t val)
{
    bool fail;
    asm volatile("vmwrite %1, %2; setna %0" : "=qm"(fail) : "rm"(val), "r"(field) : "cc");
    return !fail;
}

struct invept_desc
{
    uint64_t eptp, zero;
};
struct invvpid_desc
{
    uint64_t vpid, linear;
};

static inline bool invept(unsigned long type, uint64_t eptp)
{
    struct invept_desc d = { eptp, 0 };
    bool fail;
    asm volatile("invept %1, %2; setna %0" : "=qm"(fail) : "m"(d), "r"(type) : "cc", "memory");
    return !fail;
}

static inline bool invvpid(unsigned long type, uint16_t vpid)
{
    struct invvpid_desc d = { vpid, 0 };
    bool fail;
    asm volatile("invvpid %1, %2; setna %0" : "=qm"(fail) : "m"(d), "r"(type) : "cc", "memory");
    return !fail;
}

#endif /* __ASSEMBLY__ */
#endif /* ASM_VMX_H */
