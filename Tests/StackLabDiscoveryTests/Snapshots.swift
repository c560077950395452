import Foundation

@testable import StackLabDiscovery

/// The two real landscape snapshots in ../shared/data/landscape/, parsed once per test process.
enum Snapshots {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let directory = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/landscape").path
    static let olderPath = "\(directory)/landscape-2025-08-28.yml"
    static let newerPath = "\(directory)/landscape-2026-08-07.yml"
    static let older = try! Landscape.load(path: olderPath)
    static let newer = try! Landscape.load(path: newerPath)
    static let diff = LandscapeDiff(from: older, to: newer)
    static let examples = packageRoot.appendingPathComponent("examples").path
}
