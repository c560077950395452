import Foundation

extension LabMeasurement {
    /// The measurements of the Markdown reports (`*-report.md`, as `stacklab report --format md` writes them)
    /// in `directory`, the results StackLab ships in `docs/results`.
    ///
    /// A report names its experiment (`# StackLab run \`gateways\``), each variant and its stack
    /// (`## Variant \`nginx\`: \`nginx\` → \`app\``) and, under an SLO, the sweep's verdict ("Highest rate
    /// within the SLO: **4,000/s**" or "No offered rate is within the SLO"). Component names are turned into
    /// kinds by the experiment's file in `examplesDirectory` (`examples/gateways.yaml`), else taken as kinds.
    public static func fromReports(in directory: String, examplesDirectory: String?) -> [LabMeasurement] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var result: [LabMeasurement] = []
        for file in files.sorted() where file.hasSuffix("-report.md") {
            guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) else { continue }
            result += parseReport(text, source: "\(directory)/\(file)", examplesDirectory: examplesDirectory)
        }
        return result
    }

    static func parseReport(_ text: String, source: String, examplesDirectory: String?) -> [LabMeasurement] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let title = lines.first, title.hasPrefix("# StackLab run "), let experiment = ticked(title).first else {
            return []
        }
        let kinds = examplesDirectory.map { LabInventory.componentKinds(inExample: "\($0)/\(experiment).yaml") } ?? [:]
        var result: [LabMeasurement] = []
        var variant: (name: String, kinds: [String])?
        var workload: String?
        for line in lines {
            if line.hasPrefix("## Workload ") {
                workload = ticked(line).first
            } else if line.hasPrefix("## Variant ") || line.hasPrefix("### Variant ") {
                let names = ticked(line)
                guard let name = names.first else { continue }
                let stack = names.dropFirst().map { kinds[$0] ?? $0 }.filter { $0 != "app" }
                variant = (workload.map { "\(name), workload \($0)" } ?? name, Array(Set(stack)).sorted())
            } else if let current = variant,
                line.hasPrefix("Highest rate within the SLO:") || line.hasPrefix("No offered rate is within the SLO")
            {
                let rate = line.hasPrefix("Highest") ? firstNumber(in: line) : nil
                result += current.kinds.map {
                    LabMeasurement(
                        kind: $0, experiment: experiment, variant: current.name, source: source,
                        highestRateWithinSLO: rate)
                }
                variant = nil
            }
        }
        return result
    }

    /// The `ticked` words of a Markdown line, in order.
    static func ticked(_ line: String) -> [String] {
        let parts = line.split(separator: "`", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count - 1, by: 2).map { String(parts[$0]) }
    }

    /// `4000` from `... **≥ 4,000/s** ...`.
    static func firstNumber(in line: String) -> Double? {
        guard let range = line.range(of: #"\d[\d,]*(\.\d+)?"#, options: .regularExpression) else { return nil }
        return Double(line[range].replacingOccurrences(of: ",", with: ""))
    }
}
