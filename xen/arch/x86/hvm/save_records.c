/*
 * save_records.c - x86's table of per-vCPU HVM context records for
 * common/hvm_save.c (arch_hvm_records): Xen's CPU, CPU_XSAVE, LAPIC,
 * LAPIC_REGS, MTRR, VMCE_VCPU and Wren's WREN_VCPU_TIMERS and
 * WREN_VMCE_PENDING, in that (save) order, each row calling the hooks of
 * xen/arch.h that save_cpu.c, fpu.c, vlapic_save.c, save_mtrr.c and
 * save_vmce.c implement.
 *
 * May not touch: any record's contents (the hooks' job), the walk and
 * its two-pass load (common/hvm_save.c).
 */
#include <xen/lib.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <xen/hvm_save.h>
#include <public/hvm/save.h>

static uint32_t cpu_save(struct vcpu *v, void *body)
{
    arch_hvm_cpu_save(v, body);
    return HVM_SAVE_LENGTH(CPU);
}

static int cpu_check(struct vcpu *v, const void *body, uint32_t len)
{
    return arch_hvm_cpu_check(v, body);
}

static int cpu_load(struct vcpu *v, const void *body, uint32_t len)
{
    return arch_hvm_cpu_load(v, body);
}

HVM_RECORD_FNS(lapic, struct hvm_hw_lapic, arch_hvm_lapic_save, arch_hvm_lapic_check,
               arch_hvm_lapic_load)
HVM_RECORD_FNS(lapic_regs, struct hvm_hw_lapic_regs, arch_hvm_lapic_regs_save,
               arch_hvm_lapic_regs_check, arch_hvm_lapic_regs_load)
HVM_RECORD_FNS(mtrr, struct hvm_hw_mtrr, arch_hvm_mtrr_save, arch_hvm_mtrr_check,
               arch_hvm_mtrr_load)
HVM_RECORD_FNS(timers, struct hvm_wren_vcpu_timers, hvm_timers_save, hvm_timers_check,
               hvm_timers_load)
HVM_RECORD_FNS(vmce, struct hvm_vmce_vcpu, arch_hvm_vmce_save, arch_hvm_vmce_check,
               arch_hvm_vmce_load)
HVM_RECORD_FNS(vmce_pending, struct hvm_wren_vmce_pending, arch_hvm_vmce_pending_save,
               arch_hvm_vmce_pending_check, arch_hvm_vmce_pending_load)

/* CPU_XSAVE's length is the XSAVE image's (no record at all where the
 * CPU has no XSAVE). */
static uint32_t xsave_save(struct vcpu *v, void *b)
{
    return arch_hvm_xsave_save(v, b);
}

static int xsave_check(struct vcpu *v, const void *b, uint32_t len)
{
    return arch_hvm_xsave_check(v, b, len);
}

static int xsave_load(struct vcpu *v, const void *b, uint32_t len)
{
    return arch_hvm_xsave_load(v, b, len);
}

/* CPU_XSAVE right after CPU: it overrides the CPU record's FXSAVE image. */
static const struct hvm_record_type x86_records[] = {
    HVM_RECORD_ROW(CPU, cpu, true),
    { HVM_SAVE_CODE(CPU_XSAVE), 0, HVM_SAVE_LENGTH_CPU_XSAVE_MIN, arch_hvm_xsave_max, xsave_save,
      xsave_check, xsave_load, false },
    HVM_RECORD_ROW(LAPIC, lapic, false),
    HVM_RECORD_ROW(LAPIC_REGS, lapic_regs, false),
    HVM_RECORD_ROW(MTRR, mtrr, false),
    HVM_RECORD_ROW(VMCE_VCPU, vmce, false),
    HVM_RECORD_ROW(WREN_VCPU_TIMERS, timers, false),
    HVM_RECORD_ROW(WREN_VMCE_PENDING, vmce_pending, false),
};

const struct hvm_record_type *arch_hvm_records(unsigned int *nr)
{
    *nr = ARRAY_SIZE(x86_records);
    return x86_records;
}
