/*
 * test-save-cpu-segs.c - the checks the HVM context's CPU record must pass
 * before its segments, descriptor tables and MSRs are loaded
 * (xen/arch/x86/hvm/save_cpu_segs.c): what a 64-bit and a 32-bit guest
 * really have passes, and each single thing a VM entry or a WRMSR would
 * refuse is refused.
 *
 * May not touch: anything but save_cpu_segs.c.
 */
#include <xen/errno.h>
#include <xen/lib.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <public/hvm/save.h>

#include <string.h>

#include "harness.h"
#include "../../xen/arch/x86/hvm/save_cpu_priv.h"

/* A 64-bit kernel's state, as Wren saves it. */
static struct hvm_hw_cpu long_mode(void)
{
    struct hvm_hw_cpu r;

    memset(&r, 0, sizeof(r));
    r.msr_efer = EFER_LME | EFER_LMA;
    r.cs_sel = 0x08;
    r.cs_arbytes = 0xa9b; /* 64-bit code, G */
    r.cs_limit = 0xffffffff;
    r.ss_sel = r.ds_sel = r.es_sel = 0x10;
    r.ss_arbytes = r.ds_arbytes = r.es_arbytes = 0xc93;
    r.ss_limit = r.ds_limit = r.es_limit = 0xffffffff;
    r.fs_base = 0x0000123456789000ULL; /* FS and GS unusable, bases set */
    r.gs_base = 0xffff800000001000ULL;
    r.tr_sel = 0x18;
    r.tr_arbytes = 0x8b;
    r.tr_limit = 0x67;
    r.tr_base = 0xffff800000002000ULL;
    r.gdtr_limit = 0x1f;
    r.idtr_limit = 0xfff;
    r.idtr_base = 0xffff800000003000ULL;
    r.msr_lstar = 0xffff800012345000ULL;
    r.shadow_gs = 0xffff8000000abc00ULL;
    r.msr_syscall_mask = 0x47700;
    return r;
}

static struct hvm_hw_cpu flat_32(void)
{
    struct hvm_hw_cpu r = long_mode();

    r.msr_efer = 0;
    r.cs_arbytes = 0xc9b;
    r.fs_base = 0;
    r.gs_base = 0;
    r.tr_base = 0x2000;
    r.idtr_base = 0x3000;
    return r;
}

static void real_states_pass(void)
{
    struct hvm_hw_cpu r = long_mode();
    struct hvm_vcpu_state st;

    CHECK_EQ(cpu_record_segs_check(&r), 0);
    r = flat_32();
    CHECK_EQ(cpu_record_segs_check(&r), 0);
    r = long_mode();
    r.ss_arbytes = 0; /* a null SS in long mode */
    CHECK_EQ(cpu_record_segs_check(&r), 0);
    r = long_mode();
    cpu_record_segs(&r, &st);
    CHECK_EQ(st.seg[HVM_SEG_CS].ar, 0xa9b);
    CHECK_EQ(st.seg[HVM_SEG_FS].base, r.fs_base);
    CHECK_EQ(st.seg[HVM_SEG_IDTR].limit, 0xfff);
    CHECK_EQ(st.lstar, r.msr_lstar);
    CHECK_EQ(st.kernel_gs_base, r.shadow_gs);
    CHECK_EQ(st.seg[HVM_SEG_TR].ar, 0x8b);
}

/* QEMU's TCG saves the TR it loaded as "available" (its hidden type is
 * read before LTR marks the descriptor busy): taken, and loaded busy, as
 * a VMX entry needs. */
static void available_tss_loads_busy(void)
{
    struct hvm_hw_cpu r = long_mode();
    struct hvm_vcpu_state st;

    r.tr_arbytes = 0x89;
    CHECK_EQ(cpu_record_segs_check(&r), 0);
    cpu_record_segs(&r, &st);
    CHECK_EQ(st.seg[HVM_SEG_TR].ar, 0x8b);
    r = flat_32();
    r.tr_arbytes = 0x81; /* a 16-bit TSS outside long mode */
    CHECK_EQ(cpu_record_segs_check(&r), 0);
    cpu_record_segs(&r, &st);
    CHECK_EQ(st.seg[HVM_SEG_TR].ar, 0x83);
}

#define REFUSED(change)                              \
    do                                               \
    {                                                \
        struct hvm_hw_cpu r_ = long_mode();          \
        struct hvm_hw_cpu *r = &r_;                  \
        change;                                      \
        CHECK_EQ(cpu_record_segs_check(r), -EINVAL); \
    } while ( 0 )

static void refused(void)
{
    REFUSED(r->cs_arbytes = 0xc93);                   /* data in CS */
    REFUSED(r->cs_arbytes &= ~0x80U);                 /* CS not present */
    REFUSED(r->ss_arbytes = 0xcf3);                   /* SS DPL 3, CS DPL 0 */
    REFUSED(r->ss_arbytes = 0xc9b);                   /* code in SS */
    REFUSED(r->ds_arbytes = 0xc99);                   /* execute-only code in DS */
    REFUSED(r->fs_base = 0x0000800000000000ULL);      /* not canonical */
    REFUSED(r->idtr_base = 0x1234800000000000ULL);    /* not canonical */
    REFUSED(r->tr_arbytes = 0x82);                    /* an LDT in TR */
    REFUSED(r->tr_arbytes = 0x83);                    /* a 16-bit TSS in long mode */
    REFUSED(r->tr_arbytes = 0x81);                    /* ... even an available one */
    REFUSED(r->ldtr_arbytes = 0x8b);                  /* LDTR holding a TSS */
    REFUSED(r->ss_limit = 0xffff0000);                /* G set, low bits not all 1 */
    REFUSED(r->ds_arbytes = 0x493; r->ds_limit = ~0); /* limit past 1 MiB without G */
    REFUSED(r->gdtr_limit = 0x10000);
    REFUSED(r->msr_lstar = 0x0000800000000000ULL);
    REFUSED(r->shadow_gs = 0x8000000000000000ULL);
    REFUSED(r->msr_syscall_mask = 1ULL << 32);
    REFUSED(r->sysenter_cs = 1ULL << 32);
}

static void refused_32(void)
{
    struct hvm_hw_cpu r = flat_32();

    r.ss_arbytes = 0; /* a null SS outside long mode */
    CHECK_EQ(cpu_record_segs_check(&r), -EINVAL);
    r = flat_32();
    r.cs_arbytes = 0xa9b; /* L outside long mode */
    CHECK_EQ(cpu_record_segs_check(&r), -EINVAL);
    r = flat_32();
    r.ds_base = 1ULL << 32; /* a base past 4 GiB outside long mode */
    CHECK_EQ(cpu_record_segs_check(&r), -EINVAL);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "save_cpu_segs.real_states_pass", real_states_pass },
        { "save_cpu_segs.available_tss_loads_busy", available_tss_loads_busy },
        { "save_cpu_segs.refused", refused },
        { "save_cpu_segs.refused_32", refused_32 },
    };

    return run_tests(cases, ARRAY_SIZE(cases));
}
