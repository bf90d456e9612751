/*
 * idregs.c - what a guest reads in the ID group 3 space (Op0 3, Op1 0,
 * CRn 0, CRm 1-7: ID_AA64PFR0_EL1 ... ID_AA64ISAR2_EL1, the AArch32 ID
 * registers, and the unallocated encodings, which read 0 on the CPU
 * too). HCR_EL2.TID3 traps every such read; the answer is the CPU's own
 * value with these fields cleared, because Wren does not give guests
 * what they describe:
 *
 *   SVE  (ID_AA64PFR0_EL1[35:32], ID_AA64ZFR0_EL1): CPTR_EL2.TZ traps it
 *   SME  (ID_AA64PFR1_EL1[27:24], ID_AA64SMFR0_EL1): CPTR_EL2.TSM traps it
 *   MTE  (ID_AA64PFR1_EL1[11:8]): HCR_EL2.ATA is clear, no tag storage
 *   PAuth (ID_AA64ISAR1_EL1 APA, API, GPA, GPI; ID_AA64ISAR2_EL1 APA3,
 *        GPA3): HCR_EL2.API/APK are clear, the keys are not switched
 *
 * A guest that uses one of them anyway takes the trap and is crashed
 * (exits.c); one that reads the ID registers, as Linux does, never
 * tries.
 *
 * May not touch: anything; it only reads the CPU's ID registers.
 */
#include <xen/lib.h>
#include <asm/idregs.h>
#include <asm/sysregs.h>

#define ISS_OP0(i)  (((i) >> 20) & 3)
#define ISS_OP2(i)  (((i) >> 17) & 7)
#define ISS_OP1(i)  (((i) >> 14) & 7)
#define ISS_CRN(i)  (((i) >> 10) & 0xf)
#define ISS_CRM(i)  (((i) >> 1) & 0xf)
#define ISS_READ(i) ((i)&1)

#define FIELD(lo)    (0xfUL << (lo))
#define ID(crm, op2) ((crm)*8 + (op2))
#define PFR0_SVE     FIELD(32)
#define PFR1_MTE     FIELD(8)
#define PFR1_SME     FIELD(24)
#define ISAR1_PAUTH  (FIELD(4) | FIELD(8) | FIELD(24) | FIELD(28))
#define ISAR2_PAUTH  (FIELD(8) | FIELD(12))

/* The CPU's value of S3_0_C0_C<crm>_<op2>. */
#define RD(crm, op2)   \
    case ID(crm, op2): \
        return READ_SYSREG(S3_0_C0_C##crm##_##op2)
#define RD8(crm) \
    RD(crm, 0);  \
    RD(crm, 1);  \
    RD(crm, 2);  \
    RD(crm, 3);  \
    RD(crm, 4);  \
    RD(crm, 5);  \
    RD(crm, 6);  \
    RD(crm, 7)

static uint64_t cpu_value(unsigned int id)
{
    switch ( id )
    {
        RD8(1);
        RD8(2);
        RD8(3);
        RD8(4);
        RD8(5);
        RD8(6);
        RD8(7);
    default: return 0;
    }
}

static uint64_t hidden(unsigned int id)
{
    switch ( id )
    {
    case ID(4, 0): return PFR0_SVE;
    case ID(4, 1): return PFR1_SME | PFR1_MTE;
    case ID(4, 4):              /* ID_AA64ZFR0_EL1 */
    case ID(4, 5): return ~0UL; /* ID_AA64SMFR0_EL1 */
    case ID(6, 1): return ISAR1_PAUTH;
    case ID(6, 2): return ISAR2_PAUTH;
    default: return 0;
    }
}

bool idreg_guest_read(uint64_t iss, uint64_t *val)
{
    unsigned int crm = ISS_CRM(iss), id = ID(crm, ISS_OP2(iss));
    if ( ISS_OP0(iss) != 3 || ISS_OP1(iss) != 0 || ISS_CRN(iss) != 0 || crm < 1 || crm > 7 ||
         !ISS_READ(iss) )
        return false;
    *val = cpu_value(id) & ~hidden(id);
    return true;
}
