import StackLabCore

/// The `durability` setting of a messaging broker (`kind: nats`, `rabbitmq`, `mosquitto`): `true` takes the crash
/// drill after the variant's last trial (publish with acknowledgements, kill -9 the broker, restart it on the same
/// store and port, consume everything back), `false` (the default) none.
public enum DurabilitySetting {
    /// The drill's method name, as the run's drills list it.
    public static let method = "kill -9"

    /// `["kill -9"]` when `component` asks for the drill, else none.
    public static func methods(of component: Component) -> [String] {
        component.settings["durability"] == "true" ? [method] : []
    }

    /// Refuses a `durability` value other than `true` or `false`.
    static func check(_ component: Component) throws {
        if let durability = component.settings["durability"], durability != "true" && durability != "false" {
            throw UserError("component '\(component.name)': durability '\(durability)' is not true or false")
        }
    }
}
