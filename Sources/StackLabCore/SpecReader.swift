import Foundation
import Yams

/// Reads a composed YAML tree into spec values, noting a `SpecProblem` for each mistake and reading on.
///
/// Each method returns `nil` when its node is unusable, after noting why; callers then skip the checks that
/// depend on it, so one mistake is reported once rather than again by everything downstream.
struct SpecReader {
    private(set) var problems: [SpecProblem] = []
    /// Where the parts of each graph-form variant are in the file, by variant name, for the stack rules.
    var graphLocations: [String: StackGraphLocations] = [:]

    mutating func report(_ node: Node?, _ keyPath: String, _ message: String) {
        problems.append(SpecProblem(line: node?.mark?.line ?? 1, keyPath: keyPath, message: message))
    }

    static func path(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    static func path(_ parent: String, index: Int) -> String {
        "\(parent)[\(index)]"
    }

    // MARK: Mappings

    /// The entries of a mapping after checking its keys against `allowed` (`nil` takes any key).
    mutating func fields(_ node: Node, _ keyPath: String, allowed: [String]?, expected: String) -> SpecFields? {
        guard case .mapping(let mapping) = node else {
            report(node, keyPath, "expected \(expected), found \(Self.found(node))")
            return nil
        }
        var fields = SpecFields(node: node, keyPath: keyPath, entryCount: mapping.count)
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key, !Self.isNull(key) else {
                report(key, keyPath, "expected a name as key, found \(Self.found(key))")
                continue
            }
            let name = scalar.string
            if let allowed, !allowed.contains(name) {
                let suggestion = NameSuggestion.nearest(to: name, among: allowed)
                let hint =
                    suggestion.map { "did you mean '\($0)'?" } ?? "expected one of " + allowed.joined(separator: ", ")
                report(key, Self.path(keyPath, name), "unknown key; " + hint)
                if let suggestion { fields.suggested.insert(suggestion) }
                continue
            }
            fields.append(name, key: key, value: value)
        }
        return fields
    }

    /// The value of a key that must be there, or a problem saying what to write.
    mutating func required(_ fields: SpecFields, _ key: String, example: String) -> Node? {
        if let value = fields[key] { return value }
        reportMissing(fields, key, example)
        return nil
    }

    /// A problem for a missing key, unless a misspelling of it was reported already (`rat` for `rate`).
    mutating func reportMissing(_ fields: SpecFields, _ key: String, _ example: String) {
        guard !fields.suggested.contains(key) else { return }
        report(fields.node, fields.path(key), "required key is missing; \(example)")
    }

    // MARK: Scalars

    mutating func text(_ node: Node, _ keyPath: String) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            report(node, keyPath, "expected a text, found \(Self.found(node))")
            return nil
        }
        return scalar.string
    }

    /// Text that is safe in a file name and a report: letters, digits, `-` and `_`.
    mutating func name(_ node: Node, _ keyPath: String) -> String? {
        guard let text = text(node, keyPath) else { return nil }
        return checkName(text, node, keyPath) ? text : nil
    }

    mutating func checkName(_ text: String, _ node: Node, _ keyPath: String) -> Bool {
        let allowed =
            !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        if !allowed {
            report(node, keyPath, "\(MessageText.quoted(text)) may hold only letters, digits, - and _")
        } else if text.count > InputLimits.nameLength {
            report(
                node, keyPath,
                "\(MessageText.quoted(text)) is too long for a name; at most \(InputLimits.nameLength) characters")
            return false
        }
        return allowed
    }

    /// A whole number from `minimum` to `maximum`; larger ones would overflow what is computed from them.
    ///
    /// - Parameter why: what sets `maximum`, added to the message for a number above it.
    mutating func wholeNumber(_ node: Node, _ keyPath: String, minimum: Int, maximum: Int, why: String? = nil) -> Int? {
        let limit = "must be at most \(Self.grouped(maximum))" + (why.map { " (\($0))" } ?? "")
        guard let text = scalarText(node) else {
            report(node, keyPath, "expected a whole number, found \(Self.found(node))")
            return nil
        }
        let digits = text.replacingOccurrences(of: "_", with: "")
        guard let value = Int(digits) else {
            // Too many digits for an Int is still a number: say it is too large rather than not a number.
            let isWhole =
                !digits.isEmpty && digits.drop { $0 == "-" || $0 == "+" }.allSatisfy { $0.isASCII && $0.isNumber }
            if isWhole && digits.count > 1 && !digits.hasPrefix("-") {
                report(node, keyPath, "\(limit), found \(Self.found(node))")
            } else {
                report(node, keyPath, "expected a whole number, found \(Self.found(node))")
            }
            return nil
        }
        guard value >= minimum else {
            report(node, keyPath, "must be at least \(minimum), found \(value)")
            return nil
        }
        guard value <= maximum else {
            report(node, keyPath, "\(limit), found \(value)")
            return nil
        }
        return value
    }

    /// `100000` as `100,000`.
    static func grouped(_ value: Int) -> String { MessageText.grouped(value) }

    mutating func bool(_ node: Node, _ keyPath: String) -> Bool? {
        switch scalarText(node)?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, keyPath, "expected true or false, found \(Self.found(node))")
            return nil
        }
    }

    /// A duration as `DurationText` reads it (`30s`, `1m30s`, `250ms`; a bare number is seconds).
    mutating func duration(_ node: Node, _ keyPath: String) -> Int64? {
        guard let text = scalarText(node) else {
            report(node, keyPath, "expected a duration like 30s or 500ms, found \(Self.found(node))")
            return nil
        }
        do {
            return try DurationText.nanoseconds(text, what: keyPath)
        } catch let error as UserError {
            let prefix = keyPath + ": "
            report(
                node, keyPath,
                error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message)
            return nil
        } catch {
            report(node, keyPath, "\(error)")
            return nil
        }
    }

    /// Requests per second: `2000` or `2000/s`; more than 0, or 0 too when `allowZero`.
    mutating func rate(_ node: Node, _ keyPath: String, allowZero: Bool = false) -> Double? {
        let text = scalarText(node) ?? ""
        let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
        guard let value = Double(number.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            report(
                node, keyPath, "expected a rate in requests per second like 2000 or 2000/s, found \(Self.found(node))")
            return nil
        }
        guard value > 0 || (allowZero && value == 0) else {
            report(
                node, keyPath, "must be \(allowZero ? "0 or more" : "more than 0"), found \(MessageText.inline(text))")
            return nil
        }
        guard value <= InputLimits.rate else {
            report(
                node, keyPath,
                "must be at most \(Self.grouped(Int(InputLimits.rate)))/s, found \(MessageText.quoted(text))")
            return nil
        }
        return value
    }

    mutating func list(_ node: Node, _ keyPath: String, example: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, keyPath, "expected a list like \(example), found \(Self.found(node))")
            return nil
        }
        return Array(sequence)
    }

    // MARK: Describing nodes

    /// The text of a scalar that is not null.
    func scalarText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else { return nil }
        return scalar.string
    }

    /// A plain empty value, `~` or `null`; a quoted `"null"` is text.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// What a node is, for "expected X, found Y".
    static func found(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): isNull(node) ? "nothing" : MessageText.quoted(scalar.string)
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// The entries of one YAML mapping by key, in the file's order, with the nodes of keys for their lines.
struct SpecFields {
    var node: Node
    var keyPath: String
    /// Entries in the mapping, unknown keys included.
    var entryCount: Int
    /// Keys named in "did you mean" hints for unknown keys, so they are not also reported missing.
    var suggested: Set<String> = []
    private(set) var keys: [String] = []
    private var entries: [String: (key: Node, value: Node)] = [:]

    init(node: Node, keyPath: String, entryCount: Int) {
        self.node = node
        self.keyPath = keyPath
        self.entryCount = entryCount
    }

    mutating func append(_ name: String, key: Node, value: Node) {
        keys.append(name)
        entries[name] = (key, value)
    }

    subscript(key: String) -> Node? { entries[key]?.value }

    func keyNode(_ key: String) -> Node? { entries[key]?.key }

    func path(_ key: String) -> String { SpecReader.path(keyPath, key) }

    /// Whether the mapping has no entries at all, not even unknown keys (which were reported already).
    var isEmpty: Bool { entryCount == 0 }
}
