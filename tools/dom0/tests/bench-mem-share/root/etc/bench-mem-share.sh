# bench-mem-share: two share-guest domUs (8 MiB each, the same image,
# the same 1 MiB pattern) shared over their whole RAM by xl mem-share,
# first page for page at the same gfn, then by hash (-H: a page of
# share-b may match one of share-a's anywhere, zero pages say); the
# host's counters after each step and after each guest writes 8 pages.
# Each step is announced by an "echo BENCH step=NAME" line; the bench
# script (automation/bench-sharing.sh) reads the counters that follow.
# The audit must stay clean; the destroys give every frame back.
free-pages save
xl create /etc/share-a.cfg
xl create /etc/share-b.cfg
wait-console 1 "share-guest: pattern ready" 60
wait-console 2 "share-guest: pattern ready" 60
echo BENCH step=same-gfn
xl mem-share share-a share-b
expect-output "xl mem-share -s share-a share-b" "audit errors: 0"
echo BENCH step=hash
xl mem-share -H share-a share-b
expect-output "xl mem-share -s share-a share-b" "audit errors: 0"
console-send 1 write
wait-console 1 "share-guest: wrote 8 pages, the rest intact" 60
echo BENCH step=a-wrote-8
expect-output "xl mem-share -s share-a share-b" "audit errors: 0"
console-send 2 write
wait-console 2 "share-guest: wrote 8 pages, the rest intact" 60
echo BENCH step=b-wrote-8
expect-output "xl mem-share -s share-a share-b" "audit errors: 0"
xl destroy share-a
xl destroy share-b
expect-output "xl mem-share -s" "shared frames: 0" "frames saved: 0" "audit errors: 0"
free-pages same
