/*
 * x86.c - ioreq-target's instructions on x86: IN/OUT, INS/OUTS with and
 * without REP and DF, and the MMIO forms of xtf/ioreq_target.h (MOV,
 * ADD, XCHG, LOCK CMPXCHG, REP MOVSQ, FXSAVE). Built only for x86 (the
 * whole file); touches only the mailbox and its own buffer.
 */
#if defined(__x86_64__)
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/ioreq_target.h>
#include "insn.h"

static xtf_mb_t *const mb = (xtf_mb_t *)XTF_MAILBOX_GPA;
static uint8_t sbuf[XTF_MB_MAX * 8] __attribute__((aligned(8)));

static uint32_t do_in(uint16_t port, unsigned int size)
{
    uint32_t v = 0;

    switch ( size )
    {
    case 1: __asm__ volatile("inb %w1, %b0" : "+a"(v) : "Nd"(port)); break;
    case 2: __asm__ volatile("inw %w1, %w0" : "+a"(v) : "Nd"(port)); break;
    default: __asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port)); break;
    }
    return v;
}

static void do_out(uint16_t port, unsigned int size, uint32_t v)
{
    switch ( size )
    {
    case 1: __asm__ volatile("outb %b0, %w1" ::"a"(v), "Nd"(port)); break;
    case 2: __asm__ volatile("outw %w0, %w1" ::"a"(v), "Nd"(port)); break;
    default: __asm__ volatile("outl %0, %w1" ::"a"(v), "Nd"(port)); break;
    }
}

long iot_pio(void)
{
    uint16_t port = (uint16_t)mb->arg[0];
    unsigned int size = (unsigned int)mb->arg[1];

    if ( size != 1 && size != 2 && size != 4 )
        return -XEN_EINVAL;
    if ( mb->arg[2] )
        do_out(port, size, (uint32_t)mb->arg[3]);
    else
        mb->out[0] = do_in(port, size);
    return 0;
}

static void put_elem(unsigned int i, unsigned int size, uint64_t v)
{
    memcpy(sbuf + i * size, &v, size);
}

static uint64_t get_elem(unsigned int i, unsigned int size)
{
    uint64_t v = 0;

    memcpy(&v, sbuf + i * size, size);
    return v;
}

/* One string instruction; with DF it starts at the last element. */
static void string_io(uint16_t port, unsigned int size, unsigned int flags, uint64_t count)
{
    uint8_t *p = sbuf + ((flags & IOT_STR_DF) ? (count - 1) * size : 0);
    bool rep = flags & IOT_STR_REP;

    if ( flags & IOT_STR_DF )
        __asm__ volatile("std");
#define STR(insn, reg) __asm__ volatile(insn : "+" reg(p), "+c"(count) : "d"(port) : "memory")
    switch ( size | (flags & IOT_STR_WRITE) << 4 | rep << 5 )
    {
    case 0x01: STR("insb", "D"); break;
    case 0x02: STR("insw", "D"); break;
    case 0x04: STR("insl", "D"); break;
    case 0x21: STR("rep insb", "D"); break;
    case 0x22: STR("rep insw", "D"); break;
    case 0x24: STR("rep insl", "D"); break;
    case 0x11: STR("outsb", "S"); break;
    case 0x12: STR("outsw", "S"); break;
    case 0x14: STR("outsl", "S"); break;
    case 0x31: STR("rep outsb", "S"); break;
    case 0x32: STR("rep outsw", "S"); break;
    case 0x34: STR("rep outsl", "S"); break;
    }
#undef STR
    __asm__ volatile("cld");
}

long iot_pio_string(void)
{
    uint16_t port = (uint16_t)mb->arg[0];
    unsigned int size = (unsigned int)mb->arg[1], flags = (unsigned int)mb->arg[2];
    uint64_t count = mb->arg[3];

    if ( (size != 1 && size != 2 && size != 4) || !count || count > XTF_MB_MAX ||
         (!(flags & IOT_STR_REP) && count != 1) )
        return -XEN_EINVAL;
    memset(sbuf, 0x5a, sizeof(sbuf));
    for ( unsigned int i = 0; (flags & IOT_STR_WRITE) && i < count; i++ )
        put_elem(i, size, mb->val[i]);
    string_io(port, size, flags, count);
    for ( unsigned int i = 0; !(flags & IOT_STR_WRITE) && i < count; i++ )
        mb->out[i] = get_elem(i, size);
    return 0;
}

static uint64_t load(volatile void *m, unsigned int size)
{
    uint64_t v = 0;

    switch ( size )
    {
    case 1: __asm__ volatile("movb %1, %b0" : "+r"(v) : "m"(*(volatile uint8_t *)m)); break;
    case 2: __asm__ volatile("movw %1, %w0" : "+r"(v) : "m"(*(volatile uint16_t *)m)); break;
    case 4: __asm__ volatile("movl %1, %k0" : "+r"(v) : "m"(*(volatile uint32_t *)m)); break;
    default: __asm__ volatile("movq %1, %0" : "+r"(v) : "m"(*(volatile uint64_t *)m)); break;
    }
    return v;
}

static void store(volatile void *m, unsigned int size, uint64_t v)
{
    switch ( size )
    {
    case 1: __asm__ volatile("movb %b1, %0" : "=m"(*(volatile uint8_t *)m) : "r"(v)); break;
    case 2: __asm__ volatile("movw %w1, %0" : "=m"(*(volatile uint16_t *)m) : "r"(v)); break;
    case 4: __asm__ volatile("movl %k1, %0" : "=m"(*(volatile uint32_t *)m) : "r"(v)); break;
    default: __asm__ volatile("movq %1, %0" : "=m"(*(volatile uint64_t *)m) : "r"(v)); break;
    }
}

static uint64_t flags_now(void)
{
    uint64_t f;

    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}

static long rmw(volatile uint64_t *m, unsigned int kind, unsigned int size, uint64_t r)
{
    uint64_t a = mb->val[0], f = 0;

    switch ( kind )
    {
    case IOT_MMIO_ADD:
        if ( size == 4 )
            __asm__ volatile("addl %k1, %0; pushfq; popq %2"
                             : "+m"(*(volatile uint32_t *)m), "+r"(r), "=r"(f));
        else
            __asm__ volatile("addq %1, %0; pushfq; popq %2" : "+m"(*m), "+r"(r), "=r"(f));
        break;
    case IOT_MMIO_XCHG: __asm__ volatile("xchgq %1, %0" : "+m"(*m), "+r"(r)); break;
    case IOT_MMIO_CMPXCHG:
        __asm__ volatile("lock cmpxchgq %3, %1; pushfq; popq %2"
                         : "+a"(a), "+m"(*m), "=r"(f)
                         : "r"(r));
        r = a;
        break;
    default: return -XEN_EINVAL;
    }
    mb->out[0] = r;
    mb->out[1] = f;
    return 0;
}

static long movs(volatile uint64_t *m, unsigned int kind, uint64_t count)
{
    uint64_t *ram = (uint64_t *)sbuf;
    void *s = kind == IOT_MMIO_MOVS_TO ? (void *)ram : (void *)m;
    void *d = kind == IOT_MMIO_MOVS_TO ? (void *)m : (void *)ram;

    if ( !count || count > XTF_MB_MAX - 3 )
        return -XEN_EINVAL;
    for ( unsigned int i = 0; i < count; i++ )
        ram[i] = kind == IOT_MMIO_MOVS_TO ? mb->val[i] : 0;
    __asm__ volatile("rep movsq" : "+S"(s), "+D"(d), "+c"(count) : : "memory");
    mb->out[2] = count;
    for ( unsigned int i = 0; kind == IOT_MMIO_MOVS_FROM && i < mb->arg[3]; i++ )
        mb->out[3 + i] = ram[i];
    return 0;
}

long iot_mmio(void)
{
    volatile uint64_t *m = (volatile uint64_t *)(uintptr_t)mb->arg[0];
    unsigned int size = (unsigned int)mb->arg[1], kind = (unsigned int)mb->arg[2];

    switch ( kind )
    {
    case IOT_MMIO_LOAD:
        mb->out[0] = load(m, size);
        mb->out[1] = flags_now();
        return 0;
    case IOT_MMIO_STORE: store(m, size, mb->arg[3]); return 0;
    case IOT_MMIO_MOVS_TO:
    case IOT_MMIO_MOVS_FROM: return movs(m, kind, mb->arg[3]);
    case IOT_MMIO_FXSAVE:
        __asm__ volatile("fxsave %0" : "=m"(*(volatile uint8_t(*)[512])m));
        return 0;
    default: return rmw(m, kind, size, mb->arg[3]);
    }
}

#endif /* __x86_64__ */
