/*
 * save_cpu_priv.h - what save_cpu.c and save_cpu_segs.c share and nobody
 * else may use.
 */
#ifndef HVM_SAVE_CPU_PRIV_H
#define HVM_SAVE_CPU_PRIV_H

struct hvm_hw_cpu;
struct hvm_vcpu_state;

/* The record's segments, descriptor tables, DR7 and SYSENTER MSRs as the
 * vendor's vcpu_load_state takes them (cr0..efer left 0). */
void cpu_record_segs(const struct hvm_hw_cpu *r, struct hvm_vcpu_state *st);
/* Would a VM entry accept them? 0 or -EINVAL. */
int cpu_record_segs_check(const struct hvm_hw_cpu *r);

#endif /* HVM_SAVE_CPU_PRIV_H */
