/*
 * xg_sr_common.c - the stream's framing for both directions: exact reads
 * and writes on the fd, padded records, record names and the messages a
 * refusal carries (docs/designs/migration-stream.md).
 *
 * No hypervisor calls here; it touches only the fd and the buffers it is
 * handed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xen/version.h>
#include "xg_sr_common.h"

const uint32_t sr_params[SR_NR_PARAMS] = {
    HVM_PARAM_CALLBACK_IRQ,
    HVM_PARAM_STORE_PFN,
    HVM_PARAM_CONSOLE_PFN,
};

static const char *const rec_names[] = {
    [0x00] = "END",
    [0x01] = "PAGE_DATA",
    [0x02] = "X86_PV_INFO",
    [0x03] = "X86_PV_P2M_FRAMES",
    [0x04] = "X86_PV_VCPU_BASIC",
    [0x05] = "X86_PV_VCPU_EXTENDED",
    [0x06] = "X86_PV_VCPU_XSAVE",
    [0x07] = "SHARED_INFO",
    [0x08] = "X86_TSC_INFO",
    [0x09] = "HVM_CONTEXT",
    [0x0a] = "HVM_PARAMS",
    [0x0b] = "TOOLSTACK",
    [0x0c] = "X86_PV_VCPU_MSRS",
    [0x0d] = "VERIFY",
    [0x0e] = "CHECKPOINT",
    [0x0f] = "CHECKPOINT_DIRTY_PFN_LIST",
    [0x10] = "STATIC_DATA_END",
    [0x11] = "X86_CPUID_POLICY",
    [0x12] = "X86_MSR_POLICY",
};

const char *sr_rec_name(uint32_t type)
{
    if ( type < sizeof(rec_names) / sizeof(rec_names[0]) )
        return rec_names[type];
    if ( type == SR_REC_WREN_ARM64_TIMER_INFO )
        return "WREN_ARM64_TIMER_INFO";
    return "unknown";
}

int sr_host_arch(xc_interface *xch, enum sr_arch *arch)
{
    xen_capabilities_info_t caps = { 0 };

    if ( xc_version(xch, XENVER_capabilities, &caps) < 0 )
        return -1;
    caps[sizeof(caps) - 1] = 0;
    *arch = strstr(caps, "aarch64") ? SR_ARCH_ARM64 : SR_ARCH_X86;
    return 0;
}

uint32_t sr_dhdr_type(enum sr_arch arch)
{
    return arch == SR_ARCH_ARM64 ? SR_DHDR_WREN_ARM64 : SR_DHDR_X86_HVM;
}

const char *sr_arch_name(enum sr_arch arch)
{
    return arch == SR_ARCH_ARM64 ? "Wren arm64" : "x86 HVM";
}

#if defined(__aarch64__)
uint64_t sr_counter_hz(void)
{
    uint64_t hz;

    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return hz;
}
#else
uint64_t sr_counter_hz(void)
{
    return 0;
}
#endif

static void vformat(struct sr_io *io, size_t at, const char *fmt, va_list ap)
{
    if ( io->error && at < io->error_len )
        vsnprintf(io->error + at, io->error_len - at, fmt, ap);
}

int sr_fail(struct sr_io *io, int e, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vformat(io, 0, fmt, ap);
    va_end(ap);
    errno = e;
    return -1;
}

int sr_refuse(struct sr_io *io, const struct sr_record *rec, const char *fmt, ...)
{
    va_list ap;
    int n = 0;

    if ( io->error )
        n = snprintf(io->error, io->error_len,
                     "record %s (0x%x) at offset %#llx: ", sr_rec_name(rec->type), rec->type,
                     (unsigned long long)rec->offset);
    va_start(ap, fmt);
    vformat(io, n > 0 ? (size_t)n : 0, fmt, ap);
    va_end(ap);
    errno = EINVAL;
    return -1;
}

int sr_write_all(struct sr_io *io, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    while ( len )
    {
        ssize_t n = write(io->fd, p, len);

        if ( n < 0 && errno == EINTR )
            continue;
        if ( n <= 0 )
            return sr_fail(io, n < 0 ? errno : EIO, "write at offset %#llx: %s",
                           (unsigned long long)io->offset, strerror(n < 0 ? errno : EIO));
        p += n;
        len -= (size_t)n;
        io->offset += (uint64_t)n;
    }
    return 0;
}

int sr_write_record(struct sr_io *io, uint32_t type, const void *a, size_t alen, const void *b,
                    size_t blen)
{
    static const uint8_t zero[8];
    uint8_t hdr[8];
    size_t len = alen + blen;

    if ( len > UINT32_MAX )
        return sr_fail(io, E2BIG, "record %s too long", sr_rec_name(type));
    sr_put32(hdr, type);
    sr_put32(hdr + 4, (uint32_t)len);
    if ( sr_write_all(io, hdr, sizeof(hdr)) || (alen && sr_write_all(io, a, alen)) ||
         (blen && sr_write_all(io, b, blen)) )
        return -1;
    return sr_write_all(io, zero, (8 - (len & 7)) & 7);
}

int sr_read_all(struct sr_io *io, void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t got = 0;

    while ( got < len )
    {
        ssize_t n = read(io->fd, p + got, len - got);

        if ( n < 0 && errno == EINTR )
            continue;
        if ( n < 0 )
            return sr_fail(io, errno, "read at offset %#llx: %s", (unsigned long long)io->offset,
                           strerror(errno));
        if ( n == 0 )
            return got ? -1 : 1;
        got += (size_t)n;
        io->offset += (uint64_t)n;
    }
    return 0;
}

uint32_t sr_get32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t sr_get64(const uint8_t *p)
{
    return sr_get32(p) | (uint64_t)sr_get32(p + 4) << 32;
}

void sr_put32(uint8_t *p, uint32_t v)
{
    for ( unsigned int i = 0; i < 4; i++ )
        p[i] = (uint8_t)(v >> (8 * i));
}

void sr_put64(uint8_t *p, uint64_t v)
{
    sr_put32(p, (uint32_t)v);
    sr_put32(p + 4, (uint32_t)(v >> 32));
}
