extension ResultsStore {
    /// Stores `record` as it is, keeping its id: a run exported from another store (`stacklab import`).
    ///
    /// Importing the same run again changes nothing.
    /// - Returns: false when an identical run with that id was already stored.
    /// - Throws: `UserError` when a different run with the same id is stored.
    public func importRun(_ record: RunRecord) async throws -> Bool {
        if let stored = try await run(id: record.id) {
            guard stored == record else {
                throw UserError(
                    "a different run with id \(record.id) is already stored in \(location); 'stacklab delete "
                        + "\(record.id)' removes it")
            }
            return false
        }
        try await beginRun(record)
        if let apps = record.apps, !apps.isEmpty { try await addAppFacts(apps, toRun: record.id) }
        return true
    }
}
