extension Workload.SQL {
    /// Bytes a database holds after loading this workload's tables, to check against free disk before a run:
    /// pgbench's scale 1 is about 16 MB (100,000 accounts with their index), a sysbench row about 250 bytes.
    public var estimatedBytes: Int64 {
        switch transaction {
        case .tpcb, .pointSelect: Int64(scale) * 16_000_000
        case .readWrite: Int64(rows) * 250
        }
    }
}
