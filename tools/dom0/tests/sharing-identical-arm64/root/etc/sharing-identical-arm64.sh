# sharing-identical-arm64: as sharing-identical, on Arm (RAM from gfn
# 0x40000): two guests fill gfns 0x40400-0x404ff identically; xl
# mem-share -H shares the first 64 by their hashes, then xl mem-share
# the other 192 at the same gfns (the shared ones no longer map: 256
# frames saved in all). share-a then writes 8 of them: exactly those 8
# unshare into copies of its own (frames saved 248; share-b still maps
# all 256),
# and share-b sees its pattern intact. share-b then writes the same 8:
# it is their last mapper, so it takes the frames back (shared frames
# 248; sharing-basic checks that no copy is made then).
# The audit stays clean throughout; the destroys leave no shared frame
# and give the host all its frames back.
free-pages save
xl create /etc/share-a.cfg
xl create /etc/share-b.cfg
wait-console 1 "share-guest: pattern ready" 60
wait-console 2 "share-guest: pattern ready" 60
expect-output "xl mem-share -s" "shared frames: 0" "frames saved: 0" "audit errors: 0"
expect-output -f "xl mem-share share-a share-a" "cannot share with itself"
expect-output -f "xl mem-share share-a share-b 0x407ff-0x40400" "invalid gfn range"
expect-output "xl mem-share -H share-a share-b 0x40400-0x4043f" "compared: 64" "identical: 64" "shared: 64" "frames saved: 64"
expect-output "xl mem-share share-a share-b 0x40400-0x404ff" "compared: 192" "identical: 192" "shared: 192" "frames saved: 192"
expect-output "xl mem-share -s share-a share-b" "shared frames: 256" "frames saved: 256" "audit errors: 0" "domain 1 shared pages: 256" "domain 2 shared pages: 256"
console-send 1 write
wait-console 1 "share-guest: wrote 8 pages, the rest intact" 60
expect-output "xl mem-share -s share-a share-b" "shared frames: 256" "frames saved: 248" "audit errors: 0" "domain 1 shared pages: 248" "domain 2 shared pages: 256"
console-send 2 write
wait-console 2 "share-guest: wrote 8 pages, the rest intact" 60
expect-output "xl mem-share -s share-a share-b" "shared frames: 248" "frames saved: 248" "audit errors: 0" "domain 1 shared pages: 248" "domain 2 shared pages: 248"
xl destroy share-a
expect-output "xl mem-share -s share-b" "shared frames: 248" "frames saved: 0" "audit errors: 0" "domain 2 shared pages: 248"
xl destroy share-b
expect-output "xl mem-share -s" "shared frames: 0" "frames saved: 0" "audit errors: 0"
free-pages same
