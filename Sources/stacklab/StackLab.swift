import ArgumentParser
import Foundation
import Logging
import StackLabCore

/// The `stacklab` command: measures what each layer of a cloud-native stack costs.
struct StackLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stacklab",
        abstract: "Measure what each layer of a cloud-native stack costs, in latency and in dollars.",
        version: StackLabVersion.current,
        subcommands: [
            RunCommand.self, LoadCommand.self, ValidateCommand.self, RunsCommand.self, ShowCommand.self,
            DeleteCommand.self, ReportCommand.self, CompareCommand.self, PricingCommand.self, ComponentsCommand.self,
            InstallCommand.self, VerifyCommand.self, DiscoverCommand.self, MeshCostCommand.self, PlanCommand.self,
            ExportCommand.self, ImportCommand.self, SBOMCommand.self, ImageCommand.self,
        ]
    )
}

/// Exit with a status after the output is written (a failed threshold exits 99).
struct ExitStatus: Error {
    var code: Int32
}

@main
enum Main {
    static func main() async {
        // Library code logs at .info and below; a user sees warnings unless STACKLAB_LOG_LEVEL says otherwise.
        let level =
            ProcessInfo.processInfo.environment["STACKLAB_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            var command = try StackLab.parseAsRoot(Self.splitAttachedValues(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as UserError {
            Terminal.error(error.message)
            exit(error.exitCode)
        } catch let error as SpecError {
            // Every problem of a malformed file, each as FILE:LINE: KEY: MESSAGE.
            Terminal.error(error.description)
            exit(UserError.usageExitCode)
        } catch let status as ExitStatus {
            exit(status.code)
        } catch {
            let code = StackLab.exitCode(for: error)
            if code == .success {
                print(StackLab.fullMessage(for: error))
                exit(0)
            }
            // Bad command-line input: one line and exit 2, as for every other mistake the user can fix.
            let message = StackLab.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Terminal.error(message + " (see 'stacklab help')")
            exit(UserError.usageExitCode)
        }
    }

    /// Short options with values written as wrk users write them (`-t1 -c50 -d10s`) become `-t 1 -c 50 -d 10s`,
    /// and a negative number after an option becomes its value (`--rate -5` is `--rate=-5`), so that the option's
    /// own check says what is wrong rather than the parser taking `-5` for an option.
    static func splitAttachedValues(_ arguments: [String]) -> [String] {
        let takesValue: Set<Character> = ["c", "t", "d", "r", "X", "H"]
        let longNames: [String: String] = [
            "-c": "--connections", "-t": "--threads", "-d": "--duration", "-r": "--rate", "-P": "--pipeline",
        ]
        var result: [String] = []
        for argument in arguments {
            let characters = Array(argument)
            if characters.count > 2, characters[0] == "-", characters[1] != "-", takesValue.contains(characters[1]) {
                result.append(String(characters[0...1]))
                result.append(String(characters[2...]))
            } else if let option = result.last, isNegativeNumber(argument),
                let long = option.hasPrefix("--") && !option.contains("=") ? option : longNames[option]
            {
                result[result.count - 1] = long + "=" + argument
            } else {
                result.append(argument)
            }
        }
        return result
    }

    /// `-5`, `-0.5`, `-1e3`, `-5/s`, `-1s`: a value no option is spelt like.
    static func isNegativeNumber(_ argument: String) -> Bool {
        let rest = argument.dropFirst()
        return argument.hasPrefix("-") && (rest.first?.isNumber == true || (rest.first == "." && rest.count > 1))
    }
}
