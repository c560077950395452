import Foundation
import StackLabCore

/// The pins of a SwiftPM `Package.resolved` (format versions 1, 2 and 3): what `swift package resolve` chose.
public struct PackageResolved: Sendable, Equatable {
    public struct Pin: Sendable, Equatable {
        /// The package's identity, its repository name in lower case (`swift-nio`).
        public var identity: String
        /// The repository URL as the manifest names it.
        public var location: String
        /// The tag it resolved to; nil for a branch or revision pin.
        public var version: String?
        public var revision: String?
    }

    public var pins: [Pin]

    /// Reads `data`, the contents of the file `file` (named in errors).
    ///
    /// - Throws: `SpecError` naming the key that is missing or of the wrong type, at line 1 (JSON carries no
    ///   lines through Foundation's decoder).
    public init(parsing data: Data, file: String) throws {
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw SpecError(file: file, problems: [SpecProblem(line: 1, keyPath: "", message: "not a JSON object")])
            }
            root = object
        } catch let error as SpecError {
            throw error
        } catch {
            throw SpecError(file: file, problems: [SpecProblem(line: 1, keyPath: "", message: "not JSON: \(error)")])
        }
        // Version 1 keeps its pins under object.pins with other key names.
        let version = root["version"] as? Int ?? 0
        let list = version == 1 ? (root["object"] as? [String: Any])?["pins"] : root["pins"]
        let pinsKey = version == 1 ? "object.pins" : "pins"
        guard let entries = list as? [[String: Any]] else {
            throw SpecError(
                file: file, problems: [SpecProblem(line: 1, keyPath: pinsKey, message: "missing or not a list")])
        }
        var pins: [Pin] = []
        var problems: [SpecProblem] = []
        for (index, entry) in entries.enumerated() {
            let identityKey = version == 1 ? "package" : "identity"
            let locationKey = version == 1 ? "repositoryURL" : "location"
            let state = entry["state"] as? [String: Any]
            guard let identity = entry[identityKey] as? String, let location = entry[locationKey] as? String else {
                problems.append(
                    SpecProblem(
                        line: 1, keyPath: "\(pinsKey)[\(index)]", message: "needs \(identityKey) and \(locationKey)"))
                continue
            }
            pins.append(
                Pin(
                    identity: version == 1 ? identity.lowercased() : identity, location: location,
                    version: state?["version"] as? String, revision: state?["revision"] as? String))
        }
        guard problems.isEmpty else { throw SpecError(file: file, problems: problems) }
        self.pins = pins
    }

    /// Each pin as a `pkg:swift` package: its name the repository's host and path without `.git`
    /// (`github.com/apple/swift-nio`), its version the tag, else the revision. Package.resolved states no licenses.
    public var resolved: [ResolvedPackage] {
        pins.map { pin in
            ResolvedPackage(
                ecosystem: .swift, name: Self.repositoryPath(pin.location), version: pin.version ?? pin.revision ?? "")
        }
    }

    static func repositoryPath(_ location: String) -> String {
        var path = location
        for scheme in ["https://", "http://", "ssh://", "git@"] where path.hasPrefix(scheme) {
            path.removeFirst(scheme.count)
        }
        path = path.replacingOccurrences(of: ":", with: "/")
        if path.hasSuffix(".git") { path.removeLast(4) }
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
