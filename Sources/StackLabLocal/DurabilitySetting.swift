import StackLabCore

/// The `durability` setting of a messaging broker (`kind: nats`): `true` takes the crash drill after the
/// variant's last trial (publish with acknowledgements, kill -9 the broker, restart it on the same store and
/// port, consume everything back), `false` (the default) none.
public enum DurabilitySetting {
    /// The drill's method name, as the run's drills list it.
    public static let method = "kill -9"

    /// `["kill -9"]` when `component` asks for the drill, else none.
    public static func methods(of component: Component) -> [String] {
        component.settings["durability"] == "true" ? [method] : []
    }
}
