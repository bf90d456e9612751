/*
 * timer-list.h - the pending-timer list of timer.c: singly linked, sorted
 * by expiry (earliest first; equal expiries in the order they were set).
 *
 * Pure list handling for timer.c and its host unit test: the caller holds
 * timer_lock. May not touch timer status, CPUs or the clock.
 */
#ifndef XEN_COMMON_TIMER_LIST_H
#define XEN_COMMON_TIMER_LIST_H

#include <xen/timer.h>

static inline void timer_list_insert(struct timer **head, struct timer *t)
{
    struct timer **pp = head;

    while ( *pp && (*pp)->expires <= t->expires )
        pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
}

/* Unlink t; false if it was not on the list. */
static inline bool timer_list_remove(struct timer **head, struct timer *t)
{
    for ( struct timer **pp = head; *pp; pp = &(*pp)->next )
        if ( *pp == t )
        {
            *pp = t->next;
            t->next = NULL;
            return true;
        }
    return false;
}

/* The first timer due at 'now' (unlinked), or NULL. */
static inline struct timer *timer_list_pop_due(struct timer **head, s_time_t now)
{
    struct timer *t = *head;

    if ( !t || t->expires > now )
        return NULL;
    *head = t->next;
    t->next = NULL;
    return t;
}

#endif /* XEN_COMMON_TIMER_LIST_H */
