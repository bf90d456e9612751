/*
 * xtf.h - everything a test needs, in one include.
 */
#ifndef XTF_H
#define XTF_H

#include <xtf/types.h>
#include <xtf/lib.h>
#include <xtf/x86.h>
#include <xtf/traps.h>
#include <xtf/report.h>
#include <xtf/hypercall.h>
#include <xtf/console.h>
#include <xtf/env.h>
#include <xtf/vcpu.h>
#include <xtf/test.h>

#endif /* XTF_H */
