import Foundation
import StackLabCore

/// The non-standard packages a Go build compiled, as `go list -deps -f '{{if not .Standard}}{{.ImportPath}}
/// {{.Dir}}{{end}}'` prints them: the reference app builds in GOPATH mode from Debian's `/usr/share/gocode`, where
/// no go.sum exists, so this list and dpkg are what the build resolved.
public struct GoPackageList: Sendable, Equatable {
    public struct Package: Sendable, Equatable {
        public var importPath: String
        public var directory: String
    }

    /// The format `go list` is asked for.
    public static let listFormat = "{{if not .Standard}}{{.ImportPath}} {{.Dir}}{{end}}"

    public var packages: [Package]

    /// Reads `go list` output, one `IMPORTPATH DIR` a line; the main package (`_/…` or the one in `mainDirectory`)
    /// is left out.
    ///
    /// - Throws: `SpecError` naming a line without a directory.
    public init(parsing text: String, source: String, mainDirectory: String? = nil) throws {
        var packages: [Package] = []
        var problems: [SpecProblem] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let space = trimmed.firstIndex(of: " ") else {
                problems.append(SpecProblem(line: index + 1, keyPath: "", message: "expected 'IMPORTPATH DIR'"))
                continue
            }
            let importPath = String(trimmed[..<space])
            let directory = trimmed[trimmed.index(after: space)...].trimmingCharacters(in: .whitespaces)
            if importPath.hasPrefix("_/") || directory == mainDirectory { continue }
            packages.append(Package(importPath: importPath, directory: directory))
        }
        guard problems.isEmpty else { throw SpecError(file: source, problems: problems) }
        self.packages = packages
    }

    /// The packages grouped into modules, one per Debian package that holds them: the module path from the
    /// go.mod above a package's directory, else the longest import path all its packages share; the version is
    /// the upstream part of the Debian version (`4.15.0-4` → `v4.15.0`). Packages dpkg does not know are
    /// grouped by directory with no version, and say so.
    ///
    /// - Parameters:
    ///   - owner: the Debian package holding a directory (`DebianPackages.owner(of:)`).
    ///   - debian: the version and licenses of a Debian package.
    public func modules(
        owner: (String) -> String?, debian: (String) -> ResolvedPackage?,
        goModule: (String) -> String? = GoPackageList.moduleFromGoMod
    ) -> [ResolvedPackage] {
        var order: [String] = []
        var groups: [String: [Package]] = [:]
        for package in packages {
            let key = owner(package.directory) ?? "?" + package.directory
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(package)
        }
        return order.map { key in
            let members = groups[key] ?? []
            let module = members.compactMap { goModule($0.directory) }.first ?? Self.commonPath(members)
            guard !key.hasPrefix("?"), let installed = debian(key) else {
                return ResolvedPackage(ecosystem: .golang, name: module, version: "")
            }
            return ResolvedPackage(
                ecosystem: .golang, name: module, version: "v" + Self.upstreamVersion(installed.version),
                licenses: installed.licenses, debianPackage: "\(installed.name) \(installed.version)")
        }
    }

    /// The module a directory belongs to: the `module` line of the nearest go.mod at or above it.
    public static func moduleFromGoMod(_ directory: String) -> String? {
        var url = URL(fileURLWithPath: directory)
        while url.path.count > 1 {
            if let text = try? String(contentsOf: url.appendingPathComponent("go.mod"), encoding: .utf8) {
                for line in text.split(separator: "\n") where line.hasPrefix("module ") {
                    return line.dropFirst(7).trimmingCharacters(in: .whitespaces)
                }
            }
            url.deleteLastPathComponent()
        }
        return nil
    }

    /// The longest run of leading path segments every import path shares.
    static func commonPath(_ packages: [Package]) -> String {
        guard var common = packages.first?.importPath.split(separator: "/") else { return "" }
        for package in packages.dropFirst() {
            let segments = package.importPath.split(separator: "/")
            common = Array(zip(common, segments).prefix { $0 == $1 }.map(\.0))
        }
        return common.joined(separator: "/")
    }

    /// A Debian version's upstream part: no epoch, no Debian revision, no repack suffix (`1:0.7.0+ds-2` → `0.7.0`); a
    /// snapshot stays as Debian writes it (`0.0~git20200714.2b9c447`).
    static func upstreamVersion(_ version: String) -> String {
        var upstream = Substring(version)
        if let colon = upstream.firstIndex(of: ":") { upstream = upstream[upstream.index(after: colon)...] }
        if let dash = upstream.lastIndex(of: "-") { upstream = upstream[..<dash] }
        if let cut = upstream.firstIndex(of: "+") { upstream = upstream[..<cut] }
        return String(upstream)
    }
}
