# Config.mk - build settings shared by every part of the tree.
# Included by the top-level Makefile and by each sub-Makefile.

CC       ?= gcc
LD       ?= ld
OBJCOPY  ?= objcopy
PYTHON   ?= python3

# Flags for code that runs on the bare (emulated) machine: the hypervisor
# and the XTF guest kernels. No libc, no red zone, no SSE.
FREESTANDING_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pie -no-pie \
	-fno-stack-protector -fno-builtin -fno-common -fno-asynchronous-unwind-tables \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mgeneral-regs-only \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers

# Flags for host unit tests: the same hypervisor sources built for Linux.
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-omit-frame-pointer -DWREN_HOST_TEST

# debug=y (the default, as in Xen) builds the hypervisor with its run-time
# checks, the lock-order checker among them; "make debug=n" leaves them out.
# Host unit tests are always debug builds: they test the checks too.
debug ?= y
ifeq ($(debug),y)
FREESTANDING_CFLAGS += -DCONFIG_DEBUG
endif
HOST_CFLAGS += -DCONFIG_DEBUG

# Platforms the runner knows.
PLATFORMS := qemu-svm bochs-vmx
