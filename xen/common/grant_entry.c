/*
 * grant_entry.c - the version 1 grant entry protocol on one entry and its
 * active record (xen/grant_entry.h): pure logic, no locks taken, nothing
 * but the entry and the record touched.
 *
 * The entry is the guest's memory, which it may rewrite at any moment: its
 * flags and domid are read and updated as one 32-bit word by compare-and-
 * exchange, so a check and the flag it sets see the same value, and a
 * guest that keeps rewriting the word is refused after four tries.
 */
#include <xen/lib.h>
#include <xen/grant_entry.h>

#define ENTRY_TRIES 4

static uint32_t *entry_word(struct grant_entry_v1 *e)
{
    return (uint32_t *)e; /* flags (low half), domid (high half) */
}

static void clear_entry_flags(struct grant_entry_v1 *e, uint16_t bits)
{
    __atomic_fetch_and(&e->flags, (uint16_t)~bits, __ATOMIC_SEQ_CST);
}

static int16_t set_entry_flags(struct grant_entry_v1 *e, domid_t ld, bool first, bool ro)
{
    uint32_t *w = entry_word(e);
    uint32_t old = __atomic_load_n(w, __ATOMIC_SEQ_CST);
    for ( unsigned int tries = 0; tries < ENTRY_TRIES; tries++ )
    {
        uint16_t flags = (uint16_t)old, domid = (uint16_t)(old >> 16);
        uint32_t new = old | GTF_reading | (ro ? 0 : GTF_writing);
        if ( first && ((flags & GTF_type_mask) != GTF_permit_access || domid != ld) )
            return GNTST_general_error;
        if ( !ro && (flags & GTF_readonly) )
            return GNTST_general_error;
        if ( __atomic_compare_exchange_n(w, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) )
            return GNTST_okay;
    }
    return GNTST_general_error; /* the entry is unstable */
}

int16_t grant_pin_begin(struct active_grant *act, struct grant_entry_v1 *e, domid_t ld, bool ro,
                        bool *first)
{
    *first = !act->readers && !act->writers;
    if ( !*first && (act->domid != ld || act->readers == GRANT_PIN_MAX ||
                     act->writers == GRANT_PIN_MAX || (!ro && !act->writable)) )
        return GNTST_general_error;
    if ( *first || (!ro && !act->writers) )
        return set_entry_flags(e, ld, *first, ro);
    return GNTST_okay;
}

void grant_pin_abort(const struct active_grant *act, struct grant_entry_v1 *e, bool ro, bool first)
{
    if ( first )
        clear_entry_flags(e, GTF_reading | GTF_writing);
    else if ( !ro && !act->writers )
        clear_entry_flags(e, GTF_writing);
}

void grant_pin_commit(struct active_grant *act, bool ro)
{
    if ( ro )
        act->readers++;
    else
        act->writers++;
}

bool grant_unpin(struct active_grant *act, struct grant_entry_v1 *e, bool ro)
{
    if ( ro )
        act->readers--;
    else
        act->writers--;
    if ( !act->writers )
        clear_entry_flags(e, GTF_writing);
    if ( act->readers || act->writers )
        return false;
    clear_entry_flags(e, GTF_reading);
    act->mfn = INVALID_MFN;
    return true;
}
