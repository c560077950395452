/// An AMQP 0-9-1 field table: named, typed values in order (client properties, queue arguments, message
/// headers). The value types are RabbitMQ's, which differ from the 0-9-1 specification's for a few letters
/// (`s` a signed short, `l` a signed long long); RabbitMQ is the broker they are read from and written to.
struct AMQPFieldTable: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    var entries: [Entry]

    struct Entry: Equatable, Sendable {
        var key: String
        var value: Value
    }

    indirect enum Value: Equatable, Sendable {
        case bool(Bool)
        case int8(Int8)
        case uint8(UInt8)
        case int16(Int16)
        case uint16(UInt16)
        case int32(Int32)
        case uint32(UInt32)
        case int64(Int64)
        case float(Float)
        case double(Double)
        /// A decimal: the value is `digits` / 10^`scale`.
        case decimal(scale: UInt8, digits: UInt32)
        /// A long string (`S`): UTF-8 text in every field RabbitMQ sends.
        case string(String)
        /// A byte array (`x`).
        case bytes([UInt8])
        case array([Value])
        /// Seconds since the epoch.
        case timestamp(UInt64)
        case table(AMQPFieldTable)
        case void
    }

    init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    init(dictionaryLiteral elements: (String, Value)...) {
        entries = elements.map { Entry(key: $0.0, value: $0.1) }
    }

    /// The first value named `key`.
    subscript(key: String) -> Value? {
        entries.first { $0.key == key }?.value
    }
}

extension AMQPFieldTable {
    /// The table with its 4-byte length before it.
    func encode(into out: inout [UInt8]) {
        var body: [UInt8] = []
        for entry in entries {
            body.appendAMQPShortString(entry.key)
            entry.value.encode(into: &body)
        }
        out.append(uint32: UInt32(body.count))
        out += body
    }

    static func decode(_ reader: inout ByteReader) throws(FramingError) -> AMQPFieldTable {
        let length = Int(try reader.uint32())
        var inner = ByteReader(try reader.bytes(length), protocol: "AMQP")
        var table = AMQPFieldTable()
        while inner.remaining > 0 {
            let key = try inner.amqpShortString()
            table.entries.append(Entry(key: key, value: try Value.decode(&inner)))
        }
        return table
    }
}

extension AMQPFieldTable.Value {
    func encode(into out: inout [UInt8]) {
        switch self {
        case .bool(let value): out += [UInt8(ascii: "t"), value ? 1 : 0]
        case .int8(let value): out += [UInt8(ascii: "b"), UInt8(bitPattern: value)]
        case .uint8(let value): out += [UInt8(ascii: "B"), value]
        case .int16(let value):
            out.append(UInt8(ascii: "s"))
            out.append(uint16: UInt16(bitPattern: value))
        case .uint16(let value):
            out.append(UInt8(ascii: "u"))
            out.append(uint16: value)
        case .int32(let value):
            out.append(UInt8(ascii: "I"))
            out.append(uint32: UInt32(bitPattern: value))
        case .uint32(let value):
            out.append(UInt8(ascii: "i"))
            out.append(uint32: value)
        case .int64(let value):
            out.append(UInt8(ascii: "l"))
            out.append(uint64: UInt64(bitPattern: value))
        case .float(let value):
            out.append(UInt8(ascii: "f"))
            out.append(uint32: value.bitPattern)
        case .double(let value):
            out.append(UInt8(ascii: "d"))
            out.append(uint64: value.bitPattern)
        case .decimal(let scale, let digits):
            out += [UInt8(ascii: "D"), scale]
            out.append(uint32: digits)
        case .string(let text):
            out.append(UInt8(ascii: "S"))
            out.appendAMQPLongString(Array(text.utf8))
        case .bytes(let bytes):
            out.append(UInt8(ascii: "x"))
            out.appendAMQPLongString(bytes)
        case .array(let values):
            var body: [UInt8] = []
            for value in values { value.encode(into: &body) }
            out.append(UInt8(ascii: "A"))
            out.appendAMQPLongString(body)
        case .timestamp(let seconds):
            out.append(UInt8(ascii: "T"))
            out.append(uint64: seconds)
        case .table(let table):
            out.append(UInt8(ascii: "F"))
            table.encode(into: &out)
        case .void:
            out.append(UInt8(ascii: "V"))
        }
    }

    static func decode(_ reader: inout ByteReader) throws(FramingError) -> Self {
        let type = try reader.uint8()
        switch type {
        case UInt8(ascii: "t"): return .bool(try reader.uint8() != 0)
        case UInt8(ascii: "b"): return .int8(Int8(bitPattern: try reader.uint8()))
        case UInt8(ascii: "B"): return .uint8(try reader.uint8())
        case UInt8(ascii: "s"): return .int16(Int16(bitPattern: try reader.uint16()))
        case UInt8(ascii: "u"): return .uint16(try reader.uint16())
        case UInt8(ascii: "I"): return .int32(Int32(bitPattern: try reader.uint32()))
        case UInt8(ascii: "i"): return .uint32(try reader.uint32())
        case UInt8(ascii: "l"): return .int64(Int64(bitPattern: try reader.uint64()))
        case UInt8(ascii: "f"): return .float(Float(bitPattern: try reader.uint32()))
        case UInt8(ascii: "d"): return .double(Double(bitPattern: try reader.uint64()))
        case UInt8(ascii: "D"): return .decimal(scale: try reader.uint8(), digits: try reader.uint32())
        case UInt8(ascii: "S"):
            let bytes = try reader.amqpLongString()
            // RabbitMQ sends text here; bytes that are not UTF-8 stay bytes rather than failing the frame.
            return String(validating: bytes, as: UTF8.self).map(Self.string) ?? .bytes(bytes)
        case UInt8(ascii: "x"): return .bytes(try reader.amqpLongString())
        case UInt8(ascii: "A"):
            var inner = ByteReader(try reader.amqpLongString(), protocol: "AMQP")
            var values: [Self] = []
            while inner.remaining > 0 { values.append(try decode(&inner)) }
            return .array(values)
        case UInt8(ascii: "T"): return .timestamp(try reader.uint64())
        case UInt8(ascii: "F"): return .table(try AMQPFieldTable.decode(&reader))
        case UInt8(ascii: "V"): return .void
        default: throw reader.failure("a field table holds a value of unknown type \(type)")
        }
    }
}

extension Array where Element == UInt8 {
    /// A short string: a 1-byte length and at most 255 bytes of UTF-8 (longer text is a programmer error).
    mutating func appendAMQPShortString(_ text: String) {
        let bytes = Array(text.utf8)
        precondition(bytes.count <= 255, "an AMQP short string holds at most 255 bytes")
        append(UInt8(bytes.count))
        append(contentsOf: bytes)
    }

    /// A long string: a 4-byte length and the bytes.
    mutating func appendAMQPLongString(_ bytes: [UInt8]) {
        append(uint32: UInt32(bytes.count))
        append(contentsOf: bytes)
    }
}

extension ByteReader {
    mutating func amqpShortString() throws(FramingError) -> String {
        try text(Int(try uint8()))
    }

    mutating func amqpLongString() throws(FramingError) -> [UInt8] {
        try bytes(Int(try uint32()))
    }
}
