import Foundation
import StackLabCore

/// A CycloneDX 1.5 bill of materials in its JSON form (cyclonedx.org/docs/1.5/json), as much of it as StackLab
/// writes: the app as the subject, one `library` component per resolved package, and the app's dependency on each.
public struct CycloneDXDocument: Codable, Sendable, Equatable {
    public var bomFormat = "CycloneDX"
    public var specVersion = "1.5"
    /// `urn:uuid:…`, new for each document.
    public var serialNumber: String
    public var version = 1
    public var metadata: Metadata
    public var components: [Component]
    public var dependencies: [Dependency]

    public struct Metadata: Codable, Sendable, Equatable {
        /// ISO 8601, seconds.
        public var timestamp: String
        public var tools: Tools
        /// The app the document is about.
        public var component: Component
    }

    public struct Tools: Codable, Sendable, Equatable {
        public var components: [Component]
    }

    public struct Component: Codable, Sendable, Equatable {
        public var type: String
        public var bomRef: String
        public var name: String
        public var version: String
        public var purl: String?
        public var licenses: [LicenseChoice]?
        public var properties: [Property]?

        enum CodingKeys: String, CodingKey {
            case type, name, version, purl, licenses, properties
            case bomRef = "bom-ref"
        }
    }

    /// Either one SPDX expression, or a license named as its source names it.
    public struct LicenseChoice: Codable, Sendable, Equatable {
        public var expression: String?
        public var license: NamedLicense?
    }

    public struct NamedLicense: Codable, Sendable, Equatable {
        public var name: String
    }

    public struct Property: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public struct Dependency: Codable, Sendable, Equatable {
        public var ref: String
        public var dependsOn: [String]
    }

    /// The document for `app` (name, version) built from what its build resolved.
    ///
    /// - Parameters:
    ///   - lockfile: the file or command the packages were read from, recorded as a property of the app.
    public init(
        app: String, version: String, packages: [ResolvedPackage], lockfile: String, date: Date = Date(),
        tool: String = StackLabVersion.current
    ) {
        serialNumber = "urn:uuid:" + UUID().uuidString.lowercased()
        let subject = Component(
            type: "application", bomRef: app, name: app, version: version, purl: nil, licenses: nil,
            properties: [Property(name: "stacklab:resolved-from", value: lockfile)])
        let formatter = ISO8601DateFormatter()
        metadata = Metadata(
            timestamp: formatter.string(from: date),
            tools: Tools(components: [
                Component(
                    type: "application", bomRef: "stacklab", name: "stacklab", version: tool, purl: nil,
                    licenses: nil, properties: nil)
            ]),
            component: subject)
        var seen = Set<String>()
        components = packages.compactMap { package in
            guard seen.insert(package.purl).inserted else { return nil }
            return Self.component(package)
        }
        dependencies = [Dependency(ref: app, dependsOn: components.map(\.bomRef))]
    }

    static func component(_ package: ResolvedPackage) -> Component {
        var licenses: [LicenseChoice]?
        if !package.licenses.isEmpty {
            licenses =
                package.licenseIsExpression && package.licenses.count == 1
                ? [LicenseChoice(expression: package.licenses[0], license: nil)]
                : package.licenses.map { LicenseChoice(expression: nil, license: NamedLicense(name: $0)) }
        }
        let properties = package.debianPackage.map { [Property(name: "stacklab:debian-package", value: $0)] }
        return Component(
            type: "library", bomRef: package.purl, name: package.name, version: package.version, purl: package.purl,
            licenses: licenses, properties: properties)
    }

    /// The JSON text: two-space indented, keys sorted, slashes as they are.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
