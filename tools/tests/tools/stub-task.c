/*
 * stub-task.c - dom0/task.h on the host, where there are no dom0 tasks:
 * spawning fails with -ENOSYS, so xl migrate to localhost reports that
 * it has no receiver task (test-xl checks the message).
 *
 * It touches nothing.
 */
#include <errno.h>
#include <dom0/task.h>

int dom0_task_spawn(int (*fn)(void *arg), void *arg, size_t stack_bytes)
{
    return -ENOSYS;
}

int dom0_task_join(int id, int *rc)
{
    return -ESRCH;
}
