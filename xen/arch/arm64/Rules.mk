# xen/arch/arm64/Rules.mk - what the Arm64 architecture adds to the
# hypervisor build (`make build ARCH=arm64`; xen/Makefile includes
# arch/$(ARCH)/Rules.mk): the cross compiler, its flags, the sources (with
# the PL011 driver), the headers (<asm/...>) and the linker script. It may
# not change anything x86's build uses.

# Debian's cross toolchain (gcc-aarch64-linux-gnu, automation/install-deps.sh);
# nothing of Linux is used but the compiler, assembler and linker.
CROSS_COMPILE ?= aarch64-linux-gnu-
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy

# Config.mk's flags are x86's; these replace the x86-only ones. No FP/SIMD
# registers in the hypervisor, no unaligned accesses (the C code before the
# MMU is on runs on Device memory, which faults on them), and no calls to
# libgcc's out-of-line atomics (there is no libgcc here).
FREESTANDING_CFLAGS := $(filter-out -mno-red-zone -mno-mmx -mno-sse -mno-sse2,$(FREESTANDING_CFLAGS)) \
	-march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics

ARCH_SRCS_C := $(wildcard arch/arm64/*.c arch/arm64/mm/*.c) drivers/char/pl011.c
ARCH_SRCS_S := $(wildcard arch/arm64/*.S)
ARCH_INCLUDE := arch/arm64/include
ARCH_LDS := arch/arm64/xen.lds
