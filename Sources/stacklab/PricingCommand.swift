import ArgumentParser
import Foundation
import StackLabCore
import StackLabReport

/// `stacklab pricing list|show NAME`: the price catalogs runs can be priced with.
struct PricingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pricing",
        abstract: "List the price catalogs, or show one.",
        discussion: """
            A catalog gives $ per vCPU-hour, per GiB-hour, per GB-month of storage and per GB of egress. \
            Instance-based catalogs split an instance price into $/vCPU-h and $/GiB-h with OpenCost's ratio \
            method. Your own catalog is a YAML file of the same form (docs/pricing.md); name its path wherever \
            a catalog name is taken.
            """,
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the shipped price catalogs.")

        func run() {
            var table = TextTable()
            table.add(["catalog", "$/vCPU-h", "$/GiB-h", "$/GB-month", "$/GB egress", "instance", "date"])
            for catalog in PriceCatalogs.shipped {
                table.add(PricingCommand.row(catalog))
            }
            print(table.render())
            print("\n  default: \(PriceCatalogs.defaultName); 'stacklab pricing show NAME' prints one with its source")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a catalog: its prices, where they come from, and the rates derived from them.")

        @Argument(help: "A shipped catalog's name or the path of a catalog file.")
        var catalog: String

        func run() throws {
            let catalog = try PricingCommand.loadCatalog(self.catalog)
            print(PricingCommand.describe(catalog))
        }
    }

    /// A shipped catalog or a catalog file, with a malformed file's problems as one error of several lines.
    static func loadCatalog(_ nameOrPath: String) throws -> PriceCatalog {
        do {
            return try PriceCatalogs.load(nameOrPath: nameOrPath)
        } catch let error as SpecError {
            throw UserError(error.description)
        }
    }

    static func row(_ catalog: PriceCatalog) -> [String] {
        let instance = catalog.instance.map { "\($0.type) \(dollars($0.dollarsPerHour))/h" } ?? "-"
        return [
            catalog.name, dollars(catalog.cpuPerVCPUHour), dollars(catalog.memoryPerGiBHour),
            dollars(catalog.storagePerGBMonth), dollars(catalog.egressPerGB), instance, catalog.date,
        ]
    }

    static func describe(_ catalog: PriceCatalog) -> String {
        var table = TextTable()
        table.add(["per", catalog.currency])
        table.add(["vCPU-hour", dollars(catalog.cpuPerVCPUHour)])
        table.add(["GiB-hour of memory", dollars(catalog.memoryPerGiBHour)])
        table.add(["GB-month of storage", dollars(catalog.storagePerGBMonth)])
        table.add(["GB of egress", dollars(catalog.egressPerGB)])
        var lines = [
            "\(catalog.name): \(catalog.title)",
            "  source: \(catalog.source)",
            "  date:   \(catalog.date)" + (catalog.region.map { ", region \($0)" } ?? ""),
            "",
            table.render(),
        ]
        if let instance = catalog.instance {
            let vcpus = NumberText.trimmed(instance.vcpus)
            let memory = NumberText.trimmed(instance.memoryGiB)
            lines += [
                "",
                "  instance \(instance.type): \(dollars(instance.dollarsPerHour))/h for \(vcpus) vCPU and \(memory) GiB;",
                "  the vCPU and memory rates above are that price split in OpenCost's ratio "
                    + "(\(PriceCatalog.baseRates.cpuPerVCPUHour) : \(PriceCatalog.baseRates.memoryPerGiBHour)).",
            ]
        }
        return lines.joined(separator: "\n")
    }

    /// Dollars with enough digits for the small rates of a catalog (`$0.031611`).
    static func dollars(_ value: Double) -> String {
        "$" + NumberText.trimmed(value, maximumDigits: 6)
    }
}
