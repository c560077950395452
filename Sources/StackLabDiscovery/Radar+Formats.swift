import Foundation

/// The radar in the formats publishing tools read.
extension Radar {
    public enum Format: String, Sendable, CaseIterable {
        /// Zalando's tech-radar: `radar_visualization({...})`'s config with `quadrants`, `rings` and `entries`
        /// (`label`, `quadrant` 0-3, `ring` 0-3, `moved`, `link`, `active`).
        case zalando
        /// Backstage's tech-radar plugin: `TechRadarLoaderResponse` (`quadrants`, `rings`, `entries` with `id`,
        /// `key`, `title`, `quadrant` id and a `timeline` of `{moved, ringId, date, description}`).
        case backstage
        /// Thoughtworks' build-your-own-radar CSV: `name,ring,quadrant,isNew,description`.
        case csv
    }

    /// The radar as text in `format`.
    public func rendered(as format: Format) -> String {
        switch format {
        case .zalando: Self.json(zalando)
        case .backstage: Self.json(backstage)
        case .csv: csv
        }
    }

    var zalando: [String: Any] {
        [
            "title": title,
            "date": date,
            "quadrants": Quadrant.allCases.map { ["name": $0.name] },
            "rings": Ring.allCases.map { ["name": $0.name.uppercased(), "color": $0.color] },
            "entries": entries.map { entry -> [String: Any] in
                var object: [String: Any] = [
                    "label": entry.name, "quadrant": entry.quadrant.rawValue, "ring": entry.ring.rawValue,
                    "moved": entry.moved, "active": true,
                ]
                if let link = entry.link { object["link"] = link }
                return object
            },
        ]
    }

    var backstage: [String: Any] {
        [
            "quadrants": Quadrant.allCases.map { ["id": $0.id, "name": $0.name] },
            "rings": Ring.allCases.map {
                ["id": $0.name.lowercased(), "name": $0.name.uppercased(), "color": $0.color]
            },
            "entries": entries.map { entry -> [String: Any] in
                var object: [String: Any] = [
                    "id": Self.slug(entry.name), "key": Self.slug(entry.name), "title": entry.name,
                    "quadrant": entry.quadrant.id, "description": entry.description,
                    "timeline": [
                        [
                            "moved": max(-1, min(1, entry.moved)), "ringId": entry.ring.name.lowercased(),
                            "date": date, "description": entry.description,
                        ] as [String: Any]
                    ],
                ]
                if let link = entry.link { object["url"] = link }
                return object
            },
        ]
    }

    var csv: String {
        var lines = ["name,ring,quadrant,isNew,description"]
        for entry in entries {
            lines.append(
                [entry.name, entry.ring.name, entry.quadrant.name, entry.isNew ? "TRUE" : "FALSE", entry.description]
                    .map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `open-policy-agent-opa` from `Open Policy Agent (OPA)`.
    static func slug(_ name: String) -> String {
        name.lowercased().split { !($0.isLetter || $0.isNumber) }.joined(separator: "-")
    }

    static func json(_ object: Any) -> String {
        let data =
            (try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
