import Foundation
import StackLabCore

/// The shared libraries an executable loads, as `ldd` resolves them on this machine: what an image built from
/// scratch must hold for the executable to start.
public enum SharedLibraryClosure {
    /// The libraries of `executable`, the dynamic loader included; empty for a static executable.
    ///
    /// - Throws: `UserError` naming a library ldd cannot find.
    public static func of(_ executable: String) throws -> [String] {
        let outcome = try ToolRun.capture("ldd", [executable])
        let text = outcome.stdout + outcome.stderr
        if text.contains("not a dynamic executable") || text.contains("statically linked") { return [] }
        guard outcome.status == 0 else {
            throw UserError("ldd \(executable) failed: \(MessageText.oneLine(text, limit: 300))", exitCode: 1)
        }
        return try parse(outcome.stdout, executable: executable)
    }

    /// The absolute paths of `ldd` output, in its order: `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)` and
    /// the loader's `/lib64/ld-linux-x86-64.so.2 (0x…)`; the kernel's vDSO, which has no file, is left out.
    ///
    /// - Throws: `UserError` naming each library marked `not found`.
    static func parse(_ output: String, executable: String) throws -> [String] {
        var paths: [String] = []
        var missing: [String] = []
        for raw in output.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("not found") {
                missing.append(String(line.split(separator: " ").first ?? ""))
                continue
            }
            let target = line.range(of: "=> ").map { String(line[$0.upperBound...]) } ?? line
            guard target.hasPrefix("/") else { continue }
            let path = target.split(separator: " (0x").first.map(String.init) ?? target
            if !paths.contains(path) { paths.append(path) }
        }
        guard missing.isEmpty else {
            throw UserError(
                "\(executable) needs \(missing.joined(separator: ", ")), which ldd does not find on this machine",
                exitCode: 1)
        }
        return paths
    }
}
