import Foundation
import StackLabRefApp

// Parse, wire, run: everything else lives in StackLabRefApp, where the tests reach it.
let arguments = Array(CommandLine.arguments.dropFirst())
if RefAppConfiguration.isHelpRequest(arguments) {
    print(RefAppConfiguration.usage)
    exit(0)
}

func fail(_ message: String, exitCode: Int32) -> Never {
    FileHandle.standardError.write(Data("stacklab-refapp: \(message)\n".utf8))
    exit(exitCode)
}

do {
    let configuration = try RefAppConfiguration(arguments: arguments, environment: ProcessInfo.processInfo.environment)
    try await RefApp.run(configuration: configuration) { line in
        // Unbuffered, so a supervisor reading a pipe sees the line at once.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
} catch let error as RefAppError {
    fail(error.message, exitCode: error.exitCode)
} catch {
    fail("\(error)", exitCode: RefAppError.runtimeExitCode)
}
