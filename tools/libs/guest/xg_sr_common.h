/*
 * xg_sr_common.h - save/restore's internals (libxenguest): the stream's
 * constants and layouts of docs/designs/migration-stream.md, the state a
 * save or a restore carries, and the record I/O both share.
 *
 *   xg_sr_common.c   record framing, names, errors, exact I/O
 *   xg_sr_save.c     xc_domain_save(): headers, rounds of PAGE_DATA,
 *                    the broken-page re-checks, the tail records
 *   xg_sr_restore.c  xc_domain_restore(): the strict reader
 *
 * Tool code: it reaches the hypervisor only through xenctrl.h and
 * xenforeignmemory.h. It never destroys a domain; the caller does.
 */
#ifndef XG_SR_COMMON_H
#define XG_SR_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <xenguest.h>

#define SR_PAGE_SIZE 4096u

/* Image header (big-endian on the wire). */
#define SR_IHDR_MARKER  0xffffffffffffffffULL
#define SR_IHDR_ID      0x58454e46U /* "XENF" */
#define SR_IHDR_VERSION 3
#define SR_IHDR_OPT_BE  0x0001
#define SR_IHDR_SIZE    24

/* Domain header. */
#define SR_DHDR_X86_HVM    2
#define SR_DHDR_WREN_ARM64 0x57720001U /* Wren's: Xen has no Arm stream */
#define SR_DHDR_SIZE       16

/* The stream's architecture is the host's (XENVER_capabilities): a
 * guest never changes architecture on the way. arm64 streams differ in
 * the domain header's type and carry WREN_ARM64_TIMER_INFO where x86
 * streams carry X86_TSC_INFO (docs/designs/migration-stream.md). */
enum sr_arch
{
    SR_ARCH_X86,
    SR_ARCH_ARM64
};
/* 0, or -1 with errno from XENVER_capabilities. */
int sr_host_arch(xc_interface *xch, enum sr_arch *arch);
uint32_t sr_dhdr_type(enum sr_arch arch);
const char *sr_arch_name(enum sr_arch arch);
/* This host's counter frequency (CNTFRQ_EL0) in Hz; 0 where there is
 * none (x86, and the host tests). */
uint64_t sr_counter_hz(void);

/* Record types (Xen's numbers). */
#define SR_REC_END             0x00U
#define SR_REC_PAGE_DATA       0x01U
#define SR_REC_SHARED_INFO     0x07U
#define SR_REC_X86_TSC_INFO    0x08U
#define SR_REC_HVM_CONTEXT     0x09U
#define SR_REC_HVM_PARAMS      0x0aU
#define SR_REC_VERIFY          0x0dU
#define SR_REC_CHECKPOINT      0x0eU
#define SR_REC_STATIC_DATA_END 0x10U
#define SR_REC_X86_CPUID       0x11U
#define SR_REC_OPTIONAL        0x80000000U
/* Wren's (0x57720000-0x5772ffff). */
#define SR_REC_WREN_ARM64_TIMER_INFO 0x57720001U

/* The reader's limits on a body, by type. */
#define SR_BATCH         1024u
#define SR_MAX_PAGE_DATA (8u + SR_BATCH * 8u + SR_BATCH * SR_PAGE_SIZE)
#define SR_MAX_HVM_CTXT  (1u << 20)
#define SR_MAX_OTHER     (64u << 10)

/* PAGE_DATA's pfn words. */
#define SR_PFN_MASK       0x000fffffffffffffULL
#define SR_PFN_RSVD_MASK  0x0ff0000000000000ULL
#define SR_PFN_TYPE_SHIFT 32 /* XEN_DOMCTL_PFINFO_* << 32 */
#define SR_TYPE_NOTAB     0x0U
#define SR_TYPE_BROKEN    0xdU
#define SR_TYPE_XALLOC    0xeU
#define SR_TYPE_XTAB      0xfU

#define SR_TSC_INFO_SIZE   24
#define SR_TIMER_INFO_SIZE 8 /* WREN_ARM64_TIMER_INFO: cntfrq u64 */

/* The HVM params a stream carries (the event channels are the
 * receiver's own, given to xc_domain_restore). */
#define SR_NR_PARAMS 3
extern const uint32_t sr_params[SR_NR_PARAMS];

/* A record as read: body is the reader's buffer. */
struct sr_record
{
    uint32_t type;
    uint32_t length;
    uint64_t offset; /* of its header in the stream */
    uint8_t *body;
};

/* The I/O state both directions share: the fd, where in the stream we
 * are, and where the reason for a failure goes. */
struct sr_io
{
    int fd;
    uint64_t offset;
    char *error;
    size_t error_len;
};

const char *sr_rec_name(uint32_t type);
/* Set the failure's reason (printf style); returns -1 with errno = e. */
int sr_fail(struct sr_io *io, int e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A record's refusal: "record NAME (0xT) at offset 0xO: why". */
int sr_refuse(struct sr_io *io, const struct sr_record *rec, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int sr_write_all(struct sr_io *io, const void *buf, size_t len);
/* A record of body parts (lengths summed), padded with zeroes. */
int sr_write_record(struct sr_io *io, uint32_t type, const void *a, size_t alen, const void *b,
                    size_t blen);
/* len bytes, or 1 at a clean end of stream before the first byte, or -1. */
int sr_read_all(struct sr_io *io, void *buf, size_t len);

/* Little-endian fields. */
uint32_t sr_get32(const uint8_t *p);
uint64_t sr_get64(const uint8_t *p);
void sr_put32(uint8_t *p, uint32_t v);
void sr_put64(uint8_t *p, uint64_t v);

#endif /* XG_SR_COMMON_H */
