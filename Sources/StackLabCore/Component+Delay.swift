import Yams

extension Component {
    /// The longest injected delay an app takes (`settings: { delay: 2ms }`).
    public static let maximumDelayNanoseconds: Int64 = 10_000_000_000

    /// The Swift reference app's injected delay (`settings: { delay: 2ms }`) in nanoseconds; nil without one.
    ///
    /// - Throws: `UserError` when the setting is not a duration with a unit of at most 10 s.
    public func injectedDelayNanoseconds() throws -> Int64? {
        guard let text = settings["delay"] else { return nil }
        let what = "component '\(name)': settings.delay"
        guard text.contains(where: \.isLetter) else {
            throw UserError("\(what): \(MessageText.quoted(text)) has no unit; write it like 2ms or 250us")
        }
        return try DurationText.nanoseconds(text, what: what, maximum: Self.maximumDelayNanoseconds)
    }
}

extension SpecReader {
    /// An app's `delay` setting: a duration with a unit, and only on the Swift reference app, which takes `--delay`.
    mutating func checkAppDelay(_ component: Component, settingsNode: Node, _ keyPath: String) {
        guard component.settings["delay"] != nil else { return }
        var node = settingsNode
        if case .mapping(let mapping) = settingsNode, let value = mapping["delay"] { node = value }
        if component.runtime != .swift {
            report(
                node, keyPath,
                "only the Swift reference app (runtime: swift) takes an injected delay; the other runtimes' apps do not"
            )
            return
        }
        do {
            _ = try component.injectedDelayNanoseconds()
        } catch let error as UserError {
            let message = error.message.split(separator: ": ", maxSplits: 2).last.map(String.init) ?? error.message
            report(node, keyPath, message)
        } catch {
            report(node, keyPath, "\(error)")
        }
    }
}
