/* SPDX-License-Identifier: MIT */
/*
 * private.h - libxenforeignmemory's internals shared with its host test:
 * how many frames one IOCTL_PRIVCMD_MMAPBATCH_V2 carries.
 *
 * Private to tools/libs/foreignmemory (and the test that checks it).
 */
#ifndef XENFOREIGNMEMORY_PRIVATE_H
#define XENFOREIGNMEMORY_PRIVATE_H

/* Frames per ioctl: a batch's err[] and arr[] slices stay a page or two,
 * and a big map is a handful of ioctls rather than one per frame. */
#define XENFOREIGNMEMORY_BATCH 256U

#endif /* XENFOREIGNMEMORY_PRIVATE_H */
