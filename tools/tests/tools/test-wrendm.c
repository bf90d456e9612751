/* SPDX-License-Identifier: MIT */
/*
 * test-wrendm.c - host tests of the device model (tools/dm) against the
 * fake privcmd: the mapcache (buckets, LRU under its budget, counters,
 * invalidation maps afresh, holes), the 16550 (THR lines, LSR, DLAB,
 * queued input, loopback), the table device (legal descriptor writes
 * applied, illegal ones rejected with the old value kept, the doorbell's
 * checksum, its DMOPs), the request dispatch (PIO, MMIO, rep with
 * data_is_ptr, unclaimed, hostile slots, the buffered ring drained before
 * a synchronous slot), and a whole server started and stopped with
 * nothing left behind.
 *
 * Test code only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/memory.h>
#include <xen/hvm/dm_op.h>
#include <xen/hvm/hvm_op.h>
#include <wrendm.h>

#include "harness.h"
#include "fake-privcmd.h"
#include "../../dm/dm.h"

#define PAGE 4096UL
#define DOM  7

static xenforeignmemory_handle *fmem;
static struct mapcache *mc;

static void mc_setup(unsigned int budget)
{
    fake_reset();
    fmem = xenforeignmemory_open(NULL, 0);
    CHECK(fmem);
    mc = mapcache_create(fmem, DOM, budget);
    CHECK(mc);
}

static void mc_teardown(void)
{
    mapcache_destroy(mc);
    CHECK_EQ(xenforeignmemory_close(fmem), 0);
    CHECK_EQ(fake.open_fds, 0);
}

static int past_ram(domid_t dom, xen_pfn_t gfn)
{
    return gfn >= 0x1000 ? -EINVAL : 0;
}

static void test_mapcache_lru(void)
{
    struct mapcache_stats st;
    uint64_t *p;

    mc_setup(2);
    p = mapcache_page(mc, 0x23);
    CHECK(p);
    CHECK_EQ(*p, fake_frame_marker(DOM, 0x23));
    CHECK_EQ(fake.batches[0].num, MAPCACHE_BUCKET_PAGES);
    CHECK(mapcache_page(mc, 0x2f));  /* same bucket: a hit */
    CHECK(mapcache_page(mc, 0x45));  /* second bucket */
    CHECK(mapcache_page(mc, 0x20));  /* first again: now newest */
    CHECK(mapcache_page(mc, 0x100)); /* evicts 0x40's bucket */
    CHECK_EQ(fake.pages_unmapped, MAPCACHE_BUCKET_PAGES);
    CHECK(mapcache_page(mc, 0x21)); /* still there */
    mapcache_get_stats(mc, &st);
    CHECK_EQ(st.hits, 3);
    CHECK_EQ(st.misses, 3);
    CHECK_EQ(st.evictions, 1);
    CHECK_EQ(st.live, 2);
    CHECK_EQ(st.budget, 2);
    CHECK(!mapcache_create(fmem, DOM, 0));
    CHECK(!mapcache_create(fmem, DOM, MAPCACHE_MAX_BUCKETS + 1));
    mc_teardown();
    CHECK_EQ(fake.pages_unmapped, 3 * MAPCACHE_BUCKET_PAGES);
}

static void test_mapcache_invalidate(void)
{
    struct mapcache_stats st;
    uint64_t v = 0x1122334455667788ULL, r = 0;

    mc_setup(4);
    /* Across a page boundary, and a bucket boundary. */
    CHECK_EQ(mapcache_write(mc, 0x10 * PAGE - 4, &v, 8), 0);
    CHECK_EQ(mapcache_read(mc, 0x10 * PAGE - 4, &r, 8), 0);
    CHECK_EQ(r, v);
    mapcache_invalidate(mc);
    mapcache_get_stats(mc, &st);
    CHECK_EQ(st.live, 0);
    CHECK_EQ(st.invalidations, 1);
    CHECK_EQ(fake.pages_unmapped, 2 * MAPCACHE_BUCKET_PAGES);
    /* The fake hands out a fresh frame: what was cached is gone. */
    CHECK_EQ(mapcache_read(mc, 0x10 * PAGE, &r, 8), 0);
    CHECK_EQ(r, fake_frame_marker(DOM, 0x10));
    /* A hole fails its own lookups only, and is looked at again. */
    fake.frame_err = past_ram;
    CHECK(mapcache_page(mc, 0xffe));
    errno = 0;
    CHECK(!mapcache_page(mc, 0x1003));
    CHECK_EQ(errno, EFAULT);
    CHECK_EQ(mapcache_read(mc, 0x1000 * PAGE - 4, &r, 8), -1);
    fake.frame_err = NULL;
    CHECK(mapcache_page(mc, 0x1003));
    CHECK_EQ(mapcache_read(mc, ~0ULL - 3, &r, 8), -1);
    mc_teardown();
}

static char last_line[UART_LINE_MAX + 1];
static unsigned int lines;

static void catch_line(void *opaque, const char *line)
{
    snprintf(last_line, sizeof(last_line), "%s", line);
    lines++;
}

static void uart_puts(struct uart *u, const char *s)
{
    while ( *s )
        uart_write(u, UART_THR, (uint8_t)*s++);
}

static void test_uart(void)
{
    static struct uart u;
    char c;

    lines = 0;
    uart_init(&u, catch_line, NULL);
    CHECK_EQ(uart_read(&u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
    uart_puts(&u, "hello\r\nworld");
    CHECK_EQ(lines, 1);
    CHECK(!strcmp(last_line, "hello"));
    CHECK(!strcmp(u.log, "hello\r\nworld"));
    CHECK_EQ(u.tx_bytes, 12);
    /* Divisor latch: THR/IER become DLL/DLM and nothing is sent. */
    uart_write(&u, UART_LCR, UART_LCR_DLAB | 3);
    uart_write(&u, UART_DLL, 1);
    uart_write(&u, UART_DLM, 0);
    CHECK_EQ(uart_read(&u, UART_DLL), 1);
    CHECK_EQ(u.tx_bytes, 12);
    uart_write(&u, UART_LCR, 3);
    uart_write(&u, UART_IER, 0xff);
    CHECK_EQ(uart_read(&u, UART_IER), 0x0f);
    uart_write(&u, UART_SCR, 0x5a);
    CHECK_EQ(uart_read(&u, UART_SCR), 0x5a);
    /* Queued input: DR until drained, IIR says what would interrupt. */
    CHECK_EQ(uart_queue_input(&u, "ok", 2), 2);
    CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_DR, UART_LSR_DR);
    CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_RDI);
    c = (char)uart_read(&u, UART_RBR);
    CHECK_EQ(c, 'o');
    CHECK_EQ(uart_read(&u, UART_RBR), 'k');
    CHECK_EQ(uart_read(&u, UART_LSR) & UART_LSR_DR, 0);
    CHECK_EQ(uart_read(&u, UART_IIR), UART_IIR_THRI);
    /* Loopback: what is sent comes back, MSR mirrors MCR. */
    uart_write(&u, UART_MCR, UART_MCR_LOOP | 0x0b);
    CHECK_EQ(uart_read(&u, UART_MSR), 0xb0);
    uart_write(&u, UART_THR, 'x');
    CHECK_EQ(uart_read(&u, UART_RBR), 'x');
    CHECK_EQ(lines, 1);
    CHECK_EQ(uart_read(&u, UART_RBR), 0); /* empty */
}

/* The table device over a real mapcache and a recording protect(). */
static struct dtable dt;
static unsigned int protects, modifieds;
static uint64_t prot_gfn;
static uint32_t prot_nr;
static bool prot_on;

static int rec_protect(void *opaque, uint64_t gfn, uint32_t nr, bool on)
{
    protects++;
    prot_gfn = gfn;
    prot_nr = nr;
    prot_on = on;
    return gfn == 0x666 ? EBUSY : 0;
}

static void rec_modified(void *opaque, uint64_t gfn)
{
    modifieds++;
}

static const struct dtable_ops rec_ops = { rec_protect, rec_modified };

static void dt_setup(void)
{
    mc_setup(4);
    protects = modifieds = 0;
    dtable_init(&dt, mc, 0, 0x1000 * PAGE, &rec_ops, NULL);
}

static void dt_program(uint64_t gfn, uint64_t count)
{
    dtable_reg_write(&dt, DTABLE_REG_GFN, 8, gfn);
    dtable_reg_write(&dt, DTABLE_REG_COUNT, 4, count);
    dtable_reg_write(&dt, DTABLE_REG_CTRL, 8, 1);
}

static void test_dtable_registers(void)
{
    uint64_t s, e;

    dt_setup();
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_ID, 8), DTABLE_ID);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_ID + 4, 4), 0);
    CHECK_EQ(dtable_reg_read(&dt, 3, 4), ~0ULL); /* unaligned */
    /* Refused before any DMOP: empty, too long, outside RAM. */
    dt_program(0x100, 0);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_STATUS, 8), EINVAL);
    dt_program(0x100, DTABLE_MAX_DESC + 1);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_STATUS, 8), EINVAL);
    dt_program(0xfff, 512);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_STATUS, 8), EINVAL);
    CHECK_EQ(protects, 0);
    /* The hypervisor's refusal (the guard's EBUSY) is the status. */
    dt_program(0x666, 4);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_STATUS, 8), EBUSY);
    CHECK(!dtable_table_range(&dt, &s, &e));
    dt_program(0x100, 257);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_STATUS, 8), 0);
    CHECK(prot_on);
    CHECK_EQ(prot_gfn, 0x100);
    CHECK_EQ(prot_nr, 2);
    CHECK(dtable_table_range(&dt, &s, &e));
    CHECK_EQ(s, 0x100 * PAGE);
    CHECK_EQ(e, 0x102 * PAGE - 1); /* whole pages */
    /* Fixed while enabled. */
    dtable_reg_write(&dt, DTABLE_REG_GFN, 8, 0x200);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_STATUS, 8), EBUSY);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_GFN, 8), 0x100);
    dtable_reg_write(&dt, DTABLE_REG_ID, 8, 1);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_STATUS, 8), EPERM);
    dtable_fini(&dt);
    CHECK(!prot_on);
    CHECK(!dtable_table_range(&dt, &s, &e));
    mc_teardown();
}

static uint64_t desc_word(unsigned int i, unsigned int w)
{
    uint64_t v;

    CHECK_EQ(mapcache_read(mc, 0x100 * PAGE + i * 16 + w * 8, &v, 8), 0);
    return v;
}

static void test_dtable_guard(void)
{
    uint64_t base = 0x100 * PAGE, words[8];
    unsigned int i;

    dt_setup();
    dt_program(0x100, 4);
    for ( i = 0; i < 4; i++ )
    {
        uint64_t zero[2] = { 0, 0 };
        mapcache_write(mc, base + i * 16, zero, 16);
    }
    /* Legal: addr then len|flags, each merged with what is there. */
    dtable_table_write(&dt, base, 8, 0x5000);
    dtable_table_write(&dt, base + 8, 8, (uint64_t)DTABLE_F_VALID << 32 | 0x800);
    CHECK_EQ(desc_word(0, 0), 0x5000);
    CHECK_EQ(desc_word(0, 1), (uint64_t)DTABLE_F_VALID << 32 | 0x800);
    /* Illegal, old value kept: unknown flag, outside RAM, into the table,
     * too long, zero length, across two descriptors, outside the table. */
    dtable_table_write(&dt, base + 12, 4, 0x4 | DTABLE_F_VALID);
    dtable_table_write(&dt, base, 8, 0x1000 * PAGE - 0x10);
    dtable_table_write(&dt, base, 8, base + 0x20);
    dtable_table_write(&dt, base + 8, 4, DTABLE_MAX_LEN + 1);
    dtable_table_write(&dt, base + 8, 4, 0);
    dtable_table_write(&dt, base + 12, 8, 0);
    dtable_table_write(&dt, base - 4, 4, 0);
    dtable_table_write(&dt, base + 2 * PAGE, 4, 0);
    dtable_table_write(&dt, base + PAGE - 4, 8, 0);
    CHECK_EQ(desc_word(0, 0), 0x5000);
    CHECK_EQ(desc_word(0, 1), (uint64_t)DTABLE_F_VALID << 32 | 0x800);
    CHECK_EQ(dt.seen, 11);
    CHECK_EQ(dt.rejected, 9);
    CHECK_EQ(dt.applied, 2);
    CHECK_EQ(modifieds, 2);
    /* Past the last descriptor, in its page: plain RAM, not counted. */
    dtable_table_write(&dt, base + 64, 8, 0x77);
    CHECK_EQ(desc_word(4, 0), 0x77);
    CHECK_EQ(dt.passed, 1);
    CHECK_EQ(dt.seen, 11);
    /* An empty slot may hold anything but unknown flags. */
    dtable_table_write(&dt, base + 16, 8, ~0ULL);
    CHECK_EQ(dt.applied, 3);
    /* The doorbell walks what is in RAM. */
    for ( i = 0; i < 8; i++ )
        words[i] = desc_word(i / 2, i % 2);
    dtable_reg_write(&dt, DTABLE_REG_DOORBELL, 8, 1);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_STATUS, 8), 0);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_CHECKSUM, 8), dtable_checksum(words, 8));
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_SEEN, 8), 12);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_REJECTED, 8), 9);
    /* PEEK reads a frame through the mapcache; past RAM is all-ones. */
    dtable_reg_write(&dt, DTABLE_REG_PEEK_GFN, 8, 0x300);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_PEEK, 8), fake_frame_marker(DOM, 0x300));
    dtable_reg_write(&dt, DTABLE_REG_PEEK_GFN, 8, 0x1000);
    CHECK_EQ(dtable_reg_read(&dt, DTABLE_REG_PEEK, 8), ~0ULL);
    dtable_fini(&dt);
    mc_teardown();
}

/* Dispatch: a port device and a memory device that record. */
static uint64_t dev_last_addr, dev_last_val, dev_writes;

static uint64_t rec_read(void *o, uint64_t addr, unsigned int size)
{
    dev_last_addr = addr;
    return 0xabcdef0123456789ULL;
}

static void rec_write(void *o, uint64_t addr, unsigned int size, uint64_t val)
{
    dev_last_addr = addr;
    dev_last_val = val;
    dev_writes++;
}

static struct dm_io io;

static void io_setup(void)
{
    const struct dm_dev port = { "p", IOREQ_TYPE_PIO, 0x2f8, 0x2ff, NULL, rec_read, rec_write };
    const struct dm_dev mem = { "m", IOREQ_TYPE_COPY, 0xf000, 0xffff, NULL, rec_read, rec_write };

    mc_setup(4);
    dm_io_init(&io, mc);
    CHECK_EQ(dm_io_add(&io, &port), 0);
    CHECK_EQ(dm_io_add(&io, &mem), 0);
    dev_writes = 0;
}

static ioreq_t req(uint8_t type, uint64_t addr, uint32_t size, bool read, uint64_t data)
{
    ioreq_t r = { .addr = addr, .data = data, .count = 1, .size = size, .type = type };

    r.flags = (uint8_t)(STATE_IOREQ_READY | (read ? IOREQ_FLAG_DIR_READ : 0));
    return r;
}

static void test_io_dispatch(void)
{
    ioreq_t r;
    uint64_t v;

    io_setup();
    r = req(IOREQ_TYPE_PIO, 0x2fd, 1, true, 0);
    dm_io_handle(&io, &r);
    CHECK_EQ(r.data, 0x89);
    CHECK_EQ(dev_last_addr, 0x2fd);
    r = req(IOREQ_TYPE_COPY, 0xfff8, 8, false, 0x55);
    dm_io_handle(&io, &r);
    CHECK_EQ(dev_last_val, 0x55);
    /* Straddling the end, or nobody's: a hole. */
    r = req(IOREQ_TYPE_COPY, 0xfffc, 8, true, 0);
    dm_io_handle(&io, &r);
    CHECK_EQ(r.data, ~0ULL);
    r = req(IOREQ_TYPE_PIO, 0x3f8, 2, true, 0);
    dm_io_handle(&io, &r);
    CHECK_EQ(r.data, 0xffff);
    CHECK_EQ(io.st.unclaimed, 2);
    /* rep outs from RAM: count elements, same port, values from RAM. */
    v = 0x4241;
    mapcache_write(mc, 0x5000, &v, 2);
    r = req(IOREQ_TYPE_PIO, 0x2f8, 1, false, 0x5000);
    r.flags |= IOREQ_FLAG_DATA_IS_PTR;
    r.count = 2;
    dm_io_handle(&io, &r);
    CHECK_EQ(dev_writes, 3);
    CHECK_EQ(dev_last_val, 0x42);
    /* rep movs from MMIO into RAM, downwards. */
    r = req(IOREQ_TYPE_COPY, 0xf010, 4, true, 0x6008);
    r.flags |= IOREQ_FLAG_DATA_IS_PTR | IOREQ_FLAG_DF;
    r.count = 3;
    dm_io_handle(&io, &r);
    CHECK_EQ(dev_last_addr, 0xf008);
    CHECK_EQ(mapcache_read(mc, 0x6000, &v, 8), 0);
    CHECK_EQ(v, 0x2345678923456789ULL);
    /* Hostile: size 3, count 0, count past the bound. */
    r = req(IOREQ_TYPE_PIO, 0x2f8, 3, true, 0);
    dm_io_handle(&io, &r);
    r = req(IOREQ_TYPE_PIO, 0x2f8, 1, true, 0);
    r.count = 0;
    dm_io_handle(&io, &r);
    r.count = DM_MAX_COUNT + 1;
    dm_io_handle(&io, &r);
    CHECK_EQ(io.st.bad, 3);
    CHECK_EQ(io.st.pio, 2);
    CHECK_EQ(io.st.mmio, 2);
    /* Invalidate drops the mapcache. */
    r = req(IOREQ_TYPE_INVALIDATE, 0, 0, false, 0);
    r.count = 0;
    dm_io_handle(&io, &r);
    CHECK_EQ(io.st.invalidates, 1);
    CHECK_EQ(mapcache_read(mc, 0x6000, &v, 8), 0);
    CHECK_EQ(v, fake_frame_marker(DOM, 6));
    mc_teardown();
}

static void test_pcidev(void)
{
    struct pcidev p = { 0 };

    CHECK_EQ(pcidev_read(&p, PCIDEV_CFG_START, 4), 0xfffe5853);
    CHECK_EQ(pcidev_read(&p, PCIDEV_CFG_START + 2, 2), 0xfffe);
    CHECK_EQ(pcidev_read(&p, PCIDEV_CFG_START + 0xb, 1), 0xff);
    CHECK_EQ(pcidev_read(&p, PCIDEV_CFG_START + 3, 2), ~0ULL); /* across dwords */
    pcidev_write(&p, PCIDEV_CFG_START, 4, 0);                  /* read-only */
    pcidev_write(&p, PCIDEV_CFG_START + PCIDEV_SCRATCH, 4, 0xc0ffee);
    CHECK_EQ(pcidev_read(&p, PCIDEV_CFG_START, 4), 0xfffe5853);
    CHECK_EQ(pcidev_read(&p, PCIDEV_CFG_START + PCIDEV_SCRATCH, 4), 0xc0ffee);
    CHECK_EQ(p.writes, 2);
}

/* The order the device saw writes in. */
static uint64_t order[8];
static unsigned int nr_order;

static void order_write(void *o, uint64_t addr, unsigned int size, uint64_t val)
{
    if ( nr_order < 8 )
        order[nr_order++] = val;
}

static void test_io_slot_and_ring(void)
{
    const struct dm_dev dev = { "o", IOREQ_TYPE_PIO, 0x80, 0x8f, NULL, rec_read, order_write };
    static buffered_iopage_t ring;
    static struct dm_domain dom;
    static union
    {
        shared_iopage_t sp;
        ioreq_t slots[2];
    } page;
    ioreq_t *slot = &page.slots[1];

    mc_setup(1);
    dm_h.xce = xenevtchn_open(NULL, 0);
    CHECK(dm_h.xce);
    memset(&dom, 0, sizeof(dom));
    dom.vcpus = 2;
    dom.buf = &ring;
    dom.sync = &page.sp;
    dom.vcpu_port[1] = 33;
    dm_io_init(&dom.io, mc);
    dm_io_add(&dom.io, &dev);
    nr_order = 0;
    memset(&ring, 0, sizeof(ring));
    memset(&page, 0, sizeof(page));
    /* Two posted writes (one of 8 bytes, two slots), across the wrap. */
    ring.ptrs.p.read_pointer = ring.ptrs.p.write_pointer = IOREQ_BUFFER_SLOT_NUM - 1;
    ring.buf_ioreq[510] = (buf_ioreq_t){ BUF_IOREQ_WORD(IOREQ_TYPE_PIO, 0, 0, 0x80), 1 };
    ring.buf_ioreq[0] = (buf_ioreq_t){ BUF_IOREQ_WORD(IOREQ_TYPE_PIO, 0, 3, 0x81), 2 };
    ring.buf_ioreq[1] = (buf_ioreq_t){ 0, 3 };
    ring.ptrs.p.write_pointer += 3;
    /* vCPU 1's slot is READY: the ring is drained before it is answered. */
    *slot = req(IOREQ_TYPE_PIO, 0x82, 1, false, 4);
    CHECK(dm_server_serve(&dom));
    CHECK_EQ(nr_order, 3);
    CHECK_EQ(order[0], 1);
    CHECK_EQ(order[1], 0x300000002ULL);
    CHECK_EQ(order[2], 4);
    CHECK_EQ(IOREQ_STATE(slot), STATE_IORESP_READY);
    CHECK_EQ(IOREQ_STATE(&page.slots[0]), STATE_IOREQ_NONE);
    CHECK_EQ(fake.last_evtchn_cmd, IOCTL_EVTCHN_NOTIFY);
    CHECK_EQ(fake.last_evtchn_arg[0], 33);
    CHECK_EQ(ring.ptrs.p.read_pointer, ring.ptrs.p.write_pointer);
    /* Not READY: left alone. A read is answered in data. */
    CHECK(!dm_server_serve(&dom));
    *slot = req(IOREQ_TYPE_PIO, 0x84, 2, true, 0);
    CHECK(dm_io_serve_slot(&dom.io, slot));
    CHECK_EQ(slot->data, 0x6789);
    /* Impossible pointers: nothing served, nothing moved. */
    ring.ptrs.p.write_pointer = ring.ptrs.p.read_pointer + 600;
    CHECK_EQ(dm_io_drain(&dom.io, &ring), 0);
    /* An 8-byte write missing its second half. */
    ring.ptrs.p.write_pointer = ring.ptrs.p.read_pointer + 1;
    ring.buf_ioreq[ring.ptrs.p.read_pointer % IOREQ_BUFFER_SLOT_NUM].word =
        BUF_IOREQ_WORD(IOREQ_TYPE_PIO, 0, 3, 0x80);
    CHECK_EQ(dm_io_drain(&dom.io, &ring), 1);
    CHECK_EQ(dom.io.st.bad, 2);
    CHECK_EQ(nr_order, 3);
    xenevtchn_close(dm_h.xce);
    dm_h.xce = NULL;
    mc_teardown();
}

/* A whole server against the fake: ports, pages, ranges, teardown. */
static unsigned int dm_ops_seen[16];

static long server_dm_op(const privcmd_dm_op_t *call)
{
    struct xen_dm_op *op = call->ubufs[0].uptr;

    if ( op->op < 16 )
        dm_ops_seen[op->op]++;
    if ( op->op == XEN_DMOP_create_ioreq_server )
        op->u.create_ioreq_server.id = 2;
    if ( op->op == XEN_DMOP_get_ioreq_server_info )
        op->u.get_ioreq_server_info.bufioreq_port = 9;
    return 0;
}

static void test_server_lifecycle(void)
{
    struct wrendm_info info;
    uint32_t ids[4];

    fake_reset();
    memset(dm_ops_seen, 0, sizeof(dm_ops_seen));
    fake.dm_op = server_dm_op;
    CHECK_EQ(wrendm_start(0, 1, 16 << 20), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(wrendm_start(DOM, 0, 16 << 20), -1);
    CHECK_EQ(wrendm_start(DOM, 1, 12345), -1);
    CHECK_EQ(wrendm_start(DOM, 2, 16 << 20), 0);
    CHECK_EQ(wrendm_start(DOM, 2, 16 << 20), -1);
    CHECK_EQ(errno, EEXIST);
    CHECK_EQ(fake.last_resource.type, XENMEM_resource_ioreq_server);
    CHECK_EQ(fake.last_resource.id, 2);
    CHECK_EQ(fake.last_resource.num, 2);
    CHECK_EQ(dm_ops_seen[XEN_DMOP_map_io_range_to_ioreq_server], 3);
    CHECK_EQ(dm_ops_seen[XEN_DMOP_set_ioreq_server_state], 1);
    CHECK_EQ(wrendm_list(ids, 4), 1);
    CHECK_EQ(ids[0], DOM);
    CHECK_EQ(wrendm_info(DOM, &info), 0);
    CHECK_EQ(info.server_id, 2);
    CHECK_EQ(info.nr_ranges, 3);
    CHECK_EQ(info.ranges[2].start, 0x28);
    CHECK_EQ(info.ranges[0].start, 0x2f8);
    CHECK_EQ(info.mc_budget, DM_MAPCACHE_BUCKETS);
    CHECK_EQ(wrendm_uart_input(DOM, "hi", 2), 0);
    CHECK_EQ(wrendm_info(DOM, &info), 0);
    CHECK_EQ(info.uart_rx, 2);
    CHECK_EQ(wrendm_stop(DOM), 0);
    CHECK_EQ(dm_ops_seen[XEN_DMOP_destroy_ioreq_server], 1);
    CHECK_EQ(fake.pages_unmapped, 2);
    CHECK_EQ(wrendm_stop(DOM), -1);
    CHECK_EQ(errno, ESRCH);
    CHECK_EQ(wrendm_list(ids, 4), 0);
    CHECK_EQ(wrendm_info(DOM, &info), -1);
}

static int no_resource(const privcmd_mmap_resource_t *mr)
{
    return -EOPNOTSUPP;
}

static void test_server_start_fails(void)
{
    fake_reset();
    memset(dm_ops_seen, 0, sizeof(dm_ops_seen));
    fake.dm_op = server_dm_op;
    fake.resource = no_resource;
    CHECK_EQ(wrendm_start(DOM, 1, 16 << 20), -1);
    CHECK_EQ(errno, EOPNOTSUPP);
    /* The server that was created is destroyed again. */
    CHECK_EQ(dm_ops_seen[XEN_DMOP_create_ioreq_server], 1);
    CHECK_EQ(dm_ops_seen[XEN_DMOP_destroy_ioreq_server], 1);
    CHECK_EQ(fake.pages_unmapped, 1 * 2);
    CHECK_EQ(wrendm_list(NULL, 0), 0);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "mapcache_lru", test_mapcache_lru },
        { "mapcache_invalidate", test_mapcache_invalidate },
        { "uart", test_uart },
        { "dtable_registers", test_dtable_registers },
        { "dtable_guard", test_dtable_guard },
        { "io_dispatch", test_io_dispatch },
        { "pcidev", test_pcidev },
        { "io_slot_and_ring", test_io_slot_and_ring },
        { "server_lifecycle", test_server_lifecycle },
        { "server_start_fails", test_server_start_fails },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
