/*
 * pool-limit - a guest that makes its p2m grow pays for it from its own
 * pool, and nobody else notices.
 *
 * d1 (p2m-target) gives back SCATTER_NR frames of its RAM, then
 * populates one frame in every 2 MiB block of a far region: each needs
 * a table of its own, so its reservation stays the same while its p2m
 * needs hundreds of tables. Checks:
 *  - the populates stop (a call does 0 extents: Xen's answer when it
 *    cannot allocate) before all SCATTER_NR are done, and
 *    the pool's tables in use never exceed its size;
 *  - the host's free-page count moved by exactly the frames d1 gave back
 *    and took again: no table came from the host;
 *  - dom0, meanwhile, can still populate and give back memory of its own;
 *  - log-dirty cannot be enabled on d1 while its pool is full: its
 *    bitmaps are charged to the pool too (-ENOMEM), and it can once the
 *    far frames are gone;
 *  - XEN_DOMCTL_set_paging_mempool_size below the tables in use is
 *    -EBUSY, and a sub-page size -EINVAL, with the pool unchanged;
 *  - when d1 gives the far frames back, the emptied tables return to the
 *    pool (in use falls back to where it was before the scatter), the audit is clean,
 *    and d1 can take its RAM back at the old gfns.
 * Before the pool, every table came from the host: all populates
 * succeeded and the host lost a page per table.
 */
#include <xtf.h>
#include <xtf/mailbox.h>
#include <xtf/p2m.h>
#include <xtf/sysctl.h>
#include <public/memory.h>
#include <public/domctl.h>

const char test_title[] = "p2m tables come from the domain's own pool";

#define TARGET     1
#define MB_GFN     0x7f100UL
#define GIVE_GFN   XTF_GFN(0x800UL) /* d1's RAM it trades away */
#define SCATTER_NR 384UL
#define FAR_GFN    XTF_GFN(0x40000UL) /* 1 GiB: one frame per 2 MiB from here */
#define FAR_STRIDE 0x200UL
#define CHUNK      128UL

static xtf_mb_t *mb;

/* d1 runs op over gfns first + i * stride, i < nr, CHUNK at a time.
 * Returns how many were done; *err gets the error that stopped it. */
static uint64_t batch(uint32_t op, uint64_t first, uint64_t stride, uint64_t nr, long *err)
{
    uint64_t done = 0;

    *err = 0;
    while ( done < nr )
    {
        uint32_t n = (uint32_t)MIN(CHUNK, nr - done);
        long rc;

        for ( uint32_t i = 0; i < n; i++ )
            mb->gfn[i] = first + (done + i) * stride;
        mb->arg[0] = 0;
        rc = xtf_mb_call(mb, op, n);
        if ( rc > 0 )
            done += (uint64_t)rc;
        if ( rc != (long)n )
        {
            *err = op == XTF_MB_POPULATE ? (long)mb->out[0] : (rc < 0 ? rc : -1);
            break;
        }
    }
    return done;
}

static bool pool(uint64_t *size, uint64_t *used)
{
    if ( xtf_p2m_pool(TARGET, size, used, NULL) )
        return xtf_error("WREN_P2M_POOL on d1 failed"), false;
    return true;
}

static bool dom0_unaffected(void)
{
    xen_pfn_t pfn = 0x70000;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
    struct xen_domctl_getdomaininfo info;
    struct xen_domctl mm = { .cmd = XEN_DOMCTL_max_mem, .domain = xtf_domid };

    if ( xtf_getdomaininfo(xtf_domid, &info) )
        return xtf_error("getdomaininfo(self) failed"), false;
    mm.u.max_mem.max_memkb = (info.tot_pages + 1) * 4;
    hypercall_domctl(&mm);
    set_xen_guest_handle(r.extent_start, &pfn);
    if ( hypercall_memory_op(XENMEM_populate_physmap, &r) != 1 )
        return xtf_failure("dom0 cannot populate while d1's pool is full"), false;
    *(volatile uint64_t *)(uintptr_t)(pfn << PAGE_SHIFT) = 1;
    if ( hypercall_memory_op(XENMEM_decrease_reservation, &r) != 1 )
        return xtf_failure("dom0 cannot give its frame back"), false;
    return true;
}

static bool resize_refused(uint64_t size, uint64_t used)
{
    uint64_t after = 0;
    long rc = xtf_set_paging_pool(TARGET, (used - 1) << PAGE_SHIFT);

    if ( rc != -XEN_EBUSY )
        return xtf_failure("shrinking the pool below its tables in use: %ld, not -EBUSY", rc),
               false;
    rc = xtf_set_paging_pool(TARGET, (size << PAGE_SHIFT) + 100);
    if ( rc != -XEN_EINVAL )
        return xtf_failure("a sub-page pool size: %ld, not -EINVAL", rc), false;
    if ( !pool(&after, NULL) || after != size )
        return xtf_failure("refused resizes changed the pool: %lu -> %lu pages",
                           (unsigned long)size, (unsigned long)after),
               false;
    return true;
}

static long logdirty(uint32_t op)
{
    struct xen_domctl d = {
        .cmd = XEN_DOMCTL_shadow_op,
        .domain = TARGET,
        .u.shadow_op = { .op = op },
    };

    return hypercall_domctl(&d);
}

static bool scatter(void)
{
    uint64_t size0, used0, size, used, free0, free1, given, got, used_given;
    long err;

    if ( !pool(&size0, &used0) )
        return false;
    free0 = xtf_free_pages();
    given = batch(XTF_MB_DECREASE, GIVE_GFN, 1, SCATTER_NR, &err);
    if ( given != SCATTER_NR )
        return xtf_error("d1 gave back %lu of %lu frames (%ld)", (unsigned long)given, SCATTER_NR,
                         err),
               false;
    if ( !pool(NULL, &used_given) ) /* the shattered block's table */
        return false;
    got = batch(XTF_MB_POPULATE, FAR_GFN, FAR_STRIDE, SCATTER_NR, &err);
    free1 = xtf_free_pages();
    if ( !pool(&size, &used) )
        return false;
    printf("Pool %lu pages (%lu in use before); scattered %lu frames, stopped by %ld; "
           "%lu tables in use\n",
           (unsigned long)size0, (unsigned long)used0, (unsigned long)got, err,
           (unsigned long)used);
    if ( got >= SCATTER_NR || err != 0 )
        return xtf_failure("scattered populates were not stopped by the pool "
                           "(%lu done, error %ld)",
                           (unsigned long)got, err),
               false;
    if ( used > size )
        return xtf_failure("%lu tables in use in a %lu-page pool", (unsigned long)used,
                           (unsigned long)size),
               false;
    if ( free1 != free0 + given - got )
        return xtf_failure("host free pages moved by %ld, expected %ld: tables came from the host",
                           (long)(free1 - free0), (long)(given - got)),
               false;
    if ( !dom0_unaffected() || !resize_refused(size, used) || !xtf_p2m_audit(TARGET, "full pool") )
        return false;
    if ( (err = logdirty(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY)) != -XEN_ENOMEM )
        return xtf_failure("log-dirty on a full pool: %ld, not -ENOMEM", err), false;

    if ( batch(XTF_MB_DECREASE, FAR_GFN, FAR_STRIDE, got, &err) != got )
        return xtf_failure("d1 could not give the far frames back (%ld)", err), false;
    if ( !pool(&size, &used) )
        return false;
    if ( used > used_given )
        return xtf_failure("%lu tables still in use after the far frames went (%lu before)",
                           (unsigned long)used, (unsigned long)used_given),
               false;
    if ( (err = logdirty(XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY)) ||
         (err = logdirty(XEN_DOMCTL_SHADOW_OP_OFF)) )
        return xtf_failure("log-dirty with room in the pool: %ld", err), false;
    if ( batch(XTF_MB_POPULATE, GIVE_GFN, 1, SCATTER_NR, &err) != SCATTER_NR )
        return xtf_failure("d1 could not take its RAM back (%ld)", err), false;
    printf("Far frames given back: %lu tables in use; RAM taken back\n", (unsigned long)used);
    return xtf_p2m_audit(TARGET, "after");
}

void test_main(void)
{
    mb = xtf_mb_attach(TARGET, MB_GFN);
    if ( !mb )
        return;
    if ( scatter() )
        xtf_success(NULL);
    xtf_mb_call(mb, XTF_MB_EXIT, 0);
}
