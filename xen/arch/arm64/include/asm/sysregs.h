/*
 * sysregs.h - arm64 system-register access and the register fields the
 * hypervisor uses (Arm ARM, DDI 0487). Nothing here has policy.
 */
#ifndef ASM_SYSREGS_H
#define ASM_SYSREGS_H

#include <xen/types.h>
#include <asm/boot.h>

#define READ_SYSREG(name)                           \
    ({                                              \
        uint64_t v__;                               \
        asm volatile("mrs %0, " #name : "=r"(v__)); \
        v__;                                        \
    })
#define WRITE_SYSREG(v, name) asm volatile("msr " #name ", %0" ::"r"((uint64_t)(v)) : "memory")

static inline void isb(void)
{
    asm volatile("isb" ::: "memory");
}
static inline void dsb_sy(void)
{
    asm volatile("dsb sy" ::: "memory");
}

/* ESR_ELx: exception class, instruction length, syndrome. */
#define ESR_EC_SHIFT    26
#define ESR_EC_MASK     0x3fU
#define ESR_EC_UNKNOWN  0x00
#define ESR_EC_HVC64    0x16
#define ESR_EC_SMC64    0x17
#define ESR_EC_SYSREG   0x18
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR   0x2f
#define ESR_EC_BRK64    0x3c
#define ESR_FSC_MASK    0x3fU       /* data/instruction fault status code */
#define ESR_IL          (1UL << 25) /* a 32-bit instruction */

/* The ISS of a data abort (Arm ARM D19, "ISS encoding for an exception
 * from a Data Abort"): valid syndrome, access size, sign extension,
 * register, 64-bit register, stage-1 walk, write. */
#define DABT_ISV     (1UL << 24)
#define DABT_SAS(e)  (((e) >> 22) & 3)
#define DABT_SSE     (1UL << 21)
#define DABT_SRT(e)  (((e) >> 16) & 0x1f)
#define DABT_SF      (1UL << 15)
#define DABT_S1PTW   (1UL << 7)
#define DABT_WNR     (1UL << 6)
#define FSC_SYNC_EXT 0x10 /* synchronous external abort, not on a walk */

/* SCTLR_EL2 with HCR_EL2.E2H == 0. */
#define SCTLR_EL2_M    (1UL << 0)  /* stage-1 MMU */
#define SCTLR_EL2_A    (1UL << 1)  /* alignment checks */
#define SCTLR_EL2_C    (1UL << 2)  /* data caches */
#define SCTLR_EL2_SA   (1UL << 3)  /* stack alignment checks */
#define SCTLR_EL2_I    (1UL << 12) /* instruction caches */
#define SCTLR_EL2_WXN  (1UL << 19)
#define SCTLR_EL2_EE   (1UL << 25)                         /* big-endian data: kept 0 */
#define SCTLR_EL2_RES1 ((unsigned long)SCTLR_EL2_RES1_ASM) /* asm/boot.h */

/* TCR_EL2 with HCR_EL2.E2H == 0: one range, TTBR0_EL2. */
#define TCR_T0SZ(bits) ((64UL - (bits)) << 0)
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER  (3UL << 12)
#define TCR_TG0_4K     (0UL << 14)
#define TCR_PS_SHIFT   16
#define TCR_EL2_RES1   ((1UL << 23) | (1UL << 31))

/* MAIR_ELx attribute indexes used by the hypervisor's own tables. */
#define MAIR_IDX_NORMAL  0 /* Normal, inner/outer write-back, read/write-allocate */
#define MAIR_IDX_DEVICE  1 /* Device-nGnRE */
#define MAIR_ATTR_NORMAL 0xffUL
#define MAIR_ATTR_DEVICE 0x04UL
#define MAIR_EL2_VALUE \
    ((MAIR_ATTR_NORMAL << (8 * MAIR_IDX_NORMAL)) | (MAIR_ATTR_DEVICE << (8 * MAIR_IDX_DEVICE)))

/* ID registers: the fields the boot report prints. */
#define ID_AA64MMFR0_PARANGE(r)  ((unsigned int)((r)&0xf))
#define ID_AA64MMFR1_HAFDBS(r)   ((unsigned int)((r)&0xf))
#define ID_AA64MMFR1_VH(r)       ((unsigned int)(((r) >> 8) & 0xf))
#define ID_AA64MMFR1_VMIDBITS(r) ((unsigned int)(((r) >> 4) & 0xf))

#define MPIDR_AFF_MASK 0xff00ffffffUL /* Aff3 (39:32), Aff2..Aff0 (23:0) */

#endif /* ASM_SYSREGS_H */
