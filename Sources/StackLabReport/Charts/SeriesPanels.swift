/// How a chart's series are split into panels (small multiples) when there are more than one plot carries.
struct SeriesPanels {
    /// One panel: its title and the indices of its series, in their order.
    struct Panel: Equatable {
        var title: String
        var members: [Int]
    }

    /// A way to group the series: a key (and panel title) per series; series with one key share a panel.
    struct Grouping {
        var keys: [String]
    }

    /// More series than this in one plot and lines, labels and legend stop being readable.
    static let seriesPerPlot = 10

    var panels: [Panel]

    /// One panel of every series when they are few; else the grouping that keeps every panel within
    /// `limit` series with the fewest panels (or, when none does, the one with the smallest panels), any panel still
    /// too full cut into parts.
    init(count: Int, groupings: [Grouping], limit: Int = SeriesPanels.seriesPerPlot) {
        guard count > limit else {
            panels = [Panel(title: "", members: Array(0..<count))]
            return
        }
        let candidates = groupings.map(Self.group).filter { $0.count > 1 }
        let fitting = candidates.filter { $0.allSatisfy { $0.members.count <= limit } }
        let chosen =
            fitting.min { $0.count < $1.count }
            ?? candidates.min { ($0.map(\.members.count).max() ?? 0) < ($1.map(\.members.count).max() ?? 0) }
            ?? [Panel(title: "", members: Array(0..<count))]
        panels = chosen.flatMap { panel -> [Panel] in
            guard panel.members.count > limit else { return [panel] }
            let parts = (panel.members.count + limit - 1) / limit
            let size = (panel.members.count + parts - 1) / parts
            return stride(from: 0, to: panel.members.count, by: size).enumerated().map { part, start in
                Panel(
                    title: (panel.title.isEmpty ? "" : panel.title + " ") + "(\(part + 1)/\(parts))",
                    members: Array(panel.members[start..<min(start + size, panel.members.count)]))
            }
        }
    }

    /// True when the series are drawn in more than one panel.
    var isSplit: Bool { panels.count > 1 }

    /// Series grouped by key, groups in the order their first series comes.
    static func group(_ grouping: Grouping) -> [Panel] {
        var panels: [Panel] = []
        for (index, key) in grouping.keys.enumerated() {
            if let at = panels.firstIndex(where: { $0.title == key }) {
                panels[at].members.append(index)
            } else {
                panels.append(Panel(title: key, members: [index]))
            }
        }
        return panels
    }
}
