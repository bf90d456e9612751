/* SPDX-License-Identifier: MIT */
/*
 * wren.h - Wren's own additions to the Xen guest ABI.
 *
 * Wren speaks Xen's ABI unchanged; anything Wren offers beyond it is
 * declared here and only here, so that a reader can see at a glance what
 * a Xen guest would not find on Xen. There are no additions yet. When
 * one is made it must use a number Xen has not assigned (and say so), be
 * discoverable at run time, and follow the rules of the other headers in
 * this directory: fixed-width fields, explicit zero padding, no
 * bitfields, a size assertion on every struct.
 */
#ifndef WREN_PUBLIC_WREN_H
#define WREN_PUBLIC_WREN_H

#include "xen.h"

#endif /* WREN_PUBLIC_WREN_H */
