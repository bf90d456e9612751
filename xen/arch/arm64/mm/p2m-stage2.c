/*
 * p2m-stage2.c - the Arm stage-2 translation table format (VMSAv8-64, 4K
 * granule, four levels) behind struct p2m_pte_ops, and the pure helpers
 * for VTCR_EL2, VTTBR_EL2 and VMIDs.
 *
 * Bit layout: asm/p2m-stage2.h. This file turns (frame, level, type,
 * access) into a descriptor and back, and knows nothing of policy: the
 * rights a type allows come from p2m_type_rights(), the core decides what
 * to write where. It reads and writes no system register and includes no
 * other arm64 header, so that it builds for the host tests as it is.
 *
 * Rights. Stage 2 can say read, write and execute independently (S2AP[0],
 * S2AP[1], XN), so the hardware rights are exactly type rights & access;
 * an entry with none is not valid (bit 0 clear) and faults as a
 * translation fault, which is how the hypervisor sees the access.
 *
 * Dirty state. Every leaf that grants write has DBM set and is written
 * "writable-clean" (S2AP[1] = 0): with VTCR_EL2.HD on, the MMU sets
 * S2AP[1] on the first write, and that bit is the dirty flag a harvest
 * reads and clears (clearing it takes the write permission back from the
 * TLBs, so the core flushes after). DBM is never set on a leaf that does
 * not grant write: with HD on, the MMU would make a write-protected page
 * (log-dirty, read-only, shared, ioreq) writable by itself. For the same
 * reason "written" cannot be carried into such a leaf as S2AP[1]; it
 * goes into the software bit S2_SW_DIRTY instead (keep_hw), and comes
 * back as S2AP[1] if the leaf grants write again. Without HD, a write to
 * a writable-clean leaf is a permission fault: the arch's fault handler
 * sets S2AP[1] itself (software dirty-state management, docs/designs/
 * arm64.md), so the format works on every CPU. Either way the dirty flags
 * are kept from the first entry on, with nothing to switch on for
 * log-dirty: dirty_flags_always, as on NPT.
 *
 * Access flag. Valid leaves are written with AF set, so no access flag
 * fault can happen whether or not VTCR_EL2.HA is on; nothing in Wren
 * reads "accessed", so AF is not a hardware-managed bit here.
 *
 * A recalculation mark clears bit 0 (a translation fault at that level,
 * for a table and a leaf alike), remembers it in bit 11 and puts the
 * stamp in bits 48-50: RES0 in every valid descriptor, so always 0 in an
 * unmarked entry, and ignored once bit 0 is clear. Bit 63 says "marked".
 */
#include <xen/lib.h>
#include <xen/p2m.h>
#include <asm/p2m-stage2.h>

/* ---- leaves ---- */

static unsigned int s2_rights(p2m_type_t t, p2m_access_t a, mfn_t mfn)
{
    if ( !mfn_valid_raw(mfn) )
        return p2m_access_n; /* nothing to reach: never valid */
    return p2m_type_rights(t) & a;
}

static uint64_t s2_addr(mfn_t mfn)
{
    if ( !mfn_valid_raw(mfn) )
        return S2_ADDR_MASK;
    return (mfn_x(mfn) << S2_ADDR_SHIFT) & S2_ADDR_MASK;
}

/* Memory type and shareability: RAM is Normal write-back, inner
 * shareable; a passed-through device is Device-nGnRE. */
static uint64_t s2_attrs(p2m_type_t t)
{
    if ( t == p2m_mmio_direct )
        return S2_MEMATTR_DEVICE << S2_MEMATTR_SHIFT;
    return (S2_MEMATTR_NORMAL << S2_MEMATTR_SHIFT) | (S2_SH_INNER << S2_SH_SHIFT);
}

/* The hardware half of a valid leaf granting rights r. Writable leaves
 * start clean: DBM set, S2AP[1] clear. */
static uint64_t s2_hw_bits(unsigned int r, p2m_type_t t)
{
    return S2_VALID | S2_AF | s2_attrs(t) | (r & p2m_access_r ? S2_S2AP_R : 0) |
           (r & p2m_access_w ? S2_DBM : 0) | (r & p2m_access_x ? 0 : S2_XN_NONE);
}

static uint64_t s2_sw_bits(p2m_type_t t, p2m_access_t a)
{
    return ((uint64_t)(t ^ 1) << S2_SW_TYPE_SHIFT) |
           (((uint64_t)a << S2_SW_ACCESS_SHIFT) & S2_SW_ACCESS_MASK);
}

static p2m_pte_t s2_make_leaf(mfn_t mfn, unsigned int level, p2m_type_t t, p2m_access_t a)
{
    unsigned int r;
    p2m_pte_t pte;

    if ( t == p2m_invalid || (unsigned int)t >= p2m_type_count )
        return 0;
    r = s2_rights(t, a, mfn);
    pte = (level == 1 ? S2_TABLE_OR_PAGE : 0) | s2_addr(mfn) | s2_sw_bits(t, a);
    return r ? pte | s2_hw_bits(r, t) : pte;
}

static p2m_pte_t s2_make_table(mfn_t table)
{
    return S2_VALID | S2_TABLE_OR_PAGE | s2_addr(table);
}

/* ---- decoding ---- */

static p2m_type_t s2_type(p2m_pte_t pte)
{
    return (p2m_type_t)(((pte & S2_SW_TYPE_MASK) >> S2_SW_TYPE_SHIFT) ^ 1);
}

static bool s2_is_valid(p2m_pte_t pte)
{
    return (pte & (S2_VALID | S2_MARK)) || (pte & S2_SW_TYPE_MASK);
}

static bool s2_is_leaf(p2m_pte_t pte, unsigned int level)
{
    if ( !s2_is_valid(pte) || level > 3 )
        return false;
    return level == 1 || !(pte & S2_TABLE_OR_PAGE);
}

static mfn_t s2_mfn(p2m_pte_t pte)
{
    if ( (pte & S2_ADDR_MASK) == S2_ADDR_MASK )
        return INVALID_MFN;
    return _mfn((pte & S2_ADDR_MASK) >> S2_ADDR_SHIFT);
}

static p2m_access_t s2_access(p2m_pte_t pte)
{
    return (p2m_access_t)((pte & S2_SW_ACCESS_MASK) >> S2_SW_ACCESS_SHIFT);
}

/* ---- the dirty state ---- */

/* "Written since the last clear" goes where the replacement can hold
 * it: S2AP[1] in a leaf that grants write (DBM set), the software bit in
 * any other. from may be an entry or only its hardware-managed bits (a
 * coalesce gathers them from 512 leaves); S2AP[1] is only ever set
 * together with DBM. */
static p2m_pte_t s2_keep_hw(p2m_pte_t from, p2m_pte_t to)
{
    if ( !(from & (S2_S2AP_W | S2_SW_DIRTY)) )
        return to;
    return to | ((to & S2_DBM) ? S2_S2AP_W : S2_SW_DIRTY);
}

/* ---- recalculation marks ---- */

static p2m_pte_t s2_clear_recalc(p2m_pte_t pte)
{
    if ( !(pte & S2_MARK) )
        return pte;
    return (pte & ~(S2_MARK | S2_MARK_WAS_VALID | S2_MARK_STAMP_MASK)) |
           (pte & S2_MARK_WAS_VALID ? S2_VALID : 0);
}

static p2m_pte_t s2_mark_recalc(p2m_pte_t pte, unsigned int stamp)
{
    pte = s2_clear_recalc(pte);
    return (pte & ~S2_VALID) | S2_MARK | (pte & S2_VALID ? S2_MARK_WAS_VALID : 0) |
           (((uint64_t)stamp << S2_MARK_STAMP_SHIFT) & S2_MARK_STAMP_MASK);
}

static bool s2_needs_recalc(p2m_pte_t pte)
{
    return pte & S2_MARK;
}

static unsigned int s2_recalc_stamp(p2m_pte_t pte)
{
    return (pte & S2_MARK_STAMP_MASK) >> S2_MARK_STAMP_SHIFT;
}

const struct p2m_pte_ops stage2_pte_ops = {
    .name = "stage2",
    .make_leaf = s2_make_leaf,
    .make_table = s2_make_table,
    .is_valid = s2_is_valid,
    .is_leaf = s2_is_leaf,
    .mfn = s2_mfn,
    .type = s2_type,
    .access = s2_access,
    .mark_recalc = s2_mark_recalc,
    .needs_recalc = s2_needs_recalc,
    .recalc_stamp = s2_recalc_stamp,
    .clear_recalc = s2_clear_recalc,
    .max_leaf_level = 3,
    .mfn_limit = S2_MFN_LIMIT,
    .hw_managed_bits = S2_S2AP_W | S2_SW_DIRTY,
    .dirty_bits = S2_S2AP_W | S2_SW_DIRTY,
    .keep_hw = s2_keep_hw,
    .dirty_flags_always = true, /* HD from boot, or the fault handler */
    .remap_needs_bbm = true,
};

/* ---- VTCR_EL2 and VTTBR_EL2 ---- */

/* ID_AA64MMFR0_EL1.PARange (and VTCR_EL2.PS) encodings, in bits. */
static const uint8_t parange_bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };

/* The largest PS encoding the 4K granule takes without FEAT_LPA2 (48). */
#define PS_48 5U

static bool stage2_has_4k(uint64_t mmfr0)
{
    unsigned int s2 = MMFR0_TGRAN4_2(mmfr0);

    if ( s2 == 0 ) /* "as stage 1 says" */
        return MMFR0_TGRAN4(mmfr0) != 0xf;
    return s2 >= 2; /* 1: not at stage 2; 2, 3: supported */
}

int stage2_probe(uint64_t mmfr0, uint64_t mmfr1, struct stage2_caps *caps)
{
    unsigned int pa = MMFR0_PARANGE(mmfr0);

    if ( pa >= ARRAY_SIZE(parange_bits) || !stage2_has_4k(mmfr0) )
        return -EOPNOTSUPP;
    caps->ps = pa < PS_48 ? pa : PS_48;
    caps->pa_bits = parange_bits[pa];
    caps->ipa_bits = parange_bits[caps->ps];
    if ( caps->ipa_bits < 40 )
        return -EOPNOTSUPP;
    caps->vmid_bits = MMFR1_VMIDBITS(mmfr1) == 2 ? 16 : 8;
    caps->hw_access = MMFR1_HAFDBS(mmfr1) >= 1;
    caps->hw_dirty = MMFR1_HAFDBS(mmfr1) >= 2;
    return 0;
}

uint64_t stage2_vtcr(const struct stage2_caps *caps)
{
    return VTCR_RES1 | ((uint64_t)(64 - caps->ipa_bits) << VTCR_T0SZ_SHIFT) |
           (VTCR_SL0_LEVEL0 << VTCR_SL0_SHIFT) | (VTCR_RGN_WBWA << VTCR_IRGN0_SHIFT) |
           (VTCR_RGN_WBWA << VTCR_ORGN0_SHIFT) | (VTCR_SH0_INNER << VTCR_SH0_SHIFT) |
           ((uint64_t)caps->ps << VTCR_PS_SHIFT) | (caps->vmid_bits == 16 ? VTCR_VS : 0) |
           (caps->hw_access ? VTCR_HA : 0) | (caps->hw_dirty ? VTCR_HD : 0);
}

uint64_t stage2_gfn_limit(const struct stage2_caps *caps)
{
    return 1ULL << (caps->ipa_bits - PAGE_SHIFT);
}

uint64_t stage2_vttbr(paddr_t root, uint16_t vmid, unsigned int vmid_bits)
{
    if ( (root & ~VTTBR_BADDR_MASK) || (root & (PAGE_SIZE - 1)) || vmid_bits > 16 ||
         (vmid_bits < 16 && (vmid >> vmid_bits)) )
        return ~0ULL;
    return ((uint64_t)vmid << VTTBR_VMID_SHIFT) | root;
}

/* ---- VMIDs ---- */

static bool vmid_taken(const struct stage2_vmids *v, unsigned int id)
{
    return v->map[id / 64] & (1ULL << (id % 64));
}

static void vmid_flip(struct stage2_vmids *v, unsigned int id)
{
    v->map[id / 64] ^= 1ULL << (id % 64);
}

void stage2_vmids_init(struct stage2_vmids *v, unsigned int vmid_bits)
{
    memset(v, 0, sizeof(*v));
    v->bits = vmid_bits == 16 ? 16 : 8;
    v->next = 1;
    vmid_flip(v, 0); /* never handed out */
}

int stage2_vmid_alloc(struct stage2_vmids *v, uint16_t *vmid)
{
    unsigned int count = 1U << v->bits, i;

    for ( i = 0; i < count; i++ )
    {
        unsigned int id = (v->next + i) % count;

        if ( vmid_taken(v, id) )
            continue;
        vmid_flip(v, id);
        v->inuse++;
        v->next = (id + 1) % count;
        *vmid = id;
        return 0;
    }
    return -EBUSY;
}

int stage2_vmid_free(struct stage2_vmids *v, uint16_t vmid)
{
    if ( vmid == 0 || vmid >= (1U << v->bits) || !vmid_taken(v, vmid) )
        return -EINVAL;
    vmid_flip(v, vmid);
    v->inuse--;
    return 0;
}
