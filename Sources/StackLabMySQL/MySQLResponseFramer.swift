/// Decides which packet ends a command's answer, so the channel handler hands the whole answer over at once.
///
/// The answer's shapes, without `CLIENT_DEPRECATE_EOF` (which this client does not ask for): one packet
/// (OK, ERR, or a step of the handshake); a result set (a column count, that many column definitions, EOF,
/// rows, then EOF or ERR); a prepared statement (OK with its parameter and column counts, then each group of
/// definitions followed by EOF).
struct MySQLResponseFramer {
    enum Shape {
        case single
        case resultSet
        case prepare
    }

    private enum Phase {
        case first
        /// This many packets still belong to the answer, then rows follow when `rowsFollow`.
        case counted(remaining: Int, rowsFollow: Bool)
        case rows
    }

    private let shape: Shape
    private var phase = Phase.first

    init(_ shape: Shape) {
        self.shape = shape
    }

    /// Takes the next packet of the answer; true when it was the last.
    mutating func isComplete(after packet: MySQLPacket) -> Bool {
        switch phase {
        case .first:
            if packet.isError || packet.header == 0xFB { return true }
            switch shape {
            case .single:
                return true
            case .resultSet:
                if packet.isOK { return true }
                var payload = packet.payload
                let columns = Int(payload.readLengthEncodedInteger() ?? 0)
                phase = .counted(remaining: columns + 1, rowsFollow: true)
                return false
            case .prepare:
                // COM_STMT_PREPARE_OK: 0x00, statement id (4), column count (2), parameter count (2).
                let start = packet.payload.readerIndex
                let columns = Int(packet.payload.getInteger(at: start + 5, endianness: .little, as: UInt16.self) ?? 0)
                let parameters = Int(
                    packet.payload.getInteger(at: start + 7, endianness: .little, as: UInt16.self) ?? 0)
                let remaining = (parameters > 0 ? parameters + 1 : 0) + (columns > 0 ? columns + 1 : 0)
                phase = .counted(remaining: remaining, rowsFollow: false)
                return remaining == 0
            }
        case .counted(let remaining, let rowsFollow):
            if remaining > 1 {
                phase = .counted(remaining: remaining - 1, rowsFollow: rowsFollow)
                return false
            }
            if rowsFollow {
                phase = .rows
                return false
            }
            return true
        case .rows:
            return packet.isEOF || packet.isError
        }
    }
}
