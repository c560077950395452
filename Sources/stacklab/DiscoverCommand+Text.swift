import Foundation
import StackLabDiscovery
import StackLabReport

extension DiscoverCommand {
    static func title(_ landscape: StackLabDiscovery.Landscape) -> String {
        "landscape \(landscape.date ?? "(undated)"): \(landscape.items.count) items "
            + "(\(landscape.listings.count) listings) in \(landscape.categories.count) categories"
    }

    static func summary(_ landscape: StackLabDiscovery.Landscape) -> String {
        var table = TextTable()
        table.add(["category", "items", "sandbox", "incubating", "graduated", "archived"])
        for category in landscape.categories {
            let items = landscape.items(inCategory: category.name)
            table.add(
                [category.name, "\(items.count)"]
                    + ProjectMaturity.allCases.map { maturity in "\(items.count { $0.maturity == maturity })" })
        }
        return title(landscape) + "\n\n" + table.render()
    }

    static func describe(_ diff: LandscapeDiff, all: Bool) -> String {
        var lines = [
            "from " + title(diff.older), "  to " + title(diff.newer), "",
            "  \(diff.added.count) added, \(diff.removed.count) removed, \(diff.maturityChanges.count) maturity "
                + "changes (\(diff.maturityMoves.count) moves, \(diff.maturityChanges.count - diff.maturityMoves.count) "
                + "in a second listing only), \(diff.moves.count) moved to another subcategory, "
                + "\(diff.likelyRenames.count) likely renames (counted as removed and added)",
            "",
        ]
        var table = TextTable()
        table.add(["category", "added", "removed", "maturity"])
        for row in diff.byCategory {
            table.add([row.category, "\(row.added)", "\(row.removed)", "\(row.maturityChanges)"])
        }
        lines.append(table.render())
        lines.append("\nmaturity changes")
        var changes = TextTable()
        for change in diff.maturityChanges.sorted(by: { $0.name < $1.name }) {
            let note = change.isListingOnly ? "  (a second listing only)" : ""
            changes.add([change.name, "\(change.from.label) → \(change.to.label)\(note)", change.category])
        }
        lines.append(changes.render())
        if !diff.likelyRenames.isEmpty {
            lines.append("\nlikely renames (same repository)")
            lines += diff.likelyRenames.map { "  \($0.removed) → \($0.added)" }
        }
        if all {
            lines.append("\nadded")
            lines += diff.added.map { "  + \($0.name)  (\($0.category) / \($0.subcategory))" }
            lines.append("\nremoved")
            lines += diff.removed.map { "  - \($0.name)  (\($0.category) / \($0.subcategory))" }
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ result: CrossValidation, _ landscape: StackLabDiscovery.Landscape) -> String {
        var table = TextTable()
        table.add(["area", "items", "correct", "accuracy"])
        for area in LabArea.allCases {
            let counts = result.perArea[area] ?? (0, 0)
            table.add([area.title, "\(counts.total)", "\(counts.correct)", percent(counts.correct, counts.total)])
        }
        return """
            \(title(landscape))
            complement naive Bayes over the stems of names and descriptions, \(result.folds)-fold cross-validation (seed \(result.seed)) \
            against the labels of the rule layers

            \(table.render())

              accuracy \(percent(result.correct, result.total)) of \(result.total) labelled items, \
            \(NumberText.percent(result.meanAreaAccuracy, digits: 1)) on average over the areas \
            (always answering the largest area: \(NumberText.percent(result.majorityBaseline, digits: 1)))
            """
    }

    static func describe(
        _ suggestions: [Suggestion], newer: StackLabDiscovery.Landscape, older: StackLabDiscovery.Landscape?,
        limit: Int, feeds announcements: Int? = nil, inventory: LabInventory? = nil, githubAsked: Bool = false
    ) -> String {
        var lines = [title(newer)]
        lines.append(
            older.map { "compared with \($0.date ?? "the older snapshot")" }
                ?? "one snapshot: no movement or novelty (--since OLD_FILE)")
        let queried = suggestions.contains { $0.traction.stars != nil }
        let tractionSource =
            queried
            ? "snapshots and GitHub (where it answered)"
            : githubAsked
                ? "snapshots only: GitHub did not answer (see the note), its terms left out"
                : "snapshots only: GitHub not asked (--github), its terms left out"
        lines.append("traction: " + tractionSource)
        lines.append(
            announcements.map { "news: \($0) announcement(s) read from the feeds" }
                ?? "news: no feed read (--feed FILE_OR_URL), its term left out")
        if let inventory {
            let good = inventory.components.filter(\.isFoundGood).map(\.kind)
            lines.append(
                "found good by the lab (a stored run or a report met its SLO): "
                    + (good.isEmpty ? "none (no stored result or report met an SLO)" : good.joined(separator: ", ")))
        }
        for action in Suggestion.Action.allCases {
            let chosen = suggestions.filter { $0.action == action }
            let shown = action == .add ? Array(chosen.prefix(limit)) : chosen
            lines.append(
                "\n\(action.rawValue) (\(chosen.count)\(shown.count < chosen.count ? ", first \(shown.count)" : ""))")
            if chosen.isEmpty { lines.append("  none") }
            for suggestion in shown {
                lines.append(
                    "  \(suggestion.name) [\(suggestion.area?.title ?? "-"), \(suggestion.maturity.label)]: \(suggestion.reason)"
                )
                lines.append(
                    "      traction \(suggestion.traction.formula); " + suggestion.evidence.joined(separator: "; "))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "-" : NumberText.percent(Double(part) / Double(whole), digits: 1)
    }
}
