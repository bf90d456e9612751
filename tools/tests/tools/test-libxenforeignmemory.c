/* SPDX-License-Identifier: MIT */
/*
 * test-libxenforeignmemory.c - host tests of libxenforeignmemory against
 * the fake privcmd: N frames take ceil(N / batch) MMAPBATCH_V2 ioctls at
 * the right addresses, per-frame errors come back in err[], err == NULL
 * is all-or-nothing (whatever was mapped is unmapped), and the counters.
 *
 * Test code only.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "harness.h"
#include "fake-privcmd.h"
#include "../../libs/foreignmemory/private.h"
#include "xenforeignmemory.h"

#define PAGE 4096UL

static xenforeignmemory_handle *fmem;

static void setup(void)
{
    fake_reset();
    fmem = xenforeignmemory_open(NULL, 0);
    CHECK(fmem);
}

static void teardown(void)
{
    CHECK_EQ(xenforeignmemory_close(fmem), 0);
    CHECK_EQ(fake.open_fds, 0);
}

static xen_pfn_t *gfn_list(size_t n)
{
    xen_pfn_t *arr = malloc(n * sizeof(*arr));
    size_t i;

    CHECK(arr);
    for ( i = 0; i < n; i++ )
        arr[i] = 0x1000 + i;
    return arr;
}

static int odd_frames_fail(domid_t dom, xen_pfn_t gfn)
{
    return gfn & 1 ? -EINVAL : 0;
}

static int frame_0x1101_fails(domid_t dom, xen_pfn_t gfn)
{
    return gfn == 0x1101 ? -EPERM : 0;
}

static void test_batching(void)
{
    size_t n = 2 * XENFOREIGNMEMORY_BATCH + 3, i;
    xen_pfn_t *arr = gfn_list(n);
    char *p;

    setup();
    p = xenforeignmemory_map(fmem, 4, PROT_READ | PROT_WRITE, n, arr, NULL);
    CHECK(p);
    CHECK_EQ(fake.nr_batches, 3);
    CHECK_EQ(xenforeignmemory_batches(fmem), 3);
    CHECK_EQ(xenforeignmemory_frames(fmem), n);
    for ( i = 0; i < 3; i++ )
    {
        CHECK_EQ(fake.batches[i].dom, 4);
        CHECK_EQ(fake.batches[i].addr, (uintptr_t)p + i * XENFOREIGNMEMORY_BATCH * PAGE);
    }
    CHECK_EQ(fake.batches[0].num, XENFOREIGNMEMORY_BATCH);
    CHECK_EQ(fake.batches[2].num, 3);
    for ( i = 0; i < n; i++ )
        CHECK_EQ(*(uint64_t *)(p + i * PAGE), fake_frame_marker(4, 0x1000 + i));
    CHECK_EQ(xenforeignmemory_unmap(fmem, p, n), 0);
    CHECK_EQ(fake.pages_unmapped, n);
    /* One frame is one ioctl; exactly one batch's worth is one too. */
    p = xenforeignmemory_map(fmem, 4, PROT_READ, XENFOREIGNMEMORY_BATCH, arr, NULL);
    CHECK(p);
    CHECK_EQ(fake.nr_batches, 4);
    xenforeignmemory_unmap(fmem, p, XENFOREIGNMEMORY_BATCH);
    free(arr);
    teardown();
}

static void test_per_frame_errors(void)
{
    size_t n = XENFOREIGNMEMORY_BATCH + 10, i;
    xen_pfn_t *arr = gfn_list(n);
    int *err = calloc(n, sizeof(*err));
    char *p;

    setup();
    fake.frame_err = odd_frames_fail;
    p = xenforeignmemory_map(fmem, 2, PROT_READ, n, arr, err);
    CHECK(p);
    for ( i = 0; i < n; i++ )
    {
        CHECK_EQ(err[i], i & 1 ? -EINVAL : 0);
        CHECK_EQ(*(uint64_t *)(p + i * PAGE), i & 1 ? 0 : fake_frame_marker(2, arr[i]));
    }
    CHECK_EQ(xenforeignmemory_frames(fmem), n / 2);
    CHECK_EQ(fake.pages_unmapped, 0);
    xenforeignmemory_unmap(fmem, p, n);
    free(err);
    free(arr);
    teardown();
}

static void test_all_or_nothing(void)
{
    size_t n = XENFOREIGNMEMORY_BATCH + 10;
    xen_pfn_t *arr = gfn_list(n);

    setup();
    fake.frame_err = frame_0x1101_fails;
    errno = 0;
    CHECK(!xenforeignmemory_map(fmem, 2, PROT_READ, n, arr, NULL));
    CHECK_EQ(errno, EPERM);
    /* Both batches ran; everything they mapped is gone again. */
    CHECK_EQ(fake.nr_batches, 2);
    CHECK_EQ(fake.pages_unmapped, n);
    free(arr);
    teardown();
}

static void test_batch_refused(void)
{
    size_t n = 3 * XENFOREIGNMEMORY_BATCH;
    xen_pfn_t *arr = gfn_list(n);
    int *err = calloc(n, sizeof(*err));

    setup();
    fake.batch_fail_at = 2;
    fake.batch_fail_errno = EFAULT;
    CHECK(!xenforeignmemory_map(fmem, 2, PROT_READ, n, arr, err));
    CHECK_EQ(errno, EFAULT);
    CHECK_EQ(fake.nr_batches, 2); /* stopped at the refusal */
    CHECK_EQ(fake.pages_unmapped, n);
    free(err);
    free(arr);
    teardown();
}

static void test_bad_arguments(void)
{
    xen_pfn_t gfn = 1;

    setup();
    CHECK(!xenforeignmemory_map(fmem, 2, PROT_READ, 0, &gfn, NULL));
    CHECK_EQ(errno, EINVAL);
    CHECK(!xenforeignmemory_map(fmem, 2, PROT_READ, 1, NULL, NULL));
    CHECK(!xenforeignmemory_map(fmem, 0x10000, PROT_READ, 1, &gfn, NULL));
    CHECK(!xenforeignmemory_map(fmem, 2, PROT_EXEC, 1, &gfn, NULL));
    CHECK_EQ(fake.nr_batches, 0);
    CHECK_EQ(xenforeignmemory_unmap(fmem, NULL, 1), -1);
    teardown();
    fake.open_errno = ENOENT;
    CHECK(!xenforeignmemory_open(NULL, 0));
    CHECK_EQ(errno, ENOENT);
    CHECK_EQ(fake.open_fds, 0);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "fmem_batching", test_batching },
        { "fmem_per_frame_errors", test_per_frame_errors },
        { "fmem_all_or_nothing", test_all_or_nothing },
        { "fmem_batch_refused", test_batch_refused },
        { "fmem_bad_arguments", test_bad_arguments },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
