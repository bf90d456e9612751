/*
 * xtf.h (arm64) - what an XTF test kernel for AArch64 includes: the same
 * report, console, hypercall and test API as on x86 (include/xtf/), with
 * PSCI in place of x86's CPU and trap helpers. Found before the common
 * include/xtf.h by the arm64 build's include path; declares only.
 */
#ifndef XTF_H
#define XTF_H

#include <xtf/types.h>
#include <xtf/lib.h>
#include <xtf/report.h>
#include <xtf/hypercall.h>
#include <xtf/console.h>
#include <xtf/env.h>
#include <xtf/test.h>
#include <xtf/arm64.h>
#include <xtf/vcpu.h>

#endif /* XTF_H */
