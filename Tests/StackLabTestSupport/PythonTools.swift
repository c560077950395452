import Foundation

/// The Python tools the CI-output tests check with, in a venv that scripts/test.sh makes: xmlschema with the JUnit
/// schema of Jenkins' xunit plugin (junit-10.xsd, from pytest's source distribution) and Python-Markdown.
public enum PythonTools {
    /// `$STACKLAB_TEST_VENV`, else `~/.stacklab/test-venv`.
    public static var venv: URL {
        if let path = ProcessInfo.processInfo.environment["STACKLAB_TEST_VENV"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".stacklab/test-venv")
    }

    public static var junitSchema: URL { venv.appendingPathComponent("junit-10.xsd") }

    /// True when the venv has its python, xmlschema, markdown and the schema file.
    public static var isInstalled: Bool {
        FileManager.default.fileExists(atPath: junitSchema.path)
            && (try? python("import xmlschema, markdown").status) == 0
    }

    /// Runs the venv's python on `script` with `arguments` (`sys.argv[1:]`); its status and what it printed.
    public static func python(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = venv.appendingPathComponent("bin/python")
        process.arguments = ["-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Nil when the XML file at `path` validates against junit-10.xsd, else the validator's complaint.
    public static func junitSchemaProblem(_ path: String) throws -> String? {
        let outcome = try python(
            "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2]); print('valid')",
            [junitSchema.path, path])
        return outcome.status == 0 && outcome.output.hasPrefix("valid") ? nil : outcome.output
    }

    /// The Markdown file at `path` rendered to HTML by Python-Markdown with its `tables` extension, as a
    /// GitHub-flavoured renderer reads tables.
    public static func markdownHTML(_ path: String) throws -> String {
        let outcome = try python(
            "import sys, markdown; print(markdown.markdown(open(sys.argv[1]).read(), extensions=['tables']))", [path])
        return outcome.output
    }
}
