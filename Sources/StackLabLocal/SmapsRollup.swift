/// The fields of /proc/PID/smaps_rollup the lab uses: a process's memory summed over all its mappings.
///
/// Its proportional set size (PSS) counts each resident page divided by the number of processes mapping it,
/// so the PSS of several processes sharing memory (a server's master and workers, PostgreSQL backends and
/// their shared buffers, forked children still sharing their parent's pages) adds up to what they hold
/// together, each shared page once.
///
/// The kernel walks the process's page tables to produce the file, so reading it costs more than
/// /proc/PID/stat, in proportion to the memory mapped.
struct SmapsRollup: Sendable, Equatable {
    /// Proportional set size (the `Pss:` line), bytes.
    var proportionalBytes: Int

    /// Parses the text of /proc/PID/smaps_rollup; nil when it has no `Pss:` line.
    init?(_ bytes: UnsafeRawBufferPointer) {
        // A plain scan that stops at the value: `Pss:` is the third line of some twenty, and the sampler reads
        // this for every process of a tree several times a second. Lines such as `Pss_Anon:` share the
        // prefix `Pss`, so the colon is part of what is matched.
        let key: [UInt8] = Array("Pss:".utf8)
        var index = 0
        while index + key.count <= bytes.count {
            if bytes[index] == key[0] && bytes[index + 1] == key[1] && bytes[index + 2] == key[2]
                && bytes[index + 3] == key[3]
            {
                index += key.count
                while index < bytes.count && bytes[index] == UInt8(ascii: " ") { index += 1 }
                var kibibytes = 0
                var digits = 0
                while index < bytes.count && bytes[index] >= 48 && bytes[index] <= 57 {
                    kibibytes = kibibytes * 10 + Int(bytes[index] - 48)
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                proportionalBytes = kibibytes * 1024
                return
            }
            // On to the next line.
            while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            index += 1
        }
        return nil
    }
}

extension ProcFS {
    /// /proc/PID/smaps_rollup; nil when it cannot be read (the process is gone, it is not ours to read, or
    /// the kernel predates 4.14).
    static func smapsRollup(_ pid: Int32) -> SmapsRollup? {
        withContents(of: "/proc/\(pid)/smaps_rollup") { SmapsRollup($0) }
    }
}
