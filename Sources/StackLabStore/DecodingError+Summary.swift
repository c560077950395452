import Foundation

extension DecodingError {
    /// One short line for a user: what is wrong and where, without Swift's debug description of the context
    /// (`keyNotFound(CodingKeys(stringValue: …), Swift.DecodingError.Context(…))`).
    var summary: String {
        switch self {
        case .keyNotFound(let key, let context):
            return "key '\(key.stringValue)' is missing" + Self.location(context)
        case .typeMismatch(let type, let context):
            return "expected \(Self.name(type))" + Self.location(context)
        case .valueNotFound(let type, let context):
            return "expected \(Self.name(type)), found null" + Self.location(context)
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "an unreadable value" + Self.location(context)
        @unknown default:
            return "unreadable"
        }
    }

    private static func location(_ context: Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        let trimmed = path.hasPrefix(".") ? String(path.dropFirst()) : path
        return trimmed.isEmpty ? "" : " at \(trimmed)"
    }

    private static func name(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a text"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)".contains("Array") ? "a list" : "an object"
        }
    }
}
