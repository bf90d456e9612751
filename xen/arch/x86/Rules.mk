# xen/arch/x86/Rules.mk - what the x86-64 architecture adds to the
# hypervisor build (xen/Makefile includes arch/$(ARCH)/Rules.mk): its
# sources, its headers (<asm/...>) and its linker script. An arm64
# directory beside this one provides the same three names.
ARCH_SRCS_C := $(wildcard arch/x86/*.c arch/x86/hvm/*.c arch/x86/hvm/vmx/*.c \
                          arch/x86/hvm/svm/*.c arch/x86/mm/*.c)
ARCH_SRCS_S := $(wildcard arch/x86/boot/*.S arch/x86/*.S arch/x86/hvm/*/*.S)
ARCH_INCLUDE := arch/x86/include
ARCH_LDS := arch/x86/xen.lds
