/*
 * emulate_priv.h - what the parts of the instruction emulator share
 * (emulate.c: operands and memory; emulate_ops.c: the instructions;
 * emulate_sse.c: SSE moves; emulate_string.c: string instructions and
 * string port I/O). Nothing
 * outside xen/arch/x86/hvm/emulate*.c includes it.
 */
#ifndef HVM_EMULATE_PRIV_H
#define HVM_EMULATE_PRIV_H

#include <xen/types.h>
#include <asm/hvm.h>
#include <asm/x86_decode.h>

struct vcpu;

/* One instruction being emulated. */
struct emul_ctx
{
    struct vcpu *v;
    struct hvm_guest_state st;
    struct x86_insn insn;
    uint64_t next_rip;
    char why[96]; /* set when emulation fails */
    /* set with -EFAULT when the guest's own paging refused an access */
    bool pf;
    bool pf_write;
    uint64_t pf_va;
    /* set with -EFAULT when the instruction raises an exception of its
     * own (#DE, #GP): the vector, or -1; the error code, or -1 */
    int exc_vector;
    int32_t exc_code;
    /* the registers as the attempt found them (or after the last REP
     * iteration committed): put back if an access must wait */
    struct guest_regs saved;
};

/* What an instruction handler returns, besides -errno (why is set). */
#define EMUL_DONE  0 /* completed: RIP moves past it */
#define EMUL_AGAIN 1 /* a REP string op stopped part way: run it again */
/* An access waits for an IOREQ server: the attempt ends, nothing stays. */
#define EMUL_PENDING (-ERESTART)

#define GPR_AX 0
#define GPR_CX 1
#define GPR_DX 2
#define GPR_BX 3
#define GPR_SP 4
#define GPR_SI 6
#define GPR_DI 7

/* Fetch and decode the instruction at RIP; -errno with why set. */
int emul_init(struct emul_ctx *c, struct vcpu *v);
int emul_fail(struct emul_ctx *c, int rc, const char *what);

/* GPR n at size 1/2/4/8 (byte registers 4-7 are AH..BH without REX). A
 * write of 4 bytes zero-extends, as the CPU's does. */
uint64_t emul_gpr(const struct emul_ctx *c, unsigned int n, unsigned int size);
void emul_set_gpr(struct emul_ctx *c, unsigned int n, unsigned int size, uint64_t val);
uint64_t emul_size_mask(unsigned int size);

/* The linear address of the ModRM or moffs memory operand, its segment's
 * base included; and a segment's base (0 for ES-DS in 64-bit mode). */
uint64_t emul_ea(const struct emul_ctx *c);
uint64_t emul_seg_base(const struct emul_ctx *c, unsigned int seg);

/* size (1-8) bytes at guest-virtual va, through the guest's paging, to
 * RAM or the MMIO registry. 0 or -EFAULT (why set). */
int emul_read(struct emul_ctx *c, uint64_t va, unsigned int size, uint64_t *val);
/* Translate va as a read would, touching nothing there (CLFLUSH). */
int emul_probe(struct emul_ctx *c, uint64_t va);
int emul_write(struct emul_ctx *c, uint64_t va, unsigned int size, uint64_t val);
/* size bytes at the instruction's memory operand, to (store) or from buf,
 * in pieces of at most 8 bytes. 0 or what emul_read/emul_write said. */
int emul_mem_buf(struct emul_ctx *c, unsigned int size, bool store, uint8_t *buf);

/* A REP iteration is complete: what it did stays even if a later one
 * must wait for an IOREQ server. */
void emul_commit(struct emul_ctx *c);
/* After a handler: true if rc says an access waits for a server (the
 * registers are put back and exit e kept for the resume); otherwise the
 * instruction is over for the replay list. */
bool emul_pending(struct emul_ctx *c, int rc, const struct hvm_exit *e);

/* After -EFAULT: inject the #PF (or #GP) the guest's paging calls for;
 * false if the failure was something else. */
bool emul_inject_fault(struct emul_ctx *c);

/* Raise exception vector (error code, or -1 for none) with RIP on the
 * instruction: returns -EFAULT for the handler to pass up. */
int emul_raise(struct emul_ctx *c, unsigned int vector, int32_t code);

/* emulate_ops.c: the non-string instructions. */
int emul_execute(struct emul_ctx *c);
/* emulate_arith.c: CMOVcc, SETcc, MUL/DIV, IMUL, BSF/BSR/TZCNT/LZCNT/
 * POPCNT, MOVBE, CMPXCHG8B/16B; -EOPNOTSUPP if not one. */
int emul_arith(struct emul_ctx *c);
/* emulate_stack.c: PUSH and POP; emul_is_stack() says which are. */
bool emul_is_stack(const struct x86_insn *insn);
int emul_stack(struct emul_ctx *c);
/* emulate_sse.c: SSE moves; -EOPNOTSUPP if not one. */
int emul_sse(struct emul_ctx *c);
/* emulate_sse.c: VEX moves; -EOPNOTSUPP if not one. */
int emul_vex_move(struct emul_ctx *c);
/* emulate_simd.c: SSE/SSE2 arithmetic, logic and comparisons with a
 * memory source, run on the CPU; -EOPNOTSUPP if not one. */
int emul_simd(struct emul_ctx *c);
/* emulate_simd.c: the same with a VEX prefix; -EOPNOTSUPP if not one. */
int emul_simd_vex(struct emul_ctx *c);
/* emulate_bmi.c: BMI1/BMI2 (VEX) and ADCX/ADOX; -EOPNOTSUPP if not one. */
int emul_bmi(struct emul_ctx *c);
/* emulate_sse4x.c: DPPS/DPPD, MPSADBW, PCMPxSTRx (legacy and VEX), VEX
 * VBLENDV*, PINSRW mm; -EOPNOTSUPP if not one. */
int emul_sse4x(struct emul_ctx *c);
/* emulate_sse4x.c: the guest's MXCSR (live on this CPU); and the flags
 * an operation raised put into it as the CPU would (x86_mxcsr_raise): 0,
 * or, for one the guest left unmasked, #XM (#UD without CR4.OSXMMEXCPT)
 * raised with the destination untouched (-EFAULT). */
uint32_t emul_mxcsr(void);
int emul_mxcsr_flags(struct emul_ctx *c, uint32_t old, uint32_t flags);
/* emulate_fma.c: FMA3 and F16C (VEX); -EOPNOTSUPP if not one. */
int emul_fma(struct emul_ctx *c);
/* emulate_x87.c: x87 loads and stores on memory; -EOPNOTSUPP if not one. */
int emul_x87(struct emul_ctx *c);
/* emulate_xsave.c: FXSAVE/FXRSTOR, the XSAVE family, LDMXCSR/STMXCSR;
 * -EOPNOTSUPP if not one. */
int emul_xsave(struct emul_ctx *c);
/* emulate_mmx.c: PSHUFW, PALIGNR mm and the MMX conversions (CVTPI2PS/PD,
 * CVT(T)PS2PI, CVT(T)PD2PI); -EOPNOTSUPP if not one. */
int emul_mmx_more(struct emul_ctx *c);
/* emulate_avx.c: VEX-only AVX/AVX2 forms (broadcasts, permutes, masked
 * moves, gathers ...); -EOPNOTSUPP if not one. */
int emul_avx(struct emul_ctx *c);
/* emulate_seg.c: segment loads and stores, far branches through memory,
 * descriptor-table instructions; -EOPNOTSUPP if not one. */
int emul_seg(struct emul_ctx *c);
/* emulate_seg.c: the linear address of stack offset sp (SS's base added
 * outside 64-bit mode). */
uint64_t emul_stack_va(const struct emul_ctx *c, uint64_t sp);
/* emulate_desc.c: protected-mode loads that read a descriptor; each is
 * 0, or -EFAULT with the exception raised (emul_raise) or the guest's #PF.
 * seg is an HVM_SEG_* index (ES-GS); which 2/3 LAR/LSL, 4/5 VERR/VERW. */
int emul_load_data_seg(struct emul_ctx *c, unsigned int seg, uint16_t sel);
int emul_far_branch(struct emul_ctx *c, uint16_t sel, uint64_t off, bool call);
int emul_load_system(struct emul_ctx *c, uint16_t sel, bool tr);
int emul_check_desc(struct emul_ctx *c, uint16_t sel, unsigned int which);
/* emulate_string.c */
bool emul_is_string(const struct x86_insn *insn);
int emul_string(struct emul_ctx *c);

#endif /* HVM_EMULATE_PRIV_H */
