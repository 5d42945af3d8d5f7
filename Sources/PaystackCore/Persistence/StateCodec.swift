
import JSON
import Platform

// The one codec of the state: integrations, customers, authorizations and identifications as seed
// files, `GET /_sandbox/state`, the state-file snapshot and its log all write and read them.
// Reading (`SeedRecord`) names the file, the record and the field of any problem.

/// One object of a seed or state document, with readers that name the file, the record and the field on error.
struct SeedRecord {
    let file: String
    let index: Int
    let object: JSONObject

    init(file: String, index: Int, object: JSONObject) {
        self.file = file
        self.index = index
        self.object = object
    }

    /// The record at `index` of a file's array, which must be an object.
    init(file: String, index: Int, value: JSONValue) throws(SeedError) {
        guard case .object(let object) = value else {
            throw SeedError("\(file): record \(index): must be a JSON object, not \(value.typeName)")
        }
        self.init(file: file, index: index, object: object)
    }

    func error(field: String, _ problem: String) -> SeedError {
        var label = "\(file): record \(index)"
        if let code = object["customer_code"]?.stringValue ?? object["authorization_code"]?.stringValue {
            label += " (\(code))"
        } else if let id = object["id"]?.intValue {
            label += " (id \(id))"
        }
        return SeedError("\(label): field \"\(field)\": \(problem)")
    }

    func string(_ field: String) throws(SeedError) -> String? {
        switch object[field] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw error(field: field, "must be a string, not \(other.typeName)")
        }
    }

    func requiredString(_ field: String) throws(SeedError) -> String {
        guard let value = try string(field) else { throw error(field: field, "is required") }
        return value
    }

    func int(_ field: String) throws(SeedError) -> Int? {
        switch object[field] {
        case nil, .null?: return nil
        case .number(let text)?:
            guard let value = Int(text) else { throw error(field: field, "must be an integer, not \(text)") }
            return value
        case let other?: throw error(field: field, "must be an integer, not \(other.typeName)")
        }
    }

    func bool(_ field: String) throws(SeedError) -> Bool? {
        switch object[field] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?: throw error(field: field, "must be true or false, not \(other.typeName)")
        }
    }

    func timestamp(_ field: String) throws(SeedError) -> Timestamp? {
        guard let text = try string(field) else { return nil }
        guard let parsed = Timestamp.parse(text) else {
            throw error(field: field, "must be a date such as 2022-08-15T13:46:39.000Z, not \(text)")
        }
        return parsed.timestamp
    }

    func keys(_ field: String, prefix: String) throws(SeedError) -> [Domain: String] {
        guard let value = object[field], value != .null else { return [:] }
        guard case .object(let keys) = value else { throw error(field: field, "must be an object with test and live keys") }
        var result: [Domain: String] = [:]
        for member in keys.members {
            guard let domain = Domain(rawValue: member.key) else {
                throw error(field: "\(field).\(member.key)", "the domain must be test or live")
            }
            guard case .string(let key) = member.value else { throw error(field: "\(field).\(member.key)", "must be a string") }
            guard key.isASCIIToken else {
                throw error(field: "\(field).\(member.key)", "must be printable ASCII without spaces")
            }
            guard key.hasBytePrefix("\(prefix)_\(domain.rawValue)_") else {
                throw error(field: "\(field).\(member.key)", "must start with \(prefix)_\(domain.rawValue)_")
            }
            result[domain] = key
        }
        return result
    }

    func integration(knownIDs: Set<Int>) throws(SeedError) -> Integration {
        guard let id = try int("id") else { throw error(field: "id", "is required") }
        guard !knownIDs.contains(id) else { throw error(field: "id", "\(id) appears twice") }
        let secretKeys = try keys("secret_keys", prefix: "sk")
        guard !secretKeys.isEmpty else { throw error(field: "secret_keys", "at least one secret key is required") }
        return Integration(
            id: id, businessName: try string("business_name") ?? "Integration \(id)", secretKeys: secretKeys,
            publicKeys: try keys("public_keys", prefix: "pk"), webhookURL: try string("webhook_url"),
            forbidsAllowRiskAction: try bool("forbid_allow_risk_action") ?? false)
    }

    func customer(integrations: [Int: Integration]) throws(SeedError) -> Customer {
        guard let integration = try int("integration") else { throw error(field: "integration", "is required") }
        guard integrations[integration] != nil else {
            throw error(field: "integration", "no integration has the id \(integration)")
        }
        let domainText = try string("domain") ?? "test"
        guard let domain = Domain(rawValue: domainText) else { throw error(field: "domain", "must be test or live") }
        let email = try requiredString("email")
        guard isValidEmail(email) else { throw error(field: "email", "\(email) is not an email address") }
        let code = try requiredString("customer_code")
        guard isValidCustomerCode(code) else { throw error(field: "customer_code", "must be CUS_ and 15 of [a-z0-9]") }
        let riskText = try string("risk_action") ?? "default"
        guard let riskAction = RiskAction(rawValue: riskText) else {
            throw error(field: "risk_action", "must be one of default, allow, deny")
        }
        var metadata: JSONObject?
        switch object["metadata"] {
        case nil, .null?: metadata = nil
        case .object(let value)?: metadata = value
        case let other?: throw error(field: "metadata", "must be an object, not \(other.typeName)")
        }
        guard let createdAt = try timestamp("createdAt") else { throw error(field: "createdAt", "is required") }
        let updatedAt = try timestamp("updatedAt") ?? createdAt
        var identifications: [Identification]?
        if case .array(let entries)? = object["identifications"] {
            identifications = []
            for entry in entries {
                guard case .object(let fields) = entry, let country = fields["country"]?.stringValue,
                      let type = fields["type"]?.stringValue, let value = fields["value"]?.stringValue
                else { throw error(field: "identifications", "each entry needs country, type and value strings") }
                identifications?.append(Identification(country: country, type: type, value: value))
            }
        } else if let other = object["identifications"], other != .null {
            throw error(field: "identifications", "must be an array or null")
        }
        return Customer(
            id: try int("id") ?? 0, integration: integration, domain: domain, customerCode: code, email: email,
            firstName: try string("first_name"), lastName: try string("last_name"), phone: try string("phone"),
            metadata: metadata, riskAction: riskAction, identified: try bool("identified") ?? false,
            identifications: identifications, createdAt: createdAt, updatedAt: max(updatedAt, createdAt))
    }

    func authorization(integrations: [Int: Integration]) throws(SeedError) -> (customer: String, integration: Int?, Authorization) {
        let customer = try requiredString("customer")
        let integration = try int("integration")
        if let integration, integrations[integration] == nil {
            throw error(field: "integration", "no integration has the id \(integration)")
        }
        let code = try requiredString("authorization_code")
        guard isValidAuthorizationCode(code) else {
            throw error(field: "authorization_code", "must match /^AUTH_[a-z0-9]+$/i")
        }
        // Cards carry their card fields; a bank mandate may have none.
        let channel = try string("channel") ?? "card"
        func cardField(_ name: String) throws(SeedError) -> String? {
            channel == "card" ? try requiredString(name) : try string(name)
        }
        let authorization = Authorization(
            authorizationCode: code, bin: try cardField("bin"), last4: try cardField("last4"),
            expMonth: try cardField("exp_month"), expYear: try cardField("exp_year"), channel: channel,
            cardType: try cardField("card_type"), bank: try requiredString("bank"), countryCode: try string("country_code") ?? "NG",
            brand: try cardField("brand"), reusable: try bool("reusable") ?? true,
            signature: try cardField("signature"), accountName: try string("account_name"))
        return (customer, integration, authorization)
    }
}

/// Writing the state: whole documents (`{"integrations": [...], "customers": [...],
/// "authorizations": [...]}`, what `GET /_sandbox/state` answers and `--seed-data FILE` or
/// `PUT /_sandbox/state` load back) and the state log's records.
public enum StateCodec {
    /// The whole store.
    public static func document(_ store: CustomerStore) -> [UInt8] {
        let integrations = store.integrations
        var ledgers: [Ledger] = []
        for integration in integrations {
            guard let books = store.books(of: integration.id) else { continue }
            let snapshot = books.snapshot()
            ledgers += [snapshot.test, snapshot.live]
        }
        return document(integrations, ledgers)
    }

    /// A seed (what a reset writes to the state log).
    public static func document(_ seed: SeedData) -> [UInt8] {
        document(seed.integrations, seed.integrations.flatMap { integration in
            let ledgers = seed.ledgers(of: integration.id)
            return [ledgers.test, ledgers.live]
        })
    }

    /// One integration with its customers (what a reset of one integration writes to the state log).
    public static func document(_ integration: Integration, test: Ledger, live: Ledger) -> [UInt8] {
        document([integration], [test, live])
    }

    /// A state-log record of one customer with its cards.
    static func customerRecord(_ customer: Customer) -> [UInt8] {
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

    /// A state-log record of the whole state, or of one integration's whole state.
    public static func stateRecord(_ document: [UInt8], integration: Int? = nil) -> [UInt8] {
        var writer = JSONWriter(capacity: document.count + 48)
        writer.beginObject()
        writer.key("op"); writer.plainString(integration == nil ? "state" : "integration")
        writer.key("state")
        document.withUnsafeBufferPointer { writer.rawValue($0) }
        writer.endObject()
        return writer.bytes
    }

    private static func document(_ integrations: [Integration], _ ledgers: [Ledger]) -> [UInt8] {
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

    /// An integration with its keys (`GET /_sandbox/integrations` adds counts to the same members).
    public static func write(_ integration: Integration, _ writer: inout JSONWriter, extra: (inout JSONWriter) -> Void = { _ in }) {
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
        extra(&writer)
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
        writer.key("metadata"); writer.metadata(customer.metadata)
        writer.key("risk_action"); writer.plainString(customer.riskAction.rawValue)
        writer.key("identified"); writer.bool(customer.identified)
        writer.key("identifications"); writer.identifications(customer.identifications)
        writer.key("createdAt"); writer.timestamp(customer.createdAt)
        writer.key("updatedAt"); writer.timestamp(customer.updatedAt)
        writer.endObject()
    }

    private static func write(_ authorization: Authorization, of customer: Customer, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("customer"); writer.string(customer.customerCode)
        writer.key("integration"); writer.int(customer.integration)
        writer.authorizationMembers(authorization)
        writer.endObject()
    }
}

extension JSONWriter {
    /// An authorization's members in Paystack's order (contract section 3), without the braces.
    public mutating func authorizationMembers(_ authorization: Authorization) {
        key("authorization_code"); string(authorization.authorizationCode)
        key("bin"); string(authorization.bin)
        key("last4"); string(authorization.last4)
        key("exp_month"); string(authorization.expMonth)
        key("exp_year"); string(authorization.expYear)
        key("channel"); string(authorization.channel)
        key("card_type"); string(authorization.cardType)
        key("bank"); string(authorization.bank)
        key("country_code"); string(authorization.countryCode)
        key("brand"); string(authorization.brand)
        key("reusable"); bool(authorization.reusable)
        key("signature"); string(authorization.signature)
        key("account_name"); string(authorization.accountName)
    }

    /// `identifications`: null, or `[{"country","type","value"}]`.
    public mutating func identifications(_ identifications: [Identification]?) {
        guard let identifications else { return null() }
        beginArray()
        for entry in identifications {
            beginObject()
            key("country"); string(entry.country)
            key("type"); string(entry.type)
            key("value"); string(entry.value)
            endObject()
        }
        endArray()
    }

    /// `metadata`: its object, or null.
    public mutating func metadata(_ metadata: JSONObject?) {
        if let metadata { value(.object(metadata)) } else { null() }
    }

    /// A timestamp as Paystack writes it, `"2022-08-15T13:46:39.000Z"`.
    public mutating func timestamp(_ value: Timestamp) {
        value.withISO8601 { rawValue($0) }
    }
}
