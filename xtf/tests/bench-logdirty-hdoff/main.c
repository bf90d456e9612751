/*
 * bench-logdirty-hdoff - arm64 only: bench-logdirty's guest pair and
 * counts with Wren booted stage2_hd=no, so that the table shows what the
 * log-dirty mechanisms cost on a CPU without FEAT_HAFDBS (the dirty
 * state set by stage-2 permission faults). The same source as
 * bench-logdirty; automation/bench-logdirty.sh labels its rows.
 */
#include "../bench-logdirty/main.c"
