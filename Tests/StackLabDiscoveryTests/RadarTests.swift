import Foundation
import Testing

@testable import StackLabDiscovery

struct RadarTests {
    static let radar: Radar = {
        let suggester = Suggester(
            newer: Snapshots.newer, older: Snapshots.older,
            inventory: LabInventory.shipped(
                examplesDirectory: Snapshots.examples,
                measurements: LabMeasurement.fromReports(
                    in: LabMeasurementTests.shippedResults, examplesDirectory: Snapshots.examples)))
        return Radar(suggester: suggester, suggestions: suggester.suggestions())
    }()

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func zalandoEntriesHaveTheDocumentedShape() throws {
        let root = try Self.object(Self.radar.rendered(as: .zalando))
        #expect((root["quadrants"] as? [[String: Any]])?.count == 4)
        #expect((root["rings"] as? [[String: Any]])?.count == 4)
        let entries = try #require(root["entries"] as? [[String: Any]])
        #expect(!entries.isEmpty)
        for entry in entries {
            #expect(entry["label"] is String)
            #expect((entry["quadrant"] as? Int).map { (0...3).contains($0) } == true)
            #expect((entry["ring"] as? Int).map { (0...3).contains($0) } == true)
            #expect((entry["moved"] as? Int).map { (-1...2).contains($0) } == true)
        }
    }

    @Test func backstageResponseHasTheDocumentedShape() throws {
        let root = try Self.object(Self.radar.rendered(as: .backstage))
        let quadrants = try #require(root["quadrants"] as? [[String: String]])
        let rings = try #require(root["rings"] as? [[String: String]])
        let quadrantIDs = Set(quadrants.compactMap { $0["id"] })
        let ringIDs = Set(rings.compactMap { $0["id"] })
        #expect(quadrantIDs.count == 4 && ringIDs == ["adopt", "trial", "assess", "hold"])
        #expect(rings.allSatisfy { $0["name"] != nil && $0["color"]?.hasPrefix("#") == true })
        let entries = try #require(root["entries"] as? [[String: Any]])
        let ids = entries.compactMap { $0["id"] as? String }
        #expect(ids.count == entries.count && Set(ids).count == ids.count)
        for entry in entries {
            #expect(entry["title"] is String)
            #expect(quadrantIDs.contains(entry["quadrant"] as? String ?? ""))
            let timeline = try #require(entry["timeline"] as? [[String: Any]])
            #expect(timeline.count == 1)
            #expect(ringIDs.contains(timeline[0]["ringId"] as? String ?? ""))
            #expect(timeline[0]["date"] as? String == "2026-08-07")
            #expect((timeline[0]["moved"] as? Int).map { (-1...1).contains($0) } == true)
        }
    }

    @Test func csvHasTheBuildYourOwnRadarColumns() {
        let lines = Self.radar.rendered(as: .csv).split(separator: "\n").map(String.init)
        #expect(lines.first == "name,ring,quadrant,isNew,description")
        let rows = lines.dropFirst().map(Self.fields)
        #expect(rows.count == Self.radar.entries.count)
        #expect(rows.allSatisfy { $0.count == 5 })
        #expect(rows.allSatisfy { ["Adopt", "Trial", "Assess", "Hold"].contains($0[1]) })
        #expect(rows.allSatisfy { ["TRUE", "FALSE"].contains($0[3]) })
        #expect(Set(rows.map { $0[2] }).count <= 4)
    }

    @Test func onlyWhatTheLabMeasuredAndFoundGoodIsAdopted() {
        // The components of docs/results whose runs met the SLO at some offered rate.
        let adopted = Set(Self.radar.entries.filter { $0.ring == .adopt }.map(\.name))
        #expect(adopted == ["NGINX", "HAProxy", "Traefik", "Envoy", "Caddy", "PostgreSQL", "MariaDB", "Redis"])
        #expect(Self.radar.entries.first { $0.name == "Higress" }?.ring == .assess)
    }

    /// The fields of one CSV line, quotes undone.
    static func fields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        current.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
