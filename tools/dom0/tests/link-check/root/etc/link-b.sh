# link-check, machine B: check every byte A sends and answer; its dom0
# prints "Peer result:" (the runner adds verdict=peer).
link-check recv 4
link-check recv 1
