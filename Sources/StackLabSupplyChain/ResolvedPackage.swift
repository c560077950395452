/// One dependency as a build resolved it: what a lockfile, a `node_modules` tree or a Debian package says.
public struct ResolvedPackage: Sendable, Equatable {
    /// Where the package's name lives, which decides its package URL (purl).
    public enum Ecosystem: String, Sendable, Equatable {
        case cargo, golang, npm, swift, deb, pypi
    }

    public var ecosystem: Ecosystem
    /// The name in its ecosystem: a crate, a Go module path, an npm name (`@scope/name`), a Swift package's
    /// repository path (`github.com/apple/swift-nio`), a Debian binary package.
    public var name: String
    public var version: String
    /// What the source says of its license, as written there: an SPDX expression (`MIT OR Apache-2.0`) from
    /// Cargo.toml or package.json, or the `License:` names of a Debian copyright file. Empty when it says none.
    public var licenses: [String]
    /// True when `licenses` is an SPDX expression (Cargo, npm); false for Debian's names (`Expat`).
    public var licenseIsExpression: Bool
    /// The Debian package the files came from (`librust-tokio-dev 1.24.2-1`), when they came from one.
    public var debianPackage: String?

    public init(
        ecosystem: Ecosystem, name: String, version: String, licenses: [String] = [],
        licenseIsExpression: Bool = false, debianPackage: String? = nil
    ) {
        self.ecosystem = ecosystem
        self.name = name
        self.version = version
        self.licenses = licenses
        self.licenseIsExpression = licenseIsExpression
        self.debianPackage = debianPackage
    }

    /// The package URL (github.com/package-url/purl-spec): `pkg:cargo/tokio@1.24.2`, `pkg:npm/%40types/pg@8.6.5`,
    /// `pkg:golang/github.com/jackc/pgx/v4@v4.15.0`, `pkg:swift/github.com/apple/swift-nio@2.101.2`,
    /// `pkg:deb/debian/libc6@2.36-9?arch=amd64`.
    public var purl: String {
        let segments = name.split(separator: "/", omittingEmptySubsequences: false).map { Self.encode(String($0)) }
        var purl = "pkg:\(ecosystem.rawValue)/"
        if ecosystem == .deb { purl += "debian/" }
        purl += segments.joined(separator: "/") + "@" + Self.encode(version)
        if ecosystem == .deb, let arch = debianArchitecture { purl += "?arch=\(arch)" }
        return purl
    }

    /// For `.deb`: the architecture, kept apart from the name (`libc6:amd64` names `libc6` with `arch=amd64`).
    public var debianArchitecture: String?

    /// Percent-encodes what a purl segment may not hold as it is (`@` of an npm scope, `:` and `+` of a Debian
    /// version stay readable where the spec allows: `+` is encoded, `:` is not).
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Character(Unicode.Scalar(byte))
            if scalar.isLetter && byte < 128 || scalar.isNumber && byte < 128 || "-._~:".contains(scalar) {
                out.append(scalar)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
