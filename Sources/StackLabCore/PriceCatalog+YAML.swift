import Foundation
import Yams

extension PriceCatalog {
    static let keys = [
        "name", "title", "source", "date", "currency", "region", "cpu_per_vcpu_hour", "memory_per_gib_hour",
        "storage_per_gb_month", "egress_per_gb", "cross_zone_egress_per_gb", "instance",
    ]
    static let instanceKeys = ["type", "dollars_per_hour", "vcpus", "memory_gib"]

    /// Reads and checks a catalog file.
    ///
    /// - Throws: `SpecError` listing every problem with its line and key; `UserError` when the file cannot be read.
    public static func load(path: String) throws -> PriceCatalog {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch let error as UserError where error.message.hasSuffix(": no such file") {
            throw UserError(String(error.message.dropLast("no such file".count)) + "no such price catalog file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: path, problems: [SpecProblem(line: 1, keyPath: "", message: "not UTF-8 text")])
        }
        return try PriceCatalog(yaml: text, file: path)
    }

    /// Reads and checks a catalog from YAML text (docs/pricing.md); `file` names it in problems.
    public init(yaml: String, file: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw SpecError(file: file, problems: [ExperimentSpec.syntaxProblem(error, yaml: yaml)])
        }
        var reader = SpecReader()
        guard let root else {
            throw SpecError(
                file: file, problems: [SpecProblem(line: 1, keyPath: "", message: "the price catalog is empty")])
        }
        let catalog = reader.catalog(root)
        guard let catalog, reader.problems.isEmpty else {
            throw SpecError(file: file, problems: reader.problems.sorted { $0.line < $1.line })
        }
        self = catalog
    }
}

extension SpecReader {
    mutating func catalog(_ root: Node) -> PriceCatalog? {
        guard let fields = fields(root, "", allowed: PriceCatalog.keys, expected: "a price catalog mapping")
        else { return nil }
        let name = required(fields, "name", example: "name: my-prices").flatMap { self.name($0, "name") }
        let title = required(fields, "title", example: "title: what these prices are").flatMap { text($0, "title") }
        let source = required(fields, "source", example: "source: where the prices were read").flatMap {
            text($0, "source")
        }
        let date = required(fields, "date", example: "date: 2026-01-19").flatMap { text($0, "date") }
        let currency = fields["currency"].flatMap { text($0, "currency") } ?? "USD"
        let region = fields["region"].flatMap { text($0, "region") }
        let storage = required(fields, "storage_per_gb_month", example: "storage_per_gb_month: 0.04").flatMap {
            price($0, "storage_per_gb_month")
        }
        let egress = required(fields, "egress_per_gb", example: "egress_per_gb: 0.12").flatMap {
            price($0, "egress_per_gb")
        }
        let crossZone = fields["cross_zone_egress_per_gb"].flatMap { price($0, "cross_zone_egress_per_gb") }
        let instance = fields["instance"].flatMap { catalogInstance($0, "instance") }
        var cpu = fields["cpu_per_vcpu_hour"].flatMap { price($0, "cpu_per_vcpu_hour") }
        var memory = fields["memory_per_gib_hour"].flatMap { price($0, "memory_per_gib_hour") }
        if let instance {
            let split = PriceCatalog.ratioSplit(instance)
            cpu = cpu ?? split.cpuPerVCPUHour
            memory = memory ?? split.memoryPerGiBHour
        } else if fields["instance"] == nil {
            let example = "give cpu_per_vcpu_hour and memory_per_gib_hour, or an instance to split"
            if cpu == nil, fields["cpu_per_vcpu_hour"] == nil { reportMissing(fields, "cpu_per_vcpu_hour", example) }
            if memory == nil, fields["memory_per_gib_hour"] == nil {
                reportMissing(fields, "memory_per_gib_hour", example)
            }
        }
        guard let name, let title, let source, let date, let storage, let egress, let cpu, let memory else {
            return nil
        }
        return PriceCatalog(
            name: name, title: title, source: source, date: date, currency: currency, region: region,
            cpuPerVCPUHour: cpu, memoryPerGiBHour: memory, storagePerGBMonth: storage, egressPerGB: egress,
            crossZoneEgressPerGB: crossZone, instance: instance)
    }

    mutating func catalogInstance(_ node: Node, _ keyPath: String) -> PriceCatalog.Instance? {
        guard let fields = fields(node, keyPath, allowed: PriceCatalog.instanceKeys, expected: "an instance mapping")
        else { return nil }
        let example = "instance: { type: m7i.large, dollars_per_hour: 0.1008, vcpus: 2, memory_gib: 8 }"
        let type = required(fields, "type", example: example).flatMap { text($0, fields.path("type")) }
        let price = required(fields, "dollars_per_hour", example: example).flatMap {
            self.price($0, fields.path("dollars_per_hour"))
        }
        let vcpus = required(fields, "vcpus", example: example).flatMap {
            positive($0, fields.path("vcpus"))
        }
        let memory = required(fields, "memory_gib", example: example).flatMap {
            positive($0, fields.path("memory_gib"))
        }
        guard let type, let price, let vcpus, let memory else { return nil }
        return PriceCatalog.Instance(type: type, dollarsPerHour: price, vcpus: vcpus, memoryGiB: memory)
    }

    /// A price: a number of dollars, zero or more.
    mutating func price(_ node: Node, _ keyPath: String) -> Double? {
        guard let value = number(node, keyPath) else { return nil }
        guard value >= 0 else {
            report(node, keyPath, "a price cannot be negative, found \(scalarText(node) ?? "\(value)")")
            return nil
        }
        return value
    }

    mutating func positive(_ node: Node, _ keyPath: String) -> Double? {
        guard let value = number(node, keyPath) else { return nil }
        guard value > 0 else {
            report(node, keyPath, "must be more than 0, found \(scalarText(node) ?? "\(value)")")
            return nil
        }
        return value
    }

    mutating func number(_ node: Node, _ keyPath: String) -> Double? {
        guard case .scalar(let scalar) = node,
            let value = Double(scalar.string.replacingOccurrences(of: "_", with: "")),
            value.isFinite
        else {
            report(node, keyPath, "expected a number, found \(Self.found(node))")
            return nil
        }
        return value
    }
}
