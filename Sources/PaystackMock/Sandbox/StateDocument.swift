import EventHTTP

/// The whole store as one seed document, `{"integrations": [...], "customers": [...],
/// "authorizations": [...]}`: what `GET /_sandbox/state` answers and `--seed-data FILE` or
/// `PUT /_sandbox/state` load back.
enum StateDocument {
    static func export(_ store: CustomerStore) -> [UInt8] {
        let integrations = store.integrations
        var ledgers: [Ledger] = []
        for integration in integrations {
            guard let books = store.books(of: integration.id) else { continue }
            let snapshot = books.snapshot()
            ledgers += [snapshot.test, snapshot.live]
        }
        return export(integrations, ledgers)
    }

    /// A seed as one document (what a reset writes to the state log).
    static func export(_ seed: SeedData) -> [UInt8] {
        export(seed.integrations, seed.integrations.flatMap { integration in
            let ledgers = seed.ledgers(of: integration.id)
            return [ledgers.test, ledgers.live]
        })
    }

    /// One integration with its customers (what a reset of one integration writes to the state log).
    static func export(_ integration: Integration, test: Ledger, live: Ledger) -> [UInt8] {
        export([integration], [test, live])
    }

    /// State-log records (see `StateLog`): one customer with its cards, the whole state, or one
    /// integration's whole state.
    static func record(_ customer: Customer) -> [UInt8] {
        var writer = JSONWriter(capacity: 640)
        writer.beginObject()
        writer.key("op"); writer.plainString("customer")
        writer.key("customer"); write(customer, &writer)
        if !customer.authorizations.isEmpty {
            writer.key("authorizations")
            writer.beginArray()
            for authorization in customer.authorizations { write(authorization, of: customer, &writer) }
            writer.endArray()
        }
        writer.endObject()
        return writer.bytes
    }

    static func record(state document: [UInt8], integration: Int? = nil) -> [UInt8] {
        var writer = JSONWriter(capacity: document.count + 48)
        writer.beginObject()
        writer.key("op"); writer.plainString(integration == nil ? "state" : "integration")
        writer.key("state")
        document.withUnsafeBufferPointer { writer.rawValue($0) }
        writer.endObject()
        return writer.bytes
    }

    private static func export(_ integrations: [Integration], _ ledgers: [Ledger]) -> [UInt8] {
        let count = ledgers.reduce(0) { $0 + $1.count }
        var writer = JSONWriter(capacity: 1024 + count * 450)
        writer.beginObject()
        writer.key("integrations")
        writer.beginArray()
        for integration in integrations { write(integration, &writer) }
        writer.endArray()
        writer.key("customers")
        writer.beginArray()
        for ledger in ledgers {
            for customer in ledger.customers { write(customer, &writer) }
        }
        writer.endArray()
        writer.key("authorizations")
        writer.beginArray()
        for ledger in ledgers {
            for customer in ledger.customers {
                for authorization in customer.authorizations { write(authorization, of: customer, &writer) }
            }
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    private static func write(_ integration: Integration, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.int(integration.id)
        writer.key("business_name"); writer.string(integration.businessName)
        for (name, keys) in [("secret_keys", integration.secretKeys), ("public_keys", integration.publicKeys)] {
            writer.key(escaping: name)
            writer.beginObject()
            for domain in Domain.allCases {
                if let key = keys[domain] {
                    writer.key(escaping: domain.rawValue)
                    writer.string(key)
                }
            }
            writer.endObject()
        }
        writer.key("webhook_url"); writer.string(integration.webhookURL)
        writer.key("forbid_allow_risk_action"); writer.bool(integration.forbidsAllowRiskAction)
        writer.endObject()
    }

    private static func write(_ customer: Customer, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id"); writer.int(customer.id)
        writer.key("integration"); writer.int(customer.integration)
        writer.key("domain"); writer.plainString(customer.domain.rawValue)
        writer.key("customer_code"); writer.string(customer.customerCode)
        writer.key("email"); writer.string(customer.email)
        writer.key("first_name"); writer.string(customer.firstName)
        writer.key("last_name"); writer.string(customer.lastName)
        writer.key("phone"); writer.string(customer.phone)
        writer.key("metadata")
        if let metadata = customer.metadata { writer.value(.object(metadata)) } else { writer.null() }
        writer.key("risk_action"); writer.plainString(customer.riskAction.rawValue)
        writer.key("identified"); writer.bool(customer.identified)
        writer.key("identifications")
        if let identifications = customer.identifications {
            writer.beginArray()
            for entry in identifications {
                writer.beginObject()
                writer.key("country"); writer.string(entry.country)
                writer.key("type"); writer.string(entry.type)
                writer.key("value"); writer.string(entry.value)
                writer.endObject()
            }
            writer.endArray()
        } else {
            writer.null()
        }
        writer.key("createdAt"); writer.timestamp(customer.createdAt)
        writer.key("updatedAt"); writer.timestamp(customer.updatedAt)
        writer.endObject()
    }

    private static func write(_ authorization: Authorization, of customer: Customer, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("customer"); writer.string(customer.customerCode)
        writer.key("integration"); writer.int(customer.integration)
        writer.key("authorization_code"); writer.string(authorization.authorizationCode)
        writer.key("bin"); writer.string(authorization.bin)
        writer.key("last4"); writer.string(authorization.last4)
        writer.key("exp_month"); writer.string(authorization.expMonth)
        writer.key("exp_year"); writer.string(authorization.expYear)
        writer.key("channel"); writer.string(authorization.channel)
        writer.key("card_type"); writer.string(authorization.cardType)
        writer.key("bank"); writer.string(authorization.bank)
        writer.key("country_code"); writer.string(authorization.countryCode)
        writer.key("brand"); writer.string(authorization.brand)
        writer.key("reusable"); writer.bool(authorization.reusable)
        writer.key("signature"); writer.string(authorization.signature)
        writer.key("account_name"); writer.string(authorization.accountName)
        writer.endObject()
    }
}
