/// The fields of /proc/PID/stat the lab uses (proc(5) numbers them from 1).
struct ProcStat: Sendable, Equatable {
    var pid: Int32
    /// `R`, `S`, `D`, `Z` (zombie: exited, not yet reaped), …
    var state: UInt8
    var parentPID: Int32
    var processGroup: Int32
    /// CPU time of the process itself, all threads, in clock ticks (fields 14, 15).
    var userTicks: Int
    var systemTicks: Int
    /// CPU time of children it has waited for, and theirs recursively, in clock ticks (fields 16, 17).
    var waitedUserTicks: Int
    var waitedSystemTicks: Int
    /// Threads in the process (field 20).
    var threads: Int
    /// Clock ticks after boot when it started (field 22); with the pid, names one process across pid reuse.
    var startTime: Int
    /// Resident pages (field 24): the same counter as `VmRSS` in /proc/PID/status.
    var residentPages: Int

    var isZombie: Bool { state == UInt8(ascii: "Z") || state == UInt8(ascii: "X") }

    /// Parses the text of /proc/PID/stat; the command name may hold spaces and parentheses, so fields are
    /// counted from the last `)`.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        var pid: Int32 = 0
        for byte in bytes[..<close] {
            guard byte >= 48 && byte <= 57 else { break }
            pid = pid * 10 + Int32(byte - 48)
        }
        self.pid = pid
        // Fields from 3 (state) on, separated by single spaces.
        var field = 3
        var value = 0
        var negative = false
        var state: UInt8 = 0
        var numbers = [Int](repeating: 0, count: 25)
        var index = close + 2
        while index < bytes.count && field <= 24 {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                numbers[field] = negative ? -value : value
                field += 1
                value = 0
                negative = false
            } else if field == 3 {
                state = byte
            } else if byte == UInt8(ascii: "-") {
                negative = true
            } else if byte >= 48 && byte <= 57 {
                value = value * 10 + Int(byte - 48)
            }
            index += 1
        }
        if field == 24 {
            numbers[24] = negative ? -value : value
            field += 1
        }
        guard field > 24, state != 0 else { return nil }
        self.state = state
        parentPID = Int32(numbers[4])
        processGroup = Int32(numbers[5])
        userTicks = numbers[14]
        systemTicks = numbers[15]
        waitedUserTicks = numbers[16]
        waitedSystemTicks = numbers[17]
        threads = numbers[20]
        startTime = numbers[22]
        residentPages = numbers[24]
    }
}
