/// A configuration file StackLab wrote for a component of one variant's stack, kept with the run so that a
/// reader can check what was measured (`stacklab show RUN --config COMPONENT`).
public struct ComponentConfig: Sendable, Equatable, Codable {
    public var variant: String
    public var component: String
    /// The file's name as written in the run directory (`nginx.conf`).
    public var fileName: String
    public var text: String

    public init(variant: String, component: String, fileName: String, text: String) {
        self.variant = variant
        self.component = component
        self.fileName = fileName
        self.text = text
    }
}
