extension StackGraph {
    /// The mesh identity `name` goes by (`MeshIdentity`): a sidecar that of the component it carries, the client's
    /// sidecar `client`, any other component its own name.
    public func identity(of name: String) -> String {
        if name == entry.sidecar { return MeshIdentity.client }
        return carrier(of: name) ?? name
    }

    /// The identities of what opens mutual TLS connections to `listener` (a component that accepts connections:
    /// a sidecar, the client's sidecar, or a component without one), in the file's order: the ones its certificate
    /// check lets in.
    public func mutualTLSPeers(of listener: String) -> [String] {
        var peers: [String] = []
        if entry.transport == .mutualTLS, let client = entry.sidecar, listener == self.listener(for: entry.component) {
            peers.append(identity(of: client))
        }
        for hop in hops where hop.transport == .mutualTLS && self.listener(for: hop.to) == listener {
            let peer = identity(of: hop.from)
            if !peers.contains(peer) { peers.append(peer) }
        }
        return peers
    }
}
