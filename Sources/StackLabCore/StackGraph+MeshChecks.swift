import Yams

extension SpecReader {
    /// The client's sidecar (`entry: { …, sidecar: NAME }`) is a gateway that can open the entry's transport, has
    /// no other role in the stack, and is dialled plain.
    mutating func checkClientSidecar(
        _ graph: StackGraph, at locations: StackGraphLocations, byName: [String: Component]
    ) {
        guard let client = graph.entry.sidecar else { return }
        let (node, path) = (locations.entry, SpecReader.path(locations.entryPath, "sidecar"))
        if graph.nodes.contains(client) || graph.sidecars.contains(where: { $0.sidecar == client }) {
            report(
                node, path,
                "'\(client)' is the client's sidecar and also elsewhere in the stack; a component has one role in a "
                    + "stack: define another component for one of them")
        }
        guard let component = byName[client] else { return }
        guard component.kind.isGateway else {
            report(
                node, path,
                "'\(client)' (kind \(component.kind.rawValue)) cannot be the client's sidecar: it does not forward "
                    + "requests; use kind sidecar")
            return
        }
        let transport = graph.entry.transport
        if !component.kind.originates(transport) {
            report(
                node, path,
                "'\(client)' (kind \(component.kind.rawValue)) cannot open \(transport.rawValue) to the entry")
        }
        if component.tls {
            report(
                node, path,
                "'\(client)' has tls: true, but the client dials its own sidecar plain; drop tls: true (the entry's "
                    + "transport says what it opens)")
        }
    }
}
