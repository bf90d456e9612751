/*
 * asm/p2m-stage2.h - the Arm VMSAv8-64 stage-2 descriptor format as Wren
 * uses it (Arm ARM D8, 4K granule, 48-bit IPA and OA, four levels), the
 * backend behind struct p2m_pte_ops (mm/p2m-stage2.c), and the pure
 * helpers that turn ID registers into VTCR_EL2 / VTTBR_EL2 values and
 * hand out VMIDs. Bit positions and register layouts only: no system
 * register is read or written here (the boot and arch code do that),
 * and nothing here may include another arm64 header.
 *
 * Levels: the core's level 1..4 are the architecture's level 3..0 (core
 * 4 = the root, Arm level 0; core 3 = Arm level 1, 1G blocks; core 2 =
 * Arm level 2, 2M blocks; core 1 = Arm level 3, 4K pages).
 *
 *  bit  0      valid: the walk uses the descriptor; clear = translation
 *              fault, and then the PE ignores bits 63:1
 *  bit  1      1 = table (levels 0-2) or page (level 3); 0 = block
 *  bits 2-5    MemAttr[3:0]: 0b1111 Normal WB/WB (RAM), 0b0001
 *              Device-nGnRE (mmio_direct)
 *  bit  6      S2AP[0]: read allowed
 *  bit  7      S2AP[1]: write allowed. With DBM set and VTCR_EL2.HD on,
 *              the MMU sets it on the first write instead of faulting:
 *              it is the dirty flag
 *  bits 8-9    SH: 0b11 inner shareable (RAM); 0 for Device (ignored)
 *  bit  10     AF: always 1 in a valid leaf (no access flag faults)
 *  bit  11     RES0 in a valid descriptor; in a marked one, "was valid"
 *  bits 12-47  output address (frame), all ones = INVALID_MFN (only in
 *              descriptors that are not valid)
 *  bits 48-50  RES0 in a valid descriptor; in a marked one, the stamp
 *  bit  51     DBM: set in every leaf that grants write, and only there
 *  bit  52     Contiguous hint: 0
 *  bits 53-54  XN[1:0]: 0b10 = no execution at EL1 or EL0 (with or
 *              without FEAT_XNX), 0b00 = executable
 *  bits 55-58  software: p2m type XOR 1 (0 = no type: empty or table)
 *  bits 59-61  IGNORED by the PE while VTCR_EL2.HWU59-61 are 0 (Wren
 *              never sets them): p2m access
 *  bit  62     IGNORED likewise (HWU62 = 0): "written" kept in a leaf
 *              that does not grant write, where bit 7 cannot say it
 *  bit  63     IGNORED: recalculation mark (only with bit 0 clear)
 *
 * A leaf that grants nothing (types without rights, access n, or no
 * frame) is not valid: bit 0 clear, everything else as a valid one would
 * have it but the hardware attributes, so type, access and frame read
 * back. A table descriptor is bits 0-1 and the address, nothing else.
 */
#ifndef ASM_ARM64_P2M_STAGE2_H
#define ASM_ARM64_P2M_STAGE2_H

#include <xen/p2m.h>

#define S2_VALID            (1ULL << 0)
#define S2_TABLE_OR_PAGE    (1ULL << 1)
#define S2_MEMATTR_SHIFT    2
#define S2_MEMATTR_MASK     (0xfULL << S2_MEMATTR_SHIFT)
#define S2_MEMATTR_NORMAL   0xfULL /* outer WB, inner WB */
#define S2_MEMATTR_DEVICE   0x1ULL /* Device-nGnRE */
#define S2_S2AP_R           (1ULL << 6)
#define S2_S2AP_W           (1ULL << 7)
#define S2_SH_SHIFT         8
#define S2_SH_MASK          (3ULL << S2_SH_SHIFT)
#define S2_SH_INNER         3ULL
#define S2_AF               (1ULL << 10)
#define S2_MARK_WAS_VALID   (1ULL << 11)
#define S2_ADDR_SHIFT       12
#define S2_ADDR_MASK        0x0000fffffffff000ULL /* bits 12-47 */
#define S2_MARK_STAMP_SHIFT 48
#define S2_MARK_STAMP_MASK  (7ULL << S2_MARK_STAMP_SHIFT) /* bits 48-50 */
#define S2_DBM              (1ULL << 51)
#define S2_CONTIGUOUS       (1ULL << 52)
#define S2_XN_SHIFT         53
#define S2_XN_MASK          (3ULL << S2_XN_SHIFT)
#define S2_XN_NONE          (2ULL << S2_XN_SHIFT) /* XN[1:0] = 0b10 */
#define S2_SW_TYPE_SHIFT    55
#define S2_SW_TYPE_MASK     (0xfULL << S2_SW_TYPE_SHIFT) /* bits 55-58 */
#define S2_SW_ACCESS_SHIFT  59
#define S2_SW_ACCESS_MASK   (7ULL << S2_SW_ACCESS_SHIFT) /* bits 59-61 */
#define S2_SW_DIRTY         (1ULL << 62)
#define S2_MARK             (1ULL << 63)

/* Frames the 36-bit address field holds (all ones is INVALID_MFN). */
#define S2_MFN_LIMIT ((1ULL << 36) - 1)

extern const struct p2m_pte_ops stage2_pte_ops;

/* ---- VTCR_EL2, VTTBR_EL2 (Arm ARM D19, "VTCR_EL2", "VTTBR_EL2") ---- */

#define VTCR_T0SZ_SHIFT  0
#define VTCR_SL0_SHIFT   6
#define VTCR_SL0_LEVEL0  2ULL /* 4K granule: start at level 0 */
#define VTCR_IRGN0_SHIFT 8
#define VTCR_ORGN0_SHIFT 10
#define VTCR_RGN_WBWA    1ULL
#define VTCR_SH0_SHIFT   12
#define VTCR_SH0_INNER   3ULL
#define VTCR_TG0_SHIFT   14 /* 0 = 4K granule */
#define VTCR_PS_SHIFT    16
#define VTCR_VS          (1ULL << 19) /* 16-bit VMIDs */
#define VTCR_HA          (1ULL << 21)
#define VTCR_HD          (1ULL << 22)
#define VTCR_RES1        (1ULL << 31)

#define VTTBR_VMID_SHIFT 48
#define VTTBR_BADDR_MASK 0x0000fffffffffffeULL /* bits 47:1 */

/* ID_AA64MMFR0_EL1 and ID_AA64MMFR1_EL1 fields read here. */
#define MMFR0_PARANGE(r)  ((unsigned int)(r)&0xf)
#define MMFR0_TGRAN4(r)   ((unsigned int)((r) >> 28) & 0xf)
#define MMFR0_TGRAN4_2(r) ((unsigned int)((r) >> 40) & 0xf)
#define MMFR1_HAFDBS(r)   ((unsigned int)(r)&0xf)
#define MMFR1_VMIDBITS(r) ((unsigned int)((r) >> 4) & 0xf)

/* What the CPU offers stage 2, as Wren will use it. */
struct stage2_caps
{
    unsigned int pa_bits;   /* PARange, in bits */
    unsigned int ipa_bits;  /* guest-physical space: min(pa_bits, 48) */
    unsigned int ps;        /* VTCR_EL2.PS encoding of the output size */
    unsigned int vmid_bits; /* 8 or 16 */
    bool hw_access;         /* FEAT_HAFDBS: the MMU can set AF */
    bool hw_dirty;          /* FEAT_HAFDBS: ... and the dirty state (DBM) */
};

/*
 * Read the ID registers' values. 0, or -EOPNOTSUPP when the CPU cannot
 * run this format: no 4K granule at stage 2, or an IPA space below 40
 * bits (four levels from level 0 need at least 40; a three-level root
 * would need a core with P2M_LEVELS 3).
 */
int stage2_probe(uint64_t mmfr0, uint64_t mmfr1, struct stage2_caps *caps);

/* VTCR_EL2 for these caps: 4K granule, start level 0, inner-shareable
 * write-back walks (hardware updates need them), HA and HD where the CPU
 * has them (the table format relies on HD for writes, see the .c). */
uint64_t stage2_vtcr(const struct stage2_caps *caps);

/* Frames of guest-physical space the caps allow (gfns below this). */
uint64_t stage2_gfn_limit(const struct stage2_caps *caps);

/* VTTBR_EL2 for a root table at maddr and a VMID; CnP 0. The root must be
 * 4K aligned and below 2^48, the VMID below 2^vmid_bits: ~0 otherwise. */
uint64_t stage2_vttbr(paddr_t root, uint16_t vmid, unsigned int vmid_bits);

/*
 * VMIDs: one per domain for its whole life, from a bitmap. VMID 0 is
 * never handed out (a vCPU whose domain has none yet can never hit a
 * guest's TLB entries). The caller serialises calls (domain creation and
 * destruction hold the domain list lock) and, before a freed VMID can
 * be handed out again, has invalidated its TLB entries (VMALLS12E1IS
 * with that VMID loaded) - stage2_vmid_free is called after that.
 */
#define STAGE2_VMID_MAX (1U << 16)

struct stage2_vmids
{
    unsigned int bits;  /* 8 or 16 */
    unsigned int next;  /* where the next search starts */
    unsigned int inuse; /* handed out now */
    uint64_t map[STAGE2_VMID_MAX / 64];
};

void stage2_vmids_init(struct stage2_vmids *v, unsigned int vmid_bits);
/* 0 and *vmid, or -EBUSY when every VMID is in use. */
int stage2_vmid_alloc(struct stage2_vmids *v, uint16_t *vmid);
/* -EINVAL if vmid was not handed out (nothing changes). */
int stage2_vmid_free(struct stage2_vmids *v, uint16_t vmid);

#endif /* ASM_ARM64_P2M_STAGE2_H */
