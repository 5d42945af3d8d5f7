import EventHTTP
import PaystackAPI
import PaystackCore

/// Reset, export and import of the whole state.
extension SandboxAPI {
    /// `POST /_sandbox/reset`: back to the seed state; `{"integration": ID or secret key}` resets
    /// only that integration (both domains). Logged and applied in one critical section.
    func reset(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let body = try RequestBody(request)
        guard let target = body.fields["integration"] else {
            try attempt(store.replaceAll(with: seed, restartingIDs: true, record: StateCodec.stateRecord(StateCodec.document(seed))))
            options.deterministic?.restart(store, seed: seed)
            return success(SandboxMessages.resetAll)
        }
        let books = try books(named: target)
        let integrationID = books.integration.id
        let ledgers = seed.ledgers(of: integrationID)
        let record = StateCodec.stateRecord(StateCodec.document(books.integration, test: ledgers.test, live: ledgers.live), integration: integrationID)
        try attempt(store.replaceCustomers(of: books, test: ledgers.test, live: ledgers.live, record: record))
        return success(SandboxMessages.resetOne(integrationID))
    }

    /// `GET /_sandbox/state`: the whole store as one seed document (loadable with `--seed-data FILE`).
    func exportState() -> HTTPResponse {
        .json(200, StateCodec.document(store))
    }

    /// `PUT /_sandbox/state`: replaces the whole store with a seed document. Validated first and
    /// applied in one swap: a bad document gets a 400 naming the problem and changes nothing.
    func importState(_ request: HTTPRequest) throws(PaystackError) -> HTTPResponse {
        let state: SeedData
        do {
            state = try SeedLoader.decode(document: request.body, name: "state")
        } catch {
            throw PaystackError.invalid(error.description)
        }
        if let problem = undeliverableWebhookURL(in: state.integrations) { throw PaystackError.invalid(problem) }
        try attempt(store.replaceAll(with: state, restartingIDs: false, record: StateCodec.stateRecord(StateCodec.document(state))))
        return success(SandboxMessages.stateReplaced(integrations: state.integrations.count, customers: state.customerCount))
    }
}
