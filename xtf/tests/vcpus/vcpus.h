/*
 * vcpus.h - what the vcpus test's main.c shares with its per-arch
 * bad_contexts (x86.c, arm64.c). Declarations only.
 */
#ifndef VCPUS_H
#define VCPUS_H

/* vCPU 1's entry (main.c). */
void ap_main(unsigned int id);

/* VCPUOP_initialise's refusals, before vCPU 1 is started: vCPU 1 must
 * stay uninitialised and down. */
void bad_contexts(void);

#endif /* VCPUS_H */
