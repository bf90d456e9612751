/* SPDX-License-Identifier: MIT */
/*
 * dom0/task.h - a second line of work inside the dom0 unikernel: a
 * cooperative task with its own stack (xl migrate to localhost runs the
 * receiving side in one while the foreground sends).
 *
 * A task runs until it would block inside the runtime (a read with no
 * data, a write with no room, a poll, accept, a wait for xenstored), and
 * only there does another task get the CPU; nothing preempts it. Tasks
 * share everything, errno included, which is safe because a switch
 * happens only inside a system call, before the call's result becomes
 * errno. A task that returns ends; its stack is freed by the runtime.
 *
 * On the host (tests) there are no tasks: spawn fails with -ENOSYS.
 */
#ifndef DOM0_TASK_H
#define DOM0_TASK_H

#include <stddef.h>

/* Start fn(arg) on a stack of stack_bytes (0: 256 KiB); it first runs
 * when the caller blocks. Returns a task id (> 0) or -errno. */
int dom0_task_spawn(int (*fn)(void *arg), void *arg, size_t stack_bytes);

/* Block (other tasks running) until task id has ended; its return value
 * in *rc. -ESRCH for an id that is not a task or was joined. */
int dom0_task_join(int id, int *rc);

#endif /* DOM0_TASK_H */
