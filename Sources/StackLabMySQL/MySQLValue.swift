/// One value in a MySQL row or a statement parameter.
///
/// Integer columns decode as `int` (an `UNSIGNED BIGINT` beyond `Int64.max` as `text`), `FLOAT` and
/// `DOUBLE` as `double`, binary strings and `BLOB`s as `bytes`, everything else as `text`: `DECIMAL`
/// keeps its exact digits, `DATETIME`, `DATE` and `TIME` read as the server prints them (`2024-05-01 12:00:00`).
public enum MySQLValue: Sendable, Equatable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case bytes([UInt8])
}

extension MySQLValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: "NULL"
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .text(let value): value
        case .bytes(let value): "<\(value.count) bytes>"
        }
    }
}

extension MySQLValue {
    /// The value as an integer: an `int`, or `text` holding one (a `DECIMAL` with no fraction, a `COUNT`).
    public var int: Int64? {
        switch self {
        case .int(let value): value
        case .text(let value): Int64(value)
        default: nil
        }
    }

    /// The value as a floating-point number: a `double`, an `int`, or `text` holding one (a `DECIMAL`).
    public var double: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        case .text(let value): Double(value)
        default: nil
        }
    }

    /// The value as text: `text`, or `bytes` that are valid UTF-8.
    public var text: String? {
        switch self {
        case .text(let value): value
        case .bytes(let value): String(validating: value, as: UTF8.self)
        default: nil
        }
    }
}
