# xen/arch/x86/Rules.mk - what the x86-64 architecture adds to the
# hypervisor build (xen/Makefile includes arch/$(ARCH)/Rules.mk): its
# sources (with the drivers of its devices), its headers (<asm/...>) and
# its linker script. arch/arm64/Rules.mk provides the same names.
ARCH_SRCS_C := $(wildcard arch/x86/*.c arch/x86/hvm/*.c arch/x86/hvm/vmx/*.c \
                          arch/x86/hvm/svm/*.c arch/x86/mm/*.c) drivers/char/ns16550.c
ARCH_SRCS_S := $(wildcard arch/x86/boot/*.S arch/x86/*.S arch/x86/hvm/*/*.S)
ARCH_INCLUDE := arch/x86/include
ARCH_LDS := arch/x86/xen.lds
