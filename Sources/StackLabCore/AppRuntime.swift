/// The language runtime of a reference app (`apps/<runtime>/`), all serving the same API.
public enum AppRuntime: String, Sendable, Equatable, Codable, CaseIterable {
    case swift
    case go
    case rust
    case node
    case bun
    case dotnet
}
