# xl-migrate-peer-refused, machine B (the receiver; "Peer result:"): the
# receiver names the record it refused and fails; no domain is left,
# incoming or otherwise, and every frame is free again.
free-pages save
expect-output -f "xl migrate-receive" "unknown"
!xl domid mover--incoming
!xl domid mover
free-pages same
