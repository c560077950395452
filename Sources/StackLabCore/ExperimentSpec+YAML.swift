import Foundation
import Yams

extension ExperimentSpec {
    /// The keys an experiment file may have at its top level.
    static let topLevelKeys = [
        "version", "name", "description", "repeats", "slo", "pricing", "egress", "workload", "workloads", "components",
        "variants", "gate",
    ]

    /// Reads and checks an experiment file.
    ///
    /// - Throws: `SpecError` listing every problem in the file, each with its line and key path;
    ///   `UserError` when the file cannot be read (`InputFile.read`).
    public static func load(path: String) throws -> ExperimentSpec {
        let data = try InputFile.read(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: path, problems: [SpecProblem(line: 1, keyPath: "", message: "not UTF-8 text")])
        }
        return try ExperimentSpec(yaml: text, file: path)
    }

    /// Reads and checks an experiment from YAML text; `file` names it in problems.
    ///
    /// - Throws: `SpecError` listing every problem, in the order of the file.
    public init(yaml: String, file: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw SpecError(file: file, problems: [Self.syntaxProblem(error, yaml: yaml)])
        }
        guard let root else {
            throw SpecError(
                file: file,
                problems: [
                    SpecProblem(
                        line: 1, keyPath: "",
                        message: "the file is empty; an experiment needs name, workload, components and variants")
                ])
        }
        var reader = SpecReader()
        let spec = reader.experiment(root)
        guard let spec, reader.problems.isEmpty else {
            // Sorting is stable, so problems on one line keep the order they were found in.
            let problems = reader.problems.enumerated().sorted {
                ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
            }
            throw SpecError(file: file, problems: problems.map(\.element))
        }
        self = spec
    }

    /// A YAML error from Yams as one problem at the line it names.
    static func syntaxProblem(_ error: any Error, yaml: String) -> SpecProblem {
        func problem(_ mark: Mark, _ text: String, _ context: YamlError.Context?) -> SpecProblem {
            let during = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return SpecProblem(
                line: mark.line, keyPath: "", message: "YAML syntax error at column \(mark.column): \(text)\(during)")
        }
        switch error {
        case YamlError.scanner(let context, let text, let mark, _),
            YamlError.parser(let context, let text, let mark, _),
            YamlError.composer(let context, let text, let mark, _):
            return problem(mark, text, context)
        case YamlError.reader(let text, let offset, _, _):
            let line = offset.map { yaml.prefix($0).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } } ?? 1
            return SpecProblem(line: line, keyPath: "", message: "unreadable text: \(text)")
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { MessageText.quoted($0) }.joined(separator: ", ")
            return SpecProblem(
                line: context.mark.line, keyPath: "",
                message: "key \(names) appears twice in one mapping; keep one")
        default:
            return SpecProblem(line: 1, keyPath: "", message: "YAML syntax error: \(error)")
        }
    }
}

extension SpecReader {
    /// The whole experiment; `nil` if any part of it has a problem.
    mutating func experiment(_ root: Node) -> ExperimentSpec? {
        guard
            let fields = fields(
                root, "", allowed: ExperimentSpec.topLevelKeys,
                expected: "a mapping of keys (name, workload, components, variants, …)")
        else { return nil }

        var version = ExperimentSpec.formatVersion
        if let node = fields["version"], let number = wholeNumber(node, "version", minimum: 1, maximum: Int(Int32.max))
        {
            version = number
            if number > ExperimentSpec.formatVersion {
                let readable = ExperimentSpec.formatVersion
                report(
                    node, "version",
                    "version \(number) is newer than this stacklab reads (\(readable)); upgrade stacklab")
            }
        }
        let name = required(fields, "name", example: "name the experiment, e.g. name: quickstart")
            .flatMap { self.name($0, "name") }
        let description = fields["description"].flatMap { text($0, "description") }
        let repeats =
            fields["repeats"].map { wholeNumber($0, "repeats", minimum: 1, maximum: InputLimits.repeats) }
            ?? ExperimentSpec.defaultRepeats
        let slo = fields["slo"].flatMap { serviceLevelObjective($0, "slo") }
        let gate = fields["gate"].flatMap { gateRules($0, "gate") }
        var pricing: String?
        if let node = fields["pricing"], let text = text(node, "pricing") {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                report(node, "pricing", "empty; give a catalog name such as opencost-default or a file path")
            } else {
                checkPricing(text, node)
            }
            pricing = text
        }
        let egress = fields["egress"].flatMap { egressKind($0, "egress") }
        let (workload, workloads) = experimentWorkloads(fields)
        if fields["slo"] == nil, let node = fields.keyNode("workloads") ?? fields.keyNode("workload"),
            ([workload].compactMap { $0 } + (workloads ?? []).map(\.workload)).contains(where: \.isSearch)
        {
            report(
                node, "slo",
                "a capacity search looks for the highest rate within an SLO, and this experiment has none; "
                    + "add one, e.g. slo: { p99: 20ms, error_rate: 0.1% }")
        }
        let componentsNode = required(
            fields, "components", example: "e.g. components: { app: { kind: app, runtime: swift } }")
        let components = componentsNode.flatMap { self.components($0, "components") }
        let variants = required(fields, "variants", example: "e.g. variants: { direct: [app] }")
            .flatMap {
                self.variants(
                    $0, "variants", defined: componentsNode.flatMap(Self.keys(of:)), components: components)
            }
        if let components, let variants {
            checkStacks(
                variants, components: components, componentsNode: componentsNode, variantsNode: fields["variants"])
        }
        if let workloads, let components, let variants {
            checkWorkloads(workloads, components: components, variants: variants, workloadsNode: fields["workloads"])
        } else if let workload, let components, let variants {
            checkEntries(of: variants, against: workload, components: components, variantsNode: fields["variants"])
        }

        // A promql workload becomes a workload per query, once its entries are checked.
        let (split, splitWorkloads) = splittingQueries(
            workload, workloads, node: fields.keyNode("workloads") ?? fields.keyNode("workload"))

        // Every part that came back nil has reported why.
        guard problems.isEmpty, let name, let repeats, let first = split, let components, let variants else {
            return nil
        }
        var spec = ExperimentSpec(
            version: version, name: name, description: description, repeats: repeats, slo: slo, pricing: pricing,
            workload: first, components: components, variants: variants, workloads: splitWorkloads,
            egress: egress)
        spec.gate = gate
        return spec
    }

    /// `none`, `internet` or `cross-zone`.
    mutating func egressKind(_ node: Node, _ keyPath: String) -> EgressKind? {
        guard let text = text(node, keyPath) else { return nil }
        guard let kind = EgressKind(rawValue: text) else {
            let names = EgressKind.allCases.map(\.rawValue)
            let hint = NameSuggestion.nearest(to: text, among: names).map { "did you mean '\($0)'? " } ?? ""
            report(node, keyPath, "unknown egress '\(text)'; \(hint)expected one of \(names.joined(separator: ", "))")
            return nil
        }
        return kind
    }

    /// The keys of a mapping, in order; `nil` for any other node.
    static func keys(of node: Node) -> [String]? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.keys.compactMap(\.string)
    }
}
