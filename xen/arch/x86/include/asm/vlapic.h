/*
 * vlapic.h - the emulated local APIC of each vCPU (hvm/vlapic.c) and the
 * interrupt delivery built on it (hvm/intr.c).
 *
 * Every vCPU has one, embedded in struct vcpu_arch. Its registers change
 * only under its own lock (class `vlapic`, taken with interrupts off);
 * other vCPUs reach it only through vlapic_set_irq(), vlapic_set_nmi() and
 * the INIT/SIPI calls the ICR makes. Nothing here touches the host's own
 * local APIC (arch/x86/apic.c) or another domain's vCPUs.
 */
#ifndef ASM_VLAPIC_H
#define ASM_VLAPIC_H

#include <xen/types.h>
#include <xen/spinlock.h>
#include <xen/timer.h>

struct vcpu;
struct domain;

#define VLAPIC_NR_LVT 6 /* timer, thermal, perf, LINT0, LINT1, error: Xen's set */

/* MSR_IA32_APIC_BASE bits (SDM vol. 3, "Local APIC Status and Location"). */
#define APIC_BASE_BSP     (1ULL << 8)
#define APIC_BASE_EXTD    (1ULL << 10)
#define APIC_BASE_ENABLE  (1ULL << 11)
#define APIC_BASE_ADDR    0xfffff000ULL
#define APIC_DEFAULT_BASE 0xfee00000ULL

#define MSR_X2APIC_FIRST      0x800
#define MSR_X2APIC_LAST       0x8ff
#define MSR_IA32_TSC_DEADLINE 0x6e0

struct vlapic
{
    spinlock_t lock;
    uint64_t base_msr;
    uint32_t tpr, ldr, dfr, svr;
    uint32_t esr, esr_pending; /* the readable ESR; what accumulates until the next write */
    uint32_t lvt[VLAPIC_NR_LVT];
    uint32_t icr_lo, icr_hi;
    uint32_t irr[8], isr[8], tmr[8];
    /* The timer: counts down from timer_icr at 1 GHz / divider, as Xen's. */
    uint32_t timer_icr, timer_dcr;
    s_time_t timer_start;  /* NOW() when the count was (re)loaded */
    s_time_t timer_period; /* ns for one whole count; 0: stopped */
    uint64_t tsc_deadline; /* IA32_TSC_DEADLINE; 0: disarmed */
    struct timer timer;
    bool timer_armed; /* a count or deadline runs; a stale callback checks it */
    bool nmi_pending; /* an NMI waits for delivery */
    bool wait_sipi;   /* INIT received, a SIPI will start it */
};

/* vlapic.c */
void vlapic_init(struct vcpu *v);    /* vcpu_create: the power-on state */
void vlapic_destroy(struct vcpu *v); /* the vCPU is going: stop its timer */
/* Request fixed interrupt vec on v, and make v notice (wake or kick). */
void vlapic_set_irq(struct vcpu *v, uint8_t vec);
void vlapic_set_nmi(struct vcpu *v);
/* The highest vector in the IRR that the PPR lets through, or -1. */
int vlapic_pending_vector(struct vcpu *v);
/* The TPR as CR8 shows it (the VMX TPR shadow, SVM's V_TPR): the vendor
 * loads it before entry and hands back what the guest wrote. */
uint8_t vlapic_get_tpr(struct vcpu *v);
void vlapic_set_tpr(struct vcpu *v, uint8_t tpr);
/* The priority class (1-15) of the highest requested vector that only the
 * TPR holds back, so that lowering CR8 below it can exit; 0 if none. */
int vlapic_tpr_threshold(struct vcpu *v);
/* vec was delivered: move it from the IRR to the ISR; unack undoes it
 * for a vector the vendor could not deliver after all. */
void vlapic_ack(struct vcpu *v, uint8_t vec);
void vlapic_unack(struct vcpu *v, uint8_t vec);
bool vlapic_hw_enabled(struct vcpu *v);
bool vlapic_x2apic_mode(struct vcpu *v);
/* RDMSR/WRMSR of MSR_APIC_BASE, the x2APIC range and TSC_DEADLINE: true
 * if handled, false for #GP. Only MSRs vlapic_msr_owned() names. */
bool vlapic_msr_owned(uint32_t msr);
bool vlapic_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val);
bool vlapic_msr_write(struct vcpu *v, uint32_t msr, uint64_t val);
/* xAPIC MMIO at the APIC base (4-byte aligned accesses to a register),
 * served through the MMIO registry (vlapic_mmio_init at boot). */
void vlapic_mmio_init(void);
bool vlapic_mmio_accepts(struct vcpu *v, uint64_t gpa);
int vlapic_mmio_read(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val);
int vlapic_mmio_write(struct vcpu *v, uint64_t gpa, unsigned int size, uint64_t val);

/* intr.c */
/* Before every entry: pick the one event to deliver (NMI, then the
 * callback vector, then the LAPIC) and hand it to the vendor, or have the
 * vendor open a window for it. */
void hvm_intr_assist(struct vcpu *v);
/* Would an interrupt reach v now (honouring RFLAGS.IF for maskable ones)? */
bool hvm_intr_pending(struct vcpu *v);
/* The vendor accepted vec (inject_intr true) but the guest did not take
 * it before the exit: the vLAPIC gets it back (a callback vector needs
 * nothing: it stays pending as long as the upcall does). */
void hvm_intr_not_taken(struct vcpu *v, uint8_t vec);
/* Make v notice a new interrupt: out of HLT, or out of guest mode. */
void hvm_vcpu_kick(struct vcpu *v);

#endif /* ASM_VLAPIC_H */
