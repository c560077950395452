import StackLabCore

/// The password of a database component (PostgreSQL, MariaDB): made for the run, or checked when the
/// experiment gives one.
enum DatabasePassword {
    /// 24 letters and digits, fresh for each run.
    static func generated() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<24).map { _ in alphabet.randomElement()! })
    }

    /// A `password:` setting must be safe in a URL and a configuration file as it is.
    static func check(_ password: String, component name: String) throws {
        guard !password.isEmpty,
            password.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        else {
            throw UserError("component '\(name)': password must be letters, digits, '-', '_' or '.' (and not empty)")
        }
    }
}
