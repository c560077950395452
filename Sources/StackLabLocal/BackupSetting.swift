import StackLabCore

/// The `backup` setting of a database component: which backup and restore drills to take after the
/// variant's last trial.
///
/// `backup: true` takes every method the kind offers, `backup: false` (or no setting) none; otherwise a
/// comma-separated list of method names, e.g. `backup: pg_dump` or `backup: pg_dump, basebackup`.
public enum BackupSetting {
    /// The drills `component` asks for, in the kind's order; empty without the setting.
    ///
    /// - Throws: `UserError` naming the component for a method its kind does not offer.
    public static func methods(of component: Component) throws -> [String] {
        guard let text = component.settings["backup"]?.trimmingCharacters(in: .whitespaces) else { return [] }
        let offered = LocalComponents.kind(component.kind)?.backupMethods ?? []
        switch text.lowercased() {
        case "false", "no", "off", "none", "": return []
        case "true", "yes", "on": return offered
        default: break
        }
        let asked = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for method in asked where !offered.contains(method) {
            throw UserError(
                "component '\(component.name)': backup '\(method)' is not a method of \(component.kind.rawValue); "
                    + "use true or one of \(offered.joined(separator: ", "))")
        }
        return offered.filter(asked.contains)
    }
}
