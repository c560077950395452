/// A configuration file StackLab wrote for a component: its name in the component's directory and its text.
///
/// Kept with the plan so the exact configuration a run used can be stored with its results.
public struct RenderedConfig: Sendable, Equatable, Codable {
    /// The file name, relative to the component's directory in the run (`nginx.conf`).
    public var fileName: String
    public var text: String

    public init(fileName: String, text: String) {
        self.fileName = fileName
        self.text = text
    }
}
