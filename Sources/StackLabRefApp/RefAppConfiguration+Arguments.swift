import Logging

extension RefAppConfiguration {
    /// The help text `--help` prints.
    public static let usage = """
        USAGE: stacklab-refapp [--host HOST] [--port PORT] [--threads N] [--db-path PATH | --database-url URL]
                               [--delay DURATION]

        The StackLab reference app: TechEmpower's /plaintext, /json, /db, /queries and /updates, plus /health.

        OPTIONS:
          --host HOST          address to bind (env HOST; default 127.0.0.1)
          --port PORT          TCP port, 0 for any free one (env PORT; default 8080)
          --threads N          event loop threads (default: one per core)
          --db-path PATH       SQLite file, created and seeded when missing (env DB_PATH; default ./refapp.sqlite)
          --database-url URL   use PostgreSQL instead: postgres://user:pass@127.0.0.1:5432/db (env DATABASE_URL)
          --delay DURATION     wait this long (e.g. 2ms, 250us) before every response but /health's, to inject
                               a known regression (default 0)
          -h, --help           show this help

        LOG_LEVEL (trace, debug, info, notice, warning, error, critical) sets the log level; logs go to stderr.
        """

    static let flagNames: Set<String> = ["--host", "--port", "--threads", "--db-path", "--database-url", "--delay"]

    /// True when the arguments ask for the help text.
    public static func isHelpRequest(_ arguments: [String]) -> Bool {
        arguments.contains("--help") || arguments.contains("-h")
    }

    /// Reads the command-line arguments (program name excluded), then the environment for what they leave out.
    ///
    /// Flags take their value as the next argument or after `=`. A flag beats its environment variable;
    /// a PostgreSQL URL (flag or `DATABASE_URL`) selects PostgreSQL unless `--db-path` is given.
    /// - Throws: `RefAppError` (exit code 2) for an unknown argument or a value that does not parse.
    public init(arguments: [String], environment: [String: String]) throws {
        let flags = try Self.flags(in: arguments)
        if flags["--db-path"] != nil, flags["--database-url"] != nil {
            throw RefAppError("give --db-path or --database-url, not both")
        }
        self.init()
        if let host = flags["--host"] ?? environment["HOST"] {
            guard !host.isEmpty else { throw RefAppError("the host is empty; write e.g. --host 127.0.0.1") }
            self.host = host
        }
        if let flag = flags["--port"] {
            self.port = try Self.port(flag, name: "--port")
        } else if let variable = environment["PORT"] {
            self.port = try Self.port(variable, name: "PORT")
        }
        if let threads = flags["--threads"] {
            guard let count = Int(threads), (1...1_024).contains(count) else {
                throw RefAppError("--threads '\(threads)' is not a thread count; write a number from 1 to 1024")
            }
            self.threads = count
        }
        if let path = flags["--db-path"] {
            self.database = try .sqlite(path: Self.path(path, name: "--db-path"))
        } else if let url = flags["--database-url"] ?? environment["DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            self.database = .postgres(try PostgresURL(parsing: url))
        } else if let path = environment["DB_PATH"] {
            self.database = try .sqlite(path: Self.path(path, name: "DB_PATH"))
        }
        if let text = flags["--delay"] {
            guard let delay = RequestDelay<RefAppRequestContext>.parse(text) else {
                throw RefAppError("--delay '\(text)' is not a delay; write e.g. 2ms or 250us, at most 10s")
            }
            self.delay = delay
        }
        if let level = environment["LOG_LEVEL"] {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw RefAppError(
                    "LOG_LEVEL '\(level)' is not one of trace, debug, info, notice, warning, error, critical")
            }
            self.logLevel = parsed
        }
    }

    private static func flags(in arguments: [String]) throws -> [String: String] {
        var flags: [String: String] = [:]
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard flagNames.contains(name) else {
                throw RefAppError("unknown argument '\(argument)'; run stacklab-refapp --help for the options")
            }
            if parts.count == 2 {
                flags[name] = String(parts[1])
            } else {
                index += 1
                guard index < arguments.endIndex else { throw RefAppError("\(name) needs a value") }
                flags[name] = arguments[index]
            }
            index += 1
        }
        return flags
    }

    private static func port(_ text: String, name: String) throws -> Int {
        guard let port = Int(text), (0...65_535).contains(port) else {
            throw RefAppError("\(name) '\(text)' is not a port; write a number from 0 to 65535")
        }
        return port
    }

    private static func path(_ text: String, name: String) throws -> String {
        guard !text.isEmpty else { throw RefAppError("\(name) is empty; give the SQLite file's path") }
        return text
    }
}
