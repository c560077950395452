/// How one gateway is configured and started from a `GatewayConfiguration`: the files StackLab writes into
/// the gateway's directory, the arguments that point the program at them, and what the environment adds.
protocol GatewayRenderer {
    /// The configuration files, in the order they are written; the first is the main one.
    static func configFiles(_ gateway: GatewayConfiguration) -> [RenderedConfig]
    /// The program's arguments.
    static func arguments(_ gateway: GatewayConfiguration) -> [String]
    /// Variables set on top of the inherited environment (`GOMAXPROCS` for the Go gateways).
    static func environment(_ gateway: GatewayConfiguration) -> [String: String]
}

extension GatewayRenderer {
    static func environment(_ gateway: GatewayConfiguration) -> [String: String] { [:] }
}
