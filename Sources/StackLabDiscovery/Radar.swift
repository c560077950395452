/// A tech radar of the lab's components and suggestions: four quadrants, four rings.
///
/// Rings: Adopt only for a component the lab measured and found good (a stored result met its experiment's SLO,
/// ``LabInventory/Component/isFoundGood``); Trial for one the lab runs without such a result and for graduated
/// projects to compare; Assess for rising technologies to add; Hold for archived ones.
public struct Radar: Sendable {
    public enum Ring: Int, Sendable, CaseIterable {
        case adopt = 0
        case trial, assess, hold

        public var name: String {
            switch self {
            case .adopt: "Adopt"
            case .trial: "Trial"
            case .assess: "Assess"
            case .hold: "Hold"
            }
        }

        /// The colours Zalando's radar uses, ring by ring.
        public var color: String {
            switch self {
            case .adopt: "#5ba300"
            case .trial: "#009eb0"
            case .assess: "#c7ba00"
            case .hold: "#e09b96"
            }
        }
    }

    /// The lab's ten areas folded into the four quadrants a radar has.
    public enum Quadrant: Int, Sendable, CaseIterable {
        case traffic = 0
        case data, observability, platform

        public var name: String {
            switch self {
            case .traffic: "Traffic and mesh"
            case .data: "Data and messaging"
            case .observability: "Observability and scaling"
            case .platform: "Platform, delivery, security and runtimes"
            }
        }

        public var id: String {
            switch self {
            case .traffic: "traffic"
            case .data: "data"
            case .observability: "observability"
            case .platform: "platform"
            }
        }

        public init(_ area: LabArea?) {
            switch area {
            case .traffic, .serviceMesh: self = .traffic
            case .data, .messaging: self = .data
            case .observability, .autoscaling: self = .observability
            default: self = .platform
            }
        }
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var ring: Ring
        public var quadrant: Quadrant
        /// New in the newer snapshot or moved maturity.
        public var isNew: Bool
        /// Zalando's `moved`: 1 moved in (promoted), -1 moved out (archived), 0 not moved, 2 new.
        public var moved: Int
        public var description: String
        public var link: String?
    }

    public var title: String
    /// The snapshot's date, the entries' timeline date.
    public var date: String
    public var entries: [Entry]

    /// The lab's components (Adopt when measured and found good, Trial otherwise) and the suggestions, one entry
    /// per name.
    public init(title: String = "StackLab tech radar", suggester: Suggester, suggestions: [Suggestion]) {
        self.title = title
        date = suggester.newer.date ?? "unknown"
        var entries: [Entry] = []
        let retired = Set(suggestions.filter { $0.action == .retire }.map(\.name))
        for component in suggester.inventory.components where !retired.contains(component.landscapeName) {
            let item = suggester.newer[component.landscapeName]
            let measured: String
            if let best = component.bestMeasurement {
                measured = "measured it: \(best.summary)"
            } else if component.isMeasured {
                measured = "measures it in \(component.examples.joined(separator: ", ")); no stored result yet"
            } else {
                measured = "runs it, not yet measured"
            }
            entries.append(
                Entry(
                    name: component.landscapeName, ring: component.isFoundGood ? .adopt : .trial,
                    quadrant: Quadrant(Suggester.area(of: component.role)), isNew: false, moved: 0,
                    description: "StackLab \(measured)", link: item?.homepageURL))
        }
        for suggestion in suggestions {
            let ring: Ring
            switch suggestion.action {
            case .retire: ring = .hold
            case .compare: ring = .trial
            case .add: ring = .assess
            }
            let moved: Int =
                suggestion.action == .retire
                ? -1 : suggestion.traction.novelty > 0 ? 2 : suggestion.traction.movement > 0 ? 1 : 0
            entries.append(
                Entry(
                    name: suggestion.name, ring: ring, quadrant: Quadrant(suggestion.area), isNew: suggestion.isNew,
                    moved: moved, description: suggestion.reason, link: suggestion.homepageURL))
        }
        self.entries = entries
    }
}
