/*
 * gnttab-peer.h - the commands the gnttab test (dom0) gives its peer
 * domU (gnttab-peer) through the mailbox (xtf/mailbox.h), beyond the
 * mailbox's own READ, FILL, DECREASE, POPULATE and EXIT. Shared by the
 * two tests only; it declares nothing else.
 */
#ifndef GNTTAB_PEER_H
#define GNTTAB_PEER_H

#define PEER_GT_GFN 0x7f000UL /* where the peer maps its grant frame 0 */

enum gnttab_peer_op
{
    PEER_SETUP = 32,  /* add_to_physmap(grant_table, arg0, PEER_GT_GFN + arg0): rc */
    PEER_GRANT,       /* entry arg0 := flags arg3, domid arg1, frame arg2 */
    PEER_ENTRY,       /* result = flags of entry arg0 */
    PEER_MAP,         /* map_grant_ref(host_addr arg0 << 12, flags arg1, ref arg2,
                        dom arg3): result rc, out[0] status, out[1] handle */
    PEER_UNMAP,       /* unmap_grant_ref(handle arg0, host_addr arg1 << 12):
                        result rc, out[0] status */
    PEER_COPY_IN,     /* copy arg2 bytes from dom arg0's grant arg1 (offset 0) to
                        our gfn gfn[0] (offset 0): result rc, out[0] status */
    PEER_QUERY,       /* query_size(dom arg0): result rc, out[0] status,
                        out[1] nr_frames, out[2] max */
    PEER_SETUP_TABLE, /* setup_table(dom arg0, 1 frame): result rc, out[0] status */
    PEER_GET_VERSION, /* get_version(dom arg0): result rc, out[0] version */
};

#endif /* GNTTAB_PEER_H */
