import JSON

extension CustomerStore {
    /// Starts from what the state file holds: its snapshot (else the store's seed stays), then the
    /// changes logged since; adds an integration for each of `secretKeys` it does not know; writes
    /// the result as the new snapshot with an empty log. Returns warnings (a torn last record).
    public func recover(from log: StateLog, secretKeys: [String] = []) throws(SeedError) -> [String] {
        let recovered = try log.recover()
        if let snapshot = recovered.snapshot { load(snapshot, restartingIDs: true) }
        for change in recovered.changes { try apply(change.record, label: change.label) }
        try addIntegrations(forSecretKeys: secretKeys)
        try log.compact(StateCodec.document(self))
        return recovered.warnings
    }

    /// Applies one logged change (see `StateCodec`'s records).
    private func apply(_ record: JSONObject, label: String) throws(SeedError) {
        func document(_ member: String) throws(SeedError) -> SeedData {
            guard case .object(let object)? = record[member] else { throw SeedError("\(label): member \"\(member)\" must be an object") }
            return try SeedLoader.decode(object: object, name: label)
        }
        switch record["op"]?.stringValue {
        case "customer":
            guard case .object(let object)? = record["customer"] else { throw SeedError("\(label): member \"customer\" must be an object") }
            let integrations = Dictionary(uniqueKeysWithValues: self.integrations.map { ($0.id, $0) })
            // A change logged before a replacement of the whole state may name an integration it removed.
            if let id = object["integration"]?.intValue, integrations[id] == nil { return }
            var customer = try SeedRecord(file: label, index: 0, object: object).customer(integrations: integrations)
            if case .array(let cards)? = record["authorizations"] {
                for card in cards {
                    customer.authorizations.append(try SeedRecord(file: label, index: 0, value: card).authorization(integrations: integrations).2)
                }
            }
            guard object["id"] != nil else { throw SeedError("\(label): field \"id\" is required") }
            try restore(customer, label: label)
        case "state":
            load(try document("state"), restartingIDs: true)
        case "integration":
            let state = try document("state")
            for integration in state.integrations {
                guard let books = books(of: integration.id) else { continue }
                let ledgers = state.ledgers(of: integration.id)
                books.withExclusiveAccess(retiring: false) { state in
                    state.test = ledgers.test
                    state.live = ledgers.live
                }
            }
        default:
            throw SeedError("\(label): \"op\" must be customer, state or integration")
        }
    }
}
