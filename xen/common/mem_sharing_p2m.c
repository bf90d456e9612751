/*
 * mem_sharing_p2m.c - the steps of memory sharing on one table: nominate
 * a gfn, share a client gfn onto a source frame, add a shared frame at a
 * hole, unshare. Each is one p2m_exchange_4k: the entry is checked, the
 * frame and reverse-map bookkeeping done (the commit step, under the p2m
 * lock, so the entry cannot change meanwhile), then the entry written.
 * An entry that leaves (the client's old frame, a copied-away entry)
 * drops its reference and its reverse-map node through the p2m's
 * put_frame hook, the same path every other removal takes.
 *
 * The caller serialises these steps (mem_sharing.c: sharing_lock) and
 * keeps the domain's reservation; this file knows a domain only as its
 * struct mem_sharing_domain, so the host unit tests run it unchanged.
 * Only view 0 (the host p2m) for now; views add their entries through
 * msh_rmap_add.
 *
 * May not touch: domains, locks other than through the p2m and the
 * reverse map, any p2m entry but the one gfn each step names.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/frame.h>
#include <xen/mem_sharing.h>
#include <public/xen.h>
#include <public/memory.h>

/* ---- nominate ---- */

struct nominate_step
{
    struct mem_sharing_domain *msd;
    uint64_t gfn;
    mfn_t mfn;
    uint64_t *handle;
};

/* The map first: undoing it is always possible, undoing the frame's
 * change of owner is not (another reference may appear at once). */
static int nominate_commit(void *arg)
{
    struct nominate_step *s = arg;
    int rc = msh_rmap_new(s->msd, 0, s->gfn, s->mfn, s->handle);

    if ( rc )
        return rc;
    rc = frame_make_shared(s->mfn, s->msd->domid);
    if ( rc )
        msh_rmap_del(s->msd, 0, s->gfn, s->mfn);
    return rc;
}

int msh_nominate(struct mem_sharing_domain *msd, struct p2m_domain *p2m, gfn_t gfn,
                 uint64_t *handle, bool *is_new)
{
    struct nominate_step s = { msd, gfn_x(gfn), INVALID_MFN, handle };
    p2m_type_t t;
    int rc;

    *handle = 0;
    *is_new = false;
    s.mfn = p2m_lookup(p2m, gfn, &t, NULL, NULL);
    if ( t == p2m_ram_shared )
        return msh_rmap_lookup(s.mfn, handle, NULL) ? 0 : -EINVAL;
    /* Plain RAM, write-protected by log-dirty or not (as Xen): the frame
     * does not change, so there is nothing to log; the unshare logs it. */
    if ( (t != p2m_ram_rw && t != p2m_ram_logdirty) || !mfn_valid_raw(s.mfn) )
        return -EINVAL; /* Xen's answer for anything not sharable */
    rc = p2m_exchange_4k(p2m, gfn, s.mfn, t, s.mfn, p2m_ram_shared, false, nominate_commit, &s);
    if ( rc )
        return rc; /* -EAGAIN: the entry changed since we looked */
    *is_new = true;
    return 0;
}

/* ---- share and add_physmap: one more entry of the source frame ---- */

struct map_step
{
    struct mem_sharing_domain *cmsd;
    uint64_t cgfn;
    mfn_t smfn, cmfn; /* cmfn: INVALID_MFN for add_physmap */
    uint64_t sh, ch;
};

/* The client's frame must be shared under handle ch with this entry as
 * its only one: its record goes when the entry is replaced. */
static int check_client(const struct map_step *s)
{
    uint64_t handle;
    uint32_t entries;

    if ( !mfn_valid_raw(s->cmfn) )
        return 0;
    if ( !msh_rmap_lookup(s->cmfn, &handle, &entries) || handle != s->ch )
        return XENMEM_SHARING_OP_C_HANDLE_INVALID;
    return entries == 1 ? 0 : -EBUSY;
}

static int map_commit(void *arg)
{
    struct map_step *s = arg;
    uint64_t handle;
    int rc = check_client(s);

    if ( rc )
        return rc;
    if ( !msh_rmap_lookup(s->smfn, &handle, NULL) || handle != s->sh ||
         !get_page(s->smfn, DOMID_COW) )
        return XENMEM_SHARING_OP_S_HANDLE_INVALID;
    rc = msh_rmap_add(s->cmsd, 0, s->cgfn, s->smfn);
    if ( rc == -ENOENT )
        rc = XENMEM_SHARING_OP_S_HANDLE_INVALID; /* its last entry just went */
    if ( rc )
        put_page(s->smfn);
    return rc;
}

int msh_share(struct mem_sharing_domain *cmsd, struct p2m_domain *cp2m, gfn_t cgfn, uint64_t ch,
              mfn_t smfn, uint64_t sh)
{
    struct map_step s = { cmsd, gfn_x(cgfn), smfn, INVALID_MFN, sh, ch };
    p2m_type_t t;
    int rc;

    s.cmfn = p2m_lookup(cp2m, cgfn, &t, NULL, NULL);
    if ( t != p2m_ram_shared )
        return XENMEM_SHARING_OP_C_HANDLE_INVALID;
    if ( mfn_eq(s.cmfn, smfn) )
        return 0; /* shared already: nothing to save */
    rc = p2m_exchange_4k(cp2m, cgfn, s.cmfn, p2m_ram_shared, smfn, p2m_ram_shared, false,
                         map_commit, &s);
    return rc == -EAGAIN ? XENMEM_SHARING_OP_C_HANDLE_INVALID : rc;
}

int msh_add_physmap(struct mem_sharing_domain *cmsd, struct p2m_domain *cp2m, gfn_t cgfn,
                    mfn_t smfn, uint64_t sh)
{
    struct map_step s = { cmsd, gfn_x(cgfn), smfn, INVALID_MFN, sh, 0 };
    int rc = p2m_exchange_4k(cp2m, cgfn, INVALID_MFN, p2m_invalid, smfn, p2m_ram_shared, false,
                             map_commit, &s);

    return rc == -EAGAIN ? XENMEM_SHARING_OP_C_HANDLE_INVALID : rc;
}

/* ---- unshare ---- */

struct take_step
{
    struct mem_sharing_domain *msd;
    uint64_t gfn;
    mfn_t mfn;
};

static bool take_frame(mfn_t mfn, void *arg)
{
    return frame_make_private(mfn, ((struct mem_sharing_domain *)arg)->domid);
}

/* The last entry of its frame: the frame becomes the domain's again, its
 * reference the allocation's (kept, not dropped, by the exchange). */
static int take_commit(void *arg)
{
    struct take_step *s = arg;

    return msh_rmap_take_last(s->msd, 0, s->gfn, s->mfn, take_frame, s->msd) ? 0 : -EBUSY;
}

/* Others map the frame: a copy in a new frame of the domain's. */
static int unshare_copy(struct mem_sharing_domain *msd, struct p2m_domain *p2m, gfn_t gfn,
                        mfn_t old)
{
    mfn_t new;
    int rc;

    if ( !get_page(old, DOMID_COW) ) /* kept alive while we copy */
        return -EAGAIN;
    new = alloc_pages(0);
    if ( !mfn_valid_raw(new) )
    {
        put_page(old);
        return -ENOMEM;
    }
    memcpy(mfn_to_virt(new), mfn_to_virt(old), PAGE_SIZE);
    frames_assign(new, 0, msd->domid);
    rc = p2m_exchange_4k(p2m, gfn, old, p2m_ram_shared, new, p2m_ram_rw, false, NULL, NULL);
    if ( rc )
        frame_release(new);
    put_page(old);
    return rc;
}

int msh_unshare(struct mem_sharing_domain *msd, struct p2m_domain *p2m, gfn_t gfn, bool may_copy)
{
    struct take_step s = { msd, gfn_x(gfn), INVALID_MFN };
    p2m_type_t t;
    int rc;

    s.mfn = p2m_lookup(p2m, gfn, &t, NULL, NULL);
    if ( t != p2m_ram_shared )
        return MSH_NOT_SHARED;
    rc = p2m_exchange_4k(p2m, gfn, s.mfn, p2m_ram_shared, s.mfn, p2m_ram_rw, true, take_commit, &s);
    if ( !rc )
        return MSH_TOOK_BACK;
    if ( rc != -EBUSY )
        return rc;
    if ( !may_copy )
        return -ENOMEM;
    rc = unshare_copy(msd, p2m, gfn, s.mfn);
    if ( rc )
        return rc;
    msd->copies++;
    return MSH_COPIED;
}
