/*
 * task.c - dom0's cooperative tasks (dom0/task.h): the foreground is
 * task 0 on the process stack; dom0_task_spawn adds one with a stack of
 * its own. rt_block() calls rt_task_yield() before it would sleep, and
 * that is the only place a task gives up the CPU, so every switch
 * happens inside a system call.
 *
 * What the tasks share: the whole address space, the file table, the
 * services, and musl's thread pointer (FS base), so errno and every
 * other thread-local are one. That is safe only because a switch never
 * happens in tool code: the system call that blocked returns its value
 * after the switch back, and musl sets errno from it then. A task must
 * not rely on errno keeping its value across a call that succeeds.
 *
 * A task that returns is marked done and switches away for good; the
 * next task to run after a switch frees its stack (nobody can free the
 * stack it stands on). A canary at the bottom of each stack is checked
 * at every switch: an overflow is reported on the console.
 *
 * May not touch: anything of a task's but its stack and its slot.
 */
#include <errno.h>
#include <stdint.h>
#include <dom0/task.h>
#include "rt.h"

#define MAX_TASKS     4
#define DEFAULT_STACK (256UL << 10)
#define CANARY        0x7461736b63616e79ULL /* "tskcany" */

struct task
{
    bool used, done, joined;
    uint64_t sp;
    uint8_t *stack; /* NULL: task 0 (the process stack) */
    size_t size;
    int (*fn)(void *);
    void *arg;
    int rc;
};

static struct task tasks[MAX_TASKS] = { [0] = { .used = true } };
static unsigned int cur;

static void check_canary(const struct task *t)
{
    if ( t->stack && *(const uint64_t *)t->stack != CANARY )
        rt_printf("dom0: task %u overflowed its stack\n", (unsigned int)(t - tasks));
}

/* Free the stacks of tasks that ended (never the running one's). */
static void reap(void)
{
    for ( unsigned int i = 1; i < MAX_TASKS; i++ )
    {
        struct task *t = &tasks[i];

        if ( i == cur || !t->done || !t->stack )
            continue;
        check_canary(t);
        rt_pages_free(t->stack, t->size);
        t->stack = NULL;
        if ( t->joined )
            *t = (struct task){ 0 };
    }
}

/* The next task after cur that can run, or cur itself. */
static unsigned int next_task(void)
{
    for ( unsigned int k = 1; k <= MAX_TASKS; k++ )
    {
        unsigned int i = (cur + k) % MAX_TASKS;

        if ( tasks[i].used && !tasks[i].done )
            return i;
    }
    return cur;
}

static void switch_to(unsigned int next)
{
    unsigned int prev = cur;

    check_canary(&tasks[prev]);
    cur = next;
    rt_task_switch(&tasks[prev].sp, tasks[next].sp);
    reap();
}

bool rt_task_yield(void)
{
    unsigned int next = next_task();

    if ( next == cur )
        return false;
    switch_to(next);
    return true;
}

/* Where a new task's first switch returns to. */
static __attribute__((noreturn)) void task_entry(void)
{
    struct task *t = &tasks[cur];

    t->rc = t->fn(t->arg);
    t->done = true;
    switch_to(next_task()); /* task 0 never ends, so there is one */
    for ( ;; )
        ;
}

int dom0_task_spawn(int (*fn)(void *), void *arg, size_t stack_bytes)
{
    size_t size = stack_bytes ? (stack_bytes + RT_PAGE - 1) & ~(RT_PAGE - 1) : DEFAULT_STACK;
    unsigned int i;

    if ( !fn || size > (16UL << 20) )
        return -EINVAL;
    for ( i = 1; i < MAX_TASKS && tasks[i].used; i++ )
        ;
    if ( i == MAX_TASKS )
        return -EAGAIN;
    tasks[i] = (struct task){ .used = true, .fn = fn, .arg = arg, .size = size };
    tasks[i].stack = rt_pages_alloc(size);
    if ( !tasks[i].stack )
        return tasks[i] = (struct task){ 0 }, -ENOMEM;
    *(uint64_t *)tasks[i].stack = CANARY;
    tasks[i].sp = rt_arch_task_sp(tasks[i].stack, size, task_entry);
    return (int)i;
}

static bool task_done(void *arg)
{
    return ((struct task *)arg)->done;
}

int dom0_task_join(int id, int *rc)
{
    struct task *t = id > 0 && id < MAX_TASKS ? &tasks[id] : NULL;
    int err;

    if ( !t || !t->used || t->joined || (unsigned int)id == cur )
        return -ESRCH;
    err = rt_block(task_done, t, false, 0);
    if ( err )
        return err;
    if ( rc )
        *rc = t->rc;
    t->joined = true;
    if ( !t->stack )
        *t = (struct task){ 0 };
    return 0;
}
